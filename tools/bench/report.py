#!/usr/bin/env python3
"""Summarises the raw runs of tools/bench/run.

Reads results.tsv (workload, variant, ops, seconds per run), insns.tsv
(callgrind instruction counts) and machine.tsv; prints the table and writes
docs/performance.md and the SVG chart. Medians, not means: the machine is
shared, and one disturbed run should not move the summary.
"""
import argparse
import collections
import html
import os
import re
import statistics

# Display order and labels. `scale` turns ops into the shown unit.
WORKLOADS = [
    ("nop-b1", "NOP round trip, batch 1", "NOPs/s", 1),
    ("nop-b8", "NOP round trip, batch 8", "NOPs/s", 1),
    ("nop-b32", "NOP round trip, batch 32", "NOPs/s", 1),
    ("nop-b128", "NOP round trip, batch 128", "NOPs/s", 1),
]
for _qd in (1, 32, 128):
    for _mode, _what in (("plain", "plain"), ("buf", "reg. buffers"), ("both", "reg. buffers + file")):
        WORKLOADS.append((f"rr-q{_qd}-{_mode}", f"4 KiB random read, QD {_qd}, {_what}", "reads/s", 1))
WORKLOADS += [
    ("copy", "256 MiB file copy (linked read→write)", "MiB/s", 1 / 2**20),
    ("echo", "TCP echo, 16 conns, multishot recv + buf ring", "msgs/s", 1),
    ("timeouts", "100k timeouts (20 µs, 1024 armed)", "timeouts/s", 1),
]
MAIN = ("ours", "liburing")
NOPS = {}  # (batch, style, variant) -> NOPs counted by callgrind


def read_tsv(path):
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def fmt_rate(x):
    for div, suffix in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
        if x >= div:
            return f"{x / div:.3g}{suffix}"
    return f"{x:.3g}"


def summarise(results):
    """{workload: {variant: [rate, ...]}} in the shown unit."""
    scale = {w[0]: w[3] for w in WORKLOADS}
    runs = collections.defaultdict(lambda: collections.defaultdict(list))
    for workload, variant, ops, secs in results:
        secs = float(secs)
        if secs > 0:
            runs[workload][variant].append(int(ops) * scale.get(workload, 1) / secs)
    return runs


def cell(rates):
    if not rates:
        return "n/a"
    return f"{fmt_rate(statistics.median(rates))} ({fmt_rate(min(rates))}–{fmt_rate(max(rates))})"


def ratio(runs, workload):
    ours, lib = runs[workload].get("ours"), runs[workload].get("liburing")
    if not ours or not lib:
        return None
    return statistics.median(ours) / statistics.median(lib)


def throughput_table(runs):
    rows = ["| Workload | Unit | bareuring median (min–max) | liburing median (min–max) | ours/liburing (medians) "
            "| best/best | Others (median) |",
            "|---|---|---|---|---|---|---|"]
    for key, label, unit, _ in WORKLOADS:
        per = runs.get(key, {})
        r = ratio(runs, key)
        others = ", ".join(f"{v} {fmt_rate(statistics.median(x))}" for v, x in per.items() if v not in MAIN)
        if key == "copy" and "uring-cp" not in per:
            others += ", uring-cp n/a"
        # Interference only ever slows a run down, so the fastest runs are
        # the closest to undisturbed speed: a second, noise-resistant view.
        best = "n/a" if r is None else f"{max(per['ours']) / max(per['liburing']):.2f}"
        rows.append(f"| {label} | {unit} | {cell(per.get('ours'))} | {cell(per.get('liburing'))} | "
                    f"{'n/a' if r is None else f'{r:.2f}'} | {best} | {others or '–'} |")
    return rows


def insn_table(insns):
    per = {}
    for batch, style, variant, ir, nops in insns:
        per[(int(batch), style, variant)] = int(ir) / int(nops)
        NOPS[(int(batch), style, variant)] = int(nops)
    rows = ["| Batch | Reaping | bareuring | liburing | raw floor | ours/liburing | ours/floor |",
            "|---|---|---|---|---|---|---|"]
    keys = sorted({(b, s) for b, s, _ in per}, key=lambda k: (k[1] != "each", k[0]))
    for b, s in keys:
        o, l, f = per.get((b, s, "ours")), per.get((b, s, "liburing")), per.get((b, "each", "raw"))
        style = "for_each_cqe + cq_advance" if s == "each" else "wait_cqe + cqe_seen"
        show = lambda x: "n/a" if x is None else f"{x:.2f}"
        rows.append(f"| {b} | {style} | {show(o)} | {show(l)} | {show(f)} | "
                    f"{'n/a' if o is None or l is None else f'{o / l:.2f}'} | "
                    f"{'n/a' if o is None or f is None else f'{o / f:.2f}'} |")
    return rows, per


