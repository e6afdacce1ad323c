#!/usr/bin/env python3
"""Check a built shared library against the version script it was linked with.

    check_exports.py [--no-libc] LIBRARY VERSION_SCRIPT SONAME

Passes only if the library
  * has SONAME SONAME and needs nothing but libc.so.6 (no libstdc++, no
    libgcc_s: a C program must be able to load it with nothing else), or,
    with --no-libc (a BAREURING_NOLIBC_SHARED build), needs nothing at all,
  * defines exactly the version nodes of the script, in order, each with the
    script's parent,
  * exports exactly the script's symbols, every one a default-visibility
    function at its node as the default version (name@@NODE), and nothing
    else: no C++ symbol, no stray global.

Reads only the two files, so it runs the same in CI without the spec.
"""
import re
import subprocess
import sys


def parse_script(path):
    """[(node, parent, [symbols])] from a GNU ld version script."""
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    nodes = []
    for m in re.finditer(r"([A-Za-z0-9_.]+)\s*\{(.*?)\}\s*([A-Za-z0-9_.]*)\s*;", text, flags=re.S):
        body = m.group(2).split("local:")[0].replace("global:", "")
        symbols = [s.strip() for s in body.split(";") if s.strip()]
        nodes.append((m.group(1), m.group(3) or None, symbols))
    return nodes


def readelf(*args):
    return subprocess.run(["readelf", "-W", *args], capture_output=True, text=True, check=True).stdout


def main():
    args = sys.argv[1:]
    want_needed = ["libc.so.6"]
    if args[:1] == ["--no-libc"]:
        want_needed = []
        args = args[1:]
    if len(args) != 3:
        sys.exit(__doc__)
    lib, script, soname = args
    nodes = parse_script(script)
    errors = []

    dynamic = readelf("-d", lib)
    needed = re.findall(r"\(NEEDED\).*\[(.*)\]", dynamic)
    sonames = re.findall(r"\(SONAME\).*\[(.*)\]", dynamic)
    if sonames != [soname]:
        errors.append("SONAME is %s, want %s" % (sonames, soname))
    if needed != want_needed:
        errors.append("NEEDED is %s, want %s" % (needed, want_needed))

    # Version definitions: index 1 is the file itself, then one per node.
    verdefs = readelf("-V", lib)
    section = verdefs.split(".gnu.version_d")[1].split(".gnu.version_r")[0] if ".gnu.version_d" in verdefs else ""
    got_nodes, parents = [], {}
    for line in section.splitlines():
        m = re.search(r"Index: (\d+)\s+Cnt: \d+\s+Name: (\S+)", line)
        if m and m.group(1) != "1":
            got_nodes.append(m.group(2))
        m = re.search(r"Parent 1: (\S+)", line)
        if m and got_nodes:
            parents[got_nodes[-1]] = m.group(1)
    want_nodes = [n for n, _, _ in nodes]
    if got_nodes != want_nodes:
        errors.append("version nodes %s, want %s" % (got_nodes, want_nodes))
    for node, parent, _ in nodes:
        if parents.get(node) != parent:
            errors.append("node %s has parent %s, want %s" % (node, parents.get(node), parent))

    # Defined dynamic symbols; the ABS entries are the node names themselves.
    want = {s: node for node, _, syms in nodes for s in syms}
    got = {}
    for line in readelf("--dyn-syms", lib).splitlines():
        f = line.split()
        if len(f) < 8 or not re.fullmatch(r"\d+:", f[0]) or f[6] in ("UND", "ABS"):
            continue
        name, _, version = f[7].partition("@@")
        if f[3:6] != ["FUNC", "GLOBAL", "DEFAULT"]:
            errors.append("%s is %s, want FUNC GLOBAL DEFAULT" % (f[7], " ".join(f[3:6])))
        got[name] = version
    for name in sorted(set(got) - set(want)):
        errors.append("exports %s, which the script does not list" % name)
    for name in sorted(set(want) - set(got)):
        errors.append("does not export %s@@%s" % (name, want[name]))
    for name in sorted(set(want) & set(got)):
        if got[name] != want[name]:
            errors.append("%s is at %s, want %s" % (name, got[name] or "(no default version)", want[name]))

    for e in errors:
        print("check_exports: " + e)
    print("check_exports: %s: %d symbols in %d nodes, NEEDED %s: %s"
          % (lib, len(got), len(got_nodes), ",".join(needed), "FAIL" if errors else "ok"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
