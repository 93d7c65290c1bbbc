#!/usr/bin/env bash
# soak.sh: SOAK_SECONDS (default 600) of churn: rounds in which SOAK_CONTAINERS
# (default 50) containers start with -d on a network, each with a published
# port and a rotated log, are exec'd into, stopped and removed. One more
# container lives through it all, exec'd into every round.
#
# After each round it measures what a leak would grow: at the round's peak
# the runtime's processes (monitors, sentinels, loggers), the monitors'
# descriptors and memory (mean), the long-lived container's monitor's; and, once the round is
# gone, the host's mounts, the links and iptables rules, the state files,
# the IPAM owners and the cgroups. It fails when the last round holds more
# than the first, or its monitors have more descriptors or (by more than
# 2%, the noise of which pages a fresh process touched) more memory.
#
# Network safety: everything runs in a network namespace made here; no
# packet leaves it.
set -u
cd "$(dirname "$0")/.." || exit 2
seconds=${SOAK_SECONDS:-600} per=${SOAK_CONTAINERS:-50}
RUN=$PWD/final/run
[ "$(id -u)" = 0 ] || { echo "soak: needs root"; exit 2; }
make -s final/run || exit 2

export MYDOCKER_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/mydocker-soak.XXXXXX") MYDOCKER_CGROUP_PARENT=mydocker-soak-$$
ns=mdkt-soak-$$ net=soak$$
ip netns add "$ns" && ip -n "$ns" link set lo up || exit 2
in_ns() { nsenter "--net=/run/netns/$ns" "$@"; }
mdk() { in_ns timeout -k 2 60 "$RUN" "$@"; }
cleanup() {
	mdk rm -f $(mdk ps -aq) >/dev/null 2>&1
	mdk network rm "$net" >/dev/null 2>&1
	ip netns del "$ns"
	rm -rf "$MYDOCKER_ROOT" "$MYDOCKER_ROOT.first"
	find /sys/fs/cgroup -depth -type d -name "$MYDOCKER_CGROUP_PARENT" -exec rmdir {} + 2>/dev/null
}
trap cleanup EXIT

# The runtime's processes of this soak (monitors, their sentinels and
# loggers): by the state root in their environment, not another's.
runtime_pids() {
	local p
	for p in /proc/[0-9]*; do
		[ "$p/exe" -ef "$RUN" ] && grep -qzx "MYDOCKER_ROOT=$MYDOCKER_ROOT" "$p/environ" 2>/dev/null && echo "${p#/proc/}"
	done
	return 0
}
monitor_of() { sed -n 's/^monitor=\([0-9]*\) .*/\1/p' "$MYDOCKER_ROOT/containers/$1/record"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
# What the host holds with no container of the round left.
held() {
	echo "mounts $(wc -l </proc/self/mountinfo)"
	echo "links $(in_ns ip -o link show | wc -l)"
	echo "rules $(in_ns iptables-save | grep -c -- '--comment "mydocker')"
	echo "state-files $(find "$MYDOCKER_ROOT" -mindepth 1 | wc -l)"
	echo "ipam-owners $(find "$MYDOCKER_ROOT/ipam" -path '*.owners/*' | wc -l)"
	echo "cgroups $(find /sys/fs/cgroup -type d -path "*/$MYDOCKER_CGROUP_PARENT/*" 2>/dev/null | wc -l)"
}

mdk network create --subnet "10.$((RANDOM % 100 + 100)).$((RANDOM % 64 * 4)).0/22" "$net" >/dev/null || exit 1
keeper=$(mdk run -d --net "$net" busybox sleep 1000000) || exit 1
keeper_monitor=$(monitor_of "$keeper")
port0=$((RANDOM % 20000 + 20000))
start=$SECONDS round=0 failed=0
printf '%5s %7s %9s %6s %11s %11s %8s %9s\n' round seconds "run-d ms" procs "monitor fds" "monitor KiB" "keep fds" "keep KiB"
while [ $((SECONDS - start)) -lt "$seconds" ] || [ $round -lt 2 ]; do
	round=$((round + 1))
	ids=()
	t0=$(date +%s%N)
	for i in $(seq 1 "$per"); do
		ids+=("$(mdk run -d --net "$net" -p "$((port0 + i)):80" --log-opt max-size=4k --log-opt max-file=2 \
			busybox sh -c 'trap "exit 0" TERM; while :; do echo tick; usleep 100000; done')") || { echo "soak: run -d failed"; failed=1; break 2; }
	done
	ms=$(( ($(date +%s%N) - t0) / 1000000 / per ))
	for id in "${ids[@]}" "$keeper"; do
		mdk exec "$id" true || { echo "soak: exec into $id failed"; failed=1; break 2; }
	done
	n=$(runtime_pids | wc -l) fd=0 rss=0
	for id in "${ids[@]}"; do m=$(monitor_of "$id") fd=$((fd + $(fds "$m"))) rss=$((rss + $(rss_kb "$m"))); done
	mdk stop -t 1 "${ids[@]}" >/dev/null || { echo "soak: stop failed"; failed=1; break; }
	mdk rm "${ids[@]}" >/dev/null || { echo "soak: rm failed"; failed=1; break; }
	line=$(printf '%5d %7d %9d %6d %11d %11d %8d %9d' $round $((SECONDS - start)) "$ms" "$n" $((fd / per)) $((rss / per)) \
		"$(fds "$keeper_monitor")" "$(rss_kb "$keeper_monitor")")
	echo "$line"
	state=$(held)
	if [ $round = 1 ]; then
		first_line=$line first_state=$state
		find "$MYDOCKER_ROOT" -mindepth 1 | sort >"$MYDOCKER_ROOT.first"
	fi
done
[ $failed = 0 ] || exit 1
last_state=$(held)
echo "soak: $round rounds of $per containers in $((SECONDS - start)) s; held after the first and the last:"
paste <(echo "$first_state") <(echo "$last_state" | awk '{print $2}') | awk '{printf "  %-12s %6s %6s\n", $1, $2, $3}'
rc=0
if [ "$first_state" != "$last_state" ]; then
	echo "soak: FAILED: the host holds more after the last round; state files new since the first:"
	find "$MYDOCKER_ROOT" -mindepth 1 | sort | comm -13 "$MYDOCKER_ROOT.first" - | sed 's/^/  /'
	rc=1
fi
# Per process, of the peak's runtime processes and of the long-lived monitor.
read -r _ _ _ n1 fd1 rss1 kfd1 krss1 <<<"$first_line"
read -r _ _ _ n2 fd2 rss2 kfd2 krss2 <<<"$line"
[ "$n2" -le "$n1" ] && [ "$fd2" -le "$fd1" ] && [ "$kfd2" -le "$kfd1" ] ||
	{ echo "soak: FAILED: processes or descriptors grew ($n1 -> $n2 processes, $fd1 -> $fd2 fds a monitor, keeper $kfd1 -> $kfd2)"; rc=1; }
[ "$rss2" -le $((rss1 * 102 / 100)) ] && [ "$krss2" -le "$krss1" ] ||
	{ echo "soak: FAILED: memory grew ($rss1 -> $rss2 KiB a monitor, keeper $krss1 -> $krss2 KiB)"; rc=1; }
[ $rc = 0 ] && echo "soak: no growth"
exit $rc
