#!/usr/bin/env bash
# Runs the libFuzzer target tests/fuzz/fuzz_api (docs/reliability.md).
#
#   tests/fuzz/run-long.sh [SECONDS] [libFuzzer options...]
#
# SECONDS defaults to 3600; CI runs it with 60. Builds build-rel-fuzz/ with
# clang (-DBAREURING_FUZZ=ON) when needed. The corpus is kept in
# build-rel-fuzz/fuzz-corpus and grows from run to run; an input that breaks
# an invariant is saved in build-rel-fuzz/fuzz-artifacts/ and the script
# exits non-zero. Replay one with: build-rel-fuzz/tests/fuzz/fuzz_api FILE
# (or build-rel/tests/fuzz/fuzz_api_replay FILE in a gcc build).
#
# BAREURING_FUZZ_JOBS=N runs N fuzzing processes (libFuzzer -fork=N);
# BAREURING_JOBS is the build parallelism (default 2).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
secs=${1:-3600}
[[ $# -gt 0 ]] && shift
dir=$root/build-rel-fuzz
corpus=$dir/fuzz-corpus
artifacts=$dir/fuzz-artifacts

if ! command -v clang++ > /dev/null; then
    echo "run-long.sh: clang++ not found (apt-get install clang libclang-rt-dev)" >&2
    exit 1
fi
CC=clang CXX=clang++ cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBAREURING_FUZZ=ON -DBAREURING_TESTS=ON -DBAREURING_TOOLS=OFF -DBAREURING_NOLIBC=OFF > "$dir.configure.log" 2>&1 ||
    { cat "$dir.configure.log"; exit 1; }
cmake --build "$dir" -j "${BAREURING_JOBS:-2}" --target fuzz_api
[[ -x $dir/tests/fuzz/fuzz_api ]] || { echo "run-long.sh: fuzz_api was not built (see $dir.configure.log)" >&2; exit 1; }

mkdir -p "$corpus" "$artifacts"
args=(-max_total_time="$secs" -max_len=1024 -timeout=120 -rss_limit_mb=4096 -print_final_stats=1
      -artifact_prefix="$artifacts/")
fuzz_jobs=${BAREURING_FUZZ_JOBS:-1}
if ((fuzz_jobs > 1)); then
    args+=(-fork="$fuzz_jobs")
fi
echo "==> fuzzing for ${secs}s (corpus $corpus: $(find "$corpus" -type f | wc -l) inputs)"
exec "$dir/tests/fuzz/fuzz_api" "${args[@]}" "$@" "$corpus"
