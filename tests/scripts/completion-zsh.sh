#!/usr/bin/env bash
# tests/scripts/completion-zsh.sh: the zsh and fish completions (issue 17).
# zsh: an interactive zsh in a pseudo-terminal (zsh's zpty module) with the
# built _ddtree first on fpath types a few command lines and Tab; a widget
# bound to ^X writes the line as completion left it.  fish: `complete -C`
# lists the candidates of a line.  Each shell is skipped when it is not
# installed (scripts/setup-deps test installs both).  Prints TAP.
set -u
top=${DDTREE_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${DDTREE_BUILDDIR:-$top/build}
work=$(mktemp -d "${TMPDIR:-/tmp}/ddtree-completion-zsh.XXXXXX")
trap 'rm -rf "$work"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; [ $# -gt 1 ] && printf '# %s\n' "${@:2}"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

export HOME=$work/home XDG_CACHE_HOME=$work/cache
mkdir -p "$HOME/.aws"
unset AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
printf '[profile solo-profile]\nregion = eu-west-1\n' >"$HOME/.aws/config"
: >"$HOME/.aws/credentials"
# a stub ddtree that records its calls and prints a table list as `ddtree
# tables` does
mkdir -p "$work/bin"
cat >"$work/bin/ddtree" <<EOF
#!/bin/sh
echo "\$*" >>"$work/calls"
echo "TABLE          LAYOUT                  ITEMS  KEYS / INDEXES"
echo "chainlit       chainlit                   12  PK HASH S, SK RANGE S"
EOF
chmod +x "$work/bin/ddtree"
export PATH=$work/bin:$PATH

# ---- zsh ----
# Each line is typed, then Tab, then ^X: the widget appends "BUF:<line>"
# to the output file and clears the line.
cat >"$work/drive.zsh" <<'EOF'
zmodload zsh/zpty || exit 3
compdir=$1 out=$2; shift 2
: >$out
drain() { local chunk; while zpty -r -t z chunk 2>/dev/null; do :; done }
waitfor() {
	local i
	for ((i = 0; i < 300; i++)); do
		drain
		(( $(wc -l <$out) >= $1 )) && return 0
		sleep 0.1
	done
	return 1
}
zpty z zsh -f -i
# compinit -D: no dump file (never -d FILE: compinit would replace FILE)
zpty -w z "PS1='> '; fpath=($compdir \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' menu no; setopt nobeep; unsetopt listambiguous"
zpty -w z "show() { print -r -- \"BUF:\$BUFFER\" >>$out; BUFFER=; }; zle -N show; bindkey '^X' show"
zpty -w z "print ready >>$out"
waitfor 1 || exit 4
n=1
for line in "$@"; do
	zpty -w -n z "$line"$'\t'
	sleep 0.2
	drain
	zpty -w -n z $'\x18'
	n=$((n + 1))
	waitfor $n || break
done
zpty -w z exit
drain
zpty -d z
EOF

zsh_cases=(
	"ddtree ta|ddtree tables "
	"ddtree --prof|ddtree --profile="
	"ddtree --profile |ddtree --profile solo-profile "
	"ddtree --region us-gov-w|ddtree --region us-gov-west-1 "
	"ddtree feedback s|ddtree feedback set "
	"ddtree feedback set T S --value d|ddtree feedback set T S --value down "
	"ddtree threads alice --ind|ddtree threads alice --index-only "
	"ddtree -c :us|ddtree -c :user "
	"ddtree expo|ddtree export "
	"ddtree tables --js|ddtree tables --json "
	"ddtree item ch|ddtree item ch"
	"ddtree --endpoint-url http://127.0.0.1:8000 item ch|ddtree --endpoint-url http://127.0.0.1:8000 item chainlit "
	"ddtree --endpoint-url http://127.0.0.1:8000 --chainlit-table=c|ddtree --endpoint-url http://127.0.0.1:8000 --chainlit-table=chainlit "
)
if ! command -v zsh >/dev/null 2>&1; then
	skip "zsh completion" "zsh is not installed (apt-get install zsh)"
elif [ ! -f "$build/completion/_ddtree" ]; then
	not_ok "zsh completion: $build/completion/_ddtree is built"
else
	if zsh -n "$build/completion/_ddtree" 2>"$work/err"; then ok "zsh -n _ddtree"
	else not_ok "zsh -n _ddtree" "$(cat "$work/err")"; fi
	lines=()
	for c in "${zsh_cases[@]}"; do lines+=("${c%%|*}"); done
	timeout 120 zsh -f "$work/drive.zsh" "$build/completion" "$work/zsh.out" "${lines[@]}" \
		>/dev/null 2>"$work/zsh.err"
	rc=$?
	if [ "$rc" = 3 ]; then
		skip "zsh completion" "zsh has no zpty module"
	else
		i=2
		for c in "${zsh_cases[@]}"; do
			got=$(sed -n "${i}s/^BUF://p" "$work/zsh.out")
			if [ "$got" = "${c#*|}" ]; then ok "zsh: [${c%%|*}] -> [${c#*|}]"
			else not_ok "zsh: [${c%%|*}] -> [${c#*|}]" "got: [$got] (zsh exit $rc)" "$(cat "$work/zsh.err")"; fi
			i=$((i + 1))
		done
		calls=$(cat "$work/calls" 2>/dev/null)
		if [ "$calls" = "--endpoint-url http://127.0.0.1:8000 tables" ]; then
			ok "zsh: one ddtree tables call, with --endpoint-url only"
		else
			not_ok "zsh: one ddtree tables call, with --endpoint-url only" "calls: $calls"
		fi
	fi
fi
rm -rf "$work/calls" "$XDG_CACHE_HOME"

# ---- fish ----
fish_cases=(
	"ddtree ta|tables"
	"ddtree --prof|--profile"
	"ddtree --profile |solo-profile"
	"ddtree feedback |delete set"
	"ddtree feedback set T S --value |down up"
	"ddtree threads alice --index|--index-only"
	"ddtree -c :us|:user"
	"ddtree item |"
	"ddtree --endpoint-url http://127.0.0.1:8000 item c|chainlit"
)
if ! command -v fish >/dev/null 2>&1; then
	skip "fish completion" "fish is not installed (apt-get install fish)"
elif [ ! -f "$build/completion/ddtree.fish" ]; then
	not_ok "fish completion: $build/completion/ddtree.fish is built"
else
	for c in "${fish_cases[@]}"; do
		line=${c%%|*} want=${c#*|}
		got=$(timeout 30 fish --no-config -c 'source $argv[1]; complete -C $argv[2]' \
			"$build/completion/ddtree.fish" "$line" 2>"$work/fish.err" | cut -f1 | sort | tr '\n' ' ')
		got=${got% }
		if [ "$got" = "$want" ]; then ok "fish: [$line] -> $want"
		else not_ok "fish: [$line] -> $want" "got: $got" "$(cat "$work/fish.err")"; fi
	done
	calls=$(cat "$work/calls" 2>/dev/null)
	if [ "$calls" = "--endpoint-url http://127.0.0.1:8000 tables" ]; then
		ok "fish: one ddtree tables call, with --endpoint-url only"
	else
		not_ok "fish: one ddtree tables call, with --endpoint-url only" "calls: $calls"
	fi
fi

# nothing above may touch a file outside the scratch directory
if [ -c /dev/null ]; then ok "/dev/null is still a device"
else not_ok "/dev/null is still a device"; fi

echo "1..$n"
exit $failed
