#!/usr/bin/env bash
# make check: the layering check (tests/tools/layers.sh) for the layers
# that pass it: no call up a layer, no loop of calls among the files of
# model/ or tui/.  aws/ still has loops (issue 12): add it here when they
# are gone.
exec bash "${DDTREE_SRCDIR:?}/tests/tools/layers.sh" "${DDTREE_BUILDDIR:?}" model tui
