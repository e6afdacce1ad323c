// Flag sets the kernel refuses must not compile through
// setup_options::with<>. CASE selects one; CASE=0 is a valid set.
#include <uring/setup_options.hpp>

#if CASE == 0
constexpr unsigned flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
#elif CASE == 1
constexpr unsigned flags = IORING_SETUP_SQPOLL | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER;
#elif CASE == 2
constexpr unsigned flags = IORING_SETUP_DEFER_TASKRUN;
#elif CASE == 3
constexpr unsigned flags = IORING_SETUP_SQE128 | IORING_SETUP_SQE_MIXED;
#elif CASE == 4
constexpr unsigned flags = IORING_SETUP_CQE32 | IORING_SETUP_CQE_MIXED;
#elif CASE == 5
constexpr unsigned flags = IORING_SETUP_REGISTERED_FD_ONLY;
#elif CASE == 6
constexpr unsigned flags = IORING_SETUP_SQ_AFF;
#endif

int main()
{
    constexpr auto options = uring::setup_options::with<flags>(8);
    return static_cast<int>(options.entries());
}
