#!/usr/bin/env bash
# tests/scripts/build-reconfigure.sh: the README's two commands in the
# README's order (issue 11).  On a fresh machine scripts/demo configures
# build/ before scripts/test installs cmocka; scripts/build must then
# configure again, or make check stops with "make check needs cmocka ...
# re-run configure" however often the test command is run.
#
# Simulated in a scratch build directory: for the first build a pkg-config
# wrapper first on PATH hides cmocka, as if it were not installed yet.
# scripts/build runs with MAKE set to a stub that only records scripts/build's
# own make commands, so that configure runs for real but nothing is compiled
# (a whole build would take minutes on a busy machine); `make -n check` then
# shows what make check would do.  Prints TAP.
set -u
top=${DDTREE_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d "${TMPDIR:-/tmp}/ddtree-build-reconfigure.XXXXXX")
trap 'rm -rf "$work"' EXIT
# not the settings of the make check that runs this test
unset MAKEFLAGS MFLAGS MAKELEVEL PKG_CONFIG DDTREE_SANITIZE

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift
	local f; for f in "$@"; do [ -f "$f" ] && sed 's/^/# /' "$f"; done
}
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d" "$work/out" "$work/err"; fi; }

real_pc=$(command -v pkg-config) || { echo "1..0 # SKIP no pkg-config"; exit 0; }
"$real_pc" --exists cmocka || { echo "1..0 # SKIP cmocka is not installed"; exit 0; }
mkdir "$work/hide"
cat >"$work/hide/pkg-config" <<WRAP
#!/bin/sh
# pkg-config as if cmocka were not installed
for a; do case \$a in cmocka|cmocka[\ \<\>=]*) echo "Package cmocka was not found" >&2; exit 1 ;; esac; done
exec '$real_pc' "\$@"
WRAP
real_make=$(command -v make)
# scripts/build's own calls start with -s: record them and build nothing;
# configure's probes of make (make -f conftest...) go to the real make
cat >"$work/make" <<STUB
#!/bin/sh
if [ "\$1" = -s ]; then echo "\$*" >>"\$MAKE_LOG"; exit 0; fi
exec '$real_make' "\$@"
STUB
chmod +x "$work/hide/pkg-config" "$work/make"
export MAKE="$work/make" MAKE_LOG="$work/make.log"
b=$work/build

# build [PATH-PREFIX]: scripts/build on the scratch directory
build() {
	: >"$MAKE_LOG"
	PATH="${1:+$1:}$PATH" "$top/scripts/build" "$b" >"$work/out" 2>"$work/err"
}
# what `make check` would do (the real make: MAKE names the stub)
# shellcheck disable=SC2317  # called through check
needs_cmocka() { env -u MAKE make -n -C "$b" check 2>&1 | grep -q 'make check needs cmocka'; }

echo "1..13"
# 1. scripts/demo: cmocka not installed yet
check "first build without cmocka" build "$work/hide"
check "configure found no cmocka" grep -qx 'have_cmocka = no' "$b/Makefile"
check "no test programs built without cmocka" bash -c "! grep -q check '$MAKE_LOG'"
check "make check would stop: it needs cmocka (the issue)" needs_cmocka

# 2. scripts/test: cmocka installed now
touch -r "$b/config.status" "$work/stamp"
check "build again with cmocka" build
check "it said why it configured again" grep -q 'cmocka: none -> ' "$work/err"
check "configure ran again and found cmocka" \
	bash -c "[ '$b/config.status' -nt '$work/stamp' ] && grep -qx 'have_cmocka = yes' '$b/Makefile'"
check "the test programs are built" grep -qx -- '-s -j[0-9]* check TESTS=' "$MAKE_LOG"
check "make check no longer stops for cmocka" eval '! needs_cmocka'
check "make check would build and run the unit tests" \
	eval "env -u MAKE make -n -C '$b' check 2>&1 | grep -q 'tests/unit/test-config'"

# 3. the same libraries: no configure
touch -r "$b/config.status" "$work/stamp"
build
check "a third build does not configure" \
	bash -c "[ ! '$b/config.status' -nt '$work/stamp' ] && [ ! -s '$work/err' ]"

# 4. cmocka removed again: configure again, and do not build the tests
build "$work/hide"
check "a library that went away configures again" grep -q 'cmocka: [0-9.]* -> none' "$work/err"
check "and the test programs are not built" \
	bash -c "grep -qx 'have_cmocka = no' '$b/Makefile' && ! grep -q check '$MAKE_LOG'"
exit $failed
