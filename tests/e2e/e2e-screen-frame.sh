#!/usr/bin/env bash
# The browser's frame at 80x24 and 50x12 (issue 13), as golden screens in
# tests/e2e/screens/frame-*: the tree with each root open, the focus on the
# tree and on the list, a zoomed pane (z), the help, the header at 50, 80
# and 140 columns; then the viewport: after collapsing a user with many
# threads, after :only negative and after a resize, the rows above the
# cursor fill the pane; and paging: PgDn and G past "more..." on a user
# with four pages of threads.
# e2e: no-compat: golden screens hold the users in DynamoDB Local's Scan order
. "$(dirname "$0")/lib.sh"
plan 30

# the help names the config file: one path whatever the test's $HOME
export XDG_CONFIG_HOME=/nonexistent/ddtree-e2e-config
"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
CT="${PREFIX}chainlit"
ARGS=(--chainlit-table "$CT" --namespace-table "${PREFIX}stache-namespaces"
      --documents-table "${PREFIX}stache-documents")
# a user with 180 threads: four pages of 50
check "180 threads of pager@example.com are written" seed_threads "$CT" pager@example.com 180
# a thread of alice's (the third newest)
TID3=$("$DDTREE_BIN" --endpoint-url "$E" "${ARGS[@]}" --json threads alice@example.com | jq -r .id | sed -n 3p)

# frame SIZE NAME...: the screens of one run compared with frame-SIZE-NAME.txt
frame() {
	local size=$1 n
	shift
	for n in "$@"; do
		check "$size: the $n screen is as expected" same_screen "frame-$size-$n.txt" "$WORK/$size-$n.txt"
	done
}

# ---- golden screens at 80x24 and 50x12 ----
for size in 80x24 50x12; do
	cat >"$WORK/g-$size" <<SCRIPT
:save-display $WORK/$size-start.txt
/Namespaces
<Enter><Enter><Esc>
:save-display $WORK/$size-namespaces.txt
:user alice@example.com
:save-display $WORK/$size-user.txt
:thread $TID3
:save-display $WORK/$size-focus-list.txt
<Tab>
:save-display $WORK/$size-focus-tree.txt
z
:save-display $WORK/$size-zoom.txt
z
/Tables
<Enter><Enter><Esc>
/$PREFIX
<Enter>
:save-display $WORK/$size-tables.txt
?
:save-display $WORK/$size-help.txt
q
q
SCRIPT
	run_script "$size" "$WORK/g-$size" "${ARGS[@]}"
	frame "$size" start namespaces user focus-list focus-tree zoom tables help
done

# the header at 140 columns: every field, the endpoint without its scheme
printf ':save-display %s\nq\n' "$WORK/140.txt" >"$WORK/g-140"
run_script 140x40 "$WORK/g-140" "${ARGS[@]}"
head -1 "$WORK/140.txt" >"$WORK/140x40-header.txt"
frame 140x40 header
check "the header at 140 columns has every field, the tables shortened in their middle" \
	bash -c "head -1 '$WORK/140.txt' | grep -E '^ \[read-write\]  ${E#*://}  us-east-1  profile default  chainlit:t[0-9]+…[0-9-]*chainlit  namespaces:[^ ]+  documents:[^ ]+\$' >/dev/null"

# ---- the viewport stays natural ----
# tree_row FILE LINE: the tree pane's part of a screen line
tree_row() { sed -n "$2p" "$1" | sed 's/│.*//'; }
cat >"$WORK/v1" <<SCRIPT
:user pager@example.com
G
h
h
:save-display $WORK/collapse.txt
:user alice@example.com
G
kkk
:only negative
:save-display $WORK/negative.txt
q
SCRIPT
run_script 80x24 "$WORK/v1" "${ARGS[@]}"
check "after collapsing a user of 180 threads the tree shows from its first root" \
	bash -c "sed -n 3p '$WORK/collapse.txt' | grep -q '^+ Namespaces' && grep -q -- '+ pager@example.com' '$WORK/collapse.txt'"
check "after :only negative no blank pane bottom while rows above are hidden" \
	eval 'tree_row "$WORK/negative.txt" 3 | grep -q "^+ Namespaces" || tree_row "$WORK/negative.txt" 23 | grep -q "[^ ]"'
check "... and only threads with thumbs down are left" \
	bash -c "grep -qE '^ +20[0-9-]+ [0-9:]+ \+[0-9]+-[1-9]' '$WORK/negative.txt' && ! grep -qE '^ +20[0-9-]+ [0-9:]+ \+[0-9]+-0([^0-9]|\$)' '$WORK/negative.txt'"
cat >"$WORK/v2" <<SCRIPT
:user alice@example.com
G
:save-display $WORK/small.txt
:resize 140x40
:save-display $WORK/big.txt
q
SCRIPT
run_script 30x6 "$WORK/v2" "${ARGS[@]}"
check "after a resize from 30x6 to 140x40 the pane is full (line 39: $(tree_row "$WORK/big.txt" 39 | cut -c1-30))" \
	eval 'tree_row "$WORK/big.txt" 39 | grep -q "[^ ]"'
check "... and the cursor stays on alice's last thread ($(tail -1 "$WORK/small.txt" | awk '{print $1}') -> $(tail -1 "$WORK/big.txt" | awk '{print $1}'))" \
	test "$(tail -1 "$WORK/small.txt" | awk '{print $1}')" = "$(tail -1 "$WORK/big.txt" | awk '{print $1}')"

# ---- paging never skips ----
# G on one of the user's threads loads every page and ends on its last
# thread (not the last root); y copies the id of the line under the
# cursor; g goes to the group's first; G at the group's end to the last line
cat >"$WORK/p1" <<SCRIPT
:user pager@example.com
j
G
y
:save-display $WORK/g-last.txt
g
y
:save-display $WORK/g-first.txt
G
G
y
:save-display $WORK/g-again.txt
q
SCRIPT
run_script 80x24 "$WORK/p1" "${ARGS[@]}"
check "G loads every page of the user's threads, the cursor on the last ($(tail -1 "$WORK/g-last.txt" | cut -c1-60))" \
	bash -c "tail -1 '$WORK/g-last.txt' | grep -q 'copied id: 00000000-0000-4000-8000-000000000000'"
check "... and no 'more...' is left" bash -c "! grep -q 'more\.\.\.' '$WORK/g-last.txt'"
check "g goes to the first of the group (the user's newest thread)" \
	bash -c "tail -1 '$WORK/g-first.txt' | grep -q 'copied id: 00000000-0000-4000-8000-000000000179'"
check "G at the group's end goes to the last line (Tables)" \
	bash -c "tail -1 '$WORK/g-again.txt' | grep -q 'no id here' && grep -q '^+ Tables' '$WORK/g-again.txt'"

# moving line by line goes through every page: 60 j from the user reach
# thread 120 (the pages load ahead, in the scripted mode before the next key)
cat >"$WORK/p3" <<SCRIPT
:user pager@example.com
$(printf 'j%.0s' $(seq 1 60))
y
:save-display $WORK/jj.txt
q
SCRIPT
run_script 80x24 "$WORK/p3" "${ARGS[@]}"
check "60 j from the user reach thread 120 through 'more...' ($(tail -1 "$WORK/jj.txt" | cut -c1-60))" \
	bash -c "tail -1 '$WORK/jj.txt' | grep -q 'copied id: 00000000-0000-4000-8000-000000000120'"

check "no raw escape character reached any screen" bash -c "! grep -q $'\x1b' $WORK/*.txt"
