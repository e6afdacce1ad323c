# shellcheck shell=bash
# Sourced by tools/demo.sh, tests/run.sh and .ci/run (bash).
#
# ensure_packages WHO PACKAGE...: makes sure the Debian packages are
# installed. As root it installs the missing ones with apt-get; otherwise it
# prints the apt-get command and exits 1 (call it in a subshell to get a
# status instead, as .ci/run does). If apt-get fails it returns 1. On a
# system without dpkg it assumes the packages are there and says so.
ensure_packages() {
    local who=$1
    shift
    if ! command -v dpkg-query > /dev/null; then
        echo "$who: not a Debian system; assuming these are installed: $*" >&2
        return
    fi
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return
    if [[ $(id -u) != 0 ]]; then
        echo "$who: missing packages; install them with:" >&2
        echo "  sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "==> installing ${missing[*]}"
    if ! apt-get update -qq || ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; then
        echo "$who: could not install ${missing[*]}" >&2
        return 1
    fi
}