def targets(runs, per):
    lines = []
    below, clear = [], []
    for key, label, _, _ in WORKLOADS:
        r = ratio(runs, key)
        if r is None or r >= 1.0:
            continue
        below.append(f"{label} ({r:.3f})")
        # Clearly slower only if even our best run is under liburing's median;
        # otherwise the gap is inside the run-to-run spread.
        if max(runs[key]["ours"]) < statistics.median(runs[key]["liburing"]):
            clear.append(f"{label} ({r:.3f})")
    verdict = "met" if not below else "missed"
    text = f"- Every throughput ratio ≥ 1.00: **{verdict}**"
    if below:
        text += f" — below 1.00: {'; '.join(below)}. Clearly slower (our best run under liburing's median): "
        text += "; ".join(clear) if clear else "none — every gap is inside the run-to-run spread"
    lines.append(text)
    o, l, f = per.get((32, "each", "ours")), per.get((32, "each", "liburing")), per.get((32, "each", "raw"))
    if o and l:
        lines.append(f"- Instructions per NOP at batch 32 ≤ 0.75 × liburing: {o:.2f} vs limit {0.75 * l:.2f} "
                     f"→ **{'met' if o <= 0.75 * l else 'missed'}**")
    if o and f:
        lines.append(f"- Instructions per NOP at batch 32 ≤ 1.3 × raw floor: {o:.2f} vs limit {1.3 * f:.2f} "
                     f"→ **{'met' if o <= 1.3 * f else 'missed'}**")
    return lines


# What liburing 2.15's contract makes every implementation do per NOP on
# top of the raw floor, one x86-64 instruction per item (see the list below).
CONTRACT_EXTRA = 12


def contract_cost(per):
    """Why the instruction targets sit below what the API allows."""
    f = per.get((32, "each", "raw"))
    if not f:
        return []
    low = f + CONTRACT_EXTRA
    return [
        "## What the API contract costs over the floor", "",
        "The raw floor keeps its SQ tail in a register, never checks for a full SQ, and knows its ring "
        "has 64-byte SQEs and 16-byte CQEs. A library implementing liburing 2.15's inline helpers cannot: "
        "the spec fixes what they read and write in `struct io_uring`, and the compiler must assume every "
        "SQE store (the `__u8 opcode` store aliases anything) may change those fields, so it reloads them "
        "for each SQE. Per NOP that is at least:", "",
        "| What | Instructions |",
        "|---|---|",
        "| `io_uring_get_sqe`: load `sq.khead`, then the kernel head it points to (acquire) | 2 |",
        "| full check `sqe_tail - head >= ring_entries`: copy, subtract, compare, branch | 4 |",
        "| `sq.sqe_tail` lives in the struct: load it, store it back + 1 (the floor: one register add) | 2 |",
        "| `IORING_SETUP_SQE128` doubles the slot index: test `ring->flags`, select | 2 |",
        "| `io_uring_cqe_iter_next`: a CQE with `IORING_CQE_F_32` takes two slots (CQE_MIXED): test it | 1 |",
        "| `IORING_SETUP_CQE32` shift of the CQ slot index | 1 |",
        f"| **total over the floor** | **{CONTRACT_EXTRA}** |", "",
        f"So no conforming implementation goes below about {f:.2f} + {CONTRACT_EXTRA} = {low:.2f} "
        f"instructions per NOP, {low / f:.2f} × the floor: the 1.3 × floor target ({1.3 * f:.2f}) lies below "
        "what the contract allows. The 0.75 × liburing target would need the compiled loop within a few "
        "instructions of that minimum; what separates the two is code generation in the application's own "
        "loop (GCC turns the unlikely SQE128/F_32 branches into `cmov`/`setne` sequences and copies "
        "registers around two-operand x86 instructions), which a header cannot dictate. (Debian's liburing "
        "2.3, the baseline here, predates CQE_MIXED and has no per-CQE F_32 test.)",
    ]


# ---------------------------------------------------------------- callgrind

def line_costs(path):
    """Self Ir per (file, line, function) from an uncompressed callgrind out file."""
    costs = collections.Counter()
    names = {}
    current, fn = None, None
    skip_next = False

    def name(spec):
        m = re.match(r"\((\d+)\)(?:\s+(.*))?", spec)
        if not m:
            return spec
        if m.group(2):
            names[m.group(1)] = m.group(2)
        return names.get(m.group(1), spec)

    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith(("fl=", "fi=", "fe=")):
                current = name(line[3:])
            elif line.startswith("fn="):
                fn = name(line[3:])
            elif line.startswith("calls="):
                skip_next = True  # the next cost line is the callee's inclusive cost
            elif line and (line[0].isdigit() or line[0] in "+-"):
                if skip_next:
                    skip_next = False
                    continue
                parts = line.split()
                if len(parts) >= 2 and parts[0].lstrip("+-").isdigit():
                    costs[(current, int(parts[0]), fn)] += int(parts[1])
    return costs


