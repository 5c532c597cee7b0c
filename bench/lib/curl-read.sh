#!/usr/bin/env bash
# bench/lib/curl-read.sh: the floor.  One curl process per request, signed by
# curl itself (--aws-sigv4), paging with LastEvaluatedKey extracted by jq,
# Limit always sent.  Each page is written to a file (overwritten: the bytes
# are stored, as the other tools write theirs); a summary line goes to stdout:
#   items N pages P bytes B
#
# Usage:
#   curl-read.sh threads TABLE USER [LIMIT]   Query UserThread, newest first
#   curl-read.sh threads-full TABLE USER [LIMIT [CHUNK]]
#                                   the same, then BatchGetItem of every THREAD
#                                   item, CHUNK (100) keys a request, all by one
#                                   curl process, one after the other, once the
#                                   index is read; UnprocessedKeys resent (what
#                                   `ddtree threads` and the browser also do)
#   curl-read.sh docs TABLE NAMESPACE [LIMIT] Query GSI1 NAMESPACE#ns, newest first
#   curl-read.sh scan TABLE [LIMIT]           Scan every item
#   curl-read.sh users TABLE [LIMIT]          Scan for user items (as the browser)
#   curl-read.sh feedback TABLE [LIMIT]       Scan for steps with feedback (as the browser)
#   curl-read.sh threads-page TABLE USER [LIMIT]
#                                   one page of a user's threads (first screen)
# Environment: ENDPOINT (required), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
# AWS_REGION (default us-east-1), OUTDIR (default: a temporary directory).
set -euo pipefail

: "${ENDPOINT:?ENDPOINT is not set}"
: "${AWS_ACCESS_KEY_ID:?}" "${AWS_SECRET_ACCESS_KEY:?}"
region=${AWS_REGION:-us-east-1}
own_dir=
if [ -z "${OUTDIR:-}" ]; then
	OUTDIR=$(mktemp -d "${TMPDIR:-/tmp}/bench-curl.XXXXXX")
	own_dir=1
fi
page="$OUTDIR/curl-page.$$.json"
cleanup() { rm -f "$page"; [ -n "$own_dir" ] && rm -rf "$OUTDIR"; return 0; }
trap cleanup EXIT

items=0 pages=0 bytes=0

# call OP BODY: one signed request; the answer goes to $page; adds to bytes
call() {
	local op=$1 body=$2 size
	size=$(curl -sS --fail-with-body -o "$page" -w '%{size_download}' \
		--aws-sigv4 "aws:amz:$region:dynamodb" \
		--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
		-H 'Content-Type: application/x-amz-json-1.0' \
		-H "X-Amz-Target: DynamoDB_20120810.$op" \
		--data-binary "$body" "$ENDPOINT/") || {
		echo "curl-read: $op failed: $(head -c 400 "$page" 2>/dev/null)" >&2
		exit 3
	}
	bytes=$((bytes + size))
	pages=$((pages + 1))
}

# page_all OP REQUEST [KEYS_FILE]: follow LastEvaluatedKey to the end.  With
# KEYS_FILE, append each page's item keys (PK, SK) as JSON lines to it.
page_all() {
	local op=$1 base=$2 keys=${3:-} req=$2 count next want=false
	[ -n "$keys" ] && want=true
	while :; do
		call "$op" "$req"
		# one jq per page: the count, the next request (or an empty line),
		# then (with KEYS_FILE) the THREAD keys of the page's items
		{
			read -r count
			read -r next
			if [ -n "$keys" ]; then cat >>"$keys"; else cat >/dev/null; fi
		} < <(jq -r --argjson base "$base" --argjson k "$want" \
			'.Count, (if .LastEvaluatedKey then $base + {ExclusiveStartKey: .LastEvaluatedKey} | tojson else "" end),
			 (if $k then .Items[] | {PK, SK: {S: "THREAD"}} | tojson else empty end)' \
			"$page")
		items=$((items + count))
		[ -n "$next" ] || break
		req=$next
	done
}

threads_req() {
	jq -nc --arg t "$1" --arg pk "USER#$2" --argjson l "$3" \
		'{TableName: $t, IndexName: "UserThread", KeyConditionExpression: "#pk = :pk",
		  ExpressionAttributeNames: {"#pk": "UserThreadPK"},
		  ExpressionAttributeValues: {":pk": {S: $pk}}, ScanIndexForward: false, Limit: $l}'
}

