#!/usr/bin/env python3
"""Code size of the functions two static archives both export.

    common_functions.py [--objdump OBJDUMP] [--nm NM] REFERENCE ARCHIVE...

Takes the global functions (nm types T and W) that REFERENCE and every
ARCHIVE define, and prints one tab-separated line per archive, REFERENCE
first:

    ARCHIVE  COUNT  OWN  REACHED

OWN is the sum of the st_size of those functions alone. REACHED adds every
function of the same archive they call or jump to, directly or through
other functions (from `objdump -dr`: branch targets and relocations), each
counted once: the code a program that used all of them would take from
that archive if it were linked function by function. Functions from
outside the archive (libc's memset, say) count for neither.

The two numbers answer different questions. OWN compares like for like only
where both libraries put the work inside the exported function; a library
that moves it into private helpers looks smaller by OWN than it is.
REACHED counts those helpers, and also whatever else the callees do (for
bareuring, features liburing 2.3 does not have, such as NO_MMAP rings).
"""
import argparse
import collections
import re
import subprocess
import sys


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


class Archive:
    def __init__(self, path, nm, objdump):
        self.path = path
        # (member, name) -> size; name -> [member] for global definitions.
        self.size = {}
        self.globals = collections.defaultdict(list)
        self.exported = set()
        member = None
        for line in run(nm, "-S", "--defined-only", path).splitlines():
            if line.endswith(":") and " " not in line:
                member = line[:-1]
                continue
            fields = line.split()
            if len(fields) != 4 or fields[2] not in "TtWw":
                continue
            size, kind, name = int(fields[1], 16), fields[2], fields[3]
            self.size[(member, name)] = size
            if kind in "TW":
                self.globals[name].append(member)
                self.exported.add(name)
        self.edges = collections.defaultdict(set)
        self._read_calls(objdump)

    def _read_calls(self, objdump):
        member = section = function = None
        # member -> section -> [(start, function)], to resolve section+offset.
        starts = collections.defaultdict(lambda: collections.defaultdict(list))
        pending = []  # (member, function, section_name, addend) to resolve later
        label = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
        target = re.compile(r"\b(?:call|jmp|j[a-z]{1,4}|b|bl|tail|jal|j)\s+[0-9a-f]+ <([^>+]+)(?:\+0x[0-9a-f]+)?>")
        reloc = re.compile(r"^\s*[0-9a-f]+: R_\w+\s+([^\s+-]+)([+-]0x[0-9a-f]+)?$")
        for line in run(objdump, "-dr", "--no-show-raw-insn", self.path).splitlines():
            m = re.match(r"^(\S+):\s+file format", line)
            if m:
                member, section, function = m.group(1), None, None
                continue
            m = re.match(r"^Disassembly of section (\S+):$", line)
            if m:
                section, function = m.group(1), None
                continue
            m = label.match(line)
            if m:
                function = m.group(2)
                starts[member][section].append((int(m.group(1), 16), function))
                continue
            if function is None:
                continue
            m = reloc.match(line)
            if m:
                name = m.group(1)
                if name.startswith("."):
                    addend = int(m.group(2) or "0", 16)
                    pending.append((member, function, name, addend))
                else:
                    self.edges[(member, function)].add(name)
                continue
            m = target.search(line)
            if m and m.group(1) != function:
                self.edges[(member, function)].add(m.group(1))
        for member, function, name, addend in pending:
            # A PC-relative reference to section+addend points at
            # addend + 4 (the rest of the instruction); take the function
            # that starts at or before it.
            funcs = sorted(starts[member].get(name, []))
            where = max(0, addend + 4)
            chosen = [f for start, f in funcs if start <= where]
            if chosen:
                self.edges[(member, function)].add(chosen[-1])

    def resolve(self, member, name):
        """The (member, name) a reference from `member` to `name` lands on."""
        if (member, name) in self.size and name not in self.globals:
            return (member, name)  # a local function of the same member
        if name in self.globals:
            owners = self.globals[name]
            return (member if member in owners else owners[0], name)
        return None  # outside the archive

    def own(self, names):
        return sum(self.size[(self.globals[n][0], n)] for n in names)

    def reached(self, names):
        seen, todo = set(), [(self.globals[n][0], n) for n in names]
        while todo:
            node = todo.pop()
            # Weak (COMDAT) copies of one function count once.
            key = node[1] if node[1] in self.globals else node
            if key in seen:
                continue
            seen.add(key)
            for callee in self.edges.get(node, ()):
                nxt = self.resolve(node[0], callee)
                if nxt is not None:
                    todo.append(nxt)
        total = 0
        for key in seen:
            node = (self.globals[key][0], key) if isinstance(key, str) else key
            total += self.size[node]
        return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--objdump", default="objdump")
    ap.add_argument("--nm", default="nm")
    ap.add_argument("reference")
    ap.add_argument("archives", nargs="+")
    args = ap.parse_args()
    libs = [Archive(p, args.nm, args.objdump) for p in [args.reference] + args.archives]
    common = set.intersection(*(lib.exported for lib in libs))
    for lib in libs:
        print(f"{lib.path}\t{len(common)}\t{lib.own(common)}\t{lib.reached(common)}")


if __name__ == "__main__":
    sys.exit(main())
