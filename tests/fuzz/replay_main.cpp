// Drives the fuzz target without libFuzzer, so that every build (gcc,
// ASan, TSan, valgrind) runs its invariant checks:
//   fuzz_api_replay                 N pseudo-random inputs (deterministic;
//                                   N = $BAREURING_FUZZ_REPLAY_RUNS, default 2000)
//   fuzz_api_replay FILE|DIR...     each file (e.g. a saved crash or a corpus)
#include <dirent.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);
extern "C" void bareuring_fuzz_totals(unsigned long *requests, unsigned long *resizes, unsigned long *overflows);

namespace {

std::vector<std::uint8_t> read_file(const std::string &path)
{
    std::vector<std::uint8_t> data;
    if (std::FILE *f = std::fopen(path.c_str(), "rb")) {
        int c;
        while ((c = std::fgetc(f)) != EOF)
            data.push_back(static_cast<std::uint8_t>(c));
        std::fclose(f);
    }
    return data;
}

void run_path(const std::string &path, unsigned long *count)
{
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = ::opendir(path.c_str());
        while (dirent *e = d ? ::readdir(d) : nullptr)
            if (e->d_name[0] != '.')
                run_path(path + "/" + e->d_name, count);
        if (d)
            ::closedir(d);
        return;
    }
    const std::vector<std::uint8_t> data = read_file(path);
    LLVMFuzzerTestOneInput(data.data(), data.size());
    ++*count;
}

} // namespace

int main(int argc, char **argv)
{
    unsigned long count = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; ++i)
            run_path(argv[i], &count);
    } else {
        const char *env = std::getenv("BAREURING_FUZZ_REPLAY_RUNS");
        const unsigned long runs = env ? std::strtoul(env, nullptr, 10) : 2000;
        std::uint64_t s = 0x2545f4914f6cdd1dull;
        std::vector<std::uint8_t> data;
        for (unsigned long r = 0; r < runs; ++r) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            data.resize(1 + s % 600);
            for (auto &b : data) {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                b = static_cast<std::uint8_t>(s >> 32);
            }
            LLVMFuzzerTestOneInput(data.data(), data.size());
            ++count;
        }
    }
    unsigned long requests, resizes, overflows;
    bareuring_fuzz_totals(&requests, &resizes, &overflows);
    std::printf("[fuzz-replay] %lu inputs, %lu requests completed exactly once, %lu ring resizes, %lu steps with "
                "CQ overflow: all invariants held\n",
                count, requests, resizes, overflows);
    return 0;
}
