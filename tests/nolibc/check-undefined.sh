#!/usr/bin/env bash
# check-undefined.sh [--cc CC] [--nm NM] [--readelf READELF] FILE...
#
# The no-libc build's promise (docs/embedding.md), checked on built files:
#   *.a    every symbol left undefined by the archive as a whole (referenced
#          by a member, defined by none) must be a libgcc helper, i.e. be
#          defined in CC's libgcc.a;
#   *.so*  no NEEDED entry and no undefined dynamic symbol.
# Prints what it found per file; exits 1 on anything unexpected.
# Also used for cross builds (tests/cross/check.sh) with the cross tools.
set -euo pipefail

cc=${CC:-cc} nm=nm readelf=readelf
while (($#)); do
    case $1 in
    --cc) cc=$2; shift 2 ;;
    --nm) nm=$2; shift 2 ;;
    --readelf) readelf=$2; shift 2 ;;
    *) break ;;
    esac
done
(($#)) || { echo "usage: $0 [--cc CC] [--nm NM] [--readelf READELF] FILE..." >&2; exit 2; }

libgcc=$("$cc" -print-libgcc-file-name)
[[ -f $libgcc ]] || { echo "check-undefined: no libgcc.a for $cc ($libgcc)" >&2; exit 2; }
allowed=$("$nm" --defined-only "$libgcc" 2> /dev/null | awk 'NF == 3 { print $3 }' | sort -u)

status=0
for f in "$@"; do
    case $f in
    *.a)
        undefined=$(comm -23 <("$nm" -u "$f" | awk 'NF == 2 { print $2 }' | sort -u) \
                             <("$nm" --defined-only "$f" | awk 'NF == 3 { print $3 }' | sort -u))
        helpers=$(comm -12 <(printf '%s\n' "$undefined" | sed '/^$/d') <(printf '%s\n' "$allowed"))
        bad=$(comm -23 <(printf '%s\n' "$undefined" | sed '/^$/d') <(printf '%s\n' "$allowed"))
        echo "$f: libgcc helpers:" ${helpers:-none}
        if [[ -n $bad ]]; then
            echo "$f: UNEXPECTED undefined symbols:" $bad
            status=1
        fi
        ;;
    *.so*)
        needed=$("$readelf" -d "$f" | awk '/\(NEEDED\)/ { print $NF }')
        undefined=$("$nm" -D --undefined-only "$f" | awk '{ print $NF }')
        echo "$f: NEEDED:" ${needed:-none} "; undefined dynamic:" ${undefined:-none}
        if [[ -n $needed || -n $undefined ]]; then
            echo "$f: UNEXPECTED dependency"
            status=1
        fi
        ;;
    *)
        echo "check-undefined: $f: neither an archive nor a shared object" >&2
        exit 2
        ;;
    esac
done
exit $status
