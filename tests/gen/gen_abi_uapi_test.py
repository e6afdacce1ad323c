#!/usr/bin/env python3
"""Generate tests/abi_uapi_test.cpp from the uapi spec tables.

The test pins down the kernel ABI headers (<liburing/io_uring.h> and its
io_uring/query.h, io_uring/bpf_filter.h siblings) as applications see them
through <liburing.h>:

  * every struct of uapi-structs.tsv: sizeof, alignof, and for each field its
    offset, its size (except flexible arrays, which have none) and its type;
  * every constant of uapi-constants.tsv: its value, its C type (after the
    usual promotions, i.e. what the constant is in a C expression), whether
    it is a macro or an enumerator, and for enumerators which enum.

The tables only exist in the spec checkout, so the generated file is
committed and the test never reads them at run time. Re-run after a spec
change:

    python3 tests/gen/gen_abi_uapi_test.py [SPEC_DIR] [OUTPUT]

SPEC_DIR defaults to /work/shared/spec, OUTPUT to tests/abi_uapi_test.cpp.
With `--c-check FILE` first, it instead writes a C11 file of static
assertions (including the C types of enumerators, which C++ cannot observe)
for compiling the headers by hand with gcc/clang and any -std=c11 or later.
"""

import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SPEC = "/work/shared/spec"
DEFAULT_OUT = os.path.join(os.path.dirname(HERE), "abi_uapi_test.cpp")


def read_tsv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- structs ---------------------------------------------------------------

def field_type_check(ctype, fld):
    """C++ type to compare decltype(member) against, or None to skip.

    __aligned_u64 is a macro adding an alignment attribute, which cannot be
    used as a template argument; the member's declared type is plain __u64.
    Anonymous inner structs ("struct {...}") have no name to compare with.
    """
    if ctype == "struct {...}":
        return None
    if ctype == "__aligned_u64":
        return "__u64"
    m = re.fullmatch(r"(.+?)\[(\d*)\]", ctype)
    if m:
        return "%s[%s]" % (m.group(1), m.group(2))
    return ctype


def struct_rows(rows):
    """Group rows by struct, keeping table order."""
    structs = []
    by_name = {}
    for r in rows:
        name = r["struct"]
        if name not in by_name:
            by_name[name] = {"name": name, "fields": []}
            structs.append(by_name[name])
        s = by_name[name]
        if r["field"] == "(sizeof)":
            s["size"] = int(r["size"])
            m = re.search(r"align=(\d+)", r["note"])
            s["align"] = int(m.group(1))
            m = re.search(r"header=(\S+?);", r["note"])
            s["header"] = m.group(1)
        else:
            s["fields"].append(r)
    return structs


def emit_structs(out, structs):
    out.append("// ---------------------------------------------------------------------------")
    out.append("// Struct layouts")
    out.append("// ---------------------------------------------------------------------------")
    out.append("")
    out.append("namespace {")
    out.append("")
    out.append("// One row per member; size is -1 for flexible arrays (no sizeof).")
    out.append("struct FieldCheck {")
    out.append("    const char *field;")
    out.append("    size_t offset, want_offset;")
    out.append("    long size, want_size;")
    out.append("    bool type_ok;")
    out.append("    const char *want_type;")
    out.append("};")
    out.append("")
    out.append("void check_fields(const char *st, const FieldCheck *f, size_t n) {")
    out.append("    for (size_t i = 0; i < n; i++) {")
    out.append("        EXPECT_EQ(f[i].offset, f[i].want_offset) << st << \".\" << f[i].field << \" offset\";")
    out.append("        EXPECT_EQ(f[i].size, f[i].want_size) << st << \".\" << f[i].field << \" size\";")
    out.append("        EXPECT_TRUE(f[i].type_ok) << st << \".\" << f[i].field << \" is not \" << f[i].want_type;")
    out.append("    }")
    out.append("}")
    out.append("")
    out.append("}  // namespace")
    out.append("")
    out.append("// Offset, size and declared type of member M (a dotted path) of struct S.")
    out.append("#define ABI_MEMBER(S, M) decltype(std::declval<struct S &>().M)")
    out.append("#define ABI_FIELD(S, M, OFF, SIZE, TYPE) \\")
    out.append("    {#M, offsetof(struct S, M), OFF, (long)sizeof(ABI_MEMBER(S, M)), SIZE, \\")
    out.append("     std::is_same<ABI_MEMBER(S, M), TYPE>::value, #TYPE}")
    out.append("#define ABI_FLEX(S, M, OFF, TYPE) \\")
    out.append("    {#M, offsetof(struct S, M), OFF, -1, -1, std::is_same<ABI_MEMBER(S, M), TYPE>::value, #TYPE}")
    out.append("#define ABI_UNTYPED(S, M, OFF, SIZE) \\")
    out.append("    {#M, offsetof(struct S, M), OFF, (long)sizeof(ABI_MEMBER(S, M)), SIZE, true, \"(anonymous)\"}")
    out.append("")
    nfields = 0
    for s in structs:
        name = s["name"]
        out.append("// %s (%s)" % (name, s["header"]))
        out.append("TEST(UapiStructs, %s) {" % name.lstrip("_"))
        out.append("    EXPECT_EQ(sizeof(struct %s), %du);" % (name, s["size"]))
        out.append("    EXPECT_EQ(alignof(struct %s), %du);" % (name, s["align"]))
        out.append("    static const FieldCheck fields[] = {")
        for f in s["fields"]:
            fld, off, size, ctype = f["field"], int(f["offset"]), int(f["size"]), f["type"]
            want = field_type_check(ctype, fld)
            if ctype.endswith("[]"):
                out.append("        ABI_FLEX(%s, %s, %d, %s)," % (name, fld, off, want))
            elif want is None:
                out.append("        ABI_UNTYPED(%s, %s, %d, %d)," % (name, fld, off, size))
            else:
                out.append("        ABI_FIELD(%s, %s, %d, %d, %s)," % (name, fld, off, size, want))
            nfields += 1
        out.append("    };")
        out.append("    check_fields(%s, fields, sizeof(fields) / sizeof(fields[0]));" % c_string(name))
        out.append("}")
        out.append("")
    return nfields


