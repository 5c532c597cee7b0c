#!/usr/bin/env bash
# tests/scripts/completion-bash.sh: the bash completion (issue 17), sourced
# into a plain bash (no bash-completion package needed) and asked, as bash
# asks it (COMP_WORDS, COMP_CWORD, then _ddtree), for the candidates of a
# few command lines: subcommands, options, each command's own options,
# --profile from a scratch AWS config and credentials file, --region,
# --value, feedback set|delete, -c's ':' commands, and table names only
# when --endpoint-url is on the line (from a stub ddtree, called once: the
# second time comes from the cache).  Also: every subcommand and option of
# the tables is offered (mkdoc list).  Prints TAP.
set -u
top=${DDTREE_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${DDTREE_BUILDDIR:-$top/build}
comp=$build/completion/ddtree
work=$(mktemp -d "${TMPDIR:-/tmp}/ddtree-completion-bash.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -f "$comp" ] || { echo "1..1"; echo "not ok 1 - $comp is not built"; exit 1; }

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; [ $# -gt 1 ] && printf '# %s\n' "${@:2}"; }

# a scratch home: AWS files, the cache, and a stub ddtree that records its
# calls and prints a table list as `ddtree tables` does
export HOME=$work/home XDG_CACHE_HOME=$work/cache
mkdir -p "$HOME/.aws" "$work/bin"
unset AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
cat >"$HOME/.aws/config" <<'EOF'
[default]
region = eu-west-1
[profile prod-admin]
role_arn = arn:aws:iam::123456789012:role/admin
[ profile  staging ]
[sso-session corp]
sso_start_url = https://example.awsapps.com/start
EOF
cat >"$HOME/.aws/credentials" <<'EOF'
[default]
aws_access_key_id = AKIDEXAMPLE
[ci]
aws_access_key_id = AKIDEXAMPLE
EOF
cat >"$work/bin/ddtree" <<EOF
#!/bin/sh
echo "\$*" >>"$work/calls"
echo "TABLE          LAYOUT                  ITEMS  KEYS / INDEXES"
echo "chainlit       chainlit                   12  PK HASH S, SK RANGE S"
echo "stache-docs    stache-documents            3  doc_id HASH S"
EOF
chmod +x "$work/bin/ddtree"
export PATH=$work/bin:$PATH

# candidates LINE: what _ddtree offers for the end of LINE, asked as bash
# asks it: COMP_WORDS split at blanks and at the characters of
# COMP_WORDBREAKS, which are words of their own ("--region=eu" is
# --region, =, eu; "http://h:8000" is http, :, //h, :, 8000).
candidates() {
	bash --norc --noprofile -c '
		source "$1"
		COMP_LINE=$2 COMP_POINT=${#2}
		COMP_WORDS=() w= brk=
		for ((i = 0; i < ${#2}; i++)); do
			c=${2:i:1}
			if [[ $c == [[:space:]] ]]; then
				[ -n "$w" ] && COMP_WORDS+=("$w"); w= brk=
			elif [[ $COMP_WORDBREAKS == *"$c"* && $c != [\"\x27] ]]; then
				[ -n "$w" ] && [ -z "$brk" ] && { COMP_WORDS+=("$w"); w=; }
				w+=$c brk=1
			else
				[ -n "$brk" ] && { COMP_WORDS+=("$w"); w=; }
				w+=$c brk=
			fi
		done
		COMP_WORDS+=("$w")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_ddtree
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//"' \
		_ "$comp" "$1"
}
expect() {
	local want=$1 line=$2 got
	got=$(candidates "$line")
	if [ "$got" = "$want" ]; then ok "[$line] -> $want"
	else not_ok "[$line] -> $want" "got: $got"; fi
}

# the completion is registered for ddtree
if bash --norc --noprofile -c 'source "$1" && complete -p ddtree' _ "$comp" | grep -q -- '-F _ddtree'; then
	ok "complete -F _ddtree ddtree"
else
	not_ok "complete -F _ddtree ddtree"
fi

expect "tables thread threads" "ddtree t"
expect "thread threads" "ddtree --json th"
expect "--region" "ddtree --reg"
expect "--endpoint-url" "ddtree --endpoint"
expect "" "ddtree --index"
expect "--index-only" "ddtree threads alice --index"
expect "--command --comment" "ddtree feedback set T S --comm"
expect "--read-only --region --reset" "ddtree demo --re"
expect "ci default prod-admin staging" "ddtree --profile "
expect "prod-admin" "ddtree --profile=pr"
expect "eu-west-1 eu-west-2 eu-west-3" "ddtree --region eu-west"
expect "down up" "ddtree feedback set T S --value "
expect "up" "ddtree feedback set T S --value=u"
expect "delete set" "ddtree feedback "
expect "" "ddtree feedback set "
expect "thread" "ddtree -c thr"
expect "user" "ddtree -c :us"
expect "check" "ddtree --region eu-west-1 --profile ci ch"
expect "check" "ddtree --endpoint-url http://127.0.0.1:8000 ch"

# the files named by AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
printf '[profile other]\n' >"$work/config2"
printf '[another]\n' >"$work/creds2"
got=$(AWS_CONFIG_FILE=$work/config2 AWS_SHARED_CREDENTIALS_FILE=$work/creds2 candidates "ddtree --profile ")
if [ "$got" = "another other" ]; then ok "--profile: AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE"
else not_ok "--profile: AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE" "got: $got"; fi

# tables: never without --endpoint-url
rm -f "$work/calls"
expect "" "ddtree item "
expect "" "ddtree --chainlit-table "
if [ -e "$work/calls" ]; then not_ok "no ddtree call without --endpoint-url" "$(cat "$work/calls")"
else ok "no ddtree call without --endpoint-url"; fi
# with it: one call, then the cache
expect "chainlit stache-docs" "ddtree --endpoint-url http://127.0.0.1:8000 item "
expect "stache-docs" "ddtree --endpoint-url http://127.0.0.1:8000 export s"
expect "chainlit" "ddtree --endpoint-url=http://127.0.0.1:8000 --chainlit-table ch"
calls=$(cat "$work/calls" 2>/dev/null)
if [ "$calls" = "--endpoint-url http://127.0.0.1:8000 tables" ]; then
	ok "one ddtree tables call, then the cache"
else
	not_ok "one ddtree tables call, then the cache" "calls: $calls"
fi
# another endpoint, region or profile is another cache entry
expect "chainlit stache-docs" "ddtree --endpoint-url http://127.0.0.1:8000 --region eu-west-1 export "
calls=$(sed -n 2p "$work/calls" 2>/dev/null)
if [ "$calls" = "--endpoint-url http://127.0.0.1:8000 --region eu-west-1 tables" ]; then
	ok "the region goes to the tables call"
else
	not_ok "the region goes to the tables call" "calls: $(cat "$work/calls")"
fi

# every subcommand and option of the program's tables is offered
if [ -x "$build/man/mkdoc" ]; then
	all_commands=$(candidates "ddtree ")
	all_options=$("$build/man/mkdoc" list | while read -r kind name _; do
		[ "$kind" = command ] && { candidates "ddtree $name -"; echo; }
	done)
	missing=
	while read -r kind name short; do
		case $kind in
		command) [[ " $all_commands " == *" $name "* ]] || missing+=" $name" ;;
		option)
			[[ " $all_options " == *" --$name "* ]] || missing+=" --$name"
			[ -z "$short" ] || [[ " $all_options " == *" $short "* ]] || missing+=" $short" ;;
		esac
	done < <("$build/man/mkdoc" list)
	if [ -z "$missing" ]; then ok "every subcommand and option is offered"
	else not_ok "every subcommand and option is offered" "missing:$missing"; fi
fi

echo "1..$n"
exit $failed
