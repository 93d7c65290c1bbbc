#!/usr/bin/env bash
# valgrind.sh: memcheck of final's commands that valgrind can run, against a
# state root with a container of each kind in it (made by final/run). Debian
# 12's valgrind (3.19) knows no openat2(2), which run, exec and a monitor
# need (their leaks and bad accesses are make asan's); ps, images and
# network ls it can run. Fails on any error or definite leak.
set -u
cd "$(dirname "$0")/.." || exit 2
command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)"; exit 2; }
bin=.build/valgrind/run
mkdir -p "$(dirname "$bin")"
cc -D_GNU_SOURCE -Icommon -Ifinal -std=gnu11 -O1 -g -o "$bin" $(ls final/*.c final/*/*.c) common/*.c -lseccomp -lcap -ljson-c || exit 2
export MYDOCKER_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/mydocker-valgrind.XXXXXX") MYDOCKER_CGROUP_PARENT=mydocker-valgrind-$$
trap 'final/run rm -f $(final/run ps -aq) >/dev/null 2>&1; rm -rf "$MYDOCKER_ROOT"; rmdir /sys/fs/cgroup/*/mydocker-valgrind-$$ 2>/dev/null' EXIT
final/run run --name exited busybox true >/dev/null 2>&1 || { echo "valgrind: final/run cannot run busybox"; exit 2; }
final/run run -d --name running busybox sleep 600 >/dev/null
rc=0
for cmd in "ps -a" "ps -aq --no-trunc" "images" "network ls"; do
	if valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 "$bin" $cmd >/dev/null 2>"$MYDOCKER_ROOT/vg.log"; then
		echo "valgrind: $cmd: no error, no leak"
	else
		echo "valgrind: $cmd: FAILED"; cat "$MYDOCKER_ROOT/vg.log"; rc=1
	fi
done
exit $rc
