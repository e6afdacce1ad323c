// tools/uring-probe: its --json output is valid JSON with the documented
// keys, and every answer in it agrees with what this test asks the kernel
// directly (a fresh ring's features, IORING_REGISTER_PROBE, io_uring_setup
// with each flag alone, the CLAMP readback).
#include "mini_json.h"
#include "run_tool.h"

#include <liburing.h>

#include <sys/utsname.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <climits>
#include <cstring>
#include <string>

namespace {

using mini_json::value;

class ProbeJson : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        const tool_test::tool_output r = tool_test::run(std::string(URING_PROBE_BIN) + " --json");
        exit_code_ = r.exit_code;
        doc_ = new value(mini_json::parse(r.out, &parse_error_));
    }
    static void TearDownTestSuite()
    {
        delete doc_;
        doc_ = nullptr;
    }
    void SetUp() override
    {
        ASSERT_EQ(exit_code_, 0);
        ASSERT_EQ(parse_error_, "") << "uring-probe --json is not valid JSON";
    }
    static const value &doc() { return *doc_; }

private:
    static inline value *doc_ = nullptr;
    static inline int exit_code_ = -1;
    static inline std::string parse_error_;
};

// "EINVAL" for -EINVAL, null-equivalent "" for 0: the tool's error spelling.
std::string errno_text(int ret)
{
    if (ret >= 0)
        return "";
    const char *name = strerrorname_np(-ret);
    return name ? name : "";
}

std::string json_error(const value &v)
{
    return v.is_null() ? "" : v.string;
}

TEST_F(ProbeJson, HasEveryTopLevelSectionAndTheRunningKernel)
{
    for (const char *key : {"kernel", "features", "opcodes", "setup_flags", "limits"})
        EXPECT_TRUE(doc().has(key)) << key;
    utsname u{};
    ASSERT_EQ(uname(&u), 0);
    EXPECT_EQ(doc()["kernel"]["release"].string, u.release);
    EXPECT_EQ(doc()["kernel"]["machine"].string, u.machine);
}

TEST_F(ProbeJson, FeaturesEqualThoseOfAFreshRing)
{
    io_uring ring;
    io_uring_params p{};
    ASSERT_EQ(io_uring_queue_init_params(4, &ring, &p), 0);
    io_uring_queue_exit(&ring);

    const value &f = doc()["features"];
    EXPECT_TRUE(f["error"].is_null());
    EXPECT_EQ(f["value"].integer, static_cast<std::int64_t>(p.features));
    // Each decoded bit says what the raw value says.
    ASSERT_GT(f["bits"].size(), 0u);
    for (const value &b : f["bits"].array) {
        const auto bit = static_cast<unsigned>(b["bit"].integer);
        EXPECT_EQ(b["set"].boolean, (p.features >> bit) & 1u) << "bit " << bit;
    }
    // The bit every kernel since 5.4 sets is named.
    EXPECT_EQ(f["bits"][0]["name"].string, "IORING_FEAT_SINGLE_MMAP");
}

TEST_F(ProbeJson, EveryOpcodeAgreesWithIoUringOpcodeSupported)
{
    io_uring ring;
    ASSERT_EQ(io_uring_queue_init(2, &ring, 0), 0);
    io_uring_probe *probe = io_uring_get_probe_ring(&ring);
    io_uring_queue_exit(&ring);
    ASSERT_NE(probe, nullptr);

    const value &o = doc()["opcodes"];
    EXPECT_TRUE(o["error"].is_null());
    EXPECT_EQ(o["last_op"].integer, probe->last_op);
    EXPECT_EQ(o["ops_len"].integer, probe->ops_len);
    // Every opcode these headers name, and any newer one the kernel knows.
    const std::size_t expected = std::max<std::size_t>(IORING_OP_LAST, probe->last_op + 1u);
    ASSERT_EQ(o["ops"].size(), expected);
    for (std::size_t i = 0; i < expected; i++) {
        const value &e = o["ops"][i];
        EXPECT_EQ(e["op"].integer, static_cast<std::int64_t>(i));
        EXPECT_EQ(e["supported"].boolean, io_uring_opcode_supported(probe, static_cast<int>(i)) != 0) << "op " << i;
    }
    EXPECT_EQ(o["ops"][IORING_OP_NOP]["name"].string, "IORING_OP_NOP");
    EXPECT_EQ(o["ops"][IORING_OP_READ]["name"].string, "IORING_OP_READ");
    io_uring_free_probe(probe);
}

