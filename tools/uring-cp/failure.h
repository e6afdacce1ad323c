// The one kind of error uring-cp reports: something went wrong with a named
// file (or with the ring itself). main() prints it as
//   uring-cp: <subject>: <message>
// so every failure names the path the user has to look at.
#pragma once

#include <cstring>
#include <string>
#include <utility>

namespace uring_cp {

struct failure {
    std::string subject; // a path, or "io_uring" for ring-level errors
    std::string message; // usually strerror() text

    // errno-style constructor: err is a positive errno value.
    failure(std::string subject_, int err) : subject(std::move(subject_)), message(std::strerror(err)) {}
    failure(std::string subject_, std::string message_)
        : subject(std::move(subject_)), message(std::move(message_))
    {
    }
};

} // namespace uring_cp
