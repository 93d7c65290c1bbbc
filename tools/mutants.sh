#!/usr/bin/env bash
# mutants.sh [chNN...]: prove that each chapter's tests reject plausible
# wrong solutions, not only the empty starter.
#
# A mutant is a small patch of final/ (tests/mutants/chNN/NAME.patch) that
# makes one mistake a student would make; its first line names it, and a
# line "# caught by: TITLE" names the test of its chapter that must reject
# it. Each is applied to a copy of final/ and common/, its chapter is
# generated and built from that copy, and that test grades it: it must
# lose its points. A line "# needs: cgroup v1" (or v2) limits a mutant to
# hosts whose controllers are there.
# MUTANT=GLOB runs only the mutants whose names match.
# Exit status: 0 when every mutant that could run lost points.
set -u
cd "$(dirname "$0")/.." || exit 2
make -s tools/chapter tools/grade-init tools/enosys tools/probe tools/ptydrive || exit 2

cgroot=${MYDOCKER_CGROUP_ROOT:-/sys/fs/cgroup}
if [ -f "$cgroot/cgroup.controllers" ]; then host=v2; else host=v1; fi
chapters=("$@")
[ ${#chapters[@]} -gt 0 ] || chapters=($(ls tests/mutants))

# Each mutant's tree is built while the one before it is graded: the
# build keeps one CPU busy, the grading mostly waits on the kernel.
# prepare NAME PATCH LONG N TMP: the patched copy built in TMP; TMP/built
# says whether it applied and built.
prepare() {
	local name=$1 patch=$2 long=$3 n=$4 tmp=$5 ch=${1%%/*}
	cp -r final common "$tmp/"
	# The chapter's program as the patched final/ makes it, built by our
	# Makefile in the copy.
	if ! patch -s -p1 -d "$tmp" <"$patch" >"$tmp/build.log" 2>&1 ||
		{ [ "$ch" != final ] && ! tools/chapter "$n" "$tmp/final" "$tmp/$long" >>"$tmp/build.log" 2>&1; } ||
		! make -s -C "$tmp" -f "$PWD/Makefile" "$ch" >>"$tmp/build.log" 2>&1; then
		echo no >"$tmp/built"
	else
		echo yes >"$tmp/built"
	fi
}

# The mutants that can run here: "NAME PATCH LONG N" a line.
jobs=()
skipped=0
for ch in "${chapters[@]}"; do
	# final's mutants are of final itself, graded by tests/final*.bats.
	if [ "$ch" = final ]; then long=final; else long=$(ls -d "$ch"-*/ 2>/dev/null | head -n 1); fi
	long=${long%/}
	[ -n "$long" ] && [ -d "tests/mutants/$ch" ] || { echo "mutants: no chapter or no mutants for '$ch'"; exit 2; }
	n=0; [ "$ch" = final ] || n=$((10#${ch#ch}))
	for patch in tests/mutants/"$ch"/${MUTANT:-*}.patch; do
		[ -e "$patch" ] || continue   # MUTANT names none of this chapter's
		name=$ch/$(basename "$patch" .patch)
		needs=$(sed -n 's/^# needs: cgroup //p' "$patch")
		if [ -n "$needs" ] && [ "$needs" != "$host" ]; then
			echo "skip      $name: needs cgroup $needs controllers, this host has $host"
			skipped=$((skipped + 1))
			continue
		fi
		jobs+=("$name $patch $long $n")
	done
done

killed=0 survived=0 broken=0
next="" next_pid=""
for ((j = 0; j < ${#jobs[@]}; j++)); do
	read -r name patch long n <<<"${jobs[j]}"
	if [ -z "$next" ]; then
		next=$(mktemp -d "${TMPDIR:-/tmp}/mydocker-mutant.XXXXXX")
		prepare "$name" "$patch" "$long" "$n" "$next"
	else
		wait "$next_pid"
	fi
	tmp=$next next=""
	if [ $((j + 1)) -lt ${#jobs[@]} ]; then
		next=$(mktemp -d "${TMPDIR:-/tmp}/mydocker-mutant.XXXXXX")
		prepare ${jobs[j + 1]} "$next" &
		next_pid=$!
	fi
	why=$(sed -n '1s/^# [a-z0-9]*: //p' "$patch")
	by=$(sed -n 's/^# caught by: //p' "$patch")
	if [ "$(cat "$tmp/built" 2>/dev/null)" != yes ]; then
		echo "BROKEN    $name: does not apply or build"
		sed 's/^/          /' "$tmp/build.log" 2>/dev/null | head -n 5
		broken=$((broken + 1))
		rm -rf "$tmp"
		continue
	fi
	# Bounded: a mutant can make a test wait for what never comes.
	ONLY=1 FILTER="$by" timeout 600 tools/grade.sh "$tmp/$long/run" "$long" >"$tmp/grade.log" 2>&1
	case $? in
	0)
		echo "SURVIVED  $name: $why"
		echo "          the test '$by' passes it"
		survived=$((survived + 1)) ;;
	1)
		echo "killed    $name: $why"
		echo "          by: $(sed -n 's/^FAIL  //p' "$tmp/grade.log" | head -n 1)"
		killed=$((killed + 1)) ;;
	124)
		echo "BROKEN    $name: its grading did not end in 10 minutes"
		broken=$((broken + 1)) ;;
	*)
		echo "BROKEN    $name: its grading did not run (does a test match '$by'?)"
		tail -n 5 "$tmp/grade.log" | sed 's/^/          /'
		broken=$((broken + 1)) ;;
	esac
	rm -rf "$tmp"
done
echo "mutants: $killed killed, $survived survived, $broken broken, $skipped skipped"
[ $survived = 0 ] && [ $broken = 0 ]
