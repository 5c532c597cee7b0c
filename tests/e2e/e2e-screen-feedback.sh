#!/usr/bin/env bash
# Feedback editing in the browser, driven by scripts: create, edit, delete,
# cancel, a conflict with a second writer (overwrite and keep), read-only.
# After each, the stored step is read back directly and compared with the
# exact shape Chainlit writes (SCHEMAS.md B.5).
. "$(dirname "$0")/lib.sh"
plan 43

"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
CT="${PREFIX}chainlit"
ARGS=(--chainlit-table "$CT" --namespace-table "${PREFIX}stache-namespaces" --documents-table "${PREFIX}stache-documents")

# a thread of alice's, and its steps
TID=$(newest_thread "$CT" alice@example.com)
check "found a thread of alice's" test -n "$TID"

# steps of the thread in the order the browser shows them is not known here;
# the browser's ] and } jump to steps with / without feedback.
# the step id under the cursor: y copies it into the status line
cat >"$WORK/s1" <<SCRIPT
:thread $TID
}
y
:save-display $WORK/sel.txt
SCRIPT
run_script 120x30 "$WORK/s1" "${ARGS[@]}"
SID=$(sed -n 's/.*copied id: \([0-9a-f-]*\).*/\1/p' "$WORK/sel.txt")
check "a step without feedback is selected" test -n "$SID"
no_feedback() { ! step_item "$1" | grep -q '"feedback"'; }
check "it has no feedback stored" no_feedback "$SID"

# 1. create: open the form, thumbs down, type a comment, save
cat >"$WORK/s2" <<SCRIPT
:thread $TID
}
e
:save-display $WORK/form.txt
<Tab><Tab><Tab>
<Space>
<Tab>
Réponse trop vague 😕<Enter>second line
<C-s>
:save-display $WORK/after-create.txt
SCRIPT
run_script 120x30 "$WORK/s2" "${ARGS[@]}"
check "the form shows the value and comment fields" grep -q "Value:.*thumbs up.*thumbs down" "$WORK/form.txt"
item=$(step_item "$SID")
want="{\"M\":{\"forId\":{\"S\":\"$SID\"},\"value\":{\"N\":\"0\"},\"threadId\":{\"S\":\"$TID\"},\"id\":{\"S\":\"THREAD#$TID::STEP#$SID\"},\"comment\":{\"S\":\"Réponse trop vague 😕\\nsecond line\"}}}"
fb_equal() {   # fb_equal ITEM_JSON WANT_FEEDBACK_JSON: the same map, whatever the key order
	[ "$(jq -S .Item.feedback <<<"$1")" = "$(jq -S . <<<"$2")" ]
}
check "create stores exactly Chainlit's five-field map (value 0, comment)" fb_equal "$item" "$want"
check "the screen shows the stored feedback" grep -q "👎 Réponse" "$WORK/after-create.txt"

# 2. edit: + sets thumbs up keeping the comment
cat >"$WORK/s3" <<SCRIPT
:thread $TID
/$SID
<Enter>
+
:save-display $WORK/after-up.txt
SCRIPT
run_script 120x30 "$WORK/s3" "${ARGS[@]}"
item=$(step_item "$SID")
want="{\"M\":{\"forId\":{\"S\":\"$SID\"},\"value\":{\"N\":\"1\"},\"threadId\":{\"S\":\"$TID\"},\"id\":{\"S\":\"THREAD#$TID::STEP#$SID\"},\"comment\":{\"S\":\"Réponse trop vague 😕\\nsecond line\"}}}"
check "+ sets value 1 and keeps the comment" fb_equal "$item" "$want"

# 3. cancel: open the form, change everything, Esc: nothing is written
cat >"$WORK/s4" <<SCRIPT
:thread $TID
/$SID
<Enter>
e
<Tab><Tab><Tab>
<Space>
<Tab>
changed my mind
<Esc>
:save-display $WORK/after-cancel.txt
SCRIPT
run_script 120x30 "$WORK/s4" "${ARGS[@]}"
check "cancel writes nothing" fb_equal "$(step_item "$SID")" "$want"
check "cancel says so" grep -q "feedback not changed" "$WORK/after-cancel.txt"

