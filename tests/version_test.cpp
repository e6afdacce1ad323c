// io_uring_major_version / minor_version / check_version: the run-time
// library version, and check_version's deliberately inverted sense.
#include <liburing.h>

#include <gtest/gtest.h>

TEST(Version, ReportsLiburing215)
{
    EXPECT_EQ(io_uring_major_version(), 2);
    EXPECT_EQ(io_uring_minor_version(), 15);
    // The library and the headers the test was built with agree.
    EXPECT_EQ(io_uring_major_version(), IO_URING_VERSION_MAJOR);
    EXPECT_EQ(io_uring_minor_version(), IO_URING_VERSION_MINOR);
}

TEST(Version, CheckVersionIsTrueOnlyForNewerVersions)
{
    // false: the library is at least this version.
    EXPECT_FALSE(io_uring_check_version(2, 15));
    EXPECT_FALSE(io_uring_check_version(2, 0));
    EXPECT_FALSE(io_uring_check_version(1, 99));
    EXPECT_FALSE(io_uring_check_version(0, 0));
    EXPECT_FALSE(io_uring_check_version(-1, 1000));
    // true: asking for something newer than the library.
    EXPECT_TRUE(io_uring_check_version(2, 16));
    EXPECT_TRUE(io_uring_check_version(3, 0));
    EXPECT_TRUE(io_uring_check_version(3, -5));
}

TEST(Version, CheckVersionMatchesTheCompileTimeMacro)
{
    for (int major = 0; major <= 4; ++major)
        for (int minor = -1; minor <= 20; ++minor)
            EXPECT_EQ(io_uring_check_version(major, minor), IO_URING_CHECK_VERSION(major, minor) ? true : false)
                << major << "." << minor;
}
