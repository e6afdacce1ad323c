// The registered (direct) file table: IOSQE_FIXED_FILE ops name a slot of it
// instead of an fd, and the *_direct ops install into it.
#include "register_common.h"


using namespace bareuring;

namespace {

// The kernel refuses a table larger than RLIMIT_NOFILE with -EMFILE. Like
// liburing, we then try once to raise the soft limit: if it is below nr, add
// nr to it. A refusal (hard limit, no privilege) is ignored; the retry will
// simply fail again. prlimit64(0, ...) is the one rlimit syscall every
// architecture has; src/sys keeps errno untouched.
void raise_nofile_limit(unsigned nr) noexcept
{
    sys::nofile_limit lim{};
    if (sys::get_nofile_limit(&lim) < 0 || lim.cur >= nr)
        return;
    lim.cur += nr;
    sys::set_nofile_limit(lim);
}

// Register, and on -EMFILE bump the limit once and try again.
int register_with_nofile_retry(const io_uring *ring, unsigned opcode, const void *arg, unsigned nr_args,
                               unsigned nr_files) noexcept
{
    int ret = register_on(ring, opcode, arg, nr_args);
    if (ret == -EMFILE) {
        raise_nofile_limit(nr_files);
        ret = register_on(ring, opcode, arg, nr_args);
    }
    return ret;
}

} // namespace

// io_uring_register_files: IORING_REGISTER_FILES with the fd array (-1 =
// empty slot).
BAREURING_API int io_uring_register_files(struct io_uring *ring, const int *files, unsigned nr_files) noexcept
{
    return register_with_nofile_retry(ring, IORING_REGISTER_FILES, files, nr_files, nr_files);
}

// io_uring_register_files_tags: the FILES2 form with a tag per slot; nr_args
// is the descriptor size.
BAREURING_API int io_uring_register_files_tags(struct io_uring *ring, const int *files, const __u64 *tags,
                                               unsigned nr) noexcept
{
    io_uring_rsrc_register reg{};
    reg.nr = nr;
    reg.data = user_ptr(files);
    reg.tags = user_ptr(tags);
    return register_with_nofile_retry(ring, IORING_REGISTER_FILES2, &reg, sizeof(reg), nr);
}

// io_uring_register_files_sparse: nr empty slots.
BAREURING_API int io_uring_register_files_sparse(struct io_uring *ring, unsigned nr) noexcept
{
    io_uring_rsrc_register reg{};
    reg.nr = nr;
    reg.flags = IORING_RSRC_REGISTER_SPARSE;
    return register_with_nofile_retry(ring, IORING_REGISTER_FILES2, &reg, sizeof(reg), nr);
}

// io_uring_register_files_update_tag: replaces slots [off, off + nr_files),
// with tags. Returns the number of slots updated.
BAREURING_API int io_uring_register_files_update_tag(struct io_uring *ring, unsigned off, const int *files,
                                                     const __u64 *tags, unsigned nr_files) noexcept
{
    io_uring_rsrc_update2 up{};
    up.offset = off;
    up.data = user_ptr(files);
    up.tags = user_ptr(tags);
    up.nr = nr_files;
    return register_on(ring, IORING_REGISTER_FILES_UPDATE2, &up, sizeof(up));
}

// io_uring_register_files_update: the original update form; here nr_args is
// the count. fd -1 clears a slot, IORING_REGISTER_FILES_SKIP keeps it.
// Returns the number of slots updated.
BAREURING_API int io_uring_register_files_update(struct io_uring *ring, unsigned off, const int *files,
                                                 unsigned nr_files) noexcept
{
    io_uring_rsrc_update up{};
    up.offset = off;
    up.data = user_ptr(files);
    return register_on(ring, IORING_REGISTER_FILES_UPDATE, &up, nr_files);
}

// io_uring_unregister_files.
BAREURING_API int io_uring_unregister_files(struct io_uring *ring) noexcept
{
    return register_on(ring, IORING_UNREGISTER_FILES, nullptr, 0);
}

// io_uring_register_file_alloc_range: confines the slots the kernel picks
// for IORING_FILE_INDEX_ALLOC to [off, off + len).
BAREURING_API int io_uring_register_file_alloc_range(struct io_uring *ring, unsigned off, unsigned len) noexcept
{
    io_uring_file_index_range range{};
    range.off = off;
    range.len = len;
    return register_on(ring, IORING_REGISTER_FILE_ALLOC_RANGE, &range, 0);
}