def shown_file(fname, fn):
    """Repository-relative path; without debug info, the function instead."""
    if not fname or fname == "???":
        fn = re.sub(r"\(.*\)$", "()", fn or "?")  # drop C++ parameter lists
        return f"{fn} (no line info)"
    return os.path.relpath(fname, ROOT) if fname.startswith(ROOT) else fname


def hot_lines(path, nops, limit=14):
    rows = ["| Ir/NOP | Where | Source |", "|---|---|---|"]
    for (fname, lineno, fn), ir in line_costs(path).most_common(limit):
        text = ""
        if fname and os.path.exists(fname):
            with open(fname) as f:
                src = f.readlines()
            if 0 < lineno <= len(src):
                text = src[lineno - 1].strip().replace("|", "\\|")
        where = shown_file(fname, fn) + (f":{lineno}" if lineno else "")
        rows.append(f"| {ir / nops:.2f} | `{where}` | `{text}` |")
    return rows


def per_file(path, nops):
    totals = collections.Counter()
    for (fname, _, fn), ir in line_costs(path).items():
        totals[shown_file(fname, fn)] += ir
    rows = ["| Ir/NOP | Source (inlined code is charged to the header it came from) |", "|---|---|"]
    for where, ir in totals.most_common():
        rows.append(f"| {ir / nops:.2f} | `{where}` |")
    return rows


# --------------------------------------------------------------------- SVG

def pair_spread(runs, key):
    """Interquartile range of the per-pair ratios (run i of ours ÷ run i of
    liburing, recorded back to back): how much one pair alone can mislead."""
    pairs = [o / l for o, l in zip(runs[key].get("ours", []), runs[key].get("liburing", []))]
    if len(pairs) < 4:
        return None
    q = statistics.quantiles(pairs, n=4)
    return q[0], q[2]