# 4. conflict: a second writer changes the feedback while the form is open
theirs="{\"M\":{\"forId\":{\"S\":\"$SID\"},\"value\":{\"N\":\"0\"},\"threadId\":{\"S\":\"$TID\"},\"id\":{\"S\":\"THREAD#$TID::STEP#$SID\"},\"comment\":{\"S\":\"theirs\"}}}"
cat >"$WORK/writer.sh" <<W
curl -sf -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: DynamoDB_20120810.UpdateItem' \
 -H 'X-Amz-Date: 20000101T000000Z' -H 'Authorization: AWS4-HMAC-SHA256 Credential=ddtreetest/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
 --data-binary '{"TableName":"$CT","Key":{"PK":{"S":"THREAD#$TID"},"SK":{"S":"STEP#$SID"}},"UpdateExpression":"SET #f = :f","ExpressionAttributeNames":{"#f":"feedback"},"ExpressionAttributeValues":{":f":$theirs}}' $E/ >/dev/null
W
cat >"$WORK/s5" <<SCRIPT
:thread $TID
/$SID
<Enter>
e
:system bash $WORK/writer.sh
<End> mine
<C-s>
:save-display $WORK/conflict.txt
<Esc>
:save-display $WORK/after-keep.txt
SCRIPT
run_script 120x30 "$WORK/s5" "${ARGS[@]}"
check "the conflict is reported" grep -q "Someone changed this feedback" "$WORK/conflict.txt"
check "the conflict shows the stored version" grep -q "theirs" "$WORK/conflict.txt"
check "the conflict shows mine" grep -q "second line mine" "$WORK/conflict.txt"
check "nothing was overwritten" fb_equal "$(step_item "$SID")" "$theirs"
check "keeping theirs shows the stored feedback" grep -q "👎 theirs" "$WORK/after-keep.txt"

# 5. conflict, then overwrite explicitly
cat >"$WORK/s6" <<SCRIPT
:thread $TID
/$SID
<Enter>
e
:system bash $WORK/writer.sh
<End> again
<C-s>
o
:save-display $WORK/after-overwrite.txt
SCRIPT
# make the writer change it to something else first so the form's read is stale
sed -i 's/"theirs"/"theirs 2"/' "$WORK/writer.sh"
run_script 120x30 "$WORK/s6" "${ARGS[@]}"
item=$(step_item "$SID")
want="{\"M\":{\"forId\":{\"S\":\"$SID\"},\"value\":{\"N\":\"0\"},\"threadId\":{\"S\":\"$TID\"},\"id\":{\"S\":\"THREAD#$TID::STEP#$SID\"},\"comment\":{\"S\":\"theirs again\"}}}"
check "overwrite stores mine after seeing theirs" fb_equal "$item" "$want"

# 6. delete, with confirmation (n first: nothing happens)
cat >"$WORK/s7" <<SCRIPT
:thread $TID
/$SID
<Enter>
D
n
:save-display $WORK/after-no.txt
D
y
:save-display $WORK/after-delete.txt
SCRIPT
run_script 120x30 "$WORK/s7" "${ARGS[@]}"
check "answering n keeps the feedback" grep -q "not deleted" "$WORK/after-no.txt"
item=$(step_item "$SID")
check "delete removes the map and keeps the step" bash -c "grep -q '\"createdAt\"' <<<'$item' && ! grep -q '\"feedback\"' <<<'$item'"

# 7. read-only: every write key is refused before any request
cat >"$WORK/s8" <<SCRIPT
:thread $TID
/$SID
<Enter>
+
:save-display $WORK/ro.txt
e
:save-display $WORK/ro-e.txt
SCRIPT
run_script 120x30 "$WORK/s8" "${ARGS[@]}" --read-only
check "read-only refuses +" grep -q "read-only: --read-only was given" "$WORK/ro.txt"
check "read-only refuses the form" grep -q "read-only" "$WORK/ro-e.txt"
check "read-only wrote nothing" no_feedback "$SID"
check "the header says read-only" grep -q "\[read-only\]" "$WORK/ro.txt"

# 9. the tree's feedback counts follow the browser's own writes (no R on
# Conversations needed): the first thread of alice's ends with a thumbs up
# with a comment (+1-0 and the comment mark); - makes it +0-1, D removes it
cat >"$WORK/s9" <<SCRIPT
:user alice@example.com
j
:save-display $WORK/counts0.txt
<Tab>
G
-
:save-display $WORK/counts-down.txt
:only negative
:save-display $WORK/counts-neg.txt
:only all
D
y
:save-display $WORK/counts-del.txt
:only comments
:save-display $WORK/counts-com.txt
SCRIPT
run_script 120x30 "$WORK/s9" "${ARGS[@]}"
# the first thread's line: the one after the user's
when=$(grep -A1 -- '- alice@example.com' "$WORK/counts0.txt" | tail -1 | sed -nE 's/^ +(20[0-9-]+ [0-9:]+) .*/\1/p')
line_of() { grep -E "^ +$when" "$1" | head -1; }
check "the first thread shows +1-0 and a comment before the writes ($(line_of "$WORK/counts0.txt"))" \
	bash -c "[ -n '$when' ] && grep -qE '^ +$when \+1-0✎ ' '$WORK/counts0.txt'"
