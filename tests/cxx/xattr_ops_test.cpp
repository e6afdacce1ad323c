// Extended attributes through the ring on files in a private temp
// directory: set by path and by file, read back (also with plain
// getxattr(2)), size queries, ERANGE/ENODATA, XATTR_CREATE, fixed files.
#include "cxx_test_util.h"

#include <sys/xattr.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include "support/temp_dir.h"

namespace {

using cxx_test::await1;
using cxx_test::make_ring;

class XattrOps : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir.ok());
        path = dir.file("attrs");
        file = uring::unique_fd(dir.create("attrs"));
        ASSERT_TRUE(file);
        // Skip where the file system has no user.* attributes.
        if (::fsetxattr(file.get(), "user.probe", "1", 1, 0) != 0) {
            int e = errno;
            if (e == ENOTSUP)
                GTEST_SKIP() << "the temp directory's file system does not support user.* xattrs";
            FAIL() << "fsetxattr probe: " << std::strerror(e);
        }
    }
    // The value as plain getxattr(2) sees it.
    std::string value_of(const char *name) const
    {
        std::array<char, 256> buf{};
        ssize_t n = ::getxattr(path.c_str(), name, buf.data(), buf.size());
        if (n >= 0)
            return std::string(buf.data(), static_cast<size_t>(n));
        std::string err = "error: ";
        err += std::strerror(errno);
        return err;
    }

    bareuring_test::TempDir dir;
    std::string path;
    uring::unique_fd file;
    uring::event_loop loop{make_ring()};
};

TEST_F(XattrOps, SetxattrAndGetxattrByPath)
{
    static_assert(uring::setxattr::opcode == IORING_OP_SETXATTR && uring::getxattr::opcode == IORING_OP_GETXATTR);
    cxx_test::watchdog wd;
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::setxattr);
    std::string_view value = "set through io_uring";
    uring::io_result s = await1(loop, uring::setxattr{path, "user.comment", value});
    ASSERT_EQ(s.res, 0) << s.error().message();
    EXPECT_EQ(value_of("user.comment"), value);

    std::array<char, 64> buf{};
    uring::io_result g = await1(loop, uring::getxattr{path, "user.comment", buf});
    ASSERT_EQ(g.res, static_cast<int>(value.size())) << g.error().message();
    EXPECT_EQ(std::string_view(buf.data(), g.value()), value);

    // An empty buffer asks for the size; a too small one is ERANGE.
    EXPECT_EQ(await1(loop, uring::getxattr{path, "user.comment", uring::mutable_buffer{}}).res,
              static_cast<int>(value.size()));
    std::array<char, 4> tiny{};
    EXPECT_EQ(await1(loop, uring::getxattr{path, "user.comment", tiny}).res, -ERANGE);
    EXPECT_EQ(await1(loop, uring::getxattr{path, "user.missing", buf}).res, -ENODATA);
    // XATTR_CREATE refuses to overwrite; XATTR_REPLACE does overwrite.
    EXPECT_EQ(await1(loop, uring::setxattr{path, "user.comment", std::string_view("x"), XATTR_CREATE}).res, -EEXIST);
    EXPECT_EQ(await1(loop, uring::setxattr{path, "user.comment", std::string_view("new"), XATTR_REPLACE}).res, 0);
    EXPECT_EQ(value_of("user.comment"), "new");
}

TEST_F(XattrOps, FsetxattrAndFgetxattrByFile)
{
    static_assert(uring::fsetxattr::opcode == IORING_OP_FSETXATTR &&
                  uring::fgetxattr::opcode == IORING_OP_FGETXATTR);
    cxx_test::watchdog wd;
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::fsetxattr);
    const unsigned char binary[] = {0, 1, 2, 0xff, 0};
    uring::io_result s = await1(loop, uring::fsetxattr{file, "user.blob", std::span(binary)});
    ASSERT_EQ(s.res, 0) << s.error().message();
    EXPECT_EQ(value_of("user.blob"), std::string(reinterpret_cast<const char *>(binary), sizeof binary));

    std::array<unsigned char, 16> buf{};
    uring::io_result g = await1(loop, uring::fgetxattr{file, "user.blob", buf});
    ASSERT_EQ(g.res, static_cast<int>(sizeof binary)) << g.error().message();
    EXPECT_TRUE(std::equal(binary, binary + sizeof binary, buf.begin()));
    EXPECT_EQ(await1(loop, uring::fgetxattr{file, "user.nothing", buf}).res, -ENODATA);
}

TEST_F(XattrOps, OnAFixedFile)
{
    cxx_test::watchdog wd;
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::fsetxattr);
    int fds[] = {file.get()};
    ASSERT_TRUE(loop.get_ring().register_files(fds));
    uring::io_result s = await1(loop, uring::fsetxattr{uring::fixed_file{0}, "user.slot", std::string_view("zero")});
    ASSERT_EQ(s.res, 0) << s.error().message();
    EXPECT_EQ(value_of("user.slot"), "zero");
    std::array<char, 8> buf{};
    uring::io_result g = await1(loop, uring::fgetxattr{uring::fixed_file{0}, "user.slot", buf});
    ASSERT_EQ(g.res, 4) << g.error().message();
    EXPECT_EQ(std::string_view(buf.data(), 4), "zero");
}

} // namespace
