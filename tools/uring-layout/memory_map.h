// A live ring's memory, described region by region and field by field from
// the offsets the kernel returned in io_uring_params and the pointers the
// library stored in struct io_uring. Every printer (text, ASCII, SVG, JSON)
// draws from this one description.
#pragma once

#include "live_ring.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace uring_layout {

// Who stores to a field while the ring runs.
enum class writer {
    kernel, // the application only reads it
    app,    // the kernel only reads it
    setup,  // written once when the ring is created, constant afterwards
};

struct field {
    std::string name;         // "sq.head", "cq.cqes", "sqes"
    std::string offset_name;  // "sq_off.head" (empty for the SQE array)
    std::uint32_t offset;     // from the region's start
    std::size_t element_size; // 4 for the u32 words, 16/32 per CQE, 64/128 per SQE
    unsigned count;           // 1 for words, the slot count for arrays
    std::string value;        // the current contents, rendered
    std::uint64_t word = 0;   // the current value of a u32 word
    std::string pointer;      // the struct io_uring member that points here
    bool pointer_ok = true;   // that member holds exactly region start + offset
    writer who;

    [[nodiscard]] std::size_t size() const { return element_size * count; }
    [[nodiscard]] bool is_array() const { return count > 1 || name.find('[') != std::string::npos; }
};

struct region {
    std::string id;       // "rings", "sq_ring", "cq_ring", "sqes"
    std::string title;    // "SQ + CQ rings"
    std::string source;   // where the memory came from
    std::uintptr_t address;
    std::size_t size;     // bytes of the mapping (or of the area used)
    std::string pointers; // the struct io_uring members holding `address`
    std::vector<field> fields; // by offset
};

struct memory_map {
    std::vector<region> regions;
    std::vector<std::string> notes; // what is shared or absent, in words
    unsigned sqe_head = 0;          // struct io_uring's private SQ indices,
    unsigned sqe_tail = 0;          // read together with the shared words
};

[[nodiscard]] memory_map read_memory_map(const live_ring &lr);

// The struct io_uring pointer members, in declaration order, for diagrams
// that list them (name, and whether it is NULL in this ring).
struct pointer_member {
    std::string name;
    bool null;
};
[[nodiscard]] std::vector<pointer_member> pointer_members(const io_uring &ring);

} // namespace uring_layout
