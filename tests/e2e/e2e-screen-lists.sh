#!/usr/bin/env bash
# The list pane's content (issue 13), as golden screens in
# tests/e2e/screens/lists-*: at 80x24 and 50x12 the users (a table with a
# header row), a user's threads (a name of 55 characters, 45 of them shown
# at 80 columns when the list is zoomed), a thread's steps (fixed columns:
# time, type, feedback, duration with its unit; an error step marked ! with
# its output's first line; newlines as ⏎, tabs expanded), the documents of
# a namespace, the trash and the tables (this test's: other tests' run
# alongside); then :document FILE_NAME finds a
# document by its file name (the file name index, GSI2).
# e2e: no-compat: golden screens hold the users in DynamoDB Local's Scan order
. "$(dirname "$0")/lib.sh"
plan 22

export XDG_CONFIG_HOME=/nonexistent/ddtree-e2e-config
"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
CT="${PREFIX}chainlit"
ARGS=(--chainlit-table "$CT" --namespace-table "${PREFIX}stache-namespaces"
      --documents-table "${PREFIX}stache-documents")

# a user with one thread of a long name: a run, an error step with thumbs
# down, a reply with thumbs up whose comment holds a tab and a newline
TID=00000000-0000-4000-8000-0000000000aa
U=zz-long@example.com
NAME="A thread whose name is long enough to need all columns"
seed() {
	jq -nc --arg t "$CT" --arg u "$U" --arg tid "$TID" --arg name "$NAME" '
	def s(v): {S: v};
	def step(id; parent; type; name; c; e; extra):
		{PK: s("THREAD#" + $tid), SK: s("STEP#" + id), id: s(id), threadId: s($tid),
		 parentId: (if parent then s(parent) else {NULL: true} end), name: s(name), type: s(type),
		 createdAt: s(c), start: s(c), end: s(e), streaming: {BOOL: false},
		 isError: {BOOL: false}, metadata: {M: {}}, tags: {NULL: true}} + extra;
	def fb(id; v; c): {feedback: {M: {forId: s(id), value: {N: v}, threadId: s($tid),
		id: s("THREAD#" + $tid + "::STEP#" + id), comment: s(c)}}};
	[{PK: s("USER#" + $u), SK: s("USER"), id: s($u), identifier: s($u),
	  createdAt: s("2026-01-02T03:04:05.000000Z"), metadata: {M: {}}},
	 {PK: s("THREAD#" + $tid), SK: s("THREAD"), id: s($tid), name: s($name),
	  createdAt: s("2026-03-01T10:00:00.000000Z"), userId: s($u), userIdentifier: s($u),
	  UserThreadPK: s("USER#" + $u), UserThreadSK: s("TS#2026-03-01T10:00:00.000000Z"),
	  tags: {L: []}, metadata: {M: {}}},
	 step("s1"; null; "user_message"; $u; "2026-03-01T10:00:00.000000Z"; "2026-03-01T10:00:00.002000Z";
	      {output: s("Why is the\nbuild red?")}),
	 step("s2"; "s1"; "run"; "on_message"; "2026-03-01T10:00:01.000000Z"; "2026-03-01T10:01:06.000000Z";
	      {input: s("{}"), output: s("")}),
	 step("s3"; "s2"; "tool"; "run_tests"; "2026-03-01T10:00:02.000000Z"; "2026-03-01T10:00:06.000000Z";
	      {input: s("make check"), output: s("Traceback: boom\nsecond line"), isError: {BOOL: true}}
	      + fb("s3"; "0"; "wrong tool")),
	 step("s4"; null; "assistant_message"; "Assistant"; "2026-03-01T10:01:07.000000Z";
	      "2026-03-01T10:01:07.002000Z"; {output: s("It is\tred because\nof a test.")}
	      + fb("s4"; "1"; "great\tthanks\nbye"))]
	| {RequestItems: {($t): [.[] | {PutRequest: {Item: .}}]}}' |
	ddb BatchWriteItem "$(cat)" | jq -e '.UnprocessedItems == {}' >/dev/null
}
check "a user with a long-named thread and its steps are written" seed

# lists SIZE NAME...: the screens of one run compared with lists-SIZE-NAME.txt
lists() {
	local size=$1 n
	shift
	for n in "$@"; do
		check "$size: the $n screen is as expected" same_screen "lists-$size-$n.txt" "$WORK/$size-$n.txt"
	done
}

for size in 80x24 50x12; do
	# the tables list alone (the tree holds other tests' tables too): z at
	# 80 columns; at 50 one pane shows anyway
	zoom=z
	[ "$size" = 50x12 ] && zoom=":resize $size"
	cat >"$WORK/l-$size" <<SCRIPT
/Conversations
<Enter><Enter><Esc>
<Tab>
:save-display $WORK/$size-users.txt
/$U<Enter><Enter>
z
:save-display $WORK/$size-threads.txt
<Enter>
:save-display $WORK/$size-steps.txt
z
:save-display $WORK/$size-steps-pane.txt
:namespace research/papers
:save-display $WORK/$size-documents.txt
:trash
:save-display $WORK/$size-trash.txt
<Tab>
/Tables
<Enter><Enter><Esc>
<Tab>
/$PREFIX<Enter>
$zoom
:save-display $WORK/$size-tables.txt
q
q
SCRIPT
	run_script "$size" "$WORK/l-$size" "${ARGS[@]}" 2>"$WORK/l-$size.err"
	lists "$size" users threads steps steps-pane documents trash tables
done

check "at 80x24 zoomed, 45 characters of the thread's name show" \
	grep -q "${NAME:0:45}" "$WORK/80x24-threads.txt"
check "durations have their units, never cut (2ms, 4.0s, 1m05s)" \
	bash -c "grep -q ' 2ms ' '$WORK/80x24-steps.txt' && grep -q ' 4.0s ' '$WORK/80x24-steps.txt' && grep -q ' 1m05s ' '$WORK/80x24-steps.txt'"
# the whole rows, at 160 columns
printf ':thread %s\nz\n:save-display %s\nq\n' "$TID" "$WORK/wide.txt" >"$WORK/w"
run_script 160x24 "$WORK/w" "${ARGS[@]}"
check "the error step is marked ! with its output's first line" \
	bash -c "grep -q '! run_tests  Traceback: boom\$' '$WORK/wide.txt'"
check "a comment's tab is expanded and its newline shown as ⏎" \
	grep -q "great   thanks⏎" "$WORK/wide.txt"
check "so is a preview's" grep -q "It is   red because⏎of a test.\$" "$WORK/wide.txt"

# :document FILE_NAME: by the file name (GSI2), in every namespace
printf ':document websockets.md\n:save-display %s\nq\n' "$WORK/doc.txt" >"$WORK/d"
run_script 140x24 "$WORK/d" "${ARGS[@]}"
check ":document FILE_NAME finds a document by its file name" grep -q "active websockets.md " "$WORK/doc.txt"
check "... and says how many it found" grep -q "1 document in" "$WORK/doc.txt"
