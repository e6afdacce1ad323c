#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate tests/prep_sqe_bytes_test.cpp from the liburing 2.15 spec.

Every prep helper in liburing-2.15-api.tsv whose summary ends in
`SQE{f1=e1; f2|=e2; ...}` gets a test that:
  * draws many argument sets (0, -1, 0xffffffff = IORING_FILE_INDEX_ALLOC,
    other edge values, random values, real and made-up pointers);
  * fills two 128-byte SQE buffers with the same garbage;
  * calls the real helper from <liburing.h> on one buffer;
  * applies the spec's field list to the other, field by field on the
    struct, left to right (`=` stores the expression converted to the
    field's type, `|=` ORs into the garbage already there);
  * compares all 128 bytes and names the helper, the argument set and the
    first differing byte.
The reference writes come from the spec text alone, never from prep.h, so
the test checks the header rather than restating it.

Each helper also gets a mutation test: its reference with one field write
dropped (and, for `|=` and the flags overwrites, with the operator flipped)
must be told apart from the real helper. That shows the comparison is
sharp enough to catch each write the spec lists.

The output does not read the spec at run time. Regenerate after a spec
change and commit both files:
    tests/gen/gen_prep_test.py [--spec DIR] [--out FILE]
    tests/gen/gen_prep_test.py --check     # exit 1 if the output is stale
"""

import argparse
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SPEC = os.path.normpath(os.path.join(HERE, '..', '..', '..', 'shared', 'spec'))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, '..', 'prep_sqe_bytes_test.cpp'))
TEMPLATE = os.path.join(HERE, 'prep_sqe_bytes_test.cpp.in')

ARG_SETS = 200

# How a field's value is represented in memory when the spec says so
# (README, "SQE notation"): poll32_events is halfword-swapped on big endian.
STORED_AS = {'poll32_events': 'spec_poll32_repr'}

IDENT = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')
WRITE = re.compile(r'^\s*([A-Za-z_][A-Za-z0-9_]*)(\[\d+\])?\s*(\|=|=)(.*)$')


class SpecError(Exception):
    pass


def read_tsv(path):
    with open(path, newline='') as f:
        return list(csv.DictReader(f, delimiter='\t'))


def fnv1a64(text):
    h = 0xcbf29ce484222325
    for b in text.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h


def parse_prototype(proto):
    """'void f(int a, const char *b)' -> ('f', [('int', 'a'), ('const char *', 'b')])."""
    m = re.match(r'^(.*?)\b([A-Za-z_][A-Za-z0-9_]*)\s*\((.*)\)\s*$', proto)
    if not m:
        raise SpecError('cannot parse prototype: ' + proto)
    name, plist = m.group(2), m.group(3).strip()
    params = []
    if plist and plist != 'void':
        for p in plist.split(','):
            p = p.strip()
            pm = re.match(r'^(.*?)([A-Za-z_][A-Za-z0-9_]*)$', p)
            if not pm:
                raise SpecError('cannot parse parameter %r of %s' % (p, name))
            ctype = re.sub(r'\s+', ' ', pm.group(1)).strip()
            ctype = re.sub(r'\s*\*', ' *', ctype).replace('* *', '**')
            params.append((ctype, pm.group(2)))
    return name, params


def parse_writes(text, helper):
    writes = []
    for part in text.split(';'):
        if not part.strip():
            continue
        m = WRITE.match(part)
        if not m:
            raise SpecError('%s: cannot parse field write %r' % (helper, part))
        field, index, op, expr = m.group(1), m.group(2) or '', m.group(3), m.group(4).strip()
        if not expr:
            raise SpecError('%s: empty expression in %r' % (helper, part))
        writes.append((field, index, op, expr))
    return writes


def sqe_fields(structs):
    fields = {}
    for r in structs:
        if r['struct'] != 'io_uring_sqe' or r['field'] == '(sizeof)':
            continue
        base = re.sub(r'\[.*\]$', '', r['type']).strip()
        fields[r['field']] = (int(r['offset']), int(r['size']), base, r['type'])
    return fields


def translate(expr, params, helper):
    """The spec expression as C++ over the case's members. A bare pointer
    parameter converts by zero extension through uintptr_t (README); any
    other use of a pointer parameter must be inside sizeof()."""
    pointers = {n for t, n in params if t.endswith('*')}
    if expr in pointers:
        return '(__u64)(uintptr_t)%s' % expr
    outside_sizeof = re.sub(r'sizeof\s*\([^)]*\)', '', expr)
    for tok in IDENT.findall(outside_sizeof):
        if tok in pointers:
            raise SpecError('%s: pointer %s used inside %r' % (helper, tok, expr))
    return expr


def build_case(row, fields):
    helper, params = parse_prototype(row['prototype'])
    if helper != row['name']:
        raise SpecError('prototype name %s != row name %s' % (helper, row['name']))
    m = re.search(r'SQE\{(.*)\}\s*$', row['summary'])
    writes = parse_writes(m.group(1), helper)
    sqe_params = [n for t, n in params if t == 'struct io_uring_sqe *']
    if sqe_params != ['sqe']:
        raise SpecError('%s: expected one "struct io_uring_sqe *sqe" parameter' % helper)
    args = [(t, n) for t, n in params if n != 'sqe']
    for t, n in args:
        if n in ('sqe', 'kName', 'draw', 'real', 'spec', 'args', 'kMutants'):
            raise SpecError('%s: parameter name %s clashes with the case struct' % (helper, n))

    spec_lines = []
    mutants = []
    for i, (field, index, op, expr) in enumerate(writes):
        if field not in fields:
            raise SpecError('%s: unknown SQE field %s' % (helper, field))
        ctype = fields[field][2]
        lhs = 'sqe->%s%s' % (field, index)
        value = '(%s)(%s)' % (ctype, translate(expr, args, helper))
        if field in STORED_AS:
            value = '(%s)%s(%s)' % (ctype, STORED_AS[field], value)
        text = '%s%s %s %s' % (field, index, op, expr)
        skip_id = len(mutants) + 1
        mutants.append((skip_id, 'without "%s"' % text))
        flip_id = None
        if op == '|=' or field == 'flags':
            flip_id = len(mutants) + 1
            other = '=' if op == '|=' else '|='
            mutants.append((flip_id, 'with "%s%s %s %s" instead' % (field, index, other, expr)))
        assign = '%s = (%s)(%s | %s);' % (lhs, ctype, lhs, value)
        store = '%s = %s;' % (lhs, value)
        faithful, flipped = (assign, store) if op == '|=' else (store, assign)
        spec_lines.append('\t\t/* %s */' % text.replace('*/', '* /'))
        if flip_id is None:
            spec_lines.append('\t\tif (mutant != %d)' % skip_id)
            spec_lines.append('\t\t\t' + faithful)
        else:
            spec_lines.append('\t\tif (mutant == %d)' % flip_id)
            spec_lines.append('\t\t\t' + flipped)
            spec_lines.append('\t\telse if (mutant != %d)' % skip_id)
            spec_lines.append('\t\t\t' + faithful)

    call_args = ', '.join(n for t, n in params)
    out = []
    out.append('/* %s */' % row['prototype'])
    out.append('struct Case_%s {' % helper)
    out.append('\tstatic constexpr const char *kName = "%s";' % helper)
    out.append('\tstatic constexpr unsigned kMutants = %d;' % len(mutants))
    for t, n in args:
        out.append('\t%s%s%s;' % (t, '' if t.endswith('*') else ' ', n))
    out.append('')
    out.append('\tvoid draw(ArgGen &g, unsigned set)')
    out.append('\t{')
    for pos, (t, n) in enumerate(args):
        out.append('\t\t%s = g.arg<%s>(set, %d);' % (n, t, pos))
    if not args:
        out.append('\t\t(void)g;')
        out.append('\t\t(void)set;')
    out.append('\t}')
    out.append('')
    out.append('\tvoid real(struct io_uring_sqe *sqe) const')
    out.append('\t{')
    out.append('\t\t%s(%s);' % (helper, call_args))
    out.append('\t}')
    out.append('')
    out.append('\t/* The spec\'s list; mutant != 0 selects a deliberately wrong variant. */')
    out.append('\tvoid spec(unsigned mutant, struct io_uring_sqe *sqe) const')
    out.append('\t{')
    out.extend(spec_lines)
    out.append('\t}')
    out.append('')
    out.append('\tstatic const char *mutant_name(unsigned mutant)')
    out.append('\t{')
    out.append('\t\tswitch (mutant) {')
    for mid, desc in mutants:
        out.append('\t\tcase %d: return "%s";' % (mid, desc.replace('\\', '\\\\').replace('"', '\\"')))
    out.append('\t\tdefault: return "faithful";')
    out.append('\t\t}')
    out.append('\t}')
    out.append('')
    out.append('\tstd::string args() const')
    out.append('\t{')
    out.append('\t\tstd::ostringstream os;')
    for t, n in args:
        out.append('\t\tput_arg(os, "%s", %s);' % (n, n))
    out.append('\t\treturn os.str();')
    out.append('\t}')
    out.append('};')
    out.append('TEST(PrepSqeBytes, %s) { check_helper<Case_%s>(0x%016xULL); }'
               % (helper, helper, fnv1a64(helper)))
    out.append('TEST(PrepSqeMutants, %s) { check_mutants<Case_%s>(0x%016xULL); }'
               % (helper, helper, fnv1a64(helper)))
    return helper, len(writes), len(mutants), '\n'.join(out)


def layout_asserts(fields):
    out = []
    for name, (off, size, base, full) in fields.items():
        if size == 0:
            continue  # cmd[0]: only its offset is meaningful
        out.append('static_assert(offsetof(struct io_uring_sqe, %s) == %d && '
                   'sizeof(io_uring_sqe::%s) == %d, "io_uring_sqe.%s is %d bytes at %d");'
                   % (name, off, name, size, name, size, off))
    names = ['\t{%d, %d, "%s"},' % (off, size, name)
             for name, (off, size, base, full) in sorted(fields.items(), key=lambda kv: kv[1][0])
             if size]
    return '\n'.join(out), '\n'.join(names)


def generate(spec_dir):
    api = read_tsv(os.path.join(spec_dir, 'liburing-2.15-api.tsv'))
    structs = read_tsv(os.path.join(spec_dir, 'uapi-structs.tsv'))
    fields = sqe_fields(structs)
    cases, helpers, nwrites, nmutants = [], [], 0, 0
    for row in api:
        if row['kind'] not in ('inline', 'local-inline') or 'SQE{' not in row['summary']:
            continue
        helper, w, mcount, text = build_case(row, fields)
        if helper == 'io_uring_prep_ftruncate':
            text = '#ifdef _GNU_SOURCE\n%s\n#endif' % text
        cases.append(text)
        helpers.append(helper)
        nwrites += w
        nmutants += mcount
    asserts, field_table = layout_asserts(fields)
    with open(TEMPLATE) as f:
        tmpl = f.read()
    out = (tmpl.replace('@ARG_SETS@', str(ARG_SETS))
           .replace('@HELPER_COUNT@', str(len(helpers)))
           .replace('@WRITE_COUNT@', str(nwrites))
           .replace('@MUTANT_COUNT@', str(nmutants))
           .replace('@LAYOUT_ASSERTS@', asserts)
           .replace('@FIELD_TABLE@', field_table)
           .replace('@CASES@', '\n\n'.join(cases)))
    return out, len(helpers), nwrites, nmutants


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--spec', default=DEFAULT_SPEC, help='spec directory (default: %(default)s)')
    ap.add_argument('--out', default=DEFAULT_OUT, help='output file (default: %(default)s)')
    ap.add_argument('--check', action='store_true', help='only check that --out is up to date')
    opts = ap.parse_args()
    try:
        text, nhelpers, nwrites, nmutants = generate(opts.spec)
    except SpecError as e:
        sys.exit('gen_prep_test.py: %s' % e)
    if opts.check:
        with open(opts.out) as f:
            if f.read() != text:
                sys.exit('%s is stale: rerun %s' % (opts.out, sys.argv[0]))
        return
    with open(opts.out, 'w') as f:
        f.write(text)
    print('%s: %d helpers, %d field writes, %d mutants, %d argument sets each'
          % (os.path.relpath(opts.out), nhelpers, nwrites, nmutants, ARG_SETS))


if __name__ == '__main__':
    main()
