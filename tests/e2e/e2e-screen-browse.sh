#!/usr/bin/env bash
# Browsing the demo data through scripted screens: namespaces, documents and
# their problems, orphans and cycles, users, threads paged, a conversation,
# hostile thread names, paging a table past several pages, a dead endpoint.
. "$(dirname "$0")/lib.sh"
plan 50

"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
ARGS=(--chainlit-table "${PREFIX}chainlit" --namespace-table "${PREFIX}stache-namespaces"
      --documents-table "${PREFIX}stache-documents")

cat >"$WORK/s1" <<SCRIPT
<Enter>
:save-display $WORK/ns.txt
/Research
<Enter><Esc>
<Enter>
:save-display $WORK/research.txt
/Papers
<Enter><Esc>
<Tab>
:save-display $WORK/docs.txt
q
SCRIPT
run_script 140x40 "$WORK/s1" "${ARGS[@]}"
check "the namespace roots are listed by name" grep -q "Engineering" "$WORK/ns.txt"
check "a namespace expands into its children" grep -q "Papers" "$WORK/research.txt"
check "documents show every status" bash -c "grep -q deleting '$WORK/docs.txt' && grep -q purged '$WORK/docs.txt' && grep -q active '$WORK/docs.txt'"

cat >"$WORK/s2" <<SCRIPT
/Orphan
<Enter><Esc>
<Enter>
:save-display $WORK/orphans.txt
q
SCRIPT
run_script 140x40 "$WORK/s2" "${ARGS[@]}"
check "orphans are shown with their missing parent" grep -q "is missing)" "$WORK/orphans.txt"
check "cycle members are shown" grep -q "(cycle 1" "$WORK/orphans.txt"

cat >"$WORK/s3" <<SCRIPT
/Conversations
<Enter><Esc>
<Enter>
:save-display $WORK/users.txt
/alice
<Enter><Esc>
<Enter>
:save-display $WORK/threads.txt
/more...
<Enter>
<Esc>
:save-display $WORK/threads2.txt
/Quick one: Compare
<Enter><Esc>
<Tab>
:save-display $WORK/conv.txt
<Enter>
:save-display $WORK/step.txt
q
SCRIPT
run_script 140x200 "$WORK/s3" "${ARGS[@]}"
check "users are listed" grep -q "alice@example.com" "$WORK/users.txt"
check "the threads without a user have their node" grep -q "(threads with no user)" "$WORK/users.txt"
n1=$(grep -cE "^ +20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] " "$WORK/threads.txt")
n2=$(grep -cE "^ +20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] " "$WORK/threads2.txt")
check "a user's first page of threads ends with a 'more' node ($n1 threads)" \
	bash -c "[ $n1 -ge 40 ] && grep -q 'more...' '$WORK/threads.txt'"
check "selecting 'more' loads the next page ($n1 -> $n2 threads)" test "$n2" -gt "$n1"
check "a conversation shows its steps with types" grep -qE "(user_message|assistant_message)" "$WORK/conv.txt"
check "a step opens in the detail view" grep -qE "createdAt  \(S\)" "$WORK/step.txt"

# :user opens a user's threads; feedback counts; ] jumps to a thread with
# feedback; :only negative keeps the threads with thumbs down
cat >"$WORK/s7" <<SCRIPT
:user alice@example.com
:save-display $WORK/user.txt
]
:save-display $WORK/fbnext.txt
:only negative
:save-display $WORK/negative.txt
q
SCRIPT
run_script 140x120 "$WORK/s7" "${ARGS[@]}"
check ":user opens that user's threads" grep -qE "^ +20[0-9-]+ [0-9:]+" "$WORK/user.txt"
check "threads show their feedback counts" grep -qE "^ +20[0-9-]+ [0-9:]+ \+[0-9]+-[0-9]+" "$WORK/user.txt"
check "] selects a thread with feedback" bash -c "tail -1 '$WORK/fbnext.txt' | grep -qvE '^ 1/'"
check ":only negative hides threads without thumbs down" \
	bash -c "! grep -E '^ +20[0-9-]+ [0-9:]+ \+[0-9]+-0 ' '$WORK/negative.txt' && grep -qE '\+[0-9]+-[1-9]' '$WORK/negative.txt'"
