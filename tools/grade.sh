#!/usr/bin/env bash
# grade.sh BINARY CHAPTER [EXTRA_DIR...]
#
# Runs the bats tests a chapter must pass (its own and every earlier
# chapter's; final: all of them) against BINARY and prints one line per test
# with its points, then "Score: x/y". Test titles carry points: "[2] ...".
# EXTRA_DIRs add an instructor's hidden *.bats files. ONLY=1 runs the
# chapter's own file alone (the discrimination check uses it).
# Exit status: 0 at full marks, 1 below.
set -u
cd "$(dirname "$0")/.." || exit 2
run=$1 chapter=$2
shift 2
case $run in /*) ;; *) run=$PWD/$run ;; esac
# final is every chapter there is: its number is the highest chapter's.
if [ "$chapter" = final ]; then chapter=$(ls -d ch[0-9][0-9]-*/ | tail -1); fi
n=$((10#$(echo "$chapter" | sed 's/^ch\([0-9][0-9]\).*/\1/')))

files=()
for f in tests/ch[0-9][0-9].bats tests/final.bats; do
	[ -f "$f" ] || continue
	b=$(basename "$f" .bats)
	if [ "$b" = final ]; then k=$n; else k=$((10#${b#ch})); fi
	if [ "${ONLY:-0}" = 1 ]; then [ "$k" -eq "$n" ] || continue; else [ "$k" -le "$n" ] || continue; fi
	files+=("$f")
done
for d in "$@"; do files+=("$d"/*.bats); done
[ ${#files[@]} -gt 0 ] || { echo "grade: no tests for $chapter"; exit 2; }

tap=$(mktemp)
trap 'rm -f "$tap"' EXIT
RUN=$run CH=$n bats --tap "${files[@]}" >"$tap" 2>&1

# ok / not ok lines carry the title; "# ..." lines after a failure explain it.
awk '
	function points(title) { return match(title, /^\[[0-9]+\]/) ? substr(title, 2, RLENGTH - 2) + 0 : 1 }
	/^(not )?ok [0-9]+/ {
		failed = ($1 == "not")
		title = $0; sub(/^(not )?ok [0-9]+ /, "", title); sub(/ # skip.*/, "", title)
		p = points(title); total += p
		if (failed) { nfail++; printf "FAIL  %s\n", title }
		else if ($0 ~ / # skip/) { nskip++; printf "SKIP  %s\n", $0 }
		else { score += p; npass++; printf "pass  %s\n", title }
		next
	}
	/^#/ && failed { print "      " $0 }
	END {
		printf "Score: %d/%d\n", score, total
		printf "grade: %d passed, %d failed, %d skipped\n", npass, nfail, nskip
		exit (score == total && nfail == 0) ? 0 : 1
	}' "$tap"
