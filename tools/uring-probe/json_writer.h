// A minimal JSON writer for the introspection tools' --json output: objects,
// arrays, strings, integers, booleans and null, indented two spaces. Keys are
// written in the order the tool emits them, so the output is stable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace introspect {

class json_writer {
public:
    void begin_object();
    void end_object();
    void begin_array();
    void end_array();

    // Inside an object, every value is preceded by its key.
    void key(std::string_view k);

    void value(std::string_view s);
    void value(const char *s) { value(std::string_view(s)); }
    void value(bool b);
    void value(std::uint64_t n);
    void value(std::int64_t n);
    void value(unsigned n) { value(std::uint64_t{n}); }
    void value(int n) { value(std::int64_t{n}); }
    void null();

    // key + value in one call.
    template <typename T> void member(std::string_view k, const T &v)
    {
        key(k);
        value(v);
    }

    // The document so far, with a trailing newline once it is complete.
    [[nodiscard]] std::string str() const;

private:
    struct level {
        bool empty = true; // no member written yet: no comma before the next
    };
    void before_value();
    void write_string(std::string_view s);
    void open(char c);
    void close(char c);
    void newline_indent();

    std::string out_;
    std::vector<level> stack_;
    bool after_key_ = false;
};

} // namespace introspect