check "- on its step turns the thread's counts into +0-1 ($(line_of "$WORK/counts-down.txt"))" \
	grep -qE "^ +$when \+0-1✎ " "$WORK/counts-down.txt"
check ":only negative uses the new counts (the thread is shown)" grep -qE "^ +$when " "$WORK/counts-neg.txt"
check "deleting its only feedback removes the counts ($(line_of "$WORK/counts-del.txt"))" \
	bash -c "grep -q 'feedback deleted' '$WORK/counts-del.txt' && grep -qE '^ +$when  [^ ]' '$WORK/counts-del.txt'"
check ":only comments uses the new counts (the thread is hidden)" \
	bash -c "! grep -qE '^ +$when ' '$WORK/counts-com.txt'"

# 10. conflicts, the second writer being ddtree feedback set: after "keep
# theirs" (r), e edits the stored version, not the discarded draft; a delete
# conflict offers what a delete can do (delete anyway, keep theirs, edit
# theirs), and the status line no longer says "saving feedback..."
W="$DDTREE_BIN --endpoint-url $E --chainlit-table $CT feedback set $TID $SID"
cat >"$WORK/s10" <<SCRIPT
:thread $TID
/$SID
<Enter>
e
v1XYZ
:system $W --value up --comment v4 >/dev/null
<C-s>
:save-display $WORK/conflict-set.txt
r
e
:save-display $WORK/after-keep-e.txt
<Esc>
D
:system $W --value down --comment c5 >/dev/null
y
:save-display $WORK/conflict-del.txt
e
:save-display $WORK/conflict-del-e.txt
<Esc>
D
:system $W --value up --comment c6 >/dev/null
y
o
:save-display $WORK/conflict-del-o.txt
SCRIPT
run_script 120x30 "$WORK/s10" "${ARGS[@]}"
check "a set conflict shows theirs (v4) and mine (v1XYZ)" \
	bash -c "grep -q '^ *v4' '$WORK/conflict-set.txt' && grep -q '^ *v1XYZ' '$WORK/conflict-set.txt'"
check "after r (keep theirs), e edits the stored comment, not the dropped draft" \
	bash -c "grep -q '^ *v4▏' '$WORK/after-keep-e.txt' && ! grep -q v1XYZ '$WORK/after-keep-e.txt'"
check "a delete conflict offers to delete anyway and to edit the stored one, not to edit mine" \
	bash -c "grep -q 'o: delete it anyway' '$WORK/conflict-del.txt' && grep -q 'e: edit the stored one' '$WORK/conflict-del.txt' && ! grep -q 'edit yours' '$WORK/conflict-del.txt'"
check "the status line does not say 'saving feedback...' under a conflict" \
	bash -c "! grep -q 'saving feedback' '$WORK/conflict-set.txt' && ! grep -q 'saving feedback' '$WORK/conflict-del.txt'"
check "e after a delete conflict edits theirs (thumbs down, c5)" \
	bash -c "grep -q '( ) thumbs up   (\*) thumbs down' '$WORK/conflict-del-e.txt' && grep -q '^ *c5▏' '$WORK/conflict-del-e.txt'"
check "o after a delete conflict deletes theirs" grep -q 'feedback deleted' "$WORK/conflict-del-o.txt"
check "... and nothing is stored" no_feedback "$SID"

# 11. the form scrolls its comment to the cursor: a 15-line comment at
# 80x24 keeps the line being typed and the buttons on the screen; at 50x10
# the comment is still there (the form drops its ids and rules first)
{
	printf ':thread %s\n/%s\n<Enter>\ne\n' "$TID" "$SID"
	for i in $(seq 1 14); do printf 'line %s of a long comment<Enter>\n' "$i"; done
	printf 'line 15 typed\n:save-display %s\n' "$WORK/form-long.txt"
	printf ':resize 50x10\n:save-display %s\n' "$WORK/form-small.txt"
	printf '<Up><Up><Up><Up><Up><Up>\n:save-display %s\n<Esc>\n' "$WORK/form-small-up.txt"
} >"$WORK/s11"
run_script 80x24 "$WORK/s11" "${ARGS[@]}"
check "80x24, a 15-line comment: the line being typed and the buttons are on the screen" \
	bash -c "grep -q '^ *line 15 typed▏' '$WORK/form-long.txt' && grep -q '\[ Save \]' '$WORK/form-long.txt' && grep -q '(2 more lines above)' '$WORK/form-long.txt'"
