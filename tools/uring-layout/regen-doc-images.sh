#!/usr/bin/env bash
# Regenerates the ring diagrams in docs/images/ from live rings, with the
# uring-layout binary of a build directory:
#   tools/uring-layout/regen-doc-images.sh [BUILD_DIR]   (default: build)
# Each image is one `uring-layout <options> --svg FILE` run; addresses and
# the kernel release in the images change from run to run, offsets do not.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
tool=$build/tools/uring-layout/uring-layout
out=$root/docs/images
if [[ ! -x $tool ]]; then
    echo "regen-doc-images: $tool not found; build the uring-layout target first" >&2
    exit 1
fi
mkdir -p "$out"

# name  options
images=(
    "layout-default|"
    "layout-sqpoll|--sqpoll"
    "layout-sqarray|--sqarray"
    "layout-sqe128-cqe32|--sqe128 --cqe32"
    "layout-no-mmap|--no-mmap"
    "layout-app-mem|--app-mem"
)
for entry in "${images[@]}"; do
    name=${entry%%|*}
    opts=${entry#*|}
    # shellcheck disable=SC2086 # options are meant to split
    "$tool" $opts --svg "$out/$name.svg" > /dev/null
    echo "wrote docs/images/$name.svg  (uring-layout $opts)"
done
