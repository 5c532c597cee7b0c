#!/usr/bin/env bash
# tests/scripts/man-pages.sh: the manual pages say what the program's tables
# hold, and render cleanly (issue 17).
#   - man/mkdoc --strict: every option has its text in man/ddtree.1.in,
#     every item there names an entry of the tables, every config line of
#     ddtree-config(5) and the sample config pass the program's parser;
#   - the built pages show every subcommand, option, action, ':' command,
#     key name and colour role (mkdoc list, from the same tables), and
#     every subcommand of `ddtree --help`;
#   - every environment variable the sources read is in ENVIRONMENT;
#   - groff (man --warnings) and, when installed, mandoc -Tlint say nothing.
# Prints TAP.
set -u
top=${DDTREE_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${DDTREE_BUILDDIR:-$top/build}
mkdoc=$build/man/mkdoc
page1=$build/man/ddtree.1
page5=$build/man/ddtree-config.5
work=$(mktemp -d "${TMPDIR:-/tmp}/ddtree-man-pages.XXXXXX")
trap 'rm -rf "$work"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift
	local f; for f in "$@"; do [ -s "$f" ] && sed 's/^/# /' "$f"; done
}

for f in "$mkdoc" "$page1" "$page5"; do
	[ -e "$f" ] || { echo "1..1"; echo "not ok 1 - $f is not built"; exit 1; }
done

# the templates and the tables agree
for t in "man $top/man/ddtree.1.in" "man $top/man/ddtree-config.5.in" \
	"bash $top/completion/ddtree.bash.in $top/man/ddtree.1.in" \
	"zsh $top/completion/ddtree.zsh.in $top/man/ddtree.1.in" \
	"fish $top/completion/ddtree.fish.in $top/man/ddtree.1.in"; do
	# shellcheck disable=SC2086
	if "$mkdoc" --strict $t >/dev/null 2>"$work/err"; then
		ok "mkdoc --strict ${t%% *} ${t#* }"
	else
		not_ok "mkdoc --strict ${t%% *} ${t#* }" "$work/err"
	fi
done

# The pages as text, 80 columns.  groff's output would hyphenate or mark
# up words; man's plain text with backspaces removed is what a reader sees.
render() { MANWIDTH=80 MAN_KEEP_FORMATTING= man -l "$1" 2>/dev/null | col -bx; }
if ! command -v man >/dev/null 2>&1 || ! command -v groff >/dev/null 2>&1; then
	echo "1..$n # SKIP man or groff is not installed (apt-get install man-db groff-base)"
	exit $failed
fi
render "$page1" >"$work/ddtree.1.txt"
render "$page5" >"$work/ddtree-config.5.txt"

# every entry of the tables shows in the page (as a word: not "thread" inside "threads")
"$mkdoc" list >"$work/list" || { not_ok "mkdoc list"; echo "1..$n"; exit 1; }
has() { grep -qF -- "$1" "$2"; }
hasword() { grep -qE -- "(^|[^[:alnum:]_:-])$(sed 's/[][\.*^$|+?(){}]/\\&/g' <<<"$1")([^[:alnum:]_-]|$)" "$2"; }
check_list() {
	local what=$1 page=$2 fmt=$3
	local missing=$work/missing-$what
	: >"$missing"
	local kind name extra
	while read -r kind name extra; do
		[ "$kind" = "$what" ] || continue
		# shellcheck disable=SC2059
		hasword "$(printf -- "$fmt" "$name")" "$page" ||
			echo "$(printf -- "$fmt" "$name") is not in $(basename "$page" .txt)" >>"$missing"
		if [ "$what" = option ] && [ -n "$extra" ]; then
			hasword "$extra" "$page" || echo "$extra is not in $(basename "$page" .txt)" >>"$missing"
		fi
	done <"$work/list"
	if [ -s "$missing" ]; then not_ok "every $what is in $(basename "$page" .txt)" "$missing"
	else ok "every $what is in $(basename "$page" .txt)"; fi
}
check_list command "$work/ddtree.1.txt" '%s'
check_list option "$work/ddtree.1.txt" '--%s'
check_list action "$work/ddtree.1.txt" '(%s)'
check_list colon "$work/ddtree.1.txt" ':%s'
check_list action "$work/ddtree-config.5.txt" '%s'
check_list key "$work/ddtree-config.5.txt" '%s'
check_list role "$work/ddtree-config.5.txt" '%s'
check_list color "$work/ddtree-config.5.txt" '%s'