check "50x10: the comment's cursor line and the buttons are on the screen" \
	bash -c "grep -q '^ *line 15 typed▏' '$WORK/form-small.txt' && grep -q '\[ Save \]' '$WORK/form-small.txt'"
check "50x10: the comment scrolls up with the cursor" \
	bash -c "grep -q '^ *line 9 of a l▏ong' '$WORK/form-small-up.txt' && ! grep -q 'line 15' '$WORK/form-small-up.txt' && grep -q '\[ Save \]' '$WORK/form-small-up.txt'"

# 12. an invalid stored value (2, as a Slack integration wrote it): the
# form selects neither and says why; saving asks for a choice first
slack="{\"M\":{\"forId\":{\"S\":\"$SID\"},\"value\":{\"N\":\"2\"},\"threadId\":{\"S\":\"$TID\"},\"id\":{\"S\":\"THREAD#$TID::STEP#$SID\"},\"comment\":{\"S\":\"rated 2 by the Slack integration\"}}}"
ddb UpdateItem "{\"TableName\":\"$CT\",\"Key\":{\"PK\":{\"S\":\"THREAD#$TID\"},\"SK\":{\"S\":\"STEP#$SID\"}},\"UpdateExpression\":\"SET #f = :f\",\"ExpressionAttributeNames\":{\"#f\":\"feedback\"},\"ExpressionAttributeValues\":{\":f\":$slack}}" >/dev/null
cat >"$WORK/s12" <<SCRIPT
:thread $TID
/$SID
<Enter>
e
:save-display $WORK/form-invalid.txt
<C-s>
:save-display $WORK/form-invalid-save.txt
<Right>
<C-s>
SCRIPT
run_script 120x30 "$WORK/s12" "${ARGS[@]}"
check "stored value 2: neither thumbs is selected, and the form says why" \
	bash -c "grep -q '( ) thumbs up   ( ) thumbs down' '$WORK/form-invalid.txt' && grep -q 'stored value 2 is not 0 or 1' '$WORK/form-invalid.txt'"
check "saving without a choice is refused and asks for one" grep -q "choose thumbs up or thumbs down first" "$WORK/form-invalid-save.txt"
want="{\"M\":{\"forId\":{\"S\":\"$SID\"},\"value\":{\"N\":\"0\"},\"threadId\":{\"S\":\"$TID\"},\"id\":{\"S\":\"THREAD#$TID::STEP#$SID\"},\"comment\":{\"S\":\"rated 2 by the Slack integration\"}}}"
check "once chosen (Right: thumbs down), the save stores 0 and keeps the comment" fb_equal "$(step_item "$SID")" "$want"

# 13. the line editor of the comment box and the filter prompt: Ctrl-W,
# Alt-b (Esc b at once), Ctrl-K, Ctrl-A, Alt-f, Ctrl-U; Esc writes nothing
cat >"$WORK/s13" <<SCRIPT
:thread $TID
/nope<C-w>$SID
<Enter>
e
<C-w>bot<M-b><M-b><C-k>
<C-a><M-f><C-u>Rated
:save-display $WORK/form-keys.txt
<Esc>
SCRIPT
run_script 120x30 "$WORK/s13" "${ARGS[@]}"
check "Ctrl-W in the filter, then in the comment box; Alt-b, Ctrl-K, Ctrl-A, Alt-f, Ctrl-U there" \
	grep -q '^ *Rated▏ 2 by the$' "$WORK/form-keys.txt"
check "... and Esc wrote nothing" fb_equal "$(step_item "$SID")" "$want"

# 8. feedback on a step that no longer exists is refused and creates nothing
ddb DeleteItem "{\"TableName\":\"$CT\",\"Key\":{\"PK\":{\"S\":\"THREAD#$TID\"},\"SK\":{\"S\":\"STEP#$SID\"}}}" >/dev/null
"$DDTREE_BIN" --endpoint-url "$E" --chainlit-table "$CT" feedback set "$TID" "$SID" --value up >/dev/null 2>&1
check "no stub step is created" test -z "$(step_item "$SID" | grep -o '"Item"')"
check "no raw escape reached any screen" bash -c "! grep -q $'\x1b' $WORK/*.txt"
