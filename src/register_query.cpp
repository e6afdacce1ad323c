// Ring-less capability queries (IORING_REGISTER_QUERY).
#include "register_common.h"

using namespace bareuring;

// io_uring_register_query: query is a chain of io_uring_query_hdr linked by
// next_entry; the kernel sets each hdr->result and fills its query_data.
BAREURING_API int io_uring_register_query(struct io_uring_query_hdr *query) noexcept
{
    return register_without_ring(IORING_REGISTER_QUERY, query, 0);
}
