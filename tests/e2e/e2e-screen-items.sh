#!/usr/bin/env bash
# Scripted screens of the generic table view and the detail view: hostile
# text (escape sequences, wide characters, invalid layout), every attribute
# type, the raw view, the filter and a resize.  Expected screens live in
# tests/e2e/screens/.
. "$(dirname "$0")/lib.sh"
plan 18

T="${PREFIX}raw"
make_table "$T"
ddb PutItem "{\"TableName\":\"$T\",\"Item\":{\"PK\":{\"S\":\"item#1\"},\"SK\":{\"S\":\"a\"},\"title\":{\"S\":\"\\u001b[31mRED\\u001b[0m \\u001b]0;pwned\\u0007 bell\"},\"wide\":{\"S\":\"日本語のテキスト\"}}}" >/dev/null
ddb PutItem "{\"TableName\":\"$T\",\"Item\":{\"PK\":{\"S\":\"item#2\"},\"SK\":{\"S\":\"b\"},\"big\":{\"N\":\"12345678901234567890123456789012345678\"},\"bin\":{\"B\":\"AAEC/w==\"},\"set\":{\"SS\":[\"z\",\"a\"]},\"nul\":{\"NULL\":true},\"ok\":{\"BOOL\":false},\"json\":{\"S\":\"{\\\"icon\\\": \\\"wrench\\\", \\\"n\\\": [1, 2]}\"},\"deep\":{\"M\":{\"l\":{\"L\":[{\"N\":\"1\"},{\"S\":\"two\"}]}}},\"text\":{\"S\":\"line one\\nline two is long enough to be wrapped when the screen is narrow, it goes on and on\"}}}" >/dev/null

# The tree's Tables node lists every table of the (shared) server: naming
# the library tables keeps it closed, so the screens hold only this test's data.
ARGS=(--chainlit-table "${PREFIX}cl" --namespace-table "${PREFIX}ns" --documents-table "${PREFIX}docs")
cat >"$WORK/script" <<SCRIPT
:table $T
:save-display $WORK/list.txt
/item#1
<Enter>
<Enter>
:save-display $WORK/detail1.txt
<Esc><Esc>
/item#2
<Enter><Enter>
:save-display $WORK/detail2.txt
r
:save-display $WORK/raw.txt
<Esc><Esc>
/日本
:save-display $WORK/filter.txt
<Enter><Esc>
:resize 50x16
:save-display $WORK/narrow.txt
q
SCRIPT
run_script 100x30 "$WORK/script" "${ARGS[@]}"; rc=$?
check "the scripted browser exits 0" test "$rc" = 0
check "the list screen is as expected" same_screen items-list.txt "$WORK/list.txt"
check "escape sequences are shown as ^[ in the list" grep -qF '^[[31mRED' "$WORK/list.txt"
check "the detail shows the title visibly" grep -qF 'title  (S) "^[[31mRED^[[0m ^[]0;pwned^G bell"' "$WORK/detail1.txt"
check "wide characters are kept" grep -qF '日本語のテキスト' "$WORK/detail1.txt"
check "the detail of every type is as expected" same_screen items-detail2.txt "$WORK/detail2.txt"
check "38-digit numbers are exact" grep -qF '(N) 12345678901234567890123456789012345678' "$WORK/detail2.txt"
check "JSON text is pretty-printed" grep -qF '"icon": "wrench"' "$WORK/detail2.txt"
check "the raw view shows DynamoDB JSON" grep -qF '"N": "12345678901234567890123456789012345678"' "$WORK/raw.txt"
check "the filter keeps only matching rows" test "$(grep -c 'item#' "$WORK/filter.txt")" = 1
check "the filter is shown in the title" grep -qF '[filter: 日本]' "$WORK/filter.txt"
check "after a resize no line is wider than 50 columns" \
	test "$(LC_ALL=C.UTF-8 wc -L <"$WORK/narrow.txt")" -le 50
check "the narrow screen has 16 lines" test "$(wc -l <"$WORK/narrow.txt")" = 16
check "no raw escape character reached any screen" \
	bash -c "! grep -q $'\x1b' $WORK/*.txt"

# The detail view across a resize: item#2's long text wraps to more lines at
# 40 columns than at 120; with the cursor on the last line, widening keeps
# the cursor inside the text (it said 23/21) and fills the screen from the top
cat >"$WORK/rs" <<SCRIPT
:table $T
/item#2
<Enter><Enter>
G
:save-display $WORK/rs-narrow.txt
:resize 120x40
:save-display $WORK/rs-wide.txt
q
SCRIPT
run_script 40x15 "$WORK/rs" "${ARGS[@]}"
narrow=$(tail -1 "$WORK/rs-narrow.txt" | awk '{print $1}')
wide=$(tail -1 "$WORK/rs-wide.txt" | awk '{print $1}')
check "the detail view's cursor stays inside the text after a resize ($narrow -> $wide)" \
	bash -c "[ '${wide%/*}' -le '${wide#*/}' ] && [ '${narrow#*/}' -gt '${wide#*/}' ]"
check "... and the text is drawn from its first line" grep -q "PK" "$WORK/rs-wide.txt"

# y in the detail view copies the item's id (it did nothing); on a row
# without an item, Y says so instead of nothing
cat >"$WORK/yk" <<SCRIPT
:table $T
/item#1
<Enter><Enter>
y
:save-display $WORK/y-detail.txt
q
SCRIPT
run_script 100x15 "$WORK/yk" "${ARGS[@]}"
check "y in the detail view copies the id" grep -q "copied id: item#1" "$WORK/y-detail.txt"
printf '/Trash\n<Enter>\nY\n:save-display %s\nq\n' "$WORK/y-none.txt" >"$WORK/yn"
run_script 100x15 "$WORK/yn" "${ARGS[@]}"
check "Y on a node without an item says so" grep -q "no item here" "$WORK/y-none.txt"
