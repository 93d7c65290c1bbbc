#!/usr/bin/env bash
# discriminate.sh: prove that each chapter's tests need that chapter's work.
# For every chapter NN, both the previous chapter's binary and chapter NN's
# starter (its own code stubbed) must score below full marks on chNN.bats;
# and the last chapter below full marks on tests/final.bats.
# Each grading stops at the first lost point (FIRST_FAIL): that is the proof,
# and the rest of a failing run would only wait out timeouts.
set -u
cd "$(dirname "$0")/.." || exit 2
rc=0 prev=""
# below BINARY CHAPTER WHAT: WHAT must lose points on CHAPTER's own tests.
below() {
	local out status
	out=$(ONLY=1 FIRST_FAIL=1 tools/grade.sh "$1" "$2")
	status=$?
	case $status in
	0) echo "discrimination: FAIL: $3 passes $2's tests ($(echo "$out" | grep '^Score:'))"; rc=1 ;;
	1) echo "discrimination: $3 on $2's tests loses points at: $(echo "$out" | sed -n 's/^FAIL  //p' | head -n 1)" ;;
	*) echo "discrimination: FAIL: $2's tests did not run on $3:"; echo "$out" | tail -n 5; rc=1 ;;
	esac
}
for c in "$@"; do
	short=${c%%-*}
	if [ -n "$prev" ]; then
		make -s "$prev/run" >/dev/null || exit 2
		below "$prev/run" "$c" "$prev"
	fi
	dest=$(mktemp -d)
	make -s starter CH="$short" DEST="$dest" >/dev/null && make -s -C "$dest" "$short" >/dev/null || {
		echo "discrimination: FAIL: the $short starter does not build"; rc=1; rm -rf "$dest"; prev=$c; continue; }
	below "$dest/$c/run" "$c" "the $short starter"
	rm -rf "$dest"
	prev=$c
done
# final's own tests (its defences) need final's work: the last chapter fails them.
if [ -n "$prev" ] && [ -f tests/final.bats ]; then
	make -s "$prev/run" >/dev/null || exit 2
	below "$prev/run" final "$prev"
fi
exit $rc
