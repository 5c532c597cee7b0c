#!/usr/bin/env bash
# The message log (issue 14): every message that reaches the status line is
# kept whole (:messages, M), the status line cuts it with a hint; an error
# node in the tree shows its whole message in the list pane.  After an
# endpoint dies mid-write (the fault-injecting proxy resets every request
# from the write on) and after bad credentials (a profile without keys).
. "$(dirname "$0")/lib.sh"
plan 12

"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
ARGS=(--chainlit-table "${PREFIX}chainlit" --namespace-table "${PREFIX}stache-namespaces"
      --documents-table "${PREFIX}stache-documents")
TID=$("$DDTREE_BIN" --endpoint-url "$E" "${ARGS[@]}" --json threads alice@example.com | jq -r .id | head -1)


# ---- 1. the endpoint dies mid-write ----
# every request from the write on is reset: the write, the read-back
proxy die --plan-from UpdateItem --plan 'reset*100'
cat >"$WORK/w" <<SCRIPT
:thread $TID
G
+
:save-display $WORK/w-status.txt
M
:save-display $WORK/w-log.txt
q
:messages
:save-display $WORK/w-log2.txt
q
q
SCRIPT
COLUMNS=80 LINES=24 TERM=xterm-256color LANG=C.UTF-8 DDTREE_SCRIPT="$WORK/w" \
	"$DDTREE_BIN" --endpoint-url "$P" --max-attempts 1 "${ARGS[@]}" </dev/null 2>"$WORK/w.err"; rc=$?
check "the browser ends normally after the endpoint died (exit $rc)" test "$rc" = 0
check "the proxy reset the write" grep -q "reset DynamoDB_20120810.UpdateItem" "$WORK/die.log"
grep -q "reset DynamoDB_20120810.UpdateItem" "$WORK/die.log" ||
	{ sed 's/^/# proxy: /' "$WORK/die.log"; sed 's/^/# screen: /' "$WORK/w-status.txt"; }
check "the status line shows the error cut, with the hint" \
	bash -c "tail -1 '$WORK/w-status.txt' | grep -q '^ writing feedback on THREAD#.*… (M: messages)\$'"
check "M opens the message log" grep -q "^messages, newest last" "$WORK/w-log.txt"
check "... with the write's error in full, wrapped" \
	bash -c "tr -s ' \n' ' ' <'$WORK/w-log.txt' | grep -q 'error writing feedback on THREAD#$TID / STEP#[0-9a-f-]* failed, and reading it back failed too: it may or may not have been written (your text is kept: e to retry)'"
check "... each entry with its time, the notice before the error (newest last)" \
	bash -c "grep -nE '^[0-9]{2}:[0-9]{2}:[0-9]{2} (notice|error) ' '$WORK/w-log.txt' | head -2 | tr '\n' ' ' | grep -qE 'notice  saving feedback.* error  writing feedback'"
check ":messages shows the same log" \
	bash -c "diff <(sed 1d '$WORK/w-log.txt') <(sed 1d '$WORK/w-log2.txt') >/dev/null"

# ---- 2. bad credentials: a profile without keys on a remote endpoint ----
printf '[profile nokeys]\nregion = us-east-1\n' >"$WORK/config"
cat >"$WORK/c" <<SCRIPT
:save-display $WORK/c-start.txt
jj
:save-display $WORK/c-node.txt
M
:save-display $WORK/c-log.txt
q
q
SCRIPT
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE \
	AWS_CONFIG_FILE="$WORK/config" AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	AWS_CONTAINER_CREDENTIALS_RELATIVE_URI= AWS_CONTAINER_CREDENTIALS_FULL_URI= \
	COLUMNS=80 LINES=24 TERM=xterm-256color LANG=C.UTF-8 DDTREE_SCRIPT="$WORK/c" DDTREE_SCRIPT_WAIT=30 \
	"$DDTREE_BIN" --endpoint-url https://dynamodb.invalid --profile nokeys </dev/null 2>"$WORK/c.err"; rc=$?
check "the browser starts and ends without credentials (exit $rc)" test "$rc" = 0
check "the status line cuts the credentials error with the hint" \
	bash -c "tail -1 '$WORK/c-start.txt' | grep -q 'no AWS credentials found for profile nokeys.*… (M: messages)\$'"
check "the error node shows its whole message in the list pane" \
	bash -c "sed 's/^.*│//' '$WORK/c-node.txt' | tr -s ' \n' ' ' | grep -q 'or choose another profile with --profile\.'"
check "the log has every source tried, wrapped to the width" \
	bash -c "tr -s ' \n' ' ' <'$WORK/c-log.txt' | grep -q 'error tables: no AWS credentials found for profile nokeys. Tried, in order: .* choose another profile with --profile.' && ! grep -q '.\{81\}' '$WORK/c-log.txt'"
check "no line of the log is cut" bash -c "! grep -q '…' '$WORK/c-log.txt'"
