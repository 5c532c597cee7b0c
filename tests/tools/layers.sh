#!/usr/bin/env bash
# tests/tools/layers.sh BUILDDIR [LAYER...]: the layering check (TAP).
#
# Reads, with nm, which external symbols each object file of aws/, model/
# and tui/ defines and which it uses, builds the graph "file A calls file B"
# from that, and fails when
#   - a lower layer uses a higher one (aws < model < tui), or
#   - files of one layer call each other in a loop (A -> B -> ... -> A).
# Function pointers to static functions are invisible to nm: a callback
# that a caller hands down is not a call back into the caller's file, which
# is what the check is about (layers call down, callbacks come back up).
#
# With LAYER arguments (aws, model, tui), only the loops of those layers
# are checked (the direction rule always is): make check runs it for all
# three (tests/tools/layers-check.sh).
#
# Prints one TAP line per layer and per direction rule, and for a failure
# the edges that close the loop.  DDTREE_LAYERS_GRAPH=FILE also writes the
# graph (one "from to symbol" line per edge) for a human to read.
set -uo pipefail
build=${1:?usage: layers.sh BUILDDIR [LAYER...]}
shift
layers=("$@")
[ ${#layers[@]} -eq 0 ] && layers=(aws model tui)
for l in "${layers[@]}"; do
	case $l in
	aws | model | tui) ;;
	*) echo "layers.sh: unknown layer $l (aws, model, tui)" >&2; exit 2 ;;
	esac
done
cd "$build" || exit 2

layer_rank() {
	case $1 in
	aws/*) echo 0 ;;
	model/*) echo 1 ;;
	tui/*) echo 2 ;;
	*) echo 9 ;;
	esac
}

# object file -> source name: aws/libddaws_a-ddb.o -> aws/ddb
# Only the objects the libraries are made of now: a source file that was
# removed or renamed leaves its object behind in an older build directory.
members=$(for a in lib*.a; do [ -f "$a" ] && ar t "$a"; done 2>/dev/null)
objs=()
for d in aws model tui; do
	for o in "$d"/lib*_a-*.o; do
		[ -f "$o" ] && grep -qxF "${o##*/}" <<<"$members" && objs+=("$o")
	done
done
if [ ${#objs[@]} -eq 0 ]; then
	echo "1..1"
	echo "not ok 1 - no object files under $build (build first)"
	exit 1
fi
srcname() {
	local b=${1##*/}
	b=${b#lib*_a-}
	echo "${1%%/*}/${b%.o}"
}

defs=$(mktemp) uses=$(mktemp) edges=$(mktemp)
trap 'rm -f "$defs" "$uses" "$edges"' EXIT
for o in "${objs[@]}"; do
	s=$(srcname "$o")
	nm -g --defined-only "$o" | awk -v s="$s" 'NF >= 3 && $2 ~ /[TDBRCV]/ { print $3, s }' >>"$defs"
	nm -u "$o" | awk -v s="$s" '{ print $NF, s }' >>"$uses"
done
# edges: user-file defining-file symbol (a file's use of its own symbol is no edge)
awk 'NR == FNR { def[$1] = $2; next }
     ($1 in def) && def[$1] != $2 { print $2, def[$1], $1 }' "$defs" "$uses" | sort -u >"$edges"
[ -n "${DDTREE_LAYERS_GRAPH:-}" ] && cp "$edges" "$DDTREE_LAYERS_GRAPH"

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for l in "$@"; do echo "# $l"; done
}

echo "1..$((1 + ${#layers[@]}))"
# 1. direction: no file calls a file of a higher layer
up=()
while read -r from to sym; do
	if [ "$(layer_rank "$from")" -lt "$(layer_rank "$to")" ]; then
		up+=("$from calls $to ($sym)")
	fi
done <"$edges"
if [ ${#up[@]} -eq 0 ]; then
	ok "no lower layer calls a higher one (aws < model < tui)"
else
	notok "a lower layer calls a higher one" "${up[@]}"
fi

# 2-4. no loop among the files of each layer (those asked for): repeatedly drop the files
# that call no one left in the layer; whatever stays is on a loop or calls
# into one, and the edges among those are printed.
for layer in "${layers[@]}"; do
	left=$(awk -v l="$layer/" 'index($1, l) == 1 && index($2, l) == 1 { print $1, $2 }' "$edges" | sort -u)
	while :; do
		[ -z "$left" ] && break
		callers=$(echo "$left" | awk '{ print $1 }' | sort -u)
		# a callee that calls no one in what is left is a sink: drop its edges
		next=$(echo "$left" | awk -v c="$callers" '
			BEGIN { n = split(c, a, "\n"); for (i = 1; i <= n; i++) isc[a[i]] = 1 }
			($2 in isc) { print }')
		[ "$next" = "$left" ] && break
		left=$next
	done
	if [ -z "$left" ]; then
		ok "no loop of calls among the files of $layer/"
	else
		mapfile -t lines < <(echo "$left" | while read -r a b; do
			syms=$(awk -v a="$a" -v b="$b" '$1 == a && $2 == b { printf "%s%s", sep, $3; sep = " " }' "$edges")
			echo "$a -> $b: $syms"
		done)
		notok "files of $layer/ call each other in a loop (these calls are on it or lead into it)" "${lines[@]}"
	fi
done
[ "$failed" = 0 ]
