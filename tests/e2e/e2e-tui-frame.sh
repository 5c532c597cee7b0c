#!/usr/bin/env bash
# The browser's frame in a real terminal (tmux), issue 13: the feedback form
# laid out again at once on every resize (140x40 -> 30x6 -> 80x24: its
# fields and buttons show, the body is not blank); three quick PgDn past a
# "more..." node that has not loaded stop on it and load its page; z
# zooms the focused pane and back.
. "$(dirname "$0")/lib.sh"
plan 14

"$DDTREE_BIN" --endpoint-url "$E" demo --prefix "$PREFIX" >/dev/null 2>&1
CT="${PREFIX}chainlit"
ARGS=(--chainlit-table "$CT" --namespace-table "${PREFIX}stache-namespaces"
      --documents-table "${PREFIX}stache-documents")
check "180 threads of pager@example.com are written" seed_threads "$CT" pager@example.com 180
TID=$("$DDTREE_BIN" --endpoint-url "$E" "${ARGS[@]}" --json threads alice@example.com | jq -r .id | sed -n 3p)

resize() { tmux -L "$T_TMUX" resize-window -t 0 -x "$1" -y "$2"; sleep 0.5; }
# form_whole: the form's value and comment fields and its buttons show,
# and no line of the body between them is blank
form_whole() {
	local s
	s=$(tmux_screen)
	contains "$s" "Value:" && contains "$s" "Comment:" && contains "$s" "[ Save ]" &&
		contains "$s" "[ Cancel ]" &&
		! printf '%s\n' "$s" | sed -n '/Value:/,/\[ Save \]/p' | grep -q '^ *$' ||
		{ printf '%s\n' "$s" | sed 's/^/# /'; return 1; }
}

# ---- the feedback form across resizes ----
tmux_start 80 24 "$DDTREE_BIN" --endpoint-url "$E" "${ARGS[@]}" -c ":thread $TID"
tmux_wait "user_message" >/dev/null
tmux_keys e
check "e opens the feedback form" tmux_wait "Value:" 10
check "the form at 80x24 is whole" form_whole
resize 140 40
check "after a resize to 140x40 the form is whole at once" form_whole
resize 30 6
check "after a resize to 30x6 its fields and buttons still show" form_whole
resize 80 24
check "after a resize back to 80x24 the form is whole" form_whole
tmux_keys Escape
check "Esc closes it" tmux_wait "feedback not changed" 5
tmux_keys q
check "q quits" tmux_dead

# ---- quick PgDn past "more..." ----
# from the user (row 5), PgDn goes 25, 45, then would pass "more..." (row
# 56): the keys come at once, before its page is asked for; the cursor
# stops on it, its page loads and takes its place: the page's first thread
tmux_start 80 24 "$DDTREE_BIN" --endpoint-url "$E" "${ARGS[@]}" -c ":user pager@example.com"
tmux_wait "Paged thread number 179" >/dev/null
for i in $(seq 1 100); do tmux_screen | tail -1 | grep -q 'loading' || break; sleep 0.1; done
tmux_keys PgDn PgDn PgDn
sleep 1
for i in $(seq 1 100); do tmux_screen | tail -1 | grep -q 'loading' || break; sleep 0.1; done
tmux_keys y
check "three quick PgDn stop on 'more...', which loads: the cursor is on thread 129" \
	tmux_wait "copied id: 00000000-0000-4000-8000-000000000129" 5
[ "$T_FAILED" = 0 ] || tmux_screen | sed 's/^/# /'
# G: every page, the cursor on the user's last thread
tmux_keys G
check "G loads every page and goes to the user's last thread" tmux_wait "Paged thread number 0 " 20
for i in $(seq 1 100); do tmux_screen | tail -1 | grep -q 'loading' || break; sleep 0.1; done
tmux_keys y
check "... the cursor on it" tmux_wait "copied id: 00000000-0000-4000-8000-000000000000" 5

# ---- z zooms the focused pane ----
tmux_keys Tab
tmux_wait "> Paged thread number 0" 5 >/dev/null
tmux_keys z
check "z shows the focused list alone" \
	bash -c "sleep 0.5; tmux -L '$T_TMUX' capture-pane -p -t 0 | sed -n 2p | grep -q '^> Paged thread number 0' && ! tmux -L '$T_TMUX' capture-pane -p -t 0 | grep -q '│'"
tmux_keys z
check "z again shows both panes" bash -c "sleep 0.5; tmux -L '$T_TMUX' capture-pane -p -t 0 | grep -q '│> Paged thread number 0'"
tmux_keys q
check "q quits" tmux_dead
