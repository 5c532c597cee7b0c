#!/usr/bin/env bash
# The browser while loads are slow (the fault-injecting proxy holds requests
# without an answer): scripted mode waits for loads by time, not by a count of
# network events, and gives up clearly after DDTREE_SCRIPT_WAIT seconds; Esc
# typed ahead during a load clears the filter first and cancels only the next
# time; after Esc clears a tree filter the selected node keeps its place on
# the screen, with its children below it.
. "$(dirname "$0")/lib.sh"
plan 22

"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
ARGS=(--chainlit-table "${PREFIX}chainlit" --namespace-table "${PREFIX}stache-namespaces"
      --documents-table "${PREFIX}stache-documents")


# ---- 1. scripted mode: the wait is bounded by time (DDTREE_SCRIPT_WAIT) ----
# The first request (the table list) is held 3 s without an answer, then
# retried: no network event comes in the meantime, and the line still waits.
proxy slow1 --plan 'stall*1' --stall-ms 3000
cat >"$WORK/w1" <<SCRIPT
:save-display $WORK/w1.txt
q
SCRIPT
COLUMNS=100 LINES=20 TERM=xterm-256color LANG=C.UTF-8 DDTREE_SCRIPT="$WORK/w1" \
	"$DDTREE_BIN" --endpoint-url "$P" "${ARGS[@]}" </dev/null 2>"$WORK/w1.err"; rc=$?
check "a script line waits for a slow load to finish" \
	bash -c "[ $rc = 0 ] && grep -q '+ Tables' '$WORK/w1.txt' && ! grep -q 'loading' '$WORK/w1.txt'"
check "no give-up message when the loads end in time" bash -c "! grep -q 'gave up' '$WORK/w1.err'"

# Every request held 60 s: with DDTREE_SCRIPT_WAIT=1 the script says on
# stderr that it gave up waiting and goes on.
proxy stall --random 'stall=1' --stall-ms 60000
cat >"$WORK/w2" <<SCRIPT
:save-display $WORK/w2.txt
q
SCRIPT
start=$(date +%s)
COLUMNS=100 LINES=20 TERM=xterm-256color LANG=C.UTF-8 DDTREE_SCRIPT="$WORK/w2" DDTREE_SCRIPT_WAIT=1 \
	"$DDTREE_BIN" --endpoint-url "$P" --max-attempts 1 --timeout 120 "${ARGS[@]}" </dev/null 2>"$WORK/w2.err"; rc=$?
took=$(( $(date +%s) - start ))
check "DDTREE_SCRIPT_WAIT bounds the wait ($took s, exit $rc)" bash -c "[ $rc = 0 ] && [ $took -lt 15 ]"
check "the script says on stderr that it gave up waiting" \
	grep -q "DDTREE_SCRIPT line 1: gave up waiting for loads after 1 s" "$WORK/w2.err"
check "the screen it saved shows the load still running" grep -q "loading" "$WORK/w2.txt"
if ! grep -q "gave up" "$WORK/w2.err"; then sed 's/^/# stderr: /' "$WORK/w2.err"; fi

# ---- 2. Esc typed ahead during a load clears the filter first (tmux) ----
tmux_start 140 20 "$DDTREE_BIN" --endpoint-url "$P" --max-attempts 1 --timeout 120 "${ARGS[@]}"
tmux_wait "Conversations" >/dev/null
screen_has() { contains "$SCREEN" "$1"; }
screen_lacks() { ! contains "$SCREEN" "$1"; }
tmux_keys ":table ${PREFIX}chainlit" Enter "/zzz" Enter
check "while a load runs under a filter, the status line says Esc clears the filter" \
	tmux_wait "(Esc clears the filter)" 10
tmux_keys Escape
tmux_wait "(Esc cancels)" 10 >/dev/null
SCREEN=$(tmux_screen)
check "Esc during a load clears the list's filter" screen_lacks "filter: zzz"
check "... and leaves the load running" \
	eval 'screen_has "loading" && screen_lacks "cancelled"'
[ "$T_FAILED" = 0 ] || printf '%s\n' "$SCREEN" | sed 's/^/# /'
tmux_keys Escape
check "the next Esc cancels the load" tmux_wait "cancelled" 10
# the tree: Enter on Conversations starts the users Scan (held); Esc clears
# the filter and the Scan goes on
tmux_keys Tab "/Conversations" Enter Enter
tmux_wait "~ Conversations" 10 >/dev/null
tmux_keys Escape
tmux_wait "(Esc cancels)" 10 >/dev/null
SCREEN=$(tmux_screen)
check "Esc clears the tree's filter while the users load" \
	eval 'screen_lacks "filter: Conv" && screen_has "~ Conversations"'