# --- constants -------------------------------------------------------------

def parse_value(v):
    return int(v, 0)


def emit_constants(out, rows):
    out.append("// ---------------------------------------------------------------------------")
    out.append("// Constants")
    out.append("// ---------------------------------------------------------------------------")
    out.append("")
    out.append("// A macro's name stringizes to its replacement text, anything else to")
    out.append("// itself: that is how the table tells #defines from enumerators.")
    out.append("#define ABI_STR2(x) #x")
    out.append("#define ABI_STR(x) ABI_STR2(x)")
    out.append("// Type of the constant inside an expression. Enumerators promote to int,")
    out.append("// or to unsigned int for enums whose range needs it (io_uring_register_op).")
    out.append("#define ABI_TYPE_IS(N, T) std::is_same<decltype(+(N)), T>::value")
    out.append("")
    out.append("namespace {")
    out.append("")
    out.append("struct ConstCheck {")
    out.append("    const char *name;")
    out.append("    const char *expansion;   // ABI_STR(name)")
    out.append("    bool want_macro;")
    out.append("    bool kind_ok;            // macro: not an enum; enumerator: the right enum")
    out.append("    unsigned long long value, want_value;")
    out.append("    bool type_ok;")
    out.append("    const char *want_type;")
    out.append("    const char *want_decl;")
    out.append("};")
    out.append("")
    out.append("#define ABI_CONST(N, WANT, MACRO, KIND_OK, TYPE, DECL) \\")
    out.append("    {#N, ABI_STR(N), MACRO, KIND_OK, static_cast<unsigned long long>(N), \\")
    out.append("     static_cast<unsigned long long>(WANT), ABI_TYPE_IS(N, TYPE), #TYPE, DECL}")
    out.append("")
    # C gives each enumerator type int unless its own value needs more
    # (IORING_REGISTER_USE_REGISTERED_RING, GNU C). C++ promotes every
    # enumerator of an enum to a type holding the whole enum's range, so in
    # an enum with one unsigned int member all of them promote to that.
    widened = {r["decl"] for r in rows
               if r["decl"] != "define" and r["ctype"] != "int"}
    out.append("const ConstCheck constants[] = {")
    header = None
    group = None
    for r in rows:
        if r["header"] != header:
            header = r["header"]
            out.append("    // <%s>" % header)
        if r["group"] != group:
            group = r["group"]
            out.append("    // %s" % group)
        name, decl, ctype = r["name"], r["decl"], r["ctype"]
        if decl in widened and decl != "enum (anonymous)":
            ctype = "unsigned int"
        v = parse_value(r["value"])
        want = ("%dLL" % v) if v < 0 else ("0x%xULL" % v)
        if decl == "define":
            macro, kind = "true", "!std::is_enum<decltype(%s)>::value" % name
        elif decl == "enum (anonymous)":
            macro, kind = "false", "std::is_enum<decltype(%s)>::value" % name
        else:
            macro, kind = "false", "(std::is_same<decltype(%s), %s>::value)" % (name, decl)
        out.append("    ABI_CONST(%s, %s, %s, %s, %s, %s)," % (name, want, macro, kind, ctype, c_string(decl)))
    out.append("};")
    out.append("")
    out.append("}  // namespace")
    out.append("")
    out.append("TEST(UapiConstants, Count) {")
    out.append("    EXPECT_EQ(sizeof(constants) / sizeof(constants[0]), %du);" % len(rows))
    out.append("}")
    out.append("")
    out.append("TEST(UapiConstants, ValueTypeAndKind) {")
    out.append("    for (const ConstCheck &c : constants) {")
    out.append("        EXPECT_EQ(c.value, c.want_value) << c.name;")
    out.append("        EXPECT_TRUE(c.type_ok) << c.name << \" should have type \" << c.want_type;")
    out.append("        bool is_macro = std::strcmp(c.name, c.expansion) != 0;")
    out.append("        EXPECT_EQ(is_macro, c.want_macro)")
    out.append("            << c.name << (c.want_macro ? \" must be a #define\" : \" must not be a macro\");")
    out.append("        EXPECT_TRUE(c.kind_ok) << c.name << \" should be declared as: \" << c.want_decl;")
    out.append("    }")
    out.append("}")
    out.append("")


