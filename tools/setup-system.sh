#!/usr/bin/env bash
# System-level prerequisites that pip cannot install. Called by the Makefile.
#
#   tools/setup-system.sh venv   # Python >= 3.10 with a working `python -m venv`
#   tools/setup-system.sh dot    # the Graphviz `dot` program
#   tools/setup-system.sh browser  # Chromium and chromedriver (the explorer's browser tests)
#   tools/setup-system.sh chktex   # Debian's LaTeX lint (the derive --format latex tests)
#   tools/setup-system.sh        # all of them
#
# Silent when everything is already present. Installs missing pieces with
# apt-get (as root, or via sudo), one line each, apt-get's output in a log shown
# only if it fails; elsewhere it says what to install and fails.
# The interpreter checked is $PYTHON (default python3), as in the Makefile.
set -euo pipefail

PYTHON="${PYTHON:-python3}"

say() { printf 'setup-system: %s\n' "$*" >&2; }
die() { say "$@"; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        # `env` because sudo drops most of the caller's environment.
        sudo env DEBIAN_FRONTEND=noninteractive "$@"
    fi
}

# apt_install PKG...: apt-get update + install, as root or via sudo.
# Callers check that apt-get exists first.
apt_install() {
    local cmd="apt-get update && apt-get install -y --no-install-recommends $*"
    export DEBIAN_FRONTEND=noninteractive
    if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
        die "need root to install $*. As root, run the line below, then re-run make:
    $cmd"
    fi
    # apt-get's output goes to a log, shown (its end) only if it fails.
    local log
    log=$(mktemp "${TMPDIR:-/tmp}/micrograd_nn-apt-get.XXXXXX")
    printf 'setup-system: installing %s with apt-get ... ' "$*" >&2
    if { as_root apt-get update -q &&
        as_root apt-get install -y -q --no-install-recommends "$@"; } >"$log" 2>&1; then
        printf 'done\n' >&2
        rm -f "$log"
    else
        printf 'FAILED\nthe last lines of %s:\n' "$log" >&2
        tail -n 40 "$log" >&2
        die "apt-get failed; the command was: $cmd"
    fi
}

have_apt() { command -v apt-get >/dev/null 2>&1; }

check_venv() {
    command -v "$PYTHON" >/dev/null 2>&1 ||
        die "'$PYTHON' not found. Install Python 3.10 or newer, or run: make PYTHON=/path/to/python3"
    # This also works on Python 2, so an old interpreter gets this message
    # rather than a syntax error.
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
        die "micrograd_nn needs Python 3.10 or newer, but '$PYTHON' is $("$PYTHON" -V 2>&1).
Install a newer Python, or point make at one: make PYTHON=python3.12"
    fi
    # Debian/Ubuntu ship ensurepip (needed by `python -m venv`) separately, in
    # python3.X-venv; without it venv fails half-way.
    "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 && return 0
    local ver
    ver=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    have_apt ||
        die "'$PYTHON' cannot create virtual environments (no ensurepip/venv module).
Install your OS's venv support for Python $ver, or use a python.org/pyenv build."
    apt_install "python$ver-venv"
    "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 ||
        die "'$PYTHON' still has no ensurepip after installing python$ver-venv;
is it the system Python? Try: make PYTHON=/usr/bin/python$ver"
}

check_dot() {
    command -v dot >/dev/null 2>&1 && return 0
    have_apt ||
        die "the Graphviz 'dot' program is missing. Install Graphviz and re-run make:
    macOS: brew install graphviz
    other: https://graphviz.org/download/"
    apt_install graphviz
    dot -V >/dev/null 2>&1 || die "installed graphviz but 'dot' still does not run"
}

# Chromium and its driver, for the explorer's browser tests (tests/test_explore_browser.py).
check_browser() {
    command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && return 0
    have_apt ||
        die "the browser tests need Chromium and chromedriver; install them and re-run make"
    apt_install chromium chromium-driver
}

# chktex, a LaTeX lint without a TeX distribution, for tests/test_derive_formats.py.
check_chktex() {
    command -v chktex >/dev/null 2>&1 && return 0
    have_apt || die "the LaTeX tests need chktex (a LaTeX lint); install it and re-run make"
    apt_install chktex
}

case "${1:-all}" in
    venv) check_venv ;;
    dot) check_dot ;;
    browser) check_browser ;;
    chktex) check_chktex ;;
    all) check_venv; check_dot; check_browser; check_chktex ;;
    *) die "usage: $0 [venv|dot|browser|chktex|all]" ;;
esac