check ":only negative says so on the Conversations node" grep -q "Conversations \[only: thumbs down\]" "$WORK/negative.txt"

# :user reads that user's first page before the full-table Scan, and the
# users and the feedback counts come from one Scan, not two
cat >"$WORK/s7b" <<SCRIPT
:user alice@example.com
:save-display $WORK/user-first.txt
/alice@example.com
<Enter>
:save-display $WORK/user-filter.txt
q
SCRIPT
run_script 140x60 "$WORK/s7b" --chainlit-table "${PREFIX}chainlit" --debug "$WORK/s7b.trace"
first_query=$(grep -n 'DynamoDB_20120810.Query' "$WORK/s7b.trace" | head -1 | cut -d: -f1)
first_scan=$(grep -n 'DynamoDB_20120810.Scan' "$WORK/s7b.trace" | head -1 | cut -d: -f1)
check ":user sends the user's Query before the users Scan ($first_query < $first_scan)" \
	test "${first_query:-999999}" -lt "${first_scan:-0}"
scans=$(grep -c 'X-Amz-Target: DynamoDB_20120810.Scan' "$WORK/s7b.trace")
shared=$(grep -c '"FilterExpression":"(begins_with(.*) OR (begins_with(.*attribute_exists' "$WORK/s7b.trace")
check "the users and the feedback counts share one Scan ($scans Scans, $shared for both)" \
	bash -c "[ $scans -ge 1 ] && [ $scans = $shared ]"
check "the browser does not describe the tables it was given" \
	bash -c "! grep -q '\"TableName\":\"${PREFIX}chainlit\"}' '$WORK/s7b.trace'"
check "... but does describe the others (to find their layout)" \
	grep -q "\"TableName\":\"${PREFIX}stache-documents\"}" "$WORK/s7b.trace"
check "the user :user added is not listed again by the Scan" \
	test "$(grep -c -- '[-+] alice@example.com' "$WORK/user-filter.txt")" = 1
check "the counts are shown once the Scan is in" grep -qE "^ +20[0-9-]+ [0-9:]+ \+[0-9]+-[0-9]+" "$WORK/user-first.txt"

# -c runs a : command at start (k9s's -c): the browser opens on a user's threads
printf ':save-display %s\nq\n' "$WORK/c-user.txt" >"$WORK/s7c"
run_script 140x60 "$WORK/s7c" "${ARGS[@]}" -c ':user alice@example.com'
check "-c ':user ID' opens on that user's threads" \
	bash -c "grep -q 'alice@example.com' '$WORK/c-user.txt' && grep -qE '^ +20[0-9-]+ [0-9:]+' '$WORK/c-user.txt'"
check "-c runs after the start-up table list: the cursor stays on the user ($(tail -1 "$WORK/c-user.txt" | cut -c1-8))" \
	bash -c "tail -1 '$WORK/c-user.txt' | grep -qE '^ *5/'"

# :user on a user near the bottom of a small pane: it is scrolled (to a
# third from the top when it was in the bottom third) so that its threads
# show below it, not left on the bottom row; a user with no threads (one not listed yet goes last)
# stays on the screen with the rows above it filling the pane (no blank
# bottom while rows above are hidden)
cat >"$WORK/s7d" <<SCRIPT
/Conversations
<Enter>
<Enter>
<Esc>
:user dave-bot
:save-display $WORK/reveal.txt
:user zed@example.com
:save-display $WORK/reveal-none.txt
q
SCRIPT
run_script 100x12 "$WORK/s7d" "${ARGS[@]}"
at=$(grep -n -- '- dave-bot' "$WORK/reveal.txt" | cut -d: -f1)
check ":user does not leave the user on the pane's bottom row: its threads show below it (line ${at:-none} of 12)" \
	bash -c "[ -n '$at' ] && [ '$at' -le 10 ] && sed -n '$((${at:-1} + 1))p' '$WORK/reveal.txt' | grep -qE '^ +20[0-9-]+ [0-9:]+'"
