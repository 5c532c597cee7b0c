#!/usr/bin/env bash
# tests/scripts/install.sh: `make install DESTDIR=...` puts exactly the
# binary, the two manual pages, the completions for bash, zsh and fish and
# the documentation (README.md and a sample config) where configure said,
# and `make uninstall` takes them all away again (issue 17).  Runs make in
# the build tree of the make check that runs it ($DDTREE_BUILDDIR), which
# is built already.  Prints TAP.
set -u
top=${DDTREE_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${DDTREE_BUILDDIR:-$top/build}
work=$(mktemp -d "${TMPDIR:-/tmp}/ddtree-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
# not the settings of the make check that runs this test
unset MAKEFLAGS MFLAGS MAKELEVEL
dest=$work/dest

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift
	local f; for f in "$@"; do [ -s "$f" ] && sed 's/^/# /' "$f"; done
}

# a directory as make install sees it (configure leaves ${prefix} and the
# like in the Makefile for make to expand)
printf 'show-%%:\n\t@echo $($*)\n' >"$work/show.mk"
dir() { make -s --no-print-directory -C "$build" -f Makefile -f "$work/show.mk" "show-$1"; }

if make -C "$build" install DESTDIR="$dest" >"$work/out" 2>&1; then
	ok "make install DESTDIR=..."
else
	not_ok "make install DESTDIR=..." "$work/out"
	echo "1..$n"
	exit 1
fi

{
	echo "$(dir bindir)/ddtree"
	echo "$(dir man1dir)/ddtree.1"
	echo "$(dir man5dir)/ddtree-config.5"
	echo "$(dir docdir)/README.md"
	echo "$(dir exampledir)/config"
	d=$(dir bashcompletiondir); [ -n "$d" ] && echo "$d/ddtree"
	d=$(dir zshcompletiondir); [ -n "$d" ] && echo "$d/_ddtree"
	d=$(dir fishcompletiondir); [ -n "$d" ] && echo "$d/ddtree.fish"
} | sed 's|//*|/|g' | sort >"$work/want"
(cd "$dest" && find . \( -type f -o -type l \) | sed 's|^\.||' | sort) >"$work/got"
if diff -u "$work/want" "$work/got" >"$work/diff"; then
	ok "installed: $(tr '\n' ' ' <"$work/got")"
else
	not_ok "installed files are the expected ones (- expected, + installed)" "$work/diff"
fi

bin=$dest$(dir bindir)/ddtree
if [ -x "$bin" ] && "$bin" --version >"$work/version" 2>&1 && grep -q '^ddtree ' "$work/version"; then
	ok "the installed ddtree runs: $(cat "$work/version")"
else
	not_ok "the installed ddtree runs" "$work/version"
fi
man1=$dest$(dir man1dir)/ddtree.1
# (the page may break the path after a slash: \: there; a minus is \-)
if [ -f "$man1" ] && grep -q '^\.TH DDTREE 1' "$man1" &&
	sed 's/\\://g; s/\\-/-/g' "$man1" | grep -qF "$(dir docdir)/examples/config"; then
	ok "the installed ddtree(1) names the installed sample config"
else
	not_ok "the installed ddtree(1) names the installed sample config"
fi
comp=$dest$(dir bashcompletiondir)/ddtree
if [ -z "$(dir bashcompletiondir)" ]; then
	ok "bash completion # SKIP configured --without-bash-completion-dir"
elif bash --norc --noprofile -c 'source "$1" && complete -p ddtree' _ "$comp" >/dev/null 2>"$work/err"; then
	ok "the installed bash completion loads"
else
	not_ok "the installed bash completion loads" "$work/err"
fi

if make -C "$build" uninstall DESTDIR="$dest" >"$work/out" 2>&1; then
	ok "make uninstall DESTDIR=..."
else
	not_ok "make uninstall DESTDIR=..." "$work/out"
fi
(cd "$dest" && find . \( -type f -o -type l \) | sed 's|^\.||') >"$work/left"
if [ -s "$work/left" ]; then
	not_ok "make uninstall leaves no file" "$work/left"
else
	ok "make uninstall leaves no file"
fi

echo "1..$n"
exit $failed