// What io_uring_setup says to one flag on its own, with nothing else set.
int setup_alone(unsigned flag)
{
    io_uring_params p{};
    p.flags = flag;
    const int fd = io_uring_setup(8, &p);
    if (fd >= 0)
        close(fd);
    return fd < 0 ? fd : 0;
}

TEST_F(ProbeJson, EachSetupFlagAloneGetsTheKernelsAnswer)
{
    const value &s = doc()["setup_flags"];
    ASSERT_EQ(s["entries"].integer, 8);
    // Every named IORING_SETUP_* bit is listed, lowest first.
    ASSERT_GE(s["flags"].size(), 21u);
    for (const value &e : s["flags"].array) {
        const auto bit = static_cast<unsigned>(e["bit"].integer);
        const int ret = setup_alone(1U << bit);
        EXPECT_EQ(json_error(e["alone"]), errno_text(ret)) << e["name"].string;
        // Accepted alone means no companion; refused means an error is named.
        if (ret == 0) {
            EXPECT_TRUE(e["accepted"].boolean) << e["name"].string;
            EXPECT_TRUE(e["companion"].is_null()) << e["name"].string;
        }
        if (!e["accepted"].boolean) {
            EXPECT_FALSE(e["error"].is_null()) << e["name"].string;
        }
    }
    EXPECT_EQ(s["flags"][0]["name"].string, "IORING_SETUP_IOPOLL");
}

TEST_F(ProbeJson, CompanionsNamedForDependentFlagsReallyWork)
{
    // DEFER_TASKRUN is refused alone and accepted with SINGLE_ISSUER
    // (Linux 6.1+); the report must say so and the kernel must agree.
    const value &e = doc()["setup_flags"]["flags"][13];
    ASSERT_EQ(e["name"].string, "IORING_SETUP_DEFER_TASKRUN");
    io_uring_params p{};
    p.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER;
    const int fd = io_uring_setup(8, &p);
    if (fd >= 0)
        close(fd);
    EXPECT_EQ(e["accepted"].boolean, fd >= 0);
    if (fd >= 0 && setup_alone(IORING_SETUP_DEFER_TASKRUN) < 0) {
        EXPECT_EQ(e["companion"].string, "IORING_SETUP_SINGLE_ISSUER");
    }
}

TEST_F(ProbeJson, LimitsAreTheLargestSizesTheKernelCreates)
{
    const value &l = doc()["limits"];
    ASSERT_TRUE(l["error"].is_null());
    const auto max_sq = static_cast<unsigned>(l["max_sq_entries"].integer);
    const auto max_cq = static_cast<unsigned>(l["max_cq_entries"].integer);
    EXPECT_TRUE(l["verified"].boolean);

    io_uring_params p{};
    p.flags = IORING_SETUP_CLAMP | IORING_SETUP_CQSIZE;
    p.cq_entries = UINT_MAX;
    const int fd = io_uring_setup(UINT_MAX, &p);
    ASSERT_GE(fd, 0);
    close(fd);
    EXPECT_EQ(max_sq, p.sq_entries);
    EXPECT_EQ(max_cq, p.cq_entries);

    // Without CLAMP: one more power of two is refused.
    io_uring_params q{};
    EXPECT_EQ(io_uring_setup(2 * max_sq, &q), -EINVAL);
}

TEST(ProbeTable, PrintsReadableSectionsAndRejectsUnknownArguments)
{
    const tool_test::tool_output r = tool_test::run(URING_PROBE_BIN);
    ASSERT_EQ(r.exit_code, 0);
    for (const char *s : {"Features", "Opcodes", "Setup flags", "Limits", "IORING_OP_NOP", "IORING_FEAT_SINGLE_MMAP"})
        EXPECT_NE(r.out.find(s), std::string::npos) << s;
    EXPECT_EQ(tool_test::run(std::string(URING_PROBE_BIN) + " --bogus 2>/dev/null").exit_code, 2);
}

} // namespace