at=$(grep -n -- '- zed@example.com' "$WORK/reveal-none.txt" | cut -d: -f1)
check "a user with no threads: on the screen, no blank pane bottom (line ${at:-none}; line 11: $(sed -n 11p "$WORK/reveal-none.txt" | cut -c1-20))" \
	bash -c "[ -n '$at' ] && sed -n 11p '$WORK/reveal-none.txt' | grep -q '[^ ]'"

# :user for an identifier with no USER item and no thread: the node stays
# (threads may come without a USER item) and the status line says so, both
# when the users Scan follows the user's load and when it came before
printf ':user nobody@x\n:save-display %s\nq\n' "$WORK/nobody.txt" >"$WORK/s7e"
run_script 100x20 "$WORK/s7e" "${ARGS[@]}"
check ":user nobody@x keeps its node and says there is no such user nor threads" \
	bash -c "grep -q -- '- nobody@x' '$WORK/nobody.txt' && tail -1 '$WORK/nobody.txt' | grep -q 'no user nobody@x and no threads for it'"
cat >"$WORK/s7f" <<SCRIPT
/Conversations
<Enter>
<Enter>
<Esc>
:user nobody@x
:save-display $WORK/nobody2.txt
q
SCRIPT
run_script 100x20 "$WORK/s7f" "${ARGS[@]}"
check "... also when the users were listed before" \
	bash -c "grep -q -- '- nobody@x' '$WORK/nobody2.txt' && tail -1 '$WORK/nobody2.txt' | grep -q 'no user nobody@x and no threads for it'"

# :thread ID on a thread the tree holds puts the tree's cursor on it too
TID3=$("$DDTREE_BIN" --endpoint-url "$E" "${ARGS[@]}" --json threads alice@example.com | jq -r .id | sed -n 3p)
cat >"$WORK/s7t" <<SCRIPT
:user alice@example.com
:thread $TID3
:save-display $WORK/thread-list.txt
<Tab>
:save-display $WORK/thread-tree.txt
q
SCRIPT
run_script 140x40 "$WORK/s7t" "${ARGS[@]}"
check ":thread ID shows the conversation" grep -qE "(user_message|assistant_message)" "$WORK/thread-list.txt"
check ":thread ID selects that thread in the tree (the third of alice's: row 8)" \
	bash -c "tail -1 '$WORK/thread-tree.txt' | grep -qE '^ *8/'"

# the help on a short screen says there is more, and G goes to its end
cat >"$WORK/sh" <<SCRIPT
?
:save-display $WORK/help1.txt
G
:save-display $WORK/help2.txt
q
SCRIPT
run_script 100x15 "$WORK/sh" "${ARGS[@]}"
check "a help longer than the screen says there is more" grep -q -- "-- more below" "$WORK/help1.txt"
check "G in the help goes to its end" bash -c "grep -q 'Esc or q closes this help' '$WORK/help2.txt' && ! grep -q -- '-- more below' '$WORK/help2.txt'"

# :document finds a document by id alone; :chainlit-table switches tables;
# moving near "more..." loads the next page without selecting it; 80x24
DOC=$(ddb Scan "{\"TableName\":\"${PREFIX}stache-documents\",\"FilterExpression\":\"SK = :m\",\"ExpressionAttributeValues\":{\":m\":{\"S\":\"METADATA\"}},\"Limit\":1000}" |
	jq -r '[.Items[] | select(.filename.S == "attention.pdf")][0].doc_id.S // empty')
