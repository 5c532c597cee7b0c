#!/usr/bin/env bash
# The real binary in a real terminal (tmux): the browser opens, lists the
# tables with their layouts and the endpoint in the header, and quits on q.
. "$(dirname "$0")/lib.sh"
plan 5

ddtree demo --prefix "$PREFIX" >/dev/null 2>&1
# Naming a Chainlit table makes the tree start with Tables closed, whatever
# else the shared server holds; open it, then filter it down to our tables.
tmux_start 160 40 "$DDTREE_BIN" --endpoint-url "$E" --chainlit-table "${PREFIX}none"
tmux_wait "+ Tables" >/dev/null
tmux_keys "/Tables" Enter Enter Escape
tmux_wait "- Tables" >/dev/null
tmux_keys "/$PREFIX" Enter
check "the browser lists the demo tables" tmux_wait "${PREFIX}stache-namespaces"
screen=$(tmux_screen)
# (its scheme goes first when the header is too long for the screen)
check "the header shows the endpoint" contains "$(printf '%s\n' "$screen" | head -1)" "${E#*://}"
check "the header shows read-write for a local endpoint" contains "$screen" "[read-write]"
check "layouts are shown" contains "$(printf '%s\n' "$screen" | grep "${PREFIX}chainlit ")" "chainlit"
tmux_keys q
check "q quits" tmux_dead
