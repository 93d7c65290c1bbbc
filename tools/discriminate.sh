#!/usr/bin/env bash
# discriminate.sh: prove that each chapter's tests need that chapter's work.
# For every chapter NN, both the previous chapter's binary and chapter NN's
# starter (its own code stubbed) must score below full marks on chNN.bats.
set -u
cd "$(dirname "$0")/.." || exit 2
rc=0 prev=""
for c in "$@"; do
	short=${c%%-*}
	if [ -n "$prev" ]; then
		make -s "$prev/run" >/dev/null || exit 2
		score=$(ONLY=1 tools/grade.sh "$prev/run" "$c" | grep '^Score:')
		if ONLY=1 tools/grade.sh "$prev/run" "$c" >/dev/null; then
			echo "discrimination: FAIL: $prev passes $c's tests ($score)"; rc=1
		else
			echo "discrimination: $prev on $c's tests: $score (below full, as it must be)"
		fi
	fi
	dest=$(mktemp -d)
	make -s starter CH="$short" DEST="$dest" >/dev/null && make -s -C "$dest" "$short" >/dev/null || {
		echo "discrimination: FAIL: the $short starter does not build"; rc=1; rm -rf "$dest"; prev=$c; continue; }
	out=$(ONLY=1 tools/grade.sh "$dest/$c/run" "$c")
	if [ $? = 0 ]; then
		echo "discrimination: FAIL: the $short starter passes its own tests"; rc=1
	else
		echo "discrimination: $short starter on $c's tests: $(echo "$out" | grep '^Score:') (below full, as it must be)"
	fi
	rm -rf "$dest"
	prev=$c
done
exit $rc
