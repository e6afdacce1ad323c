// tools/uring-layout: for each ring setup it offers, its --json offsets equal
// the io_uring_params the kernel returns when this test creates a ring with
// the same flags, every struct io_uring pointer it reports lands where the
// offsets say, the NOP walk ends with all six indices at 1, and --svg writes
// a well-formed, self-contained SVG.
#include "mini_json.h"
#include "run_tool.h"

#include <liburing.h>

#include <sys/mman.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using mini_json::value;

struct layout_case {
    const char *name;
    const char *args;  // uring-layout options
    unsigned entries;  // what --entries says (8 by default)
    unsigned flags;    // IORING_SETUP_* the same setup asks for
    bool raw_sqarray;  // --sqarray: io_uring_setup without NO_SQARRAY
    bool app_memory;   // --app-mem: io_uring_queue_init_mem
};

// gtest names the instances; this keeps their failure messages readable.
void PrintTo(const layout_case &c, std::ostream *os) { *os << c.name << " (uring-layout " << c.args << ")"; }

const layout_case kCases[] = {
    {"Default", "", 8, 0, false, false},
    {"SqPoll", "--sqpoll", 8, IORING_SETUP_SQPOLL, false, false},
    {"NoSqArray", "--no-sqarray", 8, IORING_SETUP_NO_SQARRAY, false, false},
    {"SqArray", "--sqarray", 8, 0, true, false},
    {"Sqe128Cqe32", "--sqe128 --cqe32", 8, IORING_SETUP_SQE128 | IORING_SETUP_CQE32, false, false},
    {"NoMmap", "--no-mmap", 8, IORING_SETUP_NO_MMAP, false, false},
    {"AppMem", "--app-mem", 8, 0, false, true},
    {"Entries100", "--entries 100", 100, 0, false, false},
};

// The test's own ring, made the way the tool's option says, through the
// public API. Only the params matter; the ring is released at once.
struct own_ring {
    int error = 0;
    io_uring_params params{};
};

own_ring make_own_ring(const layout_case &c)
{
    own_ring r;
    r.params.flags = c.flags;
    if (c.raw_sqarray) {
        const int fd = io_uring_setup(c.entries, &r.params);
        if (fd < 0)
            r.error = fd;
        else
            close(fd);
        return r;
    }
    io_uring ring;
    if (c.app_memory) {
        const std::size_t len = 1 << 20;
        void *mem = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED) {
            r.error = -ENOMEM;
            return r;
        }
        const int ret = io_uring_queue_init_mem(c.entries, &ring, &r.params, mem, len);
        if (ret >= 0)
            io_uring_queue_exit(&ring);
        munmap(mem, len);
        r.error = ret < 0 ? ret : 0;
        return r;
    }
    r.error = io_uring_queue_init_params(c.entries, &ring, &r.params);
    if (r.error == 0)
        io_uring_queue_exit(&ring);
    return r;
}

class LayoutJson : public ::testing::TestWithParam<layout_case> {
protected:
    void SetUp() override
    {
        const layout_case &c = GetParam();
        own_ = make_own_ring(c);
        const tool_test::tool_output r =
            tool_test::run(std::string(URING_LAYOUT_BIN) + " " + c.args + " --json");
        if (own_.error == -EINVAL || own_.error == -EPERM || own_.error == -ENOMEM) {
            // A setup this kernel (or machine) refuses: the tool must fail too.
            EXPECT_EQ(r.exit_code, 1);
            GTEST_SKIP() << c.name << ": kernel refused the setup: " << std::strerror(-own_.error);
        }
        ASSERT_EQ(own_.error, 0) << std::strerror(-own_.error);
        ASSERT_EQ(r.exit_code, 0) << r.out;
        std::string err;
        doc_ = mini_json::parse(r.out, &err);
        ASSERT_EQ(err, "") << "uring-layout --json is not valid JSON";
    }

    own_ring own_;
    value doc_;
};

std::int64_t n(const value &v) { return v.integer; }

