// What uring-probe found out about the running kernel. Every value here was
// read from the kernel (uname, io_uring_setup, IORING_REGISTER_PROBE); the
// printers only format it.
#pragma once

#include <string>
#include <vector>

namespace uring_probe {

struct kernel_info {
    std::string sysname; // "Linux"
    std::string release; // uname -r
    std::string machine; // uname -m
};

// io_uring_params.features of a freshly created ring.
struct feature_report {
    int error = 0;        // 0, or -errno if no ring could be created
    unsigned value = 0;
};

struct opcode_entry {
    unsigned op;
    std::string name; // empty for an opcode these headers do not name
    bool supported;
};

// IORING_REGISTER_PROBE on a fresh ring.
struct opcode_report {
    int error = 0;          // 0, or -errno of the probe
    unsigned last_op = 0;   // highest opcode the kernel knows
    unsigned ops_len = 0;   // entries the kernel filled
    std::vector<opcode_entry> ops; // 0 .. max(IORING_OP_LAST-1, last_op)
};

// One IORING_SETUP_* bit tried on its own, then with what it needs.
struct setup_flag_entry {
    unsigned bit;
    std::string name;
    int alone;             // io_uring_setup result with only this bit: 0 or -errno
    bool accepted;         // alone, or with the companion below
    std::string companion; // what made it work, empty if it worked alone
    int error;             // 0, or -errno of the last attempt when refused
    std::vector<std::string> tried; // companions tried in vain (refused flags)
};

// Bits above the highest IORING_SETUP_* these headers name, tried alone:
// any the kernel accepts is listed.
struct setup_report {
    unsigned entries;  // SQ size used for every attempt
    std::vector<setup_flag_entry> flags;
    std::vector<unsigned> unknown_bits_accepted;
};

// The largest SQ / CQ sizes io_uring_setup accepts.
struct limits_report {
    int error = 0;
    unsigned max_sq_entries = 0;
    unsigned max_cq_entries = 0;
    std::string method;    // "clamp" (IORING_SETUP_CLAMP readback) or "search"
    bool verified = false; // max accepted and 2*max refused without CLAMP
};

struct probe_report {
    kernel_info kernel;
    feature_report features;
    opcode_report opcodes;
    setup_report setup;
    limits_report limits;
};

kernel_info read_kernel_info();
feature_report read_features();
opcode_report read_opcodes();
setup_report try_setup_flags();
limits_report find_limits();

} // namespace uring_probe
