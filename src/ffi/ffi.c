/*
 * liburing-ffi: the inline API of <liburing.h> as real functions, for
 * languages that cannot compile C header bodies (Rust, Python ctypes, ...).
 *
 * IOURINGINLINE is defined empty before the header is read, so every
 * IOURINGINLINE body below becomes an ordinary external definition in this
 * object. The version script (src/versions/uring-ffi.ver) then exports the
 * ones liburing-ffi.so lists and hides the rest. _LOCAL_INLINE helpers stay
 * static: they are not API.
 *
 * BAREURING_INTERNAL is defined here on purpose, unlike in applications:
 * io_uring_get_sqe is the one function that is both inline in the header and
 * a real function of the core (src/submit.cpp). The FFI library links the
 * core too, so taking the header's body as well would define it twice; with
 * BAREURING_INTERNAL the header only declares it and the core's copy (the
 * same _io_uring_get_sqe body) is the one exported.
 */
#define _GNU_SOURCE
#define IOURINGINLINE
#define BAREURING_INTERNAL 1
#include <liburing.h>
