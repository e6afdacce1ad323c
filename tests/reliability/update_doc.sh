#!/usr/bin/env bash
# Regenerates the bad-input table in docs/reliability.md from a run of
# reliability_bad_input_test (the text between the bad-input-table markers
# is replaced; nothing else in the file changes).
#
#   tests/reliability/update_doc.sh [BUILD_DIR]     (default build-rel)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build-rel}
doc=$root/docs/reliability.md
test=$build/tests/reliability/reliability_bad_input_test
[[ -x $test ]] || { echo "update_doc.sh: build $test first" >&2; exit 1; }

table=$(mktemp)
trap 'rm -f "$table"' EXIT
BAREURING_BAD_INPUT_TABLE=$table "$test" > /dev/null

python3 - "$doc" "$table" <<'PY'
import sys
doc, table = sys.argv[1], sys.argv[2]
begin, end = "<!-- bad-input-table:begin -->", "<!-- bad-input-table:end -->"
text = open(doc).read()
if begin not in text or end not in text:
    sys.exit("update_doc.sh: markers not found in " + doc)
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(doc, "w").write(head + begin + "\n" + open(table).read() + end + tail)
PY
echo "updated $doc ($(grep -c '^| `' "$table") rows)"
