#!/usr/bin/env bash
# tests/e2e/check-list.sh: the committed tests/e2e/list.am is what
# tests/e2e/gen-list makes of the files tests/e2e/e2e-*.sh, so that a test
# added (or removed, or marked) without the list being written again fails
# here instead of silently not running.  Prints TAP.
set -u
top=${DDTREE_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
echo "1..1"
want=$(bash "$top/tests/e2e/gen-list" --print 2>&1) || {
	echo "not ok 1 - tests/e2e/gen-list failed"
	printf '%s\n' "$want" | sed 's/^/# /'
	exit 1
}
if [ "$want" = "$(cat "$top/tests/e2e/list.am" 2>/dev/null)" ]; then
	echo "ok 1 - tests/e2e/list.am names every tests/e2e/e2e-*.sh"
else
	echo "not ok 1 - tests/e2e/list.am differs from the tests in tests/e2e (run tests/e2e/gen-list, or scripts/build)"
	diff <(cat "$top/tests/e2e/list.am" 2>/dev/null) <(printf '%s\n' "$want") | sed 's/^/# /'
	exit 1
fi
