#!/usr/bin/env bash
# lab-steps.sh chNN...: which of a chapter's tests grade each TODO of its lab.
#
# For every region of chapter NN that has a starter stub (a TODO(chNN)), a
# starter is made with that one TODO left to do and the chapter's others
# done, and the chapter's own tests grade it, its bats tests and its unit
# tests: every TODO must cost points, and the tests that fail are the ones
# that grade it (the lessons' "Lab" sections list them). A TODO that only a
# unit test catches on this host may cost bats points on another (cgroup v2).
# Exit status: 0 when every TODO cost points.
set -u
cd "$(dirname "$0")/.." || exit 2
make -s tools/chapter tools/grade-init tools/enosys tools/probe tools/ptydrive || exit 2

# The stubbed regions of chapter n in file: "FILE:LINE" of each region's
# opening marker, for the regions whose //| lines are their own.
stub_regions() {
	awk -v n="$1" -v file="$2" '
	/^[ \t]*\/\/> / { split($0, f, " "); depth++; from[depth] = f[2]; at[depth] = FNR; next }
	/^[ \t]*\/\/</ { depth--; next }
	/^[ \t]*\/\/\|/ { if (from[depth] == sprintf("ch%02d", n) && !seen[at[depth]]++) print file ":" at[depth] }
	' "$2"
}

# file without the //| lines of chapter n's regions other than keep ("FILE:LINE").
only_stub() {
	awk -v n="$1" -v keep="$2" -v file="$3" '
	/^[ \t]*\/\/> / { split($0, f, " "); depth++; from[depth] = f[2]; at[depth] = FNR; print; next }
	/^[ \t]*\/\/</ { depth--; print; next }
	/^[ \t]*\/\/\|/ { if (from[depth] == sprintf("ch%02d", n) && file ":" at[depth] != keep) next }
	{ print }
	' "$3"
}

rc=0
for ch in "$@"; do
	long=$(ls -d "$ch"-*/ 2>/dev/null | head -n 1)
	long=${long%/}
	[ -n "$long" ] || { echo "lab-steps: no chapter '$ch'"; exit 2; }
	n=$((10#${ch#ch}))
	regions=$(cd final && for f in $(find . -name '*.[ch]' | sed 's|^\./||' | sort); do stub_regions "$n" "$f"; done)
	for r in $regions; do
		file=${r%%:*}
		tmp=$(mktemp -d "${TMPDIR:-/tmp}/mydocker-lab.XXXXXX")
		cp -r final common tools "$tmp/"
		for f in $(cd final && find . -name '*.[ch]' | sed 's|^\./||'); do
			(cd final && only_stub "$n" "$r" "$f") >"$tmp/final/$f"
		done
		todo=$(grep -m1 -o "TODO($ch)[^*]*" "$tmp/final/$file" | head -c 70)
		if ! tools/chapter --starter "$n" "$tmp/final" "$tmp/$long" ||
			! make -s -C "$tmp" -f "$PWD/Makefile" "$ch" >"$tmp/build.log" 2>&1; then
			echo "$r: does not build with only this TODO left"
			sed 's/^/    /' "$tmp/build.log" | head -n 5
			rc=1
		else
			ONLY=1 timeout 900 tools/grade.sh "$tmp/$long/run" "$long" >"$tmp/grade.log" 2>&1
			failed=$(sed -n 's/^FAIL  //p' "$tmp/grade.log")
			# The unit tests as the starter runs them: its cut of them,
			# linked with its code.
			tools/chapter "$n" tests/unit "$tmp/unit" &&
				make -s -C "$tmp" -f "$PWD/Makefile" UNIT_DIR="$long" UNIT_TESTDIR=unit unit >"$tmp/unit.log" 2>&1
			failed=$(printf '%s\n%s' "$failed" "$(sed -n 's/^\[  FAILED  \] \([a-z_0-9]*\)$/unit: \1/p' "$tmp/unit.log" | sort -u)" |
				grep .)
			if [ -z "$failed" ]; then
				echo "$r ($todo): costs no points"
				rc=1
			else
				echo "$r ($todo): $(grep -c . <<<"$failed") tests fail"
				sed 's/^/    /' <<<"$failed"
			fi
		fi
		rm -rf "$tmp"
	done
done
exit $rc
