// Name tables for the introspection tools (see names.h). NAMED(x) keeps the
// value and the spelling of each constant together, so they cannot drift.
#include "names.h"

#include <fmt/format.h>

#include <array>
#include <cstring>

namespace introspect {
namespace {

#define NAMED(x) named_bit{x, #x}

constexpr std::array kFeatures = {
    NAMED(IORING_FEAT_SINGLE_MMAP),     NAMED(IORING_FEAT_NODROP),        NAMED(IORING_FEAT_SUBMIT_STABLE),
    NAMED(IORING_FEAT_RW_CUR_POS),      NAMED(IORING_FEAT_CUR_PERSONALITY), NAMED(IORING_FEAT_FAST_POLL),
    NAMED(IORING_FEAT_POLL_32BITS),     NAMED(IORING_FEAT_SQPOLL_NONFIXED), NAMED(IORING_FEAT_EXT_ARG),
    NAMED(IORING_FEAT_NATIVE_WORKERS),  NAMED(IORING_FEAT_RSRC_TAGS),     NAMED(IORING_FEAT_CQE_SKIP),
    NAMED(IORING_FEAT_LINKED_FILE),     NAMED(IORING_FEAT_REG_REG_RING),  NAMED(IORING_FEAT_RECVSEND_BUNDLE),
    NAMED(IORING_FEAT_MIN_TIMEOUT),     NAMED(IORING_FEAT_RW_ATTR),       NAMED(IORING_FEAT_NO_IOWAIT),
};

constexpr std::array kSetupFlags = {
    NAMED(IORING_SETUP_IOPOLL),        NAMED(IORING_SETUP_SQPOLL),          NAMED(IORING_SETUP_SQ_AFF),
    NAMED(IORING_SETUP_CQSIZE),        NAMED(IORING_SETUP_CLAMP),           NAMED(IORING_SETUP_ATTACH_WQ),
    NAMED(IORING_SETUP_R_DISABLED),    NAMED(IORING_SETUP_SUBMIT_ALL),      NAMED(IORING_SETUP_COOP_TASKRUN),
    NAMED(IORING_SETUP_TASKRUN_FLAG),  NAMED(IORING_SETUP_SQE128),          NAMED(IORING_SETUP_CQE32),
    NAMED(IORING_SETUP_SINGLE_ISSUER), NAMED(IORING_SETUP_DEFER_TASKRUN),   NAMED(IORING_SETUP_NO_MMAP),
    NAMED(IORING_SETUP_REGISTERED_FD_ONLY), NAMED(IORING_SETUP_NO_SQARRAY), NAMED(IORING_SETUP_HYBRID_IOPOLL),
    NAMED(IORING_SETUP_CQE_MIXED),     NAMED(IORING_SETUP_SQE_MIXED),       NAMED(IORING_SETUP_SQ_REWIND),
};

constexpr std::array kSqRingFlags = {
    NAMED(IORING_SQ_NEED_WAKEUP),
    NAMED(IORING_SQ_CQ_OVERFLOW),
    NAMED(IORING_SQ_TASKRUN),
};

constexpr std::array kCqRingFlags = {
    NAMED(IORING_CQ_EVENTFD_DISABLED),
};

#undef NAMED

// Opcodes are consecutive enumerators; the table is indexed by value and
// checked below to cover 0 .. IORING_OP_LAST-1 in order.
struct named_op {
    int value;
    std::string_view name;
};
#define OP(x) named_op{x, #x}
constexpr std::array kOpcodes = {
    OP(IORING_OP_NOP),            OP(IORING_OP_READV),          OP(IORING_OP_WRITEV),
    OP(IORING_OP_FSYNC),          OP(IORING_OP_READ_FIXED),     OP(IORING_OP_WRITE_FIXED),
    OP(IORING_OP_POLL_ADD),       OP(IORING_OP_POLL_REMOVE),    OP(IORING_OP_SYNC_FILE_RANGE),
    OP(IORING_OP_SENDMSG),        OP(IORING_OP_RECVMSG),        OP(IORING_OP_TIMEOUT),
    OP(IORING_OP_TIMEOUT_REMOVE), OP(IORING_OP_ACCEPT),         OP(IORING_OP_ASYNC_CANCEL),
    OP(IORING_OP_LINK_TIMEOUT),   OP(IORING_OP_CONNECT),        OP(IORING_OP_FALLOCATE),
    OP(IORING_OP_OPENAT),         OP(IORING_OP_CLOSE),          OP(IORING_OP_FILES_UPDATE),
    OP(IORING_OP_STATX),          OP(IORING_OP_READ),           OP(IORING_OP_WRITE),
    OP(IORING_OP_FADVISE),        OP(IORING_OP_MADVISE),        OP(IORING_OP_SEND),
    OP(IORING_OP_RECV),           OP(IORING_OP_OPENAT2),        OP(IORING_OP_EPOLL_CTL),
    OP(IORING_OP_SPLICE),         OP(IORING_OP_PROVIDE_BUFFERS), OP(IORING_OP_REMOVE_BUFFERS),
    OP(IORING_OP_TEE),            OP(IORING_OP_SHUTDOWN),       OP(IORING_OP_RENAMEAT),
    OP(IORING_OP_UNLINKAT),       OP(IORING_OP_MKDIRAT),        OP(IORING_OP_SYMLINKAT),
    OP(IORING_OP_LINKAT),         OP(IORING_OP_MSG_RING),       OP(IORING_OP_FSETXATTR),
    OP(IORING_OP_SETXATTR),       OP(IORING_OP_FGETXATTR),      OP(IORING_OP_GETXATTR),
    OP(IORING_OP_SOCKET),         OP(IORING_OP_URING_CMD),      OP(IORING_OP_SEND_ZC),
    OP(IORING_OP_SENDMSG_ZC),     OP(IORING_OP_READ_MULTISHOT), OP(IORING_OP_WAITID),
    OP(IORING_OP_FUTEX_WAIT),     OP(IORING_OP_FUTEX_WAKE),     OP(IORING_OP_FUTEX_WAITV),
    OP(IORING_OP_FIXED_FD_INSTALL), OP(IORING_OP_FTRUNCATE),    OP(IORING_OP_BIND),
    OP(IORING_OP_LISTEN),         OP(IORING_OP_RECV_ZC),        OP(IORING_OP_EPOLL_WAIT),
    OP(IORING_OP_READV_FIXED),    OP(IORING_OP_WRITEV_FIXED),   OP(IORING_OP_PIPE),
    OP(IORING_OP_NOP128),         OP(IORING_OP_URING_CMD128),
};
#undef OP

constexpr bool opcodes_in_order()
{
    for (std::size_t i = 0; i < kOpcodes.size(); i++)
        if (kOpcodes[i].value != static_cast<int>(i))
            return false;
    return true;
}
static_assert(kOpcodes.size() == IORING_OP_LAST, "a new IORING_OP_* needs a name here");
static_assert(opcodes_in_order(), "opcode table must be indexed by value");

template <typename Table> constexpr bool single_bits_ascending(const Table &t)
{
    for (std::size_t i = 0; i < t.size(); i++) {
        const unsigned v = t[i].value;
        if (!v || (v & (v - 1)) || (i && v <= t[i - 1].value))
            return false;
    }
    return true;
}
static_assert(single_bits_ascending(kFeatures) && single_bits_ascending(kSetupFlags));

} // namespace

std::span<const named_bit> feature_bits() noexcept { return kFeatures; }
std::span<const named_bit> setup_flag_bits() noexcept { return kSetupFlags; }
std::span<const named_bit> sq_ring_flag_bits() noexcept { return kSqRingFlags; }
std::span<const named_bit> cq_ring_flag_bits() noexcept { return kCqRingFlags; }

std::string_view opcode_name(unsigned op) noexcept
{
    return op < kOpcodes.size() ? kOpcodes[op].name : std::string_view{};
}

std::string bit_name(std::span<const named_bit> table, unsigned bit)
{
    for (const named_bit &b : table)
        if (b.value == (1U << bit))
            return std::string(b.name);
    return fmt::format("bit {}", bit);
}

std::string flag_list(unsigned value, std::span<const named_bit> table, std::string_view strip)
{
    if (!value)
        return "0";
    std::string out;
    auto append = [&](std::string_view s) {
        if (!out.empty())
            out += '|';
        out += s;
    };
    for (const named_bit &b : table) {
        if (!(value & b.value))
            continue;
        std::string_view name = b.name;
        if (name.starts_with(strip))
            name.remove_prefix(strip.size());
        append(name);
        value &= ~b.value;
    }
    if (value)
        append(fmt::format("{:#x}", value));
    return out;
}

std::string errno_name(int err)
{
    if (err == 0)
        return "0";
    if (err < 0)
        err = -err;
    // glibc 2.32+: the symbolic name ("EINVAL"), NULL for unknown values.
    if (const char *name = strerrorname_np(err))
        return name;
    return fmt::format("errno {}", err);
}

} // namespace introspect