TEST_P(LayoutJson, OffsetsEqualTheParamsTheKernelReturns)
{
    const io_uring_params &p = own_.params;
    const value &s = doc_["sq_off"];
    EXPECT_EQ(n(s["head"]), p.sq_off.head);
    EXPECT_EQ(n(s["tail"]), p.sq_off.tail);
    EXPECT_EQ(n(s["ring_mask"]), p.sq_off.ring_mask);
    EXPECT_EQ(n(s["ring_entries"]), p.sq_off.ring_entries);
    EXPECT_EQ(n(s["flags"]), p.sq_off.flags);
    EXPECT_EQ(n(s["dropped"]), p.sq_off.dropped);
    EXPECT_EQ(n(s["array"]), p.sq_off.array);
    const value &c = doc_["cq_off"];
    EXPECT_EQ(n(c["head"]), p.cq_off.head);
    EXPECT_EQ(n(c["tail"]), p.cq_off.tail);
    EXPECT_EQ(n(c["ring_mask"]), p.cq_off.ring_mask);
    EXPECT_EQ(n(c["ring_entries"]), p.cq_off.ring_entries);
    EXPECT_EQ(n(c["overflow"]), p.cq_off.overflow);
    EXPECT_EQ(n(c["cqes"]), p.cq_off.cqes);
    EXPECT_EQ(n(c["flags"]), p.cq_off.flags);
    // user_addr are addresses of two different rings; only whether they are
    // set can agree.
    EXPECT_EQ(n(s["user_addr"]) != 0, p.sq_off.user_addr != 0);
    EXPECT_EQ(n(c["user_addr"]) != 0, p.cq_off.user_addr != 0);

    const value &setup = doc_["setup"];
    EXPECT_EQ(n(setup["flags"]), p.flags);
    EXPECT_EQ(n(setup["features"]), p.features);
    EXPECT_EQ(n(setup["sq_entries"]), p.sq_entries);
    EXPECT_EQ(n(setup["cq_entries"]), p.cq_entries);
}

// The field of the tool's map that a given sq_off/cq_off entry locates.
const value *field_named(const value &doc, std::string_view offset_name)
{
    for (const value &r : doc["regions"].array)
        for (const value &f : r["fields"].array)
            if (f["offset_name"].string == offset_name)
                return &f;
    return nullptr;
}

TEST_P(LayoutJson, EveryFieldSitsAtItsOffsetAndItsPointerAgrees)
{
    const io_uring_params &p = own_.params;
    const struct {
        const char *name;
        unsigned offset;
    } words[] = {
        {"sq_off.head", p.sq_off.head},       {"sq_off.tail", p.sq_off.tail},
        {"sq_off.ring_mask", p.sq_off.ring_mask}, {"sq_off.ring_entries", p.sq_off.ring_entries},
        {"sq_off.flags", p.sq_off.flags},     {"sq_off.dropped", p.sq_off.dropped},
        {"cq_off.head", p.cq_off.head},       {"cq_off.tail", p.cq_off.tail},
        {"cq_off.ring_mask", p.cq_off.ring_mask}, {"cq_off.ring_entries", p.cq_off.ring_entries},
        {"cq_off.overflow", p.cq_off.overflow}, {"cq_off.flags", p.cq_off.flags},
    };
    for (const auto &w : words) {
        const value *f = field_named(doc_, w.name);
        ASSERT_NE(f, nullptr) << w.name;
        EXPECT_EQ(n((*f)["offset"]), w.offset) << w.name;
        EXPECT_EQ(n((*f)["size"]), 4) << w.name;
        EXPECT_TRUE((*f)["pointer_ok"].boolean) << w.name;
    }
    const value *cqes = field_named(doc_, "cq_off.cqes");
    ASSERT_NE(cqes, nullptr);
    const unsigned cqe_size = (p.flags & IORING_SETUP_CQE32) ? 32 : 16;
    EXPECT_EQ(n((*cqes)["offset"]), p.cq_off.cqes);
    EXPECT_EQ(n((*cqes)["size"]), std::int64_t{p.cq_entries} * cqe_size);
    EXPECT_TRUE((*cqes)["pointer_ok"].boolean);

    // The ring's ring_mask / ring_entries words hold what the kernel said.
    EXPECT_EQ((*field_named(doc_, "sq_off.ring_entries"))["value"].string, std::to_string(p.sq_entries));
    EXPECT_EQ((*field_named(doc_, "cq_off.ring_mask"))["value"].string, std::to_string(p.cq_entries - 1));

    const value *array = field_named(doc_, "sq_off.array");
    if (p.flags & IORING_SETUP_NO_SQARRAY) {
        EXPECT_EQ(array, nullptr);
    } else {
        ASSERT_NE(array, nullptr);
        EXPECT_EQ(n((*array)["offset"]), p.sq_off.array);
        EXPECT_TRUE((*array)["pointer_ok"].boolean);
        // Filled once with the identity map, by io_uring_queue_mmap too.
        if (p.sq_entries == 8) {
            EXPECT_EQ((*array)["value"].string, "[0, 1, 2, 3, 4, 5, 6, 7]");
        }
    }
}

