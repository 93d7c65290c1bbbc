#!/usr/bin/env bash
# bench.sh [SECTION...]: what each chapter costs (make bench). SECTIONs:
#   start    run --rm busybox true: every chapter from ch03, final, crun,
#            runc, and the floors (unshare + chroot, fork + exec)
#   network  --net NETWORK against --net none, in a network namespace of its own
#   scale    100 detached containers: start, ps -a, monitor memory, stop, rm
#   curve    run and ps -a beside 0, 100, 500 and 1000 containers (CURVE)
#   commit   commit of 1000 files / 100 MB against cp -a, and the disk it adds
#   ipam     allocate and release every address of a /16
# With none, all of them. A benchmark, not a test: it prints figures and
# goals and fails only when a measurement cannot be made.
# RUNS (default 100) and WARMUP (10) set the start and network repetitions,
# SCALE (100) the number of containers, CURVE ("0 100 500 1000") the
# curve's populations.
set -u
cd "$(dirname "$0")/.." || exit 2
top=$PWD
RUNS=${RUNS:-100} WARMUP=${WARMUP:-10} SCALE=${SCALE:-100} CURVE=${CURVE:-0 100 500 1000}
final=$top/final/run
bench=$top/tools/bench

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "containers need root: run as root (sudo make bench)"
[ -x "$bench" ] && [ -x "$final" ] || die "build first: make bench builds tools/bench and every chapter"

