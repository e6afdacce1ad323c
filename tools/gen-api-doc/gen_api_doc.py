#!/usr/bin/env python3
"""Generates docs/api.md: every liburing 2.15 API name, where bareuring has it,
and which tests mention it.

Input:
  * the liburing 2.15 API list, a TSV with the columns
    name, kind, version_node, prototype, summary
    (kind: exported | inline | local-inline | macro);
  * this tree: include/ (headers), src/ (library sources), tests/.

For each name the script finds, by scanning the files (no compiler needed):
  * exported functions: the declaration in include/liburing.h and the
    definition in src/ (a line starting with BAREURING_API);
  * inline and local-inline functions: the IOURINGINLINE / _LOCAL_INLINE
    definition in include/;
  * macros: the #define in include/;
and the test files under tests/ that mention the name as a whole word.
A name is "implemented" when its definition was found. The document also
lists what bareuring exports or defines inline beyond the 2.15 list.

Regenerate (from the repository root) after changing the API:

    python3 tools/gen-api-doc/gen_api_doc.py

Options: --spec PATH (default ../shared/spec/liburing-2.15-api.tsv, relative
to the repository root), --out PATH (default docs/api.md), --check (write
nothing; exit 1 if the document is out of date).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("exported", "inline", "local-inline", "macro")
KIND_TITLES = {
    "exported": "Exported functions (liburing.so.2)",
    "inline": "Inline functions (static inline in <liburing.h>)",
    "local-inline": "Header-private inline helpers (not API, used by the inline functions)",
    "macro": "Macros",
}
TEST_SUFFIXES = {".cpp", ".cc", ".c", ".h", ".sh"}
MAX_TESTS_SHOWN = 3


@dataclass
class Location:
    path: str  # relative to the repository root
    line: int

    def link(self) -> str:
        # docs/api.md lives one level below the root.
        return f"[{self.path}:{self.line}](../{self.path}#L{self.line})"


@dataclass
class Entry:
    name: str
    kind: str
    node: str
    declared: Location | None = None
    defined: Location | None = None
    tests: list[str] = field(default_factory=list)

    @property
    def implemented(self) -> bool:
        return self.defined is not None


def read_spec(path: Path) -> list[Entry]:
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    entries = [Entry(r["name"], r["kind"], r["version_node"]) for r in rows]
    unknown = {e.kind for e in entries} - set(KINDS)
    if unknown:
        sys.exit(f"gen_api_doc: unknown kind(s) in {path}: {sorted(unknown)}")
    return entries


def files_under(root: Path, top: str, suffixes: set[str]) -> list[Path]:
    base = root / top
    return sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in suffixes)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


# A function definition introduced by one of the markers, possibly with the
# return type on one line and the name on the next: the name is the last
# identifier before the first "(".
def definitions(root: Path, files: list[Path], marker: str) -> dict[str, Location]:
    pattern = re.compile(rf"^{marker}\b([^;{{(]*)\(", re.MULTILINE)
    found: dict[str, Location] = {}
    for path in files:
        text = path.read_text()
        for m in pattern.finditer(text):
            words = re.findall(r"[A-Za-z_]\w*", m.group(1))
            if words:
                found.setdefault(words[-1], Location(str(path.relative_to(root)), line_of(text, m.start())))
    return found


def macro_definitions(root: Path, files: list[Path]) -> dict[str, Location]:
    pattern = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)", re.MULTILINE)
    found: dict[str, Location] = {}
    for path in files:
        text = path.read_text()
        for m in pattern.finditer(text):
            found.setdefault(m.group(1), Location(str(path.relative_to(root)), line_of(text, m.start())))
    return found


# Prototypes in liburing.h: one declaration per line, ending in ";".
def declarations(root: Path, header: Path) -> dict[str, Location]:
    found: dict[str, Location] = {}
    for number, line in enumerate(header.read_text().splitlines(), start=1):
        stripped = line.strip()
        if not stripped.endswith(";") or stripped.startswith(("#", "/*", "*", "//")):
            continue
        m = re.search(r"\b([A-Za-z_]\w*)\s*\(", stripped)
        if m and "(" in stripped and not stripped.startswith(("return", "typedef")):
            found.setdefault(m.group(1), Location(str(header.relative_to(root)), number))
    return found


def test_mentions(root: Path, test_files: list[Path], names: list[str]) -> dict[str, list[str]]:
    texts = {str(p.relative_to(root)): p.read_text(errors="replace") for p in test_files}
    words_in: dict[str, set[str]] = {
        path: set(re.findall(r"[A-Za-z_]\w*", text)) for path, text in texts.items()
    }
    return {name: sorted(path for path, words in words_in.items() if name in words) for name in names}


def scan(root: Path, entries: list[Entry]) -> tuple[dict[str, Location], dict[str, Location]]:
    headers = files_under(root, "include", {".h"})
    sources = files_under(root, "src", {".cpp", ".h"})
    tests = files_under(root, "tests", TEST_SUFFIXES)

    exported = definitions(root, sources, "BAREURING_API")
    inline = definitions(root, headers, "IOURINGINLINE")
    local = definitions(root, headers, "_LOCAL_INLINE")
    macros = macro_definitions(root, headers)
    declared = declarations(root, root / "include" / "liburing.h")
    mentions = test_mentions(root, tests, [e.name for e in entries])

    for e in entries:
        e.tests = mentions[e.name]
        if e.kind == "exported":
            e.declared = declared.get(e.name)
            e.defined = exported.get(e.name)
        elif e.kind == "inline":
            e.defined = inline.get(e.name)
        elif e.kind == "local-inline":
            e.defined = local.get(e.name)
        else:
            e.defined = macros.get(e.name)
    return exported, inline


def tests_cell(tests: list[str]) -> str:
    if not tests:
        return "-"
    shown = [f"[{Path(t).name}](../{t})" for t in tests[:MAX_TESTS_SHOWN]]
    more = len(tests) - MAX_TESTS_SHOWN
    return ", ".join(shown) + (f" (+{more} more)" if more > 0 else "")


def render(entries: list[Entry], exported: dict[str, Location], inline: dict[str, Location], spec_name: str) -> str:
    out: list[str] = []
    add = out.append
    add("# liburing 2.15 API: where bareuring has it")
    add("")
    add("<!-- Generated by tools/gen-api-doc/gen_api_doc.py. Do not edit by hand. -->")
    add("")
    add(f"Every name in the liburing 2.15 API list (`{spec_name}`, {len(entries)} entries), "
        "where bareuring declares and defines it, whether it is implemented, and which "
        "test files mention it. \"Implemented\" means a definition was found: a "
        "`BAREURING_API` function in `src/` for exported functions, an `IOURINGINLINE` "
        "(or `_LOCAL_INLINE`) body in `include/` for inline ones, a `#define` in "
        "`include/` for macros. A test \"mentions\" a name when the name appears in it "
        "as a whole word; that is a pointer to where it is exercised, not a proof of "
        "coverage.")
    add("")
    add("Regenerate from the repository root after changing the API:")
    add("")
    add("```sh")
    add("python3 tools/gen-api-doc/gen_api_doc.py              # rewrite docs/api.md")
    add("python3 tools/gen-api-doc/gen_api_doc.py --check      # exit 1 if it is stale")
    add("```")
    add("")
    add("The API list is the spec's `liburing-2.15-api.tsv` (`--spec PATH`, default "
        "`../shared/spec/liburing-2.15-api.tsv`).")
    add("")

    add("## Summary")
    add("")
    add("| kind | names | implemented | missing | mentioned by a test |")
    add("|---|---:|---:|---:|---:|")
    for kind in KINDS:
        group = [e for e in entries if e.kind == kind]
        done = sum(e.implemented for e in group)
        tested = sum(bool(e.tests) for e in group)
        add(f"| {kind} | {len(group)} | {done} | {len(group) - done} | {tested} |")
    total_done = sum(e.implemented for e in entries)
    total_tested = sum(bool(e.tests) for e in entries)
    add(f"| **all** | **{len(entries)}** | **{total_done}** | **{len(entries) - total_done}** | "
        f"**{total_tested}** |")
    add("")

    missing = [e for e in entries if not e.implemented]
    if missing:
        add("Missing: " + ", ".join(f"`{e.name}`" for e in missing) + ".")
    else:
        add("Nothing is missing.")
    add("")

    for kind in KINDS:
        group = [e for e in entries if e.kind == kind]
        add(f"## {KIND_TITLES[kind]}")
        add("")
        if kind == "exported":
            add("| name | version node | declared | defined | status | tests |")
            add("|---|---|---|---|---|---|")
            for e in group:
                status = "implemented" if e.implemented else ("declared only" if e.declared else "missing")
                add(f"| `{e.name}` | {e.node} | {e.declared.link() if e.declared else '-'} | "
                    f"{e.defined.link() if e.defined else '-'} | {status} | {tests_cell(e.tests)} |")
        else:
            node_title = "ffi node" if kind == "inline" else "node"
            add(f"| name | {node_title} | defined | status | tests |")
            add("|---|---|---|---|---|")
            for e in group:
                status = "implemented" if e.implemented else "missing"
                add(f"| `{e.name}` | {e.node} | {e.defined.link() if e.defined else '-'} | {status} | "
                    f"{tests_cell(e.tests)} |")
        add("")

    # What bareuring has beyond the list: a superset is allowed, but it
    # should be deliberate.
    listed = {e.name for e in entries}
    extra_exported = sorted(n for n in exported if n not in listed)
    extra_inline = sorted(n for n in inline if n not in listed)
    add("## Beyond the 2.15 list")
    add("")
    if not extra_exported and not extra_inline:
        add("Nothing: bareuring exports and inlines exactly the listed names.")
    for title, names, where in (("Exported", extra_exported, exported), ("Inline", extra_inline, inline)):
        if names:
            add(f"{title} by bareuring but not in the list:")
            add("")
            for n in names:
                add(f"* `{n}` ({where[n].link()})")
            add("")
    return "\n".join(out).rstrip("\n") + "\n"


def main() -> int:
    root_default = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", type=Path, default=root_default, help="repository root (default: this script's)")
    ap.add_argument("--spec", type=Path, default=None,
                    help="liburing-2.15-api.tsv (default: ROOT/../shared/spec/liburing-2.15-api.tsv)")
    ap.add_argument("--out", type=Path, default=None, help="output file (default: ROOT/docs/api.md)")
    ap.add_argument("--check", action="store_true", help="exit 1 if the output file is not up to date")
    args = ap.parse_args()

    root = args.root.resolve()
    spec = args.spec if args.spec else root / ".." / "shared" / "spec" / "liburing-2.15-api.tsv"
    if not spec.is_absolute():
        spec = (Path.cwd() / spec).resolve()
    out = args.out if args.out else root / "docs" / "api.md"

    entries = read_spec(spec)
    exported, inline = scan(root, entries)
    text = render(entries, exported, inline, spec.name)

    if args.check:
        current = out.read_text() if out.exists() else ""
        if current != text:
            print(f"gen_api_doc: {out} is out of date; run tools/gen-api-doc/gen_api_doc.py", file=sys.stderr)
            return 1
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    done = sum(e.implemented for e in entries)
    print(f"gen_api_doc: wrote {out} ({done}/{len(entries)} implemented)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
