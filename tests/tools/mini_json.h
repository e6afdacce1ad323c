// A small JSON reader for the tool tests: enough to check that a tool's
// --json output is valid JSON and to pull values out of it. Strict about
// syntax (one value, nothing after it, no trailing commas), so a malformed
// document fails the test instead of being half-read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mini_json {

struct value {
    enum class kind { null, boolean, integer, real, string, array, object };
    kind k = kind::null;
    bool boolean = false;
    std::int64_t integer = 0;
    double real = 0;
    std::string string;
    std::vector<value> array;
    std::vector<std::pair<std::string, value>> object;

    [[nodiscard]] bool is_null() const { return k == kind::null; }
    [[nodiscard]] bool has(std::string_view key) const
    {
        for (const auto &[k2, v] : object)
            if (k2 == key)
                return true;
        return false;
    }
    // Missing keys and out-of-range indices give a null value.
    [[nodiscard]] const value &operator[](std::string_view key) const
    {
        for (const auto &[k2, v] : object)
            if (k2 == key)
                return v;
        return null_value();
    }
    [[nodiscard]] const value &operator[](std::size_t i) const { return i < array.size() ? array[i] : null_value(); }
    [[nodiscard]] std::size_t size() const { return k == kind::array ? array.size() : object.size(); }

    static const value &null_value()
    {
        static const value v;
        return v;
    }
};

class parser {
public:
    explicit parser(std::string_view text) : s_(text) {}

    // The document's single value; *error is empty on success.
    value parse(std::string *error)
    {
        value v;
        skip_ws();
        if (!parse_value(&v) || (skip_ws(), pos_ != s_.size())) {
            if (error_.empty())
                error_ = "trailing characters";
            *error = error_ + " at byte " + std::to_string(pos_);
            return value{};
        }
        error->clear();
        return v;
    }

private:
    bool fail(const char *why)
    {
        if (error_.empty())
            error_ = why;
        return false;
    }
    void skip_ws()
    {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r'))
            pos_++;
    }
    bool literal(std::string_view word)
    {
        if (s_.substr(pos_, word.size()) != word)
            return fail("bad literal");
        pos_ += word.size();
        return true;
    }
    bool parse_value(value *v)
    {
        if (pos_ >= s_.size())
            return fail("unexpected end");
        switch (s_[pos_]) {
        case '{': return parse_object(v);
        case '[': return parse_array(v);
        case '"': v->k = value::kind::string; return parse_string(&v->string);
        case 't': v->k = value::kind::boolean; v->boolean = true; return literal("true");
        case 'f': v->k = value::kind::boolean; v->boolean = false; return literal("false");
        case 'n': v->k = value::kind::null; return literal("null");
        default: return parse_number(v);
        }
    }
    bool parse_string(std::string *out)
    {
        pos_++; // opening quote
        while (pos_ < s_.size() && s_[pos_] != '"') {
            char c = s_[pos_++];
            if (static_cast<unsigned char>(c) < 0x20)
                return fail("control character in string");
            if (c == '\\') {
                if (pos_ >= s_.size())
                    return fail("unterminated escape");
                const char e = s_[pos_++];
                switch (e) {
                case '"': case '\\': case '/': c = e; break;
                case 'n': c = '\n'; break;
                case 't': c = '\t'; break;
                case 'r': c = '\r'; break;
                case 'b': c = '\b'; break;
                case 'f': c = '\f'; break;
                case 'u': {
                    if (pos_ + 4 > s_.size())
                        return fail("short \\u escape");
                    const unsigned code = std::stoul(std::string(s_.substr(pos_, 4)), nullptr, 16);
                    pos_ += 4;
                    if (code > 0x7f)
                        return fail("non-ASCII \\u escape not supported");
                    c = static_cast<char>(code);
                    break;
                }
                default: return fail("bad escape");
                }
            }
            *out += c;
        }
        if (pos_ >= s_.size())
            return fail("unterminated string");
        pos_++;
        return true;
    }
    bool parse_number(value *v)
    {
        const std::size_t start = pos_;
        bool real = false;
        if (pos_ < s_.size() && s_[pos_] == '-')
            pos_++;
        if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9')
            return fail("bad value");
        while (pos_ < s_.size() && ((s_[pos_] >= '0' && s_[pos_] <= '9') || s_[pos_] == '.' || s_[pos_] == 'e' ||
                                    s_[pos_] == 'E' || s_[pos_] == '+' || s_[pos_] == '-')) {
            real |= s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E';
            pos_++;
        }
        const std::string text(s_.substr(start, pos_ - start));
        if (real) {
            v->k = value::kind::real;
            v->real = std::stod(text);
        } else {
            v->k = value::kind::integer;
            v->integer = std::stoll(text);
        }
        return true;
    }
    bool parse_array(value *v)
    {
        v->k = value::kind::array;
        pos_++;
        skip_ws();
        if (pos_ < s_.size() && s_[pos_] == ']') {
            pos_++;
            return true;
        }
        for (;;) {
            value item;
            skip_ws();
            if (!parse_value(&item))
                return false;
            v->array.push_back(std::move(item));
            skip_ws();
            if (pos_ < s_.size() && s_[pos_] == ',') {
                pos_++;
                continue;
            }
            if (pos_ < s_.size() && s_[pos_] == ']') {
                pos_++;
                return true;
            }
            return fail("expected , or ]");
        }
    }
    bool parse_object(value *v)
    {
        v->k = value::kind::object;
        pos_++;
        skip_ws();
        if (pos_ < s_.size() && s_[pos_] == '}') {
            pos_++;
            return true;
        }
        for (;;) {
            skip_ws();
            if (pos_ >= s_.size() || s_[pos_] != '"')
                return fail("expected a key");
            std::string key;
            if (!parse_string(&key))
                return false;
            skip_ws();
            if (pos_ >= s_.size() || s_[pos_] != ':')
                return fail("expected :");
            pos_++;
            skip_ws();
            value item;
            if (!parse_value(&item))
                return false;
            v->object.emplace_back(std::move(key), std::move(item));
            skip_ws();
            if (pos_ < s_.size() && s_[pos_] == ',') {
                pos_++;
                continue;
            }
            if (pos_ < s_.size() && s_[pos_] == '}') {
                pos_++;
                return true;
            }
            return fail("expected , or }");
        }
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    std::string error_;
};

inline value parse(std::string_view text, std::string *error)
{
    return parser(text).parse(error);
}

} // namespace mini_json