TEST_P(LayoutJson, TheNopWalkMovesEachIndexOnceAndInOrder)
{
    const value &w = doc_["walk"];
    ASSERT_TRUE(w["error"].is_null());
    ASSERT_EQ(w["steps"].size(), 6u);
    auto idx = [&](std::size_t step, const char *key) { return n(w["steps"][step][key]); };
    // Created: all zero.
    for (const char *k : {"sqe_tail", "sqe_head", "sq_ktail", "sq_khead", "cq_ktail", "cq_khead"})
        EXPECT_EQ(idx(0, k), 0) << k;
    // get_sqe: only the library-private tail moves.
    EXPECT_EQ(w["steps"][1]["call"].string, "io_uring_get_sqe");
    EXPECT_EQ(idx(1, "sqe_tail"), 1);
    EXPECT_EQ(idx(1, "sq_ktail"), 0);
    // submit: published to the kernel.
    EXPECT_EQ(w["steps"][3]["call"].string, "io_uring_submit");
    EXPECT_EQ(idx(3, "sqe_head"), 1);
    EXPECT_EQ(idx(3, "sq_ktail"), 1);
    EXPECT_EQ(w["steps"][3]["result"].string, "1");
    // wait: the CQE is there but not consumed yet.
    EXPECT_EQ(idx(4, "cq_ktail"), 1);
    EXPECT_EQ(idx(4, "cq_khead"), 0);
    // seen: everything at 1.
    for (const char *k : {"sqe_tail", "sqe_head", "sq_ktail", "sq_khead", "cq_ktail", "cq_khead"})
        EXPECT_EQ(idx(5, k), 1) << k;
}

INSTANTIATE_TEST_SUITE_P(Setups, LayoutJson, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<layout_case> &i) { return std::string(i.param.name); });

// Checks that every element opened in `svg` is closed in order; comments,
// processing instructions and the CSS inside <style> are skipped.
::testing::AssertionResult tags_balanced(const std::string &svg)
{
    std::vector<std::string> open;
    std::size_t pos = 0;
    while ((pos = svg.find('<', pos)) != std::string::npos) {
        const std::size_t end = svg.find('>', pos);
        if (end == std::string::npos)
            return ::testing::AssertionFailure() << "unterminated tag at " << pos;
        const std::string tag = svg.substr(pos + 1, end - pos - 1);
        pos = end + 1;
        if (tag.empty() || tag[0] == '?' || tag[0] == '!')
            continue;
        if (tag.back() == '/')
            continue;
        const std::string name = tag.substr(tag[0] == '/' ? 1 : 0, tag.find_first_of(" \n", 0) - (tag[0] == '/'));
        if (tag[0] == '/') {
            if (open.empty() || open.back() != name)
                return ::testing::AssertionFailure() << "</" << name << "> does not close <"
                                                     << (open.empty() ? "" : open.back()) << ">";
            open.pop_back();
        } else {
            open.push_back(name);
        }
    }
    if (!open.empty())
        return ::testing::AssertionFailure() << "<" << open.back() << "> never closed";
    return ::testing::AssertionSuccess();
}

TEST(LayoutSvg, WritesAWellFormedSelfContainedDiagram)
{
    char path[] = "/tmp/uring-layout-test-XXXXXX";
    const int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    const tool_test::tool_output r =
        tool_test::run(std::string(URING_LAYOUT_BIN) + " --sqarray --svg " + path + " > /dev/null");
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string svg = ss.str();
    std::remove(path);

    ASSERT_EQ(r.exit_code, 0);
    ASSERT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    EXPECT_TRUE(svg.ends_with("</svg>\n"));
    EXPECT_TRUE(tags_balanced(svg));
    // Every pointer member is drawn, and nothing is fetched from elsewhere.
    for (const char *s : {"sq.khead", "sq.ktail", "sq.array", "sq.sqes", "cq.khead", "cq.ktail", "cq.cqes"})
        EXPECT_NE(svg.find(s), std::string::npos) << s;
    EXPECT_EQ(svg.find("href"), std::string::npos);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
}

TEST(LayoutOptions, RejectsContradictions)
{
    const std::string bin = URING_LAYOUT_BIN;
    EXPECT_EQ(tool_test::run(bin + " --sqarray --no-sqarray 2>/dev/null").exit_code, 2);
    EXPECT_EQ(tool_test::run(bin + " --no-mmap --app-mem 2>/dev/null").exit_code, 2);
    EXPECT_EQ(tool_test::run(bin + " --entries 0 2>/dev/null").exit_code, 2);
    EXPECT_EQ(tool_test::run(bin + " --help").exit_code, 0);
}

} // namespace
