#!/usr/bin/env bash
# The command line end to end: --help, --version, usage errors, the demo
# tables, `tables` in both output forms, and a dead endpoint.
. "$(dirname "$0")/lib.sh"
plan 16

out=$("$DDTREE_BIN" --help); rc=$?
check "--help exits 0" test "$rc" = 0
check "--help lists the tables command" contains "$out" "tables"
out=$("$DDTREE_BIN" --version); rc=$?
check "--version prints the version" contains "$out" "ddtree 0."

"$DDTREE_BIN" --endpoint-url "$E" no-such-command 2>"$WORK/err"; rc=$?
check "unknown command exits 2" test "$rc" = 2
check "unknown command is named" grep -q "unknown command 'no-such-command'" "$WORK/err"

ddtree demo --prefix "$PREFIX" 2>"$WORK/err" >/dev/null; rc=$?
check "demo creates the tables" test "$rc" = 0

out=$(ddtree tables); rc=$?
check "tables exits 0" test "$rc" = 0
line=$(printf '%s\n' "$out" | grep "^${PREFIX}chainlit ")
check "the Chainlit table is detected" contains "$line" " chainlit "
line=$(printf '%s\n' "$out" | grep "^${PREFIX}stache-documents ")
check "the Stache documents table is detected" contains "$line" "stache-documents"

out=$(ddtree --json tables | grep "\"${PREFIX}stache-namespaces\"")
check "--json gives one object per table with its layout" \
	contains "$out" '"layout":"stache-namespaces"'

# a dead endpoint: a clear error, exit 3, no hang
start=$(date +%s)
"$DDTREE_BIN" --endpoint-url http://127.0.0.1:9 --max-attempts 2 tables 2>"$WORK/err"; rc=$?
check "a dead endpoint exits 3" test "$rc" = 3
check "a dead endpoint says what failed" grep -q "127.0.0.1:9" "$WORK/err"

# read-only: from the config file, and by default for a remote endpoint
mkdir -p "$WORK/cfg/ddtree"
printf 'set read-only true   # a comment\n' >"$WORK/cfg/ddtree/config"
XDG_CONFIG_HOME="$WORK/cfg" "$DDTREE_BIN" --endpoint-url "$E" demo --prefix "${PREFIX}ro-" 2>"$WORK/err"; rc=$?
check "the config file's read-only refuses writes (exit 2)" test "$rc" = 2
check "the refusal says why" grep -q "read-only: the config file says set read-only true" "$WORK/err"
# a remote endpoint: refused before any request (this machine has no route there)
"$DDTREE_BIN" --endpoint-url https://dynamodb.eu-west-1.amazonaws.com --region eu-west-1 demo 2>"$WORK/err"; rc=$?
check "a remote endpoint is read-only without --write" test "$rc" = 2
check "the refusal names the endpoint rule" grep -q "not on this machine (pass --write" "$WORK/err"