tmux_keys q
check "q quits" tmux_dead
stop_proxies

# ---- 3. after Esc clears a tree filter, the node keeps its place ----
# 12 rows: the tree shows 9, and dave-bot is the 9th; under the filter it is
# on the first row, expanded, its threads hidden by the filter.
cat >"$WORK/f1" <<SCRIPT
/Conversations
<Enter><Esc>
<Enter>
/dave-bot
<Enter><Enter>
:save-display $WORK/f1-filtered.txt
<Esc>
:save-display $WORK/f1-cleared.txt
q
SCRIPT
run_script 100x12 "$WORK/f1" "${ARGS[@]}"
check "under the filter the expanded user is alone" \
	bash -c "grep -q 'filter: dave-bot' '$WORK/f1-filtered.txt' && grep -q -- '- dave-bot' '$WORK/f1-filtered.txt'"
after=$(grep -A1 -- '- dave-bot' "$WORK/f1-cleared.txt" | tail -1)
check "after Esc the user's threads show below it" eval 'grep -qE "^ +20[0-9-]+ [0-9:]+" <<<"$after"'
# the pane ends on row 11 (the status line is row 12)
check "the user is not left on the pane's bottom row" \
	eval '! sed -n 11p "$WORK/f1-cleared.txt" | grep -q -- "- dave-bot"'
[ "$T_FAILED" = 0 ] || sed 's/^/# /' "$WORK/f1-cleared.txt"

# ---- -c and a slow start-up table list ----
# The table list is held 3 s.  -c ':user' runs at once when the Chainlit
# table is named (a library command whose table must be detected waits for
# the list); the list's arrival must not move the cursor off the user (it
# used to send it back to the first root).
proxy slowc --plan 'stall*1' --stall-ms 3000
tmux_start 120 30 "$DDTREE_BIN" --endpoint-url "$P" "${ARGS[@]}" -c ':user alice@example.com'
check "-c ':user ID' opens the user's threads while the table list is slow" tmux_wait "- alice@example.com" 30
# until the list (and the user's first page) are in: nothing loads any more
for i in $(seq 1 100); do tmux_screen | tail -1 | grep -q '^ *loading' || break; sleep 0.1; done
status=$(tmux_screen | tail -1)
check "the cursor is on the user, not back on the first root ($(printf '%s' "$status" | cut -c1-10))" \
	bash -c "printf '%s\n' '$status' | grep -qE '^ *5/'"
tmux_keys q
check "q quits" tmux_dead

# ---- Esc cancels the tree's loads ----
# Every request held 60 s: the start-up table list and the Conversations
# Scan hang; Esc stops them at once (the tree has no load of its own to
# cancel: the reads in flight are cancelled) and each node says so.
proxy stallesc --random 'stall=1' --stall-ms 60000
tmux_start 120 30 "$DDTREE_BIN" --endpoint-url "$P" --timeout 120 "${ARGS[@]}"
tmux_wait "Conversations" >/dev/null
tmux_keys /Conversations Enter Enter Escape
tmux_wait "loading the tree" 10 >/dev/null
tmux_keys Escape
check "Esc on the tree cancels its loads" tmux_wait "cancelled" 5
check "... and the nodes stop loading" bash -c "! tmux -L '$T_TMUX' capture-pane -p -t 0 | grep -q '^~ '"
tmux_keys q
check "q quits" tmux_dead

# ---- the start-up table list does not move the cursor ----
# The list is held 3 s; meanwhile the user opens Conversations and goes
# down to a user: when the list arrives the cursor stays there (it was sent
# back to the first root).
proxy slowt --plan 'stall*1' --stall-ms 3000
tmux_start 120 30 "$DDTREE_BIN" --endpoint-url "$P" --chainlit-table "${PREFIX}chainlit"
tmux_wait "Conversations" >/dev/null
tmux_keys Enter
tmux_wait "alice@example.com" 10 >/dev/null
tmux_keys j
sleep 3
for i in $(seq 1 100); do tmux_screen | tail -1 | grep -q '^ *loading' || break; sleep 0.1; done
tmux_keys y   # copies the id of the node under the cursor: a user's
sleep 0.5
status=$(tmux_screen | tail -1)
check "the table list's arrival leaves the cursor where the user put it ($(printf '%s' "$status" | cut -c1-40))" \
	bash -c "printf '%s\n' '$status' | grep -qE 'copied id: [^ ]'"
tmux_keys q
check "q quits" tmux_dead

exit 0