# Everything the bench makes lives under one directory and one cgroup
# parent, both removed at the end, whatever happened.
work=$(mktemp -d /var/tmp/mydocker-bench.XXXXXX) || die "mktemp failed"
export MYDOCKER_CGROUP_PARENT=mydocker/bench-$$
# The mydocker parent itself, in the hierarchies where the bench makes it.
made_parent=$(for d in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do [ -d "$d/mydocker" ] || echo "$d/mydocker"; done)
export MYDOCKER_ROOT=$work/final
cleanup() {
	local d
	for d in "$work"/*/; do
		[ -d "$d/containers" ] || continue
		MYDOCKER_ROOT=$d "$final" rm -f $(MYDOCKER_ROOT=$d "$final" ps -aq 2>/dev/null) >/dev/null 2>&1
	done
	rm -rf "$work"
	find /sys/fs/cgroup -depth -type d -path "*/mydocker/bench-$$*" -exec rmdir {} + 2>/dev/null
	for d in $made_parent; do rmdir "$d" 2>/dev/null; done
	true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- printing ----------------------------------------------------------------

# "median p10 p90 min max" (ms) -> fields; row LABEL FIGURES [NOTE]
row() {
	local label=$1 note=${3:-}
	read -r med p10 p90 _ <<<"$2"
	printf '  %-34s %9.2f ms   %7.2f - %-8.2f %s\n' "$label" "$med" "$p10" "$p90" "$note"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
heading() { printf '\n%s\n' "$*"; }

machine() {
	local cpu mode fs
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then mode=v2
	elif [ -e /sys/fs/cgroup/unified/cgroup.controllers ]; then mode=hybrid
	else mode=v1; fi
	fs=$(findmnt -no FSTYPE -T "$work" 2>/dev/null || stat -fc %T "$work")
	echo "machine:  ${cpu:-unknown CPU}, $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "kernel:   $(uname -sr), cgroup $mode, state on $fs"
	echo "mydocker: $(git describe --always --dirty 2>/dev/null || echo unknown), $(cc --version | head -1)"
	echo "busybox:  $(busybox 2>&1 | head -1 | cut -d' ' -f1-2)"
	for t in crun runc; do command -v $t >/dev/null && echo "$t:$(printf '%*s' $((9 - ${#t})) '')$($t --version | head -1)"; done
	CGROUP_MODE=$mode
}

# ---- 1. start latency ----------------------------------------------------------

# crun and runc from Debian's packages, installed when missing (root, apt-get).
oci_runtimes() {
	local missing=() t
	for t in crun runc; do command -v $t >/dev/null || missing+=($t); done
	[ ${#missing[@]} = 0 ] && return
	if command -v apt-get >/dev/null; then
		echo "installing ${missing[*]} (apt-get) to compare with them" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; } ||
			echo "could not install ${missing[*]}: their rows are left out" >&2
	else
		echo "no apt-get: install ${missing[*]} to compare with them" >&2
	fi
}

# An OCI bundle whose rootfs is a copy of final's busybox image: the spec
# crun writes by default (namespaces, /proc, /dev, /sys, read-only root),
# running /bin/true without a terminal.
oci_bundle() {
	local bundle=$work/bundle layer
	layer=$(ls -d "$MYDOCKER_ROOT"/layers/*/ | head -1)
	mkdir -p "$bundle" && cp -a "$layer" "$bundle/rootfs" || return 1
	(cd "$bundle" && { crun spec 2>/dev/null || runc spec; }) || return 1
	sed -i -e 's/"terminal": true/"terminal": false/' -e 's/"sh"$/"\/bin\/true"/' "$bundle/config.json"
	grep -q '"/bin/true"' "$bundle/config.json" || return 1
	echo "$bundle"
}

# Every command of the table in one bench call, in turns (tools/bench.c).
# On a hybrid host crun refuses the cgroup2 mount at /sys/fs/cgroup/unified:
# the call runs in a mount namespace of its own with it hidden under a tmpfs,
# so crun and runc see pure v1 (mydocker takes the same v1 hierarchies either way).
bench_table() {
	if [ "$CGROUP_MODE" = hybrid ]; then
		unshare --mount --propagation private sh -c 'mount -t tmpfs none /sys/fs/cgroup/unified && exec "$@"' sh \
			"$bench" -n "$RUNS" -w "$WARMUP" "$@"
	else
		"$bench" -n "$RUNS" -w "$WARMUP" "$@"
	fi
}

section_start() {
	local labels=() cmds=() figs=() bundle rt bin ch rm rootfs i
	local crun_med="" floor_med="" final_med="" bare_med=""
	heading "1. start latency: run --rm busybox true, $RUNS runs each, in turns, after $WARMUP warm-up"
	"$final" run --rm busybox true 2>/dev/null || die "final/run cannot run busybox"
	rootfs=$(ls -d "$MYDOCKER_ROOT"/layers/*/ | head -1)
	labels+=("fork + exec /bin/true") cmds+=(/bin/true :::)
	labels+=("unshare (5 namespaces) + chroot") cmds+=(unshare --fork --pid --mount --uts --ipc --net chroot "$rootfs" /bin/true :::)
	oci_runtimes
	if command -v crun >/dev/null || command -v runc >/dev/null; then
		bundle=$(oci_bundle) || die "could not make an OCI bundle"
		for rt in crun runc; do
			command -v $rt >/dev/null || continue
			labels+=("$rt run (OCI bundle)") cmds+=($rt run -b "$bundle" "mydocker-bench-$rt-$$" :::)
		done
	fi
	for bin in ch0[3-9]-*/run ch[1-9][0-9]-*/run final/run; do   # images start in chapter 3
		[ -x "$bin" ] || continue
		ch=${bin%/run}
		rm=""
		"$bin" run --help | grep -q -- '--rm' && rm=--rm   # ch06 on; before, every run is removed
		mkdir -p "$work/$ch"
		# The busybox image of its own root (ch03-ch08 keep images/NAME, ch09 images/REPO/TAG).
		MYDOCKER_ROOT=$work/$ch "$bin" run $rm busybox true 2>/dev/null || die "$bin cannot run busybox"
		labels+=("$bin") cmds+=(MYDOCKER_ROOT="$work/$ch" "$top/$bin" run $rm busybox true :::)
	done
	# final's defences (capabilities, masks, seccomp) cost what it takes
	# more than --privileged, which has none of them.
	labels+=("final/run --privileged") cmds+=(MYDOCKER_ROOT="$work/final" "$final" run --rm --privileged busybox true :::)
	# --init: what a PID 1 of our own (a sealed copy of the runtime) adds.
	labels+=("final/run --init") cmds+=(MYDOCKER_ROOT="$work/final" "$final" run --rm --init busybox true :::)
	# -t: a pty made in the container's devpts, its master sent back, relayed.
	labels+=("final/run -t") cmds+=(MYDOCKER_ROOT="$work/final" "$final" run --rm -t busybox true :::)
	unset 'cmds[${#cmds[@]}-1]'   # the last ":::"
	mapfile -t figs < <(bench_table "${cmds[@]}") || die "a start bench failed"
	[ ${#figs[@]} = ${#labels[@]} ] || die "the start bench failed"
	for i in "${!labels[@]}"; do
		case ${labels[i]} in
		unshare*) floor_med=${figs[i]%% *} ;;
		crun*) crun_med=${figs[i]%% *} ;;
		final/run) final_med=${figs[i]%% *} ;;
		"final/run --privileged") bare_med=${figs[i]%% *} ;;
		"final/run --init") init_med=${figs[i]%% *} ;;
		"final/run -t") tty_med=${figs[i]%% *} ;;
		esac
	done
	[ "$CGROUP_MODE" = hybrid ] && echo "  (hybrid host: every row ran with /sys/fs/cgroup/unified hidden under a tmpfs, which crun needs)"
	printf '  %-34s %12s   %-18s %s\n' "" median "p10 - p90" "x crun  x floor"
	for i in "${!labels[@]}"; do
		case ${labels[i]} in
		fork*) row "${labels[i]}" "${figs[i]}" ;;
		unshare*) row "${labels[i]}" "${figs[i]}" "        (the floor)" ;;
		*) row "${labels[i]}" "${figs[i]}" "$(ratio "${figs[i]%% *}" "${crun_med:-0}")   $(ratio "${figs[i]%% *}" "$floor_med")" ;;
		esac
	done
	echo "  goal: final/run at or below crun (x crun <= 1.00) and within 2x the floor (x floor <= 2.00)"
	echo "  final/run: x crun $(ratio "$final_med" "${crun_med:-0}"), x floor $(ratio "$final_med" "$floor_med")"
	echo "  final's defences: final/run is x $(ratio "$final_med" "$bare_med") of final/run --privileged (goal: <= 1.10)"
	echo "  --init: final/run --init is x $(ratio "$init_med" "$final_med") of final/run"
	echo "  -t: final/run -t is x $(ratio "$tty_med" "$final_med") of final/run"
}

