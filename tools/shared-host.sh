#!/usr/bin/env bash
# shared-host.sh [RUN [CHAPTER]]: grade as on a lab host that others share.
# Before the grading starts, a neighbour starts containers of their own:
# another state root, another cgroup parent, limits, a volume, a network
# with a published port. The grading must give full marks, and afterwards
# every neighbour must still run as it did: same process, same cgroup, same
# files, same port rule. Exit status: 0 when both hold.
set -u
cd "$(dirname "$0")/.." || exit 2
run=${1:-final/run}
chapter=${2:-final}
[ "$(id -u)" = 0 ] || { echo "shared-host: run as root (sudo)"; exit 2; }
[ -x "$run" ] || { echo "shared-host: $run is not an executable"; exit 2; }
# The neighbour runs the complete runtime (detached containers, volumes,
# networks), whatever chapter is graded.
neighbour_run=final/run
[ -x "$neighbour_run" ] || { echo "shared-host: the neighbour needs $neighbour_run (make final)"; exit 2; }

tag=$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
nroot=$(mktemp -d "${TMPDIR:-/tmp}/mydocker-neighbour.XXXXXX")
nparent=neighbour-$tag
netns=mydocker-neighbour-$tag
net=nb$tag
# The neighbour's network lives in a network namespace of its own (it is
# theirs, and this host's network stays as it was); everything else of
# theirs (processes, mounts, cgroups) is on the host, beside the grading.
ip netns add "$netns" || exit 2
nsenter --net="/run/netns/$netns" ip link set lo up
nb() { MYDOCKER_ROOT=$nroot MYDOCKER_CGROUP_PARENT=$nparent nsenter --net="/run/netns/$netns" "$neighbour_run" "$@"; }

ids=() markers=() rc=0
cleanup() {
	for id in "${ids[@]}"; do nb rm -f "$id" >/dev/null 2>&1; done
	nb network rm "$net" >/dev/null 2>&1
	ip netns del "$netns" 2>/dev/null
	# The parent the runtime made for the neighbour (it leaves parents be).
	rmdir /sys/fs/cgroup/"$nparent" /sys/fs/cgroup/*/"$nparent" 2>/dev/null
	rm -rf "$nroot"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# neighbour OPTIONS...: a detached container whose init is a unique sleep
# under a shell loop, with a file only it knows.
neighbour() {
	local marker=$((100000 + RANDOM * 32 + RANDOM % 32)) id
	id=$(nb run -d "$@" busybox sh -c "echo $marker > /tmp/marker; while :; do sleep $marker; done") || {
		echo "shared-host: the neighbour's 'run -d $*' failed: $id"; exit 2; }
	ids+=("$id") markers+=("$marker")
}
nb network create --subnet "10.$((RANDOM % 200 + 20)).$((RANDOM % 250)).0/24" "$net" >/dev/null ||
	{ echo "shared-host: the neighbour's network did not come up"; exit 2; }
mkdir "$nroot/volume"
neighbour -m 64m --pids-limit 40
neighbour --cpus 0.5 -v "$nroot/volume:/data"
neighbour --net "$net" -p "$((RANDOM % 20000 + 20000)):80"

# What each neighbour is now: its sleep's PID, its cgroup, its port rules.
snapshot() {
	local i pid
	for i in "${!ids[@]}"; do
		pid=$(pgrep -x -f "sleep ${markers[i]}" | head -n 1)
		echo "${ids[i]:0:12} pid=${pid:-none} cgroups=$([ -n "$pid" ] && grep -o "/$nparent/${ids[i]}\$" "/proc/$pid/cgroup" | wc -l)"
		echo "${ids[i]:0:12} marker=$(nb exec "${ids[i]}" cat /tmp/marker 2>&1)"
	done
	nsenter --net="/run/netns/$netns" iptables -t nat -S | grep -c DNAT | sed 's/^/DNAT rules: /'
	nb ps -q --no-trunc | sort | sed 's/^/running: /'
}
# Every neighbour's sleep running in its cgroup, or a clear exit.
started() { ! echo "$before" | grep -q 'pid=none\|cgroups=0'; }
for try in $(seq 100); do
	before=$(snapshot)
	started && break
	sleep 0.1
done
started || { echo "shared-host: the neighbours did not start as they should:"; echo "$before"; exit 2; }
echo "shared-host: ${#ids[@]} neighbour containers (state root $nroot, cgroup parent $nparent) run while $run is graded on $chapter"

tools/grade.sh "$run" "$chapter" | grep -v '^pass'
status=${PIPESTATUS[0]}
[ "$status" = 0 ] || { echo "shared-host: FAIL: grading beside the neighbours lost points"; rc=1; }

after=$(snapshot)
if [ "$before" = "$after" ]; then
	echo "shared-host: the neighbours are as they were:"
	echo "$after" | sed 's/^/  /'
else
	echo "shared-host: FAIL: grading changed the neighbours' containers:"
	diff <(echo "$before") <(echo "$after") | sed 's/^/  /'
	rc=1
fi
exit $rc
