// Runs one of the built tools and captures what it printed. The tool paths
// come from CMake (URING_PROBE_BIN, URING_LAYOUT_BIN), so the tests always
// run the binaries of the same build.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace tool_test {

struct tool_output {
    int exit_code = -1; // -1 if the tool did not exit normally
    std::string out;    // stdout only; stderr passes through to the test log
};

inline tool_output run(const std::string &command)
{
    tool_output r;
    std::FILE *p = popen(command.c_str(), "r");
    if (!p)
        return r;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        r.out.append(buf, n);
    const int status = pclose(p);
    if (status != -1 && WIFEXITED(status))
        r.exit_code = WEXITSTATUS(status);
    return r;
}

} // namespace tool_test
