#!/usr/bin/env bash
# test.sh TARGET...: every chapter directory (and final) against its
# cumulative tests, then one closing line with the totals.
set -u
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0 rc=0
for t in "$@"; do
	echo "== $t"
	out=$(tools/grade.sh "$t/run" "$t") || rc=1
	echo "$out"
	read -r p f < <(echo "$out" | sed -n 's/^grade: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p')
	pass=$((pass + ${p:-0})) fail=$((fail + ${f:-1}))
done
echo "bats: $pass passed, $fail failed"
exit $rc