cat >"$WORK/s8" <<SCRIPT
:document $DOC
:save-display $WORK/doc.txt
:chainlit-table ${PREFIX}nosuchtable
/Conversations
<Enter><Esc>
<Enter>
:save-display $WORK/switched.txt
q
SCRIPT
run_script 80x24 "$WORK/s8" "${ARGS[@]}"
check ":document finds a document by its id ($DOC)" bash -c "[ -n '$DOC' ] && grep -q 'attention.pdf' '$WORK/doc.txt'"
check ":chainlit-table switches the Conversations node (and loads from it)" grep -q "users: ResourceNotFoun" "$WORK/switched.txt"
check "a missing table is an error on screen, not a crash" grep -qiE "(ResourceNotFound|non-existent table|not found)" "$WORK/switched.txt"
check "at 80x24 the header and both panes fit" bash -c "[ \$(wc -l <'$WORK/doc.txt') = 24 ] && [ \$(LC_ALL=C.UTF-8 wc -L <'$WORK/doc.txt') -le 80 ]"
cat >"$WORK/s9" <<SCRIPT
:user alice@example.com
jj
:save-display $WORK/autoload.txt
q
SCRIPT
run_script 140x200 "$WORK/s9" "${ARGS[@]}"
n3=$(grep -cE "^ +20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] " "$WORK/autoload.txt")
check "moving the cursor loads the next page ahead ($n3 threads)" test "$n3" -gt 50

# orphans and cycle members expand into their children like any namespace,
# and keep their problem in the label once their documents are counted
cat >"$WORK/s10" <<SCRIPT
/Orphan
<Enter><Esc>
<Enter>
j
:save-display $WORK/orphan-sel.txt
l
jjl
jl
jl
:save-display $WORK/orphan-open.txt
q
SCRIPT
run_script 160x40 "$WORK/s10" "${ARGS[@]}"
check "an orphan namespace expands into its children (Q4 under Archive 2024)" \
	bash -c "grep -q -- '- Archive 2024' '$WORK/orphan-open.txt' && grep -qE '^ +\+ Q4' '$WORK/orphan-open.txt'"
check "a cycle member expands too, and the loop stops where it comes round" \
	bash -c "grep -qE '^ +- Beta  \(0 docs\)' '$WORK/orphan-open.txt' && grep -q 'its own ancestor' '$WORK/orphan-open.txt'"
check "the problem stays in the label once the documents are counted" \
	bash -c "grep -q 'Archive 2024  (0 docs; parent archive is mis' '$WORK/orphan-sel.txt' && grep -q 'Alpha  (0 docs; cycle 1: parent projects/be' '$WORK/orphan-open.txt'"

# R keeps the cursor on its node: on a thread it reloads the thread's steps;
# on a collapsed node it does not expand it
cat >"$WORK/s11" <<SCRIPT
:user alice@example.com
jjjjjjj
:save-display $WORK/r-before.txt
R
:save-display $WORK/r-after.txt
/Orphan
<Enter><Esc>
R
<F5>
:save-display $WORK/r-collapsed.txt
q
SCRIPT
run_script 140x40 "$WORK/s11" "${ARGS[@]}"
pos_before=$(tail -1 "$WORK/r-before.txt" | awk '{print $1}')
pos_after=$(tail -1 "$WORK/r-after.txt" | awk '{print $1}')
check "R on a thread keeps the cursor and its steps ($pos_before -> $pos_after)" \
	bash -c "[ '$pos_before' = '$pos_after' ] && [ '${pos_before%%/*}' -gt 1 ] && grep -q ' steps, ' '$WORK/r-after.txt'"
check "R and F5 on a collapsed node keep it collapsed, the cursor on it" \
	bash -c "grep -q '^+ Orphan and cyclic' '$WORK/r-collapsed.txt' && tail -1 '$WORK/r-collapsed.txt' | grep -qE '^ *2/'"

