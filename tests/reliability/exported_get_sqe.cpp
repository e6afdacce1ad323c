// The exported io_uring_get_sqe, as a binary built against headers in which
// it was not inline reaches it. This file deliberately does not include
// <liburing.h>: there the function is an inline definition of the same
// name, which would take the place of the library's in this translation
// unit. bad_input_test.cpp calls it through exported_io_uring_get_sqe.
struct io_uring;
struct io_uring_sqe;

extern "C" io_uring_sqe *io_uring_get_sqe(io_uring *ring) noexcept;

io_uring_sqe *exported_io_uring_get_sqe(io_uring *ring) noexcept
{
    return io_uring_get_sqe(ring);
}
