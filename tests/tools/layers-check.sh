#!/usr/bin/env bash
# make check: the layering check (tests/tools/layers.sh) for every layer:
# no call up a layer, no loop of calls among the files of aws/, model/ or
# tui/.
exec bash "${DDTREE_SRCDIR:?}/tests/tools/layers.sh" "${DDTREE_BUILDDIR:?}" aws model tui