# --- optional C11 check ------------------------------------------------------

def c_check(structs, consts):
    """A C11 file of static assertions for the same tables, for checking the
    headers in C with any compiler and -std (see --c-check). It covers what
    the C++ test cannot see: the C types of enumerators and macros."""
    out = [
        "/* GENERATED by tests/gen/gen_abi_uapi_test.py --c-check; not built by default. */",
        "#include <liburing.h>",
        "#include <liburing/io_uring/query.h>",
        "#include <liburing/io_uring/bpf_filter.h>",
        "#include <stddef.h>",
        "#define TYPE_IS(e, T) _Generic((e), T: 1, default: 0)",
        "#define CHECK(c) _Static_assert(c, #c)",
    ]
    for s in structs:
        n = s["name"]
        out.append("CHECK(sizeof(struct %s) == %d);" % (n, s["size"]))
        out.append("CHECK(_Alignof(struct %s) == %d);" % (n, s["align"]))
        for f in s["fields"]:
            fld, t = f["field"], f["type"]
            out.append("CHECK(offsetof(struct %s, %s) == %s);" % (n, fld, f["offset"]))
            if t.endswith("[]"):
                continue
            out.append("CHECK(sizeof(((struct %s *)0)->%s) == %s);" % (n, fld, f["size"]))
            want = field_type_check(t, fld)
            if want and "[" not in want and "struct" not in want:
                out.append("CHECK(TYPE_IS(((struct %s *)0)->%s, %s));" % (n, fld, want))
    for r in consts:
        n = r["name"]
        if r["decl"] == "define":
            out.append("#ifndef %s\n#error %s must be a macro\n#endif" % (n, n))
        else:
            out.append("#ifdef %s\n#error %s must not be a macro\n#endif" % (n, n))
        v = parse_value(r["value"])
        out.append("CHECK(%s == %s);" % (n, ("%dLL" % v) if v < 0 else ("0x%xULL" % v)))
        out.append("CHECK(TYPE_IS(%s, %s));" % (n, r["ctype"]))
    return "\n".join(out) + "\n"


def main():
    args = sys.argv[1:]
    c_dest = None
    if len(args) >= 2 and args[0] == "--c-check":
        c_dest, args = args[1], args[2:]
    spec = args[0] if len(args) > 0 else DEFAULT_SPEC
    dest = args[1] if len(args) > 1 else DEFAULT_OUT
    consts = read_tsv(os.path.join(spec, "uapi-constants.tsv"))
    structs = struct_rows(read_tsv(os.path.join(spec, "uapi-structs.tsv")))
    if c_dest:
        with open(c_dest, "w") as f:
            f.write(c_check(structs, consts))
        print("%s: C11 static checks" % c_dest)
        return

    out = [
        "// GENERATED by tests/gen/gen_abi_uapi_test.py from the spec tables",
        "// uapi-structs.tsv and uapi-constants.tsv. Do not edit; re-run the script.",
        "//",
        "// Checks the kernel ABI headers as an application sees them through",
        "// <liburing.h>: struct sizes, alignments, member offsets/sizes/types, and",
        "// constant values, types and kinds (macro vs. enumerator of which enum).",
        "",
        "#include <liburing.h>",
        "// Not necessarily pulled in by liburing.h; applications include them",
        "// directly when they use ring-less queries or BPF filters.",
        "#include <liburing/io_uring/query.h>",
        "#include <liburing/io_uring/bpf_filter.h>",
        "",
        "#include <gtest/gtest.h>",
        "",
        "#include <cstddef>",
        "#include <cstring>",
        "#include <type_traits>",
        "#include <utility>",
        "",
    ]
    nfields = emit_structs(out, structs)
    emit_constants(out, consts)
    with open(dest, "w") as f:
        f.write("\n".join(out))
    print("%s: %d structs, %d fields, %d constants"
          % (dest, len(structs), nfields, len(consts)))


if __name__ == "__main__":
    main()
