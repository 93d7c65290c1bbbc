#!/usr/bin/env bash
# grade.sh BINARY CHAPTER [EXTRA_DIR...]
#
# Runs the bats tests a chapter must pass (its own and every earlier
# chapter's; final: all of them) against BINARY and prints one line per test
# with its points, the chapter's own score beside the whole, and
# "Score: x/y". Test titles carry points: "[2] ch04: ...". EXTRA_DIRs add an
# instructor's hidden *.bats files.
#
#   ONLY=1      the chapter's own test file alone
#   FILES=LIST  only these test files ("ch02 ch06"), still of that chapter's binary
#   FILTER=RE   only the tests whose title matches RE (bats --filter)
#   SEED=N      the random values of an earlier run again (each run prints its seed)
#   FIRST_FAIL=1  stop at the first test that loses points (the mutants use it)
#
# The tests run in PID, mount and network namespaces of their own (PID 1 is
# tools/grade-init) and under a cgroup parent of their own, so that on a
# shared host they see, count and clean up only what this run made, and
# whatever a run leaves dies with its namespaces.
# Exit status: 0 at full marks, 1 below, 2 when the tests could not run.
set -u
cd "$(dirname "$0")/.." || exit 2
run=$1 chapter=$2
shift 2
case $run in /*) ;; *) run=$PWD/$run ;; esac
[ "$(id -u)" = 0 ] || { echo "grade: run as root (try sudo): containers need namespaces, mounts and cgroups"; exit 2; }
tools/deps.sh --check || exit 2
make -s tools/grade-init tools/enosys tools/probe tools/ptydrive tools/mktar || exit 2

# final is every chapter there is: its number is the highest chapter's.
own=${chapter%%-*}
if [ "$chapter" = final ]; then chapter=$(ls -d ch[0-9][0-9]-*/ | tail -1); fi
n=$((10#$(echo "$chapter" | sed 's/^ch\([0-9][0-9]\).*/\1/')))

files=()
# tests/final*.bats (its defences, its reliability) are final's own.
for f in tests/ch[0-9][0-9].bats tests/final*.bats; do
	[ -f "$f" ] || continue
	b=$(basename "$f" .bats)
	if [ "${b%%-*}" = final ]; then
		[ "$own" = final ] || continue
		k=$n
	else
		k=$((10#${b#ch}))
	fi
	if [ "${ONLY:-0}" = 1 ]; then [ "${b%%-*}" = "$own" ] || continue; else [ "$k" -le "$n" ] || continue; fi
	if [ -n "${FILES:-}" ]; then [[ " $FILES " == *" $b "* ]] || continue; fi
	files+=("$f")
done
for d in "$@"; do files+=("$d"/*.bats); done
[ ${#files[@]} -gt 0 ] || { echo "grade: no tests for $own"; exit 2; }

SEED=${SEED:-$((RANDOM << 15 | RANDOM))}
work=$(mktemp -d "${TMPDIR:-/tmp}/mydocker-grade.XXXXXX")
# Our own cgroup parent in every hierarchy; emptied and removed at the end.
cgparent=${MYDOCKER_CGROUP_PARENT:-mydocker-grade-${work##*.}}
cgroot=${MYDOCKER_CGROUP_ROOT:-/sys/fs/cgroup}
runner=""
cleanup() {
	local d
	# Stopped early (FIRST_FAIL, or interrupted): end the run. unshare
	# ignores SIGTERM while it waits; its child is the namespace's
	# PID 1, and killing that kills every process in the namespace, which
	# the kernel has gone through by the time unshare's wait returns.
	if [ -n "$runner" ]; then
		pkill -KILL -P "$runner" 2>/dev/null
		wait "$runner" 2>/dev/null
	fi
	# Deepest first: a container's directory, then the parent.
	for d in $(find "$cgroot" -maxdepth 4 -type d -path "*/$cgparent" 2>/dev/null); do
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

bats_args=(--tap)
# In parentheses, so that a title starting with "-" is not taken for an option.
[ -z "${FILTER:-}" ] || bats_args+=(--filter "($FILTER)")
# The run's own namespaces: bats and everything it starts are inside; the
# new network namespace has only its loopback, brought up. --kill-child:
# should we stop it early, PID 1 and with it every process inside goes too.
# Its TAP comes through a FIFO, so that each test's line shows as it ends.
mkfifo "$work/tap"
(
	export RUN=$run CH=$n SEED MYDOCKER_CGROUP_PARENT=$cgparent TMPDIR=$work
	exec unshare --pid --fork --kill-child --mount --net --mount-proc tools/grade-init \
		bash -c 'ip link set lo up; exec bats "$@"' bats "${bats_args[@]}" "${files[@]}"
) >"$work/tap" 2>&1 &
runner=$!

# ok / not ok lines carry the title; "# ..." lines after a failure explain it.
# mawk (Debian's awk) reads a pipe in big blocks unless told otherwise.
awk_opts=()
awk -W version 2>&1 | grep -q mawk && awk_opts=(-W interactive)
awk "${awk_opts[@]}" -v own="$own" -v seed="$SEED" -v first_fail="${FIRST_FAIL:-0}" '
	function points(title) { return match(title, /^\[[0-9]+\]/) ? substr(title, 2, RLENGTH - 2) + 0 : 1 }
	# The chapter a test grades: the word before the colon, "[2] ch04: ..."
	function chapter_of(title) { return match(title, /^\[[0-9]+\] [a-z0-9]+:/) ? substr(title, RSTART + index(title, " "), RLENGTH - index(title, " ") - 1) : "" }
	/^(not )?ok [0-9]+/ {
		failed = ($1 == "not")
		title = $0; sub(/^(not )?ok [0-9]+ /, "", title); sub(/ # skip.*/, "", title)
		p = points(title); total += p
		mine = chapter_of(title) == own
		if (mine) own_total += p
		else { c = chapter_of(title); if (c != "") { if (first == "" || c < first) first = c; if (c > last) last = c } }
		if (failed) { nfail++; printf "FAIL  %s\n", title; if (first_fail) { stopped = 1; exit } }
		else if ($0 ~ / # skip/) { nskip++; printf "SKIP  %s\n", $0 }
		else { score += p; npass++; printf "pass  %s\n", title; if (mine) own_score += p }
		fflush()
		next
	}
	/^#/ && failed { print "      " $0; fflush() }
	# Anything else is not TAP: bats or the namespaces could not start.
	!/^#/ && !/^[0-9]+\.\.[0-9]+$/ { print "grade: " $0 }
	END {
		if (stopped) { printf "grade: stopped at the first test that lost points (FIRST_FAIL=1)\n"; exit 1 }
		range = first == "" ? "" : first (first == last ? "" : "-" last)
		if (own_total == 0) printf "%s: no tests of its own, %s: %d/%d\n", own, range, score, total
		else if (range == "") printf "%s: %d/%d\n", own, own_score, own_total
		else printf "%s: %d/%d, with %s: %d/%d\n", own, own_score, own_total, range, score, total
		printf "Score: %d/%d\n", score, total
		printf "grade: %d passed, %d failed, %d skipped (seed %s)\n", npass, nfail, nskip, seed
		if (nfail) printf "grade: the same random values again: SEED=%s\n", seed
		exit total == 0 ? 2 : (score == total && nfail == 0) ? 0 : 1
	}' <"$work/tap"
exit $?
