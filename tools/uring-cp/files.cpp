#include "files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "failure.h"

namespace uring_cp {

unique_fd &unique_fd::operator=(unique_fd &&other) noexcept
{
    if (this != &other) {
        (void)close();
        fd_ = other.release();
    }
    return *this;
}

unique_fd::~unique_fd()
{
    (void)close();
}

int unique_fd::release()
{
    int fd = fd_;
    fd_ = -1;
    return fd;
}

int unique_fd::close()
{
    if (fd_ < 0)
        return 0;
    // Linux releases the descriptor even when close() fails, so never retry.
    int rc = ::close(release());
    return rc == 0 ? 0 : errno;
}

source_file open_source(const std::string &path)
{
    source_file src;
    src.fd = unique_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (src.fd.get() < 0)
        throw failure(path, errno);

    struct stat st {};
    if (::fstat(src.fd.get(), &st) != 0)
        throw failure(path, errno);
    // The engine plans its blocks from st_size, which only means "bytes to
    // copy" for regular files.
    if (S_ISDIR(st.st_mode))
        throw failure(path, EISDIR);
    if (!S_ISREG(st.st_mode))
        throw failure(path, "not a regular file");

    src.size = static_cast<std::uint64_t>(st.st_size);
    // Permission bits only: set-id and sticky bits are not copied, as with cp.
    src.mode = st.st_mode & 0777;
    src.dev = st.st_dev;
    src.ino = st.st_ino;
    // The copy reads front to back: let the kernel read ahead generously.
    // Only a hint, so its failure is not an error.
    (void)::posix_fadvise(src.fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    return src;
}

unique_fd open_destination(const std::string &path, const source_file &source)
{
    // O_TRUNC on the source itself would destroy the data before it is read.
    struct stat existing {};
    bool existed = ::stat(path.c_str(), &existing) == 0;
    if (existed && existing.st_dev == source.dev && existing.st_ino == source.ino)
        throw failure(path, "source and destination are the same file");

    unique_fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, source.mode));
    if (fd.get() < 0)
        throw failure(path, errno);

    // open() filtered the mode through the umask; set it exactly. A file we
    // may write but do not own keeps its mode (EPERM), as with cp.
    if (::fchmod(fd.get(), source.mode) != 0 && !(existed && errno == EPERM))
        throw failure(path, errno);
    return fd;
}

} // namespace uring_cp