# what the program itself prints: the commands of --help
bin=${DDTREE_BIN:-$build/ddtree}
: >"$work/missing-help"
"$bin" --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\)\( .*\)\{0,1\}$/\1/p' |
	while read -r c; do
		[ -n "$c" ] && { hasword "$c" "$work/ddtree.1.txt" || echo "$c (ddtree --help)" >>"$work/missing-help"; }
	done
"$bin" --help | sed -n 's/^  \(-.\), \(--[a-z-]*\).*/\1 \2/p; s/^  \(--[a-z-]*\).*/\1/p' | tr ' ' '\n' |
	while read -r o; do
		[ -n "$o" ] && { hasword "$o" "$work/ddtree.1.txt" || echo "$o (ddtree --help)" >>"$work/missing-help"; }
	done
if [ -s "$work/missing-help" ]; then not_ok "ddtree --help's commands and options are in ddtree(1)" "$work/missing-help"
else ok "ddtree --help's commands and options are in ddtree(1)"; fi

# the environment variables the sources read, in ENVIRONMENT
sed -n '/^ENVIRONMENT/,/^FILES/p' "$work/ddtree.1.txt" >"$work/env.txt"
{
	grep -ohE '\b(getenv|env|env_true|file_path)\("[A-Z][A-Z0-9_]*"' "$top"/aws/*.c "$top"/model/*.c "$top"/tui/*.c
	grep -ohE '\bpick\([^;]*' "$top"/model/*.c | grep -oE '"[A-Z][A-Z0-9_]*"'
} | grep -oE '"[A-Z][A-Z0-9_]*"' | tr -d '"' | sort -u >"$work/env-read"
: >"$work/missing-env"
while read -r v; do
	hasword "$v" "$work/env.txt" || echo "$v is read by the sources, not in ENVIRONMENT" >>"$work/missing-env"
done <"$work/env-read"
if [ -s "$work/missing-env" ]; then not_ok "ENVIRONMENT lists every variable the sources read ($(wc -l <"$work/env-read"))" "$work/missing-env"
elif [ "$(wc -l <"$work/env-read")" -lt 20 ]; then not_ok "the sources' variables were found (only $(wc -l <"$work/env-read"))" "$work/env-read"
else ok "ENVIRONMENT lists every variable the sources read ($(wc -l <"$work/env-read"))"; fi

# sections a manual page must have
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS BROWSER ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
	grep -q "^$s\$" "$work/ddtree.1.txt" || echo "ddtree(1) has no $s section" >>"$work/sections"
done
for s in NAME SYNOPSIS DESCRIPTION COMMANDS "KEY NAMES" ACTIONS "COLOR ROLES" EXAMPLES FILES; do
	grep -q "^$s\$" "$work/ddtree-config.5.txt" || echo "ddtree-config(5) has no $s section" >>"$work/sections"
done
if [ -s "$work/sections" ]; then not_ok "the pages have their sections" "$work/sections"
else ok "the pages have their sections"; fi
# the read-only rules and exit statuses (the text on one line: phrases wrap)
tr -s ' \t\n' '   ' <"$work/ddtree.1.txt" >"$work/flat"
if grep -q 'not on this machine opens read-only unless --write' "$work/flat" &&
	grep -q 'runs only against a DynamoDB on this machine' "$work/flat" &&
	sed -n '/^EXIT STATUS/,/^EXAMPLES/p' "$work/ddtree.1.txt" | grep -qE '^ +4 +A conflict'; then
	ok "ddtree(1) has the read-only rules, the demo's refusal and the exit statuses"
else
	not_ok "ddtree(1) has the read-only rules, the demo's refusal and the exit statuses"
fi

# no warnings from groff, at the usual width and a narrow one
for p in "$page1" "$page5"; do
	: >"$work/warn"
	for w in 80 60; do
		MANWIDTH=$w man --warnings -l "$p" 2>>"$work/warn" >/dev/null
	done
	if [ -s "$work/warn" ]; then not_ok "groff: no warnings for $(basename "$p")" "$work/warn"
	else ok "groff: no warnings for $(basename "$p")"; fi
done
if command -v mandoc >/dev/null 2>&1; then
	if mandoc -Tlint -Wwarning "$page1" "$page5" >"$work/lint" 2>&1; then
		ok "mandoc -Tlint: no warnings"
	else
		not_ok "mandoc -Tlint: no warnings" "$work/lint"
	fi
else
	ok "mandoc -Tlint # SKIP mandoc is not installed"
fi

echo "1..$n"
exit $failed