mode=${1:-}
[ $# -gt 0 ] && shift
case "$mode" in
threads)
	page_all Query "$(threads_req "$1" "$2" "${3:-1000}")"
	;;
threads-page)
	call Query "$(threads_req "$1" "$2" "${3:-50}")"
	items=$(jq '.Count' "$page")
	;;
threads-full)
	# the index pages, then BatchGetItem of every THREAD item (CHUNK keys a
	# request, default 100), all sent by one curl process over one connection
	# (they do not depend on each other); UnprocessedKeys are resent
	keys="$OUTDIR/curl-keys.$$.jsonl"
	: >"$keys"
	page_all Query "$(threads_req "$1" "$2" "${3:-1000}")" "$keys"
	index_items=$items
	items=0
	chunk=${4:-100}
	bdir="$OUTDIR/curl-batch.$$"
	pending="$keys"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		rm -rf "$bdir"
		mkdir -p "$bdir"
		# one request body per chunk: req.00000, req.00001, ...
		jq -c -n --arg t "$1" --argjson c "$chunk" \
			'[inputs] | range(0; length; $c) as $i | {RequestItems: {($t): {Keys: .[$i:$i+$c]}}}' \
			"$pending" | split -l 1 -d -a 5 - "$bdir/req."
		cfg="$bdir/curl.cfg"
		for req in "$bdir"/req.*; do
			[ "$req" = "$bdir/req.00000" ] || echo next
			printf 'url = "%s/"\naws-sigv4 = "aws:amz:%s:dynamodb"\nuser = "%s:%s"\nheader = "Content-Type: application/x-amz-json-1.0"\nheader = "X-Amz-Target: DynamoDB_20120810.BatchGetItem"\ndata-binary = "@%s"\noutput = "%s"\nwrite-out = "%%{size_download}\\n"\nfail-with-body\n' \
				"$ENDPOINT" "$region" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$req" "${req/req./resp.}"
		done >"$cfg"
		sizes=$(curl -sS -K "$cfg") || { echo "curl-read: BatchGetItem failed" >&2; exit 3; }
		for sz in $sizes; do bytes=$((bytes + sz)); pages=$((pages + 1)); done
		# count the items; collect UnprocessedKeys for another round
		got=$(jq -s --arg t "$1" '[.[].Responses[$t] | length] | add' "$bdir"/resp.*)
		items=$((items + got))
		jq -c --arg t "$1" '(.UnprocessedKeys[$t].Keys // [])[]' "$bdir"/resp.* >"$bdir.left"
		[ -s "$bdir.left" ] || break
		mv "$bdir.left" "$keys.left"
		pending="$keys.left"
	done
	rm -rf "$bdir" "$bdir.left" "$keys" "$keys.left"
	[ "$items" = "$index_items" ] || { echo "curl-read: $index_items index items, $items threads" >&2; exit 1; }
	;;
docs)
	page_all Query "$(jq -nc --arg t "$1" --arg pk "NAMESPACE#$2" --argjson l "${3:-1000}" \
		'{TableName: $t, IndexName: "GSI1", KeyConditionExpression: "#pk = :pk",
		  ExpressionAttributeNames: {"#pk": "GSI1PK"},
		  ExpressionAttributeValues: {":pk": {S: $pk}}, ScanIndexForward: false, Limit: $l}')"
	;;
scan)
	page_all Scan "$(jq -nc --arg t "$1" --argjson l "${2:-1000}" '{TableName: $t, Limit: $l}')"
	;;
users)
	page_all Scan "$(jq -nc --arg t "$1" --argjson l "${2:-1000}" \
		'{TableName: $t, Limit: $l, FilterExpression: "begins_with(#pk, :u) AND #sk = :s",
		  ExpressionAttributeNames: {"#pk": "PK", "#sk": "SK"},
		  ExpressionAttributeValues: {":u": {S: "USER#"}, ":s": {S: "USER"}}}')"
	;;
feedback)
	page_all Scan "$(jq -nc --arg t "$1" --argjson l "${2:-1000}" \
		'{TableName: $t, Limit: $l, FilterExpression: "begins_with(#sk, :s) AND attribute_exists(#fb)",
		  ExpressionAttributeNames: {"#sk": "SK", "#fb": "feedback"},
		  ExpressionAttributeValues: {":s": {S: "STEP#"}}}')"
	;;
*)
	sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
echo "items $items pages $pages bytes $bytes"
