// The running kernel's name and release, as uname(2) reports them.
#include "report.h"

#include <sys/utsname.h>

namespace uring_probe {

kernel_info read_kernel_info()
{
    utsname u{};
    if (uname(&u) != 0)
        return {"?", "?", "?"};
    return {u.sysname, u.release, u.machine};
}

} // namespace uring_probe