# when a page of threads replaces the "more..." node under the cursor, the
# cursor keeps its place (the first new thread), not the first line
cat >"$WORK/s12" <<SCRIPT
/Conversations
<Enter><Esc>
<Enter>
G
l
/Tables
<Enter><Esc>
:save-display $WORK/more-before.txt
k
:save-display $WORK/more-after.txt
q
SCRIPT
run_script 100x20 "$WORK/s12" "${ARGS[@]}"
more_at=$(grep -n 'more\.\.\.' "$WORK/more-before.txt" | head -1 | cut -d: -f1)
more_row=$(( ${more_at:-2} - 2 ))
check "a page replacing 'more...' under the cursor keeps the cursor there (row $more_row: $(tail -1 "$WORK/more-after.txt" | awk '{print $1}'))" \
	bash -c "[ $more_row -gt 1 ] && tail -1 '$WORK/more-after.txt' | grep -qE '^ *$more_row/' && sed -n '${more_at}p' '$WORK/more-after.txt' | grep -qE '^ +20[0-9-]+ ' && grep -q ' steps, ' '$WORK/more-after.txt'"

# :trash selects the Trash node; switching tables keeps the roots' order
cat >"$WORK/s13" <<SCRIPT
:trash
<Tab>
:save-display $WORK/trash-cmd.txt
:namespace-table ${PREFIX}stache-namespaces
:save-display $WORK/roots-ns.txt
:chainlit-table ${PREFIX}chainlit
:save-display $WORK/roots-cl.txt
q
SCRIPT
run_script 140x30 "$WORK/s13" "${ARGS[@]}"
check ":trash puts the tree's cursor on Trash" \
	bash -c "grep -q '^  Trash' '$WORK/trash-cmd.txt' && tail -1 '$WORK/trash-cmd.txt' | grep -qE '^ *3/' && grep -q 'trash (newest first)' '$WORK/trash-cmd.txt'"
roots() { sed -n '3,7p' "$1" | sed -E 's/^[-+ ] //' | awk '{print $1}' | paste -sd, -; }
check "the roots keep their order when tables are switched ($(roots "$WORK/roots-ns.txt") / $(roots "$WORK/roots-cl.txt"))" \
	bash -c "[ '$(roots "$WORK/roots-ns.txt")' = Namespaces,Orphan,Trash,Conversations,Tables ] && [ '$(roots "$WORK/roots-cl.txt")' = Namespaces,Orphan,Trash,Conversations,Tables ]"

# hostile thread names: the escape sequence is shown, never sent
cat >"$WORK/s4" <<SCRIPT
/Conversations
<Enter><Esc>
<Enter>
:save-display $WORK/all-users.txt
q
SCRIPT
run_script 140x40 "$WORK/s4" "${ARGS[@]}"
check "no raw escape character reached any screen" bash -c "! grep -q $'\x1b' $WORK/*.txt"

# a table read past several pages (200 items a page in the table view)
cat >"$WORK/s5" <<SCRIPT
:table ${PREFIX}chainlit
G
:save-display $WORK/pages.txt
q
SCRIPT
run_script 140x40 "$WORK/s5" "${ARGS[@]}"
check "G reads every page of a table" grep -qE "[0-9]+ items, [3-9] pages" "$WORK/pages.txt"

# an endpoint that is down: an error in the status line, R retries, q quits
cat >"$WORK/s6" <<SCRIPT
:save-display $WORK/dead.txt
R
:save-display $WORK/dead2.txt
q
SCRIPT
start=$(date +%s)
COLUMNS=120 LINES=30 TERM=xterm-256color LANG=C.UTF-8 DDTREE_SCRIPT="$WORK/s6" \
	"$DDTREE_BIN" --endpoint-url http://127.0.0.1:9 --max-attempts 2 </dev/null; rc=$?
check "a dead endpoint does not crash the browser" test "$rc" = 0
check "the error is on screen" grep -qiE "(couldn't connect|connection refused|failed)" "$WORK/dead.txt"
check "the browser stays usable after R" test -s "$WORK/dead2.txt"