# ---- 2. network ------------------------------------------------------------------

# In a network namespace of its own: its bridge, rules and forwarding
# setting are gone with it, and no packet reaches the host's network.
section_network() {
	heading "2. network: run --rm --net NETWORK busybox true against --net none, $RUNS runs (a private network namespace)"
	unshare --net env MYDOCKER_BENCH_NET=1 "$top/tools/bench.sh" network-inside || die "the network bench failed"
}
section_network_inside() {
	local figs=() spaced=() net_name=bench$$ subnet tools
	ip link set lo up
	subnet="10.$((RANDOM % 250 + 1)).$((RANDOM % 250)).0/24"
	"$final" network create --subnet "$subnet" "$net_name" >/dev/null || die "network create failed"
	"$final" run --rm busybox true 2>/dev/null || die "final/run cannot run busybox"
	local cmds=("$final" run --rm --net none busybox true :::
		"$final" run --rm --net "$net_name" busybox true :::
		"$final" run --rm --net "$net_name" -p 18080:80 busybox true)
	mapfile -t figs < <("$bench" -n "$RUNS" -w "$WARMUP" "${cmds[@]}")
	# The same, 200 ms apart: the kernel has finished with the last
	# container's namespaces before the next one starts.
	mapfile -t spaced < <("$bench" -n $((RUNS / 2)) -w 1 -p 200 "${cmds[@]}")
	[ ${#figs[@]} = 3 ] && [ ${#spaced[@]} = 3 ] || die "the network bench failed"
	added() { awk -v a="${1%% *}" -v b="${2%% *}" 'BEGIN { printf "+%.2f ms", a - b }'; }
	echo "  back to back:"
	row "--net none" "${figs[0]}"
	row "--net $net_name ($subnet)" "${figs[1]}" "$(added "${figs[1]}" "${figs[0]}")"
	row "--net $net_name -p 18080:80" "${figs[2]}" "$(added "${figs[2]}" "${figs[0]}")"
	echo "  200 ms apart ($((RUNS / 2)) runs each):"
	row "--net none" "${spaced[0]}"
	row "--net $net_name" "${spaced[1]}" "$(added "${spaced[1]}" "${spaced[0]}")"
	row "--net $net_name -p 18080:80" "${spaced[2]}" "$(added "${spaced[2]}" "${spaced[0]}")"
	if command -v strace >/dev/null; then
		strace -f -qq -e trace=execve -e signal=none -o "$work/strace" \
			"$final" run --rm --net "$net_name" -p 18080:80 busybox true
		tools=$(awk -F'"' '/execve\(/ && !/= -1/ { n = split($2, p, "/"); print p[n] }' "$work/strace" |
			sort | uniq -c | awk '{ printf "%s %s x%s", sep, $2, $1; sep = "," }')
		echo "  programs one -p container runs:$tools"
	fi
	echo "  goal: a network adds under 15 ms per container"
	"$final" network rm "$net_name" >/dev/null || die "network rm failed"
}

# ---- 3. scale --------------------------------------------------------------------

# A process's VmRSS and, of it, its own pages (RssAnon): the rest is the
# runtime's code and data as mapped from its file, one copy for them all.
rss_of() { awk '/^VmRSS/ { rss = $2 } /^RssAnon/ { anon = $2 } END { print rss, anon }' "/proc/$1/status"; }
median_of='{ v[NR] = $1; a[NR] = $2 } END { m = int((NR + 1) / 2); printf "median %d KiB (%d KiB its own), max %d KiB, %d", v[m], a[m], v[NR], NR }'

section_scale() {
	local t0 names=() i ps rss left
	heading "3. scale: $SCALE detached 'sleep' containers"
	"$final" run --rm busybox true 2>/dev/null || die "final/run cannot run busybox"
	for i in $(seq "$SCALE"); do names+=("bench-$$-$i"); done
	t0=$(date +%s%N)
	for i in "${names[@]}"; do
		"$final" run -d --name "$i" busybox sleep 3600 >/dev/null || die "run -d failed at $i"
	done
	echo "  start $SCALE with run -d:        $(ms_since "$t0") ms in all"
	ps=$("$bench" -n 20 -w 2 -- "$final" ps -a) || die "ps failed"
	row "ps -a (at $SCALE containers)" "$ps" "goal: under 50 ms"
	# VmRSS of each monitor: the process that waits for its container.
	rss=$(for d in "$MYDOCKER_ROOT"/containers/*/; do
		pid=$(sed -n 's/^monitor=\([0-9]*\).*/\1/p' "$d/record")   # "monitor=PID START"
		rss_of "$pid"
	done | sort -n | awk "$median_of")
	echo "  monitor memory (VmRSS):         $rss monitors; goal: under 1024 KiB"
	# And its logger: the monitor's child that runs the runtime's own binary.
	rss=$(for d in "$MYDOCKER_ROOT"/containers/*/; do
		pid=$(sed -n 's/^monitor=\([0-9]*\).*/\1/p' "$d/record")
		for child in $(cat "/proc/$pid/task/$pid/children"); do
			[ "$(readlink "/proc/$child/exe")" = "$(readlink "/proc/$pid/exe")" ] && rss_of "$child"
		done
	done | sort -n | awk "$median_of")
	echo "  logger memory (VmRSS):          $rss loggers"
	t0=$(date +%s%N)
	"$final" stop -t 0 "${names[@]}" >/dev/null || die "stop failed"
	echo "  stop -t 0 all of them:          $(ms_since "$t0") ms"
	t0=$(date +%s%N)
	"$final" rm "${names[@]}" >/dev/null || die "rm failed"
	echo "  rm all of them:                 $(ms_since "$t0") ms"
	left=$(ls "$MYDOCKER_ROOT/containers" | grep -vc '^\.' ; pgrep -fc "sleep 3600" ;
	       find /sys/fs/cgroup -mindepth 2 -type d -path "*/mydocker/bench-$$/*" | wc -l)
	echo "  left behind (records, sleep processes, cgroups): $(echo $left | tr ' ' '/') (must be 0/0/0)"
}

# ---- 3b. the scale curve ------------------------------------------------------------

# What one more container costs beside N others (exited ones: their
# records are what a run may have to read; they hold no process).
section_curve() {
	local n=0 level run ps i
	heading "3b. scale curve: one more container beside N others ($CURVE)"
	"$final" run --rm busybox true 2>/dev/null || die "final/run cannot run busybox"
	for level in $CURVE; do
		for ((i = n; i < level; i++)); do
			"$final" run --name "curve-$$-$i" busybox true >/dev/null || die "run failed at $i"
		done
		n=$level
		run=$("$bench" -n 20 -w 2 -- "$final" run --rm busybox true) || die "run failed at $level"
		ps=$("$bench" -n 10 -w 1 -- "$final" ps -a) || die "ps failed at $level"
		row "run --rm busybox true, N=$level" "$run"
		row "ps -a, N=$level" "$ps" "goal: under 100 ms at 1000"
	done
	"$final" rm $("$final" ps -aq) >/dev/null || die "rm failed"
}

# ---- 4. commit -------------------------------------------------------------------

section_commit() {
	local name=bench-commit-$$ upper before after c cp commits=() copies=() i t0
	heading "4. commit: a running container that wrote 1000 files of 100 KiB (100 MB)"
	"$final" run -d --name "$name" busybox sh -c \
		'i=0; while [ $i -lt 1000 ]; do head -c 102400 /dev/urandom >/f$i; i=$((i + 1)); done; echo written; exec sleep 3600' \
		>/dev/null || die "run -d failed"
	for i in $(seq 600); do "$final" logs "$name" | grep -q written && break; sleep 0.2; done
	"$final" logs "$name" | grep -q written || die "the container did not write its files"
	upper=$(ls -d "$MYDOCKER_ROOT"/containers/*/upper)
	cp -a "$upper" "$work/copy" && rm -rf "$work/copy"   # warm both on equal terms
	for i in 1 2 3 4 5; do
		before=$(du -sk "$MYDOCKER_ROOT/layers" | cut -f1)
		t0=$(date +%s%N)
		"$final" commit "$name" "bench$i" >/dev/null || die "commit failed"
		commits+=($(ms_since "$t0"))
		after=$(du -sk "$MYDOCKER_ROOT/layers" | cut -f1)
		"$final" rmi "bench$i" >/dev/null || die "rmi failed"
		t0=$(date +%s%N)
		cp -a "$upper" "$work/copy" || die "cp -a failed"
		copies+=($(ms_since "$t0"))
		rm -rf "$work/copy"
	done
	c=$(printf '%s\n' "${commits[@]}" | sort -n | sed -n 3p)
	cp=$(printf '%s\n' "${copies[@]}" | sort -n | sed -n 3p)
	echo "  commit (container frozen):      $c ms (median of 5: ${commits[*]})"
	echo "  cp -a of its upper dir:         $cp ms (median of 5: ${copies[*]})"
	echo "  commit / cp -a:                 $(ratio "$c" "$cp"); goal: at most 1.2"
	echo "  disk the new image adds:        $(( (after - before) / 1024 )) MiB (the change: 100 MB; its busybox layer: $(du -sk "$(ls -d "$MYDOCKER_ROOT"/layers/*/ | head -1)" | cut -f1) KiB, shared)"
	"$final" rm -f "$name" >/dev/null || die "rm failed"
}

# ---- 5. ipam ---------------------------------------------------------------------

section_ipam() {
	heading "5. IPAM: every address of a /16, allocated then released, one at a time"
	"$top/tools/bench_ipam" || die "the IPAM bench failed"
}

# ---- main ------------------------------------------------------------------------

if [ "${1:-}" = network-inside ]; then
	[ "${MYDOCKER_BENCH_NET:-}" = 1 ] || die "network-inside runs in the network bench's own namespace"
	section_network_inside
	exit
fi
sections=("$@")
[ ${#sections[@]} = 0 ] && sections=(start network scale curve commit ipam)
for s in "${sections[@]}"; do
	case $s in start | network | scale | curve | commit | ipam) ;; *) die "no section '$s' (start network scale curve commit ipam)" ;; esac
done
machine
for s in "${sections[@]}"; do "section_$s"; done
