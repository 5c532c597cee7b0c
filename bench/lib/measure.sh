#!/usr/bin/env bash
# bench/lib/measure.sh: the measuring part of bench/run, against ENDPOINT (or
# the DDTREE_TEST_ENDPOINT that scripts/dynamodb-local sets).  Expects the
# environment bench/run exports: DDTREE, BENCH_SEED, BENCH_DIR, RESULTS,
# RESULTS_MD, BENCH_SCALE, ROUNDS, SCAN_ROUNDS, BENCH_ONLY, BENCH_REPORT.
set -euo pipefail

ENDPOINT=${ENDPOINT:-${DDTREE_TEST_ENDPOINT:?no endpoint}}
export ENDPOINT SCALE=$BENCH_SCALE PREFIX=bench-
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ddtree-bench.XXXXXX")
export WORK
trap 'rm -rf "$WORK"' EXIT

driver() { node "$BENCH_DIR/lib/driver.mjs" "$@"; }
dd() { "$DDTREE" --endpoint-url "$ENDPOINT" "$@"; }
part() { [ -z "$BENCH_ONLY" ] || [ "$BENCH_ONLY" = "$1" ]; }
t_start=$(date +%s)
echo "bench: DynamoDB Local at $ENDPOINT; results in $RESULTS" >&2

if [ -z "$BENCH_ONLY" ]; then
	rm -f "$RESULTS"/*.json
	driver machine start
fi

# ---- tables: as the libraries' templates define them (ddtree demo) -------------------
demo_cmd="ddtree --endpoint-url \$E demo --prefix bench-"
fresh=
if ! dd --json tables | jq -r .table | grep -qx bench-chainlit; then
	dd demo --prefix bench- >&2
	fresh=1
fi

# ---- first screen on the small table, before seeding -----------------------------------
if [ -n "$fresh" ] && part first-screen; then
	driver first-screen demo-table bob@example.com
fi

# ---- seed ------------------------------------------------------------------------------
t0=$(date +%s)
"$BENCH_SEED" --endpoint-url "$ENDPOINT" --prefix bench- --scale "$BENCH_SCALE" 2>"$WORK/seed.log" || {
	cat "$WORK/seed.log" >&2
	exit 1
}
t1=$(date +%s)
cat "$WORK/seed.log" >&2
{
	for t in bench-chainlit bench-stache-documents bench-stache-namespaces; do
		ENDPOINT=$ENDPOINT "$BENCH_DIR/lib/curl-read.sh" scan "$t" 1000 | awk -v t="$t" '{print t, $2}'
	done
} >"$WORK/counts.txt"
jq -n --rawfile log "$WORK/seed.log" --rawfile counts "$WORK/counts.txt" \
	--arg cmd "bench/build/bench-seed --endpoint-url \$E --prefix bench- --scale $BENCH_SCALE" \
	--arg demo "$demo_cmd" --argjson s $((t1 - t0)) \
	'{seconds: $s, command: $cmd, demo_command: $demo, log: ($log | rtrimstr("\n") | split("\n")),
	  tables: ($counts | rtrimstr("\n") | split("\n") | map(split(" ") | {(.[0]): (.[1] | tonumber)}) | add)}' \
	>"$RESULTS/seed.json"

# ---- measurements ------------------------------------------------------------------------
part reads && driver reads
if part first-screen; then
	driver first-screen full-table bench-20k@example.com
	# the same small user as before seeding, now behind 240,000 items
	driver first-screen full-table-small-user bob@example.com 0
fi
part memory && driver memory

[ -z "$BENCH_ONLY" ] && driver machine end
if [ -n "$BENCH_REPORT" ]; then
	node "$BENCH_DIR/lib/report.mjs" "$RESULTS" "${RESULTS_MD:-$BENCH_DIR/RESULTS.md}"
fi
echo "bench: done in $(( $(date +%s) - t_start )) s" >&2
