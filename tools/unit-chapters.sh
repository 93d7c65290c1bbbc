#!/usr/bin/env bash
# unit-chapters.sh chNN-name...: each chapter's unit tests against that
# chapter's own code, as its starter builds them: the test files cut for
# the chapter by their markers (tools/chapter), linked with chNN-name/'s
# sources, a test left out when the chapter has none of its code yet. So a
# test that needs a later chapter's code fails here, not in a student's lab.
set -u
cd "$(dirname "$0")/.." || exit 2
rc=0
for c in "$@"; do
	n=$((10#$(echo "$c" | sed 's/^ch\([0-9]*\).*/\1/')))
	dir=.build/unit/$c
	mkdir -p "$dir" && tools/chapter "$n" tests/unit "$dir" || { rc=1; continue; }
	out=$(make -s UNIT_DIR="$c" UNIT_TESTDIR="$dir" unit 2>&1)
	status=$?
	ran=$(grep -c 'test(s) run\.' <<<"$out")
	if [ $status = 0 ]; then
		echo "unit $c: $ran test programs passed"
	else
		echo "unit $c: FAILED"
		grep -E 'FAILED|error|Error' <<<"$out" | head -n 20 | sed 's/^/    /'
		rc=1
	fi
done
exit $rc
