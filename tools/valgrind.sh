#!/usr/bin/env bash
# valgrind.sh: memcheck of final's commands that valgrind can run, against a
# state root with a container of each kind in it (made by final/run). Debian
# 12's valgrind (3.19) knows neither openat2(2) nor pidfd_open(2): run,
# exec, a monitor, stop, rm and commit need one or both (their leaks and bad
# accesses are make asan's). The rest it runs: ps, images, logs, export,
# import, rmi, inspect, stats, system df, info, version, and network
# create, inspect, ls and rm (in a network namespace of its own). Fails on
# any error or definite leak. The image helper (final/mydocker-image) too:
# unpack and pack.
set -u
cd "$(dirname "$0")/.." || exit 2
command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)"; exit 2; }
bin=$PWD/.build/valgrind/run
mkdir -p "$(dirname "$bin")"
cc -D_GNU_SOURCE -Icommon -Ifinal -std=gnu11 -O1 -g -o "$bin" $(ls final/*.c final/*/*.c | grep -v '^final/helper/') \
	common/*.c -lseccomp -lcap -ljson-c || exit 2
# Its helper beside it, where it looks first (export and import run it).
helper=$(dirname "$bin")/mydocker-image
cc -D_GNU_SOURCE -Icommon -Ifinal/helper -std=gnu11 -O1 -g -o "$helper" final/helper/*.c common/error.c -larchive || exit 2
export MYDOCKER_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/mydocker-valgrind.XXXXXX") MYDOCKER_CGROUP_PARENT=mydocker-valgrind-$$
trap 'final/run rm -f $(final/run ps -aq) >/dev/null 2>&1; rm -rf "$MYDOCKER_ROOT"; rmdir /sys/fs/cgroup/*/mydocker-valgrind-$$ 2>/dev/null' EXIT
final/run run --name exited busybox sh -c 'echo out; echo err >&2' >/dev/null 2>&1 || { echo "valgrind: final/run cannot run busybox"; exit 2; }
final/run run -d --name running -l k=v busybox sh -c 'echo started; exec sleep 600' >/dev/null
subnet=10.$((RANDOM % 100 + 100)).$((RANDOM % 256)).0/24 net=vg$$ image=vg$$
memcheck="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 --suppressions=$PWD/tools/valgrind.supp"
rc=0
check() { # WHAT COMMAND...
	local what=$1
	shift
	if "$@" >/dev/null 2>"$MYDOCKER_ROOT/vg.log"; then
		echo "valgrind: $what: no error, no leak"
	else
		echo "valgrind: $what: FAILED"; cat "$MYDOCKER_ROOT/vg.log"; rc=1
	fi
}
for cmd in "ps -a" "ps -aq --no-trunc" "images" "logs running" "export -o $MYDOCKER_ROOT/root.tar exited" \
	"import $MYDOCKER_ROOT/root.tar $image" "rmi $image"; do
	check "$cmd" $memcheck "$bin" $cmd
done
# The helper itself (valgrind follows no exec): an export unpacked, and written again.
mkdir "$MYDOCKER_ROOT/unpacked"
check "mydocker-image unpack" sh -c "$memcheck '$helper' unpack '$MYDOCKER_ROOT/unpacked' <'$MYDOCKER_ROOT/root.tar'"
check "mydocker-image pack" $memcheck "$helper" pack "$MYDOCKER_ROOT/unpacked"
check "ps --filter, --format" $memcheck "$bin" ps -a -f status=exited -f name=e --format 'table {{.ID}}\t{{.State}}\t{{.Label "k"}}'
# (top needs pidfd_open too: make asan covers it.)
for cmd in "inspect running exited busybox" "stats --no-stream -a" "system df" "info" "version"; do
	check "$cmd" $memcheck "$bin" $cmd
done
check "inspect --format" $memcheck "$bin" inspect -f '{{.State.Pid}} {{json .Config}} {{index .Config.Labels "k"}} {{.Args}}' running exited
# Its own failure is 1; valgrind's would be 99.
check "inspect of nothing" sh -c "$memcheck '$bin' inspect nosuch$$; [ \$? = 1 ]"
# Its bridge and rules in a network namespace that goes when this shell does.
check "network create, ls, rm" unshare -n sh -c "$memcheck '$bin' network create --subnet $subnet $net &&
	$memcheck '$bin' network ls && $memcheck '$bin' network inspect $net && $memcheck '$bin' network rm $net"
exit $rc
