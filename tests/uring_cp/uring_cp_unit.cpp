// Unit tests of uring-cp's pieces that need no ring: the per-block state
// machine (fed made-up completion results, so short reads, short writes and
// broken links can be exercised deterministically) and option parsing.
#include <cerrno>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "block.h"
#include "options.h"

namespace {

using uring_cp::block;
using outcome = block::outcome;

TEST(Block, FirstRoundIsLinkedReadAndWriteOfWholeBlock)
{
    block b;
    b.start(4096, 1000);
    block::round r = b.plan();
    EXPECT_TRUE(r.read);
    EXPECT_EQ(r.read_from, 0u);
    EXPECT_TRUE(r.write);
    EXPECT_EQ(r.write_from, 0u);
}

TEST(Block, FullReadAndWriteFinishes)
{
    block b;
    b.start(0, 1000);
    EXPECT_EQ(b.finish(b.plan(), 1000, 1000).what, outcome::done);
    EXPECT_EQ(b.written(), 1000u);
}

TEST(Block, ShortReadWithCancelledWriteRedoesTheRest)
{
    block b;
    b.start(0, 1000);
    EXPECT_EQ(b.finish(b.plan(), 300, -ECANCELED).what, outcome::again);
    EXPECT_EQ(b.have(), 300u);
    EXPECT_EQ(b.written(), 0u);

    block::round r = b.plan();
    EXPECT_TRUE(r.read);
    EXPECT_EQ(r.read_from, 300u); // read only the missing tail
    EXPECT_TRUE(r.write);
    EXPECT_EQ(r.write_from, 0u); // but write everything, now that it will be valid
    EXPECT_EQ(b.finish(r, 700, 1000).what, outcome::done);
}

TEST(Block, WriteAfterShortReadOnlyCreditsBytesThatWereRead)
{
    // Should the kernel ever run the linked write after a short read, the
    // bytes past the read are stale and must be written again.
    block b;
    b.start(0, 1000);
    EXPECT_EQ(b.finish(b.plan(), 300, 1000).what, outcome::again);
    EXPECT_EQ(b.written(), 300u);
    block::round r = b.plan();
    EXPECT_EQ(r.read_from, 300u);
    EXPECT_EQ(r.write_from, 300u);
    EXPECT_EQ(b.finish(r, 700, 700).what, outcome::done);
}

TEST(Block, ShortWriteResubmitsOnlyTheWrite)
{
    block b;
    b.start(0, 1000);
    EXPECT_EQ(b.finish(b.plan(), 1000, 400).what, outcome::again);
    block::round r = b.plan();
    EXPECT_FALSE(r.read); // the buffer already holds the whole block
    EXPECT_TRUE(r.write);
    EXPECT_EQ(r.write_from, 400u);
    EXPECT_EQ(b.finish(r, 0, 250).what, outcome::again);
    EXPECT_EQ(b.finish(b.plan(), 0, 350).what, outcome::done);
}

TEST(Block, ShortReadAndShortWriteInOneRound)
{
    block b;
    b.start(0, 1000);
    EXPECT_EQ(b.finish(b.plan(), 600, 200).what, outcome::again);
    block::round r = b.plan();
    EXPECT_EQ(r.read_from, 600u);
    EXPECT_EQ(r.write_from, 200u);
    EXPECT_EQ(b.finish(r, 400, 800).what, outcome::done);
}

TEST(Block, TransientErrorsRetry)
{
    block b;
    b.start(0, 10);
    EXPECT_EQ(b.finish(b.plan(), -EAGAIN, -ECANCELED).what, outcome::again);
    EXPECT_EQ(b.finish(b.plan(), 10, -EINTR).what, outcome::again);
    block::round r = b.plan();
    EXPECT_FALSE(r.read);
    EXPECT_EQ(b.finish(r, 0, 10).what, outcome::done);
}

TEST(Block, ReadErrorBlamesTheSource)
{
    block b;
    b.start(0, 10);
    block::verdict v = b.finish(b.plan(), -EIO, -ECANCELED);
    EXPECT_EQ(v.what, outcome::read_error);
    EXPECT_EQ(v.err, EIO);
}

TEST(Block, EndOfFileInsideBlockIsAnError)
{
    block b;
    b.start(0, 10);
    block::verdict v = b.finish(b.plan(), 0, -ECANCELED);
    EXPECT_EQ(v.what, outcome::read_error);
    EXPECT_NE(v.message, nullptr);
}

TEST(Block, WriteErrorBlamesTheDestination)
{
    block b;
    b.start(0, 10);
    block::verdict v = b.finish(b.plan(), 10, -ENOSPC);
    EXPECT_EQ(v.what, outcome::write_error);
    EXPECT_EQ(v.err, ENOSPC);
}

TEST(Block, CancelledWriteWithoutReadIsAnError)
{
    // Only a read can break the link; a lone write being cancelled is real.
    block b;
    b.start(0, 10);
    EXPECT_EQ(b.finish(b.plan(), 10, 4).what, outcome::again);
    EXPECT_EQ(b.finish(b.plan(), 0, -ECANCELED).what, outcome::write_error);
}

TEST(Block, ZeroByteWriteIsAnError)
{
    block b;
    b.start(0, 10);
    EXPECT_EQ(b.finish(b.plan(), 10, 0).what, outcome::write_error);
}

TEST(ParseSize, Suffixes)
{
    EXPECT_EQ(uring_cp::parse_size("4096"), 4096u);
    EXPECT_EQ(uring_cp::parse_size("128K"), 128u * 1024);
    EXPECT_EQ(uring_cp::parse_size("1m"), 1024u * 1024);
    EXPECT_EQ(uring_cp::parse_size("2G"), 2ull << 30);
}

TEST(ParseSize, Rejects)
{
    for (const char *bad : {"", "0", "0K", "K", "12X", "1KB", "-1", "1.5M", "99999999999999999999"})
        EXPECT_FALSE(uring_cp::parse_size(bad).has_value()) << bad;
}

uring_cp::parse_result parse(std::vector<std::string> args)
{
    args.insert(args.begin(), "uring-cp");
    std::vector<char *> argv;
    for (auto &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    return uring_cp::parse_options(static_cast<int>(args.size()), argv.data());
}

TEST(ParseOptions, DefaultsAndPositionals)
{
    auto r = parse({"a", "b"});
    ASSERT_EQ(r.what, uring_cp::parse_result::action::copy);
    EXPECT_EQ(r.opts.source, "a");
    EXPECT_EQ(r.opts.destination, "b");
    EXPECT_EQ(r.opts.queue_depth, 64u);
    EXPECT_EQ(r.opts.block_size, 128u * 1024);
}

TEST(ParseOptions, AllSpellings)
{
    for (auto args : std::vector<std::vector<std::string>>{
             {"-q", "8", "-b", "4K", "a", "b"},
             {"-q8", "-b4K", "a", "b"},
             {"a", "--queue-depth", "8", "b", "--block-size", "4K"},
             {"--queue-depth=8", "--block-size=4K", "a", "b"}}) {
        auto r = parse(args);
        ASSERT_EQ(r.what, uring_cp::parse_result::action::copy) << r.error;
        EXPECT_EQ(r.opts.queue_depth, 8u);
        EXPECT_EQ(r.opts.block_size, 4096u);
    }
}

TEST(ParseOptions, DoubleDashEndsOptions)
{
    auto r = parse({"--", "-q", "b"});
    ASSERT_EQ(r.what, uring_cp::parse_result::action::copy);
    EXPECT_EQ(r.opts.source, "-q");
}

TEST(ParseOptions, Help)
{
    EXPECT_EQ(parse({"--help"}).what, uring_cp::parse_result::action::help);
    EXPECT_EQ(parse({"a", "-h"}).what, uring_cp::parse_result::action::help);
}

TEST(ParseOptions, Errors)
{
    using action = uring_cp::parse_result::action;
    EXPECT_EQ(parse({}).what, action::usage_error);
    EXPECT_EQ(parse({"a"}).what, action::usage_error);
    EXPECT_EQ(parse({"a", "b", "c"}).what, action::usage_error);
    EXPECT_EQ(parse({"-q", "0", "a", "b"}).what, action::usage_error);
    EXPECT_EQ(parse({"-q", "16385", "a", "b"}).what, action::usage_error);
    EXPECT_EQ(parse({"-b", "2G", "a", "b"}).what, action::usage_error);
    EXPECT_EQ(parse({"a", "b", "-b"}).what, action::usage_error);
    EXPECT_EQ(parse({"-x", "a", "b"}).what, action::usage_error);
}

} // namespace
