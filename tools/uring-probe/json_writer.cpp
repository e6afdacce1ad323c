// Minimal JSON writer (see json_writer.h).
#include "json_writer.h"

#include <fmt/format.h>

namespace introspect {

void json_writer::newline_indent()
{
    out_ += '\n';
    out_.append(2 * stack_.size(), ' ');
}

// Commas and line breaks between the members of the enclosing container.
void json_writer::before_value()
{
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (stack_.empty())
        return;
    if (!stack_.back().empty)
        out_ += ',';
    stack_.back().empty = false;
    newline_indent();
}

void json_writer::open(char c)
{
    before_value();
    out_ += c;
    stack_.push_back(level{});
}

void json_writer::close(char c)
{
    const bool empty = stack_.back().empty;
    stack_.pop_back();
    if (!empty)
        newline_indent();
    out_ += c;
}

void json_writer::begin_object() { open('{'); }
void json_writer::end_object() { close('}'); }
void json_writer::begin_array() { open('['); }
void json_writer::end_array() { close(']'); }

void json_writer::key(std::string_view k)
{
    before_value();
    write_string(k);
    out_ += ": ";
    after_key_ = true;
}

void json_writer::value(std::string_view s)
{
    before_value();
    write_string(s);
}

// A quoted, escaped JSON string.
void json_writer::write_string(std::string_view s)
{
    out_ += '"';
    for (char c : s) {
        switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\t': out_ += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                out_ += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
            else
                out_ += c;
        }
    }
    out_ += '"';
}

void json_writer::value(bool b)
{
    before_value();
    out_ += b ? "true" : "false";
}

void json_writer::value(std::uint64_t n)
{
    before_value();
    out_ += fmt::format("{}", n);
}

void json_writer::value(std::int64_t n)
{
    before_value();
    out_ += fmt::format("{}", n);
}

void json_writer::null()
{
    before_value();
    out_ += "null";
}

std::string json_writer::str() const
{
    return stack_.empty() ? out_ + "\n" : out_;
}

} // namespace introspect