def svg_chart(runs):
    bars = [(label, ratio(runs, key), pair_spread(runs, key)) for key, label, _, _ in WORKLOADS]
    bars = [b for b in bars if b[1] is not None]
    left, width, bar_h, gap, top = 330, 420, 16, 6, 52
    # Whiskers may run off to the right; the axis follows the medians (and at
    # most 1.5), longer whiskers are clipped at its end.
    vmax = max([1.25] + [max(r, min(spread[1], 1.5) if spread else 0) * 1.05 for _, r, spread in bars])
    x = lambda v: left + v / vmax * width
    height = top + len(bars) * (bar_h + gap) + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 70}" height="{height}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="22" font-size="15" font-weight="bold">bareuring ÷ liburing throughput '
           f'(median; ≥ 1 means bareuring is at least as fast)</text>',
           f'<text x="10" y="{top - 12}" fill="#555">grey whisker: interquartile range of the '
           'per-pair ratios (run-to-run noise)</text>']
    for i, (label, r, spread) in enumerate(bars):
        y = top + i * (bar_h + gap)
        color = "#3a7d44" if r >= 1.0 else "#c0504d"
        out.append(f'<text x="{left - 8}" y="{y + bar_h - 4}" text-anchor="end">{html.escape(label)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{x(r) - left:.1f}" height="{bar_h}" fill="{color}"/>')
        label_x = x(r)
        if spread:
            mid = y + bar_h / 2
            hi = min(spread[1], vmax)
            out.append(f'<line x1="{x(spread[0]):.1f}" y1="{mid}" x2="{x(hi):.1f}" y2="{mid}" '
                       'stroke="#888" stroke-width="2"/>')
            label_x = max(label_x, x(hi))
        out.append(f'<text x="{label_x + 4:.1f}" y="{y + bar_h - 4}">{r:.2f}</text>')
    bottom = top + len(bars) * (bar_h + gap)
    for tick in [t / 4 for t in range(0, int(vmax * 4) + 1)]:
        out.append(f'<line x1="{x(tick):.1f}" y1="{bottom}" x2="{x(tick):.1f}" y2="{bottom + 4}" stroke="black"/>')
        out.append(f'<text x="{x(tick):.1f}" y="{bottom + 16}" text-anchor="middle">{tick:.2f}</text>')
    out.append(f'<line x1="{left}" y1="{bottom}" x2="{left + width}" y2="{bottom}" stroke="black"/>')
    out.append(f'<line x1="{x(1.0):.1f}" y1="{top - 6}" x2="{x(1.0):.1f}" y2="{bottom}" stroke="black" '
               'stroke-dasharray="4,3"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------- main

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def main():
    ap = argparse.ArgumentParser()
    for opt in ("results", "insns", "machine", "callgrind", "markdown", "svg"):
        ap.add_argument("--" + opt, required=True)
    a = ap.parse_args()

    runs = summarise(read_tsv(a.results))
    machine = dict(read_tsv(a.machine))
    tput = throughput_table(runs)
    insn_rows, per = insn_table(read_tsv(a.insns))
    goal = targets(runs, per)

    print("\n".join(tput))
    print()
    print("User-space instructions per NOP (callgrind, 200k NOPs, nop_loop only):")
    print("\n".join(insn_rows))
    print()
    print("\n".join(goal))

    md = ["# Performance: bareuring vs liburing", "",
          "Generated by `tools/bench/run`; do not edit by hand. Every benchmark in `tools/bench/` is C "
          "compiled twice with `gcc -O2`, once against bareuring's `<liburing.h>` and static `liburing.a`, "
          "once against Debian's liburing headers and static `liburing.a`. The two builds run alternately "
          f"(ours, liburing, ours, … {machine.get('pairs', '?')} pairs per workload, after one untimed "
          "warm-up pair); each cell is the median "
          "with min–max. Throughput ratio = bareuring median ÷ liburing median, so ≥ 1 means bareuring is at "
          "least as fast; best/best compares the fastest run of each (interference only slows runs down, "
          "so it is the less noise-prone view). Timings are wall clock on a machine shared with other work, "
          "so expect a few percent "
          "of noise; the instruction counts are exact.", "",
          "## Machine", "",
          f"- CPU: {machine.get('cpu')}, {machine.get('cores')} cores",
          f"- Kernel: {machine.get('kernel')}",
          f"- Compiler: {machine.get('gcc')}",
          f"- bareuring: {machine.get('ours')}",
          f"- liburing: {machine.get('liburing')}",
          f"- Date: {machine.get('date')}",
          f"- Load average (1/5/15 min), start → end of the run: {machine.get('load', 'n/a')} "
          f"(on {machine.get('cores')} cores; above that, other work competed for the CPUs)", "",
          "## Throughput", "", *tput, "",
          "![ratio per workload](images/performance.svg)", "",
          "Workloads: NOP = `batch` × (get_sqe, prep_nop, set_data64), one `io_uring_submit_and_wait(batch)`, "
          "reap with `io_uring_for_each_cqe` + `io_uring_cq_advance`. Random reads: 64 MiB page-cached file on "
          "ext4, 300k reads per run, `submit_and_wait(1)` and refill; \"reg.\" = `io_uring_register_buffers` + "
          "`read_fixed`, \"+ file\" adds `io_uring_register_files` + `IOSQE_FIXED_FILE`. Copy: 32 linked "
          "read→write pairs of 128 KiB, timed from process start to exit like `cp` (coreutils, which uses "
          "`copy_file_range`) and `tools/uring-cp` (`-q 32 -b 128K`). Echo: one io_uring server thread "
          "(multishot recv, 256 × 2 KiB provided-buffer ring, send back, recycle) against a blocking client "
          "thread doing 4000 lock-step rounds over 16 loopback connections; the epoll server uses the same "
          "client. Timeouts: `io_uring_prep_timeout` 20 µs relative, 1024 armed at a time, until 100k fired.", "",
          "## User-space instructions per NOP", "",
          "`valgrind --tool=callgrind --toggle-collect=nop_loop`: only the submit/reap loop is counted (no "
          "start-up or ring setup), 200k NOPs, divided by the NOP count. The raw floor (`raw_nop.c`) uses no "
          "library: its own `io_uring_setup`, `mmap`, a full 64-byte SQE store per NOP and a bare `syscall` "
          "instruction.", "", *insn_rows, "",
          "## Targets (reported, not asserted)", "", *goal, "",
          *contract_cost(per), ""]

    cg = a.callgrind
    for batch in (32, 1):
        md += [f"## Where the instructions go, batch {batch}", "",
               "Self cost per NOP from the same callgrind runs; code inlined from a header is charged to "
               "that header. Function names appear where the archive has no line info.", ""]
        for variant, title in (("ours", "bareuring"), ("liburing", "liburing"), ("raw", "raw floor")):
            path = os.path.join(cg, f"{variant}-b{batch}-each.out")
            nops = NOPS.get((batch, "each", variant))
            if nops and os.path.exists(path):
                md += [f"### {title}", "", *per_file(path, nops), ""]
                if variant == "ours":
                    md += ["Hottest source lines (bareuring):", "", *hot_lines(path, nops), ""]

    with open(a.markdown, "w") as f:
        f.write("\n".join(md))
    with open(a.svg, "w") as f:
        f.write(svg_chart(runs))


if __name__ == "__main__":
    main()
