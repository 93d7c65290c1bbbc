# Shared by every tests/*.bats file: assertions, random values that a seed
# replays, a private state root per test, running a container the way the
# chapter under test expects, and the leak checks that run after every test.
#
#   RUN    the binary under test (absolute path)
#   CH     its chapter number (final: the last chapter's); from ch03 on `run` takes an IMAGE
#   SEED   makes the random values of a run again (tools/grade.sh sets and prints it)
#   MYDOCKER_TEST_SCALE  how many times longer every wait may be (the v2 VM sets it)
#
# tools/grade.sh runs the tests in a PID, mount and network namespace of
# their own, with a cgroup parent of their own: what the leak checks see is
# what this run made, never another user's containers on a shared host.

bats_require_minimum_version 1.5.0
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

CGROOT=${MYDOCKER_CGROUP_ROOT:-/sys/fs/cgroup}
CGPARENT=${MYDOCKER_CGROUP_PARENT:-mydocker}
SCALE=${MYDOCKER_TEST_SCALE:-1}
: "${CH:?set CH to the chapter number of the binary}"

# ---- random values -------------------------------------------------------
# One generator per test, seeded from SEED and the test's name, its state in
# a file: "$(rand_word)" runs in a subshell, and bash reseeds $RANDOM in
# every subshell, so a variable would neither carry over nor replay.
seed_random() {
	local h=${SEED:-$$} i c name="$BATS_TEST_DESCRIPTION"
	for ((i = 0; i < ${#name}; i++)); do
		printf -v c '%d' "'${name:i:1}"
		h=$(((h * 31 + c) & 0x7fffffff))
	done
	echo "$h" >"$BATS_TEST_TMPDIR/.rand"
}
# rand_next: the next number in [0, 2^31) of this test's sequence.
rand_next() {
	local s
	read -r s <"$BATS_TEST_TMPDIR/.rand"
	s=$(((s * 1103515245 + 12345) & 0x7fffffff))
	echo "$s" >"$BATS_TEST_TMPDIR/.rand"
	RAND=$(((s >> 8) & 0xffff))
}
# A random integer in [lo, hi].
rand_int() {
	rand_next
	local r=$RAND
	rand_next
	echo $(($1 + ((r << 16 | RAND) % ($2 - $1 + 1))))
}
# A random lowercase word of N+1 characters that starts with a letter:
# hostnames, file names, tokens.
rand_word() {
	local chars=abcdefghijklmnopqrstuvwxyz0123456789 w=w i
	for ((i = 0; i < ${1:-10}; i++)); do
		rand_next
		w+=${chars:RAND % 36:1}
	done
	echo "$w"
}
# rand_line: one line of stdin, picked at random.
rand_line() {
	local lines
	mapfile -t lines
	echo "${lines[$(rand_int 0 $((${#lines[@]} - 1)))]}"
}

# ---- waiting -------------------------------------------------------------
# wait_until SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds,
# for at most SECONDS of wall time (times MYDOCKER_TEST_SCALE), however long
# each try takes; fails when it never did.
wait_until() {
	local end=$((SECONDS + $1 * SCALE))
	shift
	while :; do
		"$@" && return 0
		((SECONDS < end)) || return 1
		sleep 0.1
	done
}
# Seconds to give a command that should finish at once, scaled.
scaled() { echo $(($1 * SCALE)); }

# A failure shows what differs, not two whole listings.
assert_same() { # EXPECTED ACTUAL [WHAT]
	[ "$1" = "$2" ] && return 0
	{
		echo "${3:-output} differs from what was expected (--- expected, +++ actual):"
		diff -u <(echo "$1") <(echo "$2") | tail -n +3 | head -n 20
	} | batslib_decorate "values differ" | fail
}

# tools/probe (final's tests): PROBE, and probe_dir, a directory holding
# it to mount at /t (PD).
PROBE="$BATS_TEST_DIRNAME/../tools/probe"
probe_dir() {
	PD="$BATS_TEST_TMPDIR/probe"
	mkdir -p "$PD"
	cp "$PROBE" "$PD/probe"
}

not_running() { ! kill -0 "$1" 2>/dev/null; }
# wait_bounded PID [SECS]: the exit status of background job PID, waited
# for up to SECS (default 10, scaled); one that is still running then is
# SIGKILLed and 124 returned, so a runtime that never ends fails its test
# instead of hanging the grading.
wait_bounded() {
	wait_until "${2:-10}" not_running "$1" && { wait "$1"; return; }
	echo "PID $1 ($(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)) did not end in $(scaled "${2:-10}") s: killed" >&2
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 124
}

wait_for_file_line() { # FILE PATTERN: up to 10 s
	wait_until 10 grep -q "$2" "$1" 2>/dev/null && return 0
	echo "timed out waiting for '$2' in $1, which ends with:" >&2
	tail -n 15 "$1" >&2
	return 1
}

# ---- running containers ------------------------------------------------------

# From ch06 on an exited container is kept until `rm`, as docker keeps it:
# the tests that are not about that run theirs with --rm.
RM=()
[ "$CH" -ge 6 ] && RM=(--rm)

# A runtime with docker's defences (final: DEFENCES=1) keeps a container
# from mounting, and puts every container in a devices cgroup; a test of
# what a container's own mounts do asks for "${MOUNTS_OK[@]}".
DEFENCES=0 MOUNTS_OK=()
"$RUN" run --help 2>/dev/null | grep -q -- --privileged && DEFENCES=1 MOUNTS_OK=(--privileged)

# ctr_argv [OPTIONS...] -- [COMMAND [ARG...]]: set CTR to the command line
# `$RUN run ...`, with the image argument where it goes from ch03 on.
# Run it as "${CTR[@]}" (in the background, $! is then the runtime itself).
ctr_argv() {
	CTR=("$RUN" run "${RM[@]}")
	while [ $# -gt 0 ] && [ "$1" != -- ]; do CTR+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	[ "$CH" -ge 3 ] && CTR+=(busybox)
	CTR+=("$@")
}

# ctr [OPTIONS...] -- [COMMAND [ARG...]]: run a container in the foreground.
ctr() {
	ctr_argv "$@"
	"${CTR[@]}"
}

# hold [OPTIONS...] -- COMMAND...: start a container in the background with
# stdin on a fifo. COMMAND prints "ready" when it has set itself up, then
# reads a line: it runs until `release`. Sets HELD_PID (the runtime) and
# HOLD_OUT (its output).
hold() {
	HOLDS=$((${HOLDS:-0} + 1))
	HOLD_FIFO="$BATS_TEST_TMPDIR/hold$HOLDS.fifo"
	HOLD_OUT="$BATS_TEST_TMPDIR/hold$HOLDS.out"
	mkfifo "$HOLD_FIFO"
	ctr_argv "$@"
	"${CTR[@]}" >"$HOLD_OUT" 2>&1 <"$HOLD_FIFO" &
	HELD_PID=$!
	exec 7>"$HOLD_FIFO"
	wait_for_file_line "$HOLD_OUT" ready
}

# release: let the held container finish; sets HELD_RC.
release() {
	echo go >&7
	exec 7>&-
	HELD_RC=0
	wait "$HELD_PID" || HELD_RC=$?
}

# without SYSCALL COMMAND...: run COMMAND on this kernel as if it were one
# that lacks SYSCALL (tools/enosys fails every call of it with ENOSYS).
without() { "$BATS_TEST_DIRNAME/../tools/enosys" "$@"; }

# refused_without SYSCALL WHAT SINCE: a container on a kernel without
# SYSCALL is refused at once: exit 125, one line naming WHAT and the
# release SINCE that brought it.
refused_without() {
	ctr_argv -- true
	run without "$1" "${CTR[@]}"
	assert_equal "$status" 125
	assert_equal "${#lines[@]}" 1
	assert_output --regexp "^mydocker: .*$2.*Linux $3.*needs Linux [0-9.]+ or later"
}

# ---- cgroups -------------------------------------------------------------------

cgroup_v2() { [ -f "$CGROOT/cgroup.controllers" ]; }

# The directories below this run's cgroup parent, in every hierarchy: one
# per container (and per hierarchy) that has a cgroup.
container_cgroups() {
	local d
	for d in "$CGROOT/$CGPARENT"/*/ "$CGROOT"/*/"$CGPARENT"/*/; do
		[ -d "$d" ] && echo "${d%/}"
	done
	return 0
}

# The container's directory for one controller, while exactly one runs.
cgroup_dir() {
	local base="$CGROOT/$1/$CGPARENT" d
	cgroup_v2 && base="$CGROOT/$CGPARENT"
	for d in "$base"/*/; do [ -d "$d" ] && echo "${d%/}"; done
	return 0
}

# cgroup_of PID [CONTROLLER]: the cgroup PID is in, as the host sees it: on
# v2 its one cgroup, on v1 the one of CONTROLLER's hierarchy.
cgroup_of() {
	local line
	while IFS= read -r line; do
		if cgroup_v2; then
			[[ $line == 0::* ]] && { echo "${line#0::}"; return 0; }
		else
			[[ $line =~ ^[0-9]+:([a-z_]+,)*$2(,[a-z_]+)*:(.*)$ ]] && { echo "${BASH_REMATCH[3]}"; return 0; }
		fi
	done <"/proc/$1/cgroup"
	return 1
}

# ---- processes, mounts, network --------------------------------------------

# The PID namespaces below ours that have live processes: one per running
# container. Zombies hold nothing; an orphan's is PID 1's to reap, in its own time.
nested_pid_namespaces() {
	local p
	awk -v mine="$(awk '/^NSpid:/ {print NF}' /proc/self/status)" \
		'/^State:/ {zombie = $2 == "Z"} /^NSpid:/ && NF > mine && !zombie {print FILENAME}' \
		/proc/[0-9]*/status 2>/dev/null |
		while read -r p; do readlink "${p%/status}/ns/pid"; done | sort -u
}

# The mount points of this run's mount namespace, but what `ip netns` keeps
# under /run/netns (the tests make and remove their namespaces themselves).
mount_points() {
	awk '$5 != "/run/netns" && $5 !~ "^/run/netns/" {print $5}' /proc/self/mountinfo | sort
}

# From ch08 on: in the network namespace named $1 (the run's own when empty),
# the links a runtime makes (mdk-* bridges, veth* host ends) and every
# iptables rule that carries a mydocker comment, one a line.
net_state() {
	local in=()
	[ -n "${1:-}" ] && in=(nsenter "--net=/run/netns/$1")
	"${in[@]}" ip -o link show 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | grep -E '^(mdk-|veth)' | sort
	local t
	for t in nat filter; do
		"${in[@]}" iptables -w -t "$t" -S 2>/dev/null | grep -F -- '--comment "mydocker ' | sed "s/^/$t /"
	done
	return 0
}

# Remove what net_state lists that "$2" (an earlier net_state) does not.
net_clean() {
	local in=() line table
	[ -n "${1:-}" ] && in=(nsenter "--net=/run/netns/$1")
	comm -13 <(echo "$2") <(net_state "${1:-}") | while read -r line; do
		case $line in
		"nat "* | "filter "*)
			table=${line%% *}
			eval "set -- ${line#* }"   # iptables -S quotes comments as a shell does
			"${in[@]}" iptables -w -t "$table" -D "${@:2}" 2>/dev/null ;;
		*) "${in[@]}" ip link del "$line" 2>/dev/null ;;
		esac
	done
}

# The processes of the binary under test that still run (-d monitors, or a
# runtime that never returned). [ -ef ] compares inodes without a fork per
# process, which matters where a fork is slow (the v2 VM).
runtime_processes() {
	local p
	for p in /proc/[0-9]*; do
		[ "$p/exe" -ef "$RUN" ] && echo "${p#/proc/}"
	done
	return 0
}

# ---- a test host's network ---------------------------------------------------
#
# Network safety: a test that runs bridge networks builds its own world and
# sends packets only inside it. The runtime runs in a private network
# namespace ($HOSTNS, "the test host"): its bridges, veths and iptables rules
# live and die there. A second namespace ($CLINS, "a client host") is joined
# to it by a veth on a random /30. Packets go only to addresses these tests
# made. net_setup after common_setup; net_teardown in place of common_teardown.
net_setup() {
	HOSTNS=mdkt-h-$(rand_word 6)
	CLINS=mdkt-c-$(rand_word 6)
	ip netns add "$HOSTNS"
	ip netns add "$CLINS"
	ip -n "$HOSTNS" link set lo up
	ip -n "$CLINS" link set lo up
	# The link between them: 10.A.B.(4k+1) on the host side, +1 on the client's.
	local a b k
	a=$(rand_int 200 250) b=$(rand_int 0 255) k=$(rand_int 0 62)
	HOST_IP=10.$a.$b.$((4 * k + 1)) CLIENT_IP=10.$a.$b.$((4 * k + 2))
	ip -n "$HOSTNS" link add up0 type veth peer name eth0 netns "$CLINS"
	ip -n "$HOSTNS" addr add "$HOST_IP/30" dev up0
	ip -n "$CLINS" addr add "$CLIENT_IP/30" dev eth0
	ip -n "$HOSTNS" link set up0 up
	ip -n "$CLINS" link set eth0 up
	# Networks get 10.X.Y.0/24 with X in 100..199: never the link's subnet.
	NET=n$(rand_word 6)
	SUBNET_PREFIX=10.$(rand_int 100 199).$(rand_int 0 255)
	SUBNET=$SUBNET_PREFIX.0/24
}

net_teardown() {
	local left="" ids
	[ -z "${CLIENT_HTTPD:-}" ] || { kill "$CLIENT_HTTPD"; wait "$CLIENT_HTTPD"; } 2>/dev/null
	# The runtime may have left nothing in the test host's namespace either.
	# Containers a test left are reported, then removed from inside it
	# (where their rules are) before the namespace goes.
	if [ -n "${HOSTNS:-}" ]; then
		left=$(net_state "$HOSTNS")
		ids=$(ls "$MYDOCKER_ROOT/containers" 2>/dev/null)
		if [ -n "$ids" ]; then
			left+=$'\n'"containers left: $(echo $ids)"
			in_host "$RUN" rm -f $ids >/dev/null 2>&1
		fi
		ip netns del "$HOSTNS"
	fi
	[ -z "${CLINS:-}" ] || ip netns del "$CLINS"
	local rc=0
	common_teardown || rc=1
	[ -z "$left" ] || { echo "left in the test host's namespace: $left" >&2; rc=1; }
	return $rc
}

in_host() { nsenter "--net=/run/netns/$HOSTNS" "$@"; }
in_client() { nsenter "--net=/run/netns/$CLINS" "$@"; }
# The runtime, on the test host.
mdk() { in_host timeout -k 2 "$(scaled 20)" "$RUN" "$@"; }

# serve_token [RUN OPTIONS...]: a detached container whose busybox httpd
# answers on port 80 with a random token; sets ID and TOKEN.
serve_token() {
	TOKEN=$(rand_word 16)
	ID=$(mdk run -d "$@" busybox sh -c "mkdir /www && echo $TOKEN > /www/index.html && exec httpd -f -p 80 -h /www")
	[[ $ID =~ ^[0-9a-f]{64}$ ]] || fail "run -d $* printed '$ID'"
}

# fetch NETNS-RUNNER URL: the page, retried for a few seconds while the
# server starts. (Debian's busybox wget crashes with -T: timeout does that.)
fetch() {
	local out runner=$1 url=$2
	wait_until 5 eval 'out=$("$runner" timeout -k 1 "$(scaled 3)" busybox wget -q -O- "$url" 2>/dev/null)' || return 1
	echo "$out"
}


# The test host's network state but the network's own bridge and rules:
# what containers hold.
held_by_containers() { net_state "$HOSTNS" | grep -v -e "mydocker network $NET" -e "^mdk-$NET\$"; }

# The address of eth0 in a container's output of `ip -o -4 addr show eth0`.
eth0_ip() { sed -n 's/.* inet \([0-9.]*\)\/.*/\1/p'; }

# ---- setup and teardown ------------------------------------------------------

common_setup() {
	if [ "$(id -u)" != 0 ]; then
		echo "run as root: containers need namespaces, mounts and cgroups" >&2
		return 1
	fi
	[ -x "$RUN" ] || { echo "RUN='$RUN' is not an executable" >&2; return 1; }
	seed_random
	MYDOCKER_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/mydocker-test.XXXXXX")
	export MYDOCKER_ROOT
	mount_points >"$BATS_TEST_TMPDIR/mounts.before"
	nested_pid_namespaces >"$BATS_TEST_TMPDIR/pidns.before"
	# From ch03 on, make the default image now, so that the tests' output
	# is the container's alone (the first run says it makes the image).
	# When even that fails, the runtime's own words say why.
	if [ "$CH" -ge 3 ]; then
		local out
		if ! out=$("$RUN" run "${RM[@]}" busybox true 2>&1); then
			echo "the first container did not start: '$RUN run ${RM[*]} busybox true' said:" >&2
			echo "$out" | tail -n 5 >&2
			return 1
		fi
	fi
	[ "$CH" -lt 8 ] || NET_BEFORE=$(net_state)
}

# After every test: nothing the containers held may remain. What is left is
# reported, then removed, so that the next test starts clean.
common_teardown() {
	local leaks=""
	if [ -n "${HELD_PID:-}" ] && kill -0 "$HELD_PID" 2>/dev/null; then
		release
	fi
	# From ch06 on: every container a test made, it removed.
	if [ "$CH" -ge 6 ]; then
		local ids
		ids=$(ls "$MYDOCKER_ROOT/containers" 2>/dev/null)
		if [ -n "$ids" ]; then
			leaks+="containers left: $(echo $ids)"$'\n'
			"$RUN" rm -f $ids >/dev/null 2>&1
		fi
	fi
	# No runtime or -d monitor of the binary under test may still run.
	local runtimes
	runtimes=$(runtime_processes)
	if [ -n "$runtimes" ]; then
		leaks+="runtime processes left: $(echo $runtimes)"$'\n'
		# Their containers die with them (PR_SET_PDEATHSIG).
		kill -KILL $runtimes 2>/dev/null
		sleep 0.5
	fi
	local cg
	cg=$(container_cgroups)
	if [ -n "$cg" ]; then
		leaks+="cgroups left: $(echo $cg)"$'\n'
		echo "$cg" | xargs rmdir 2>/dev/null
	fi
	# A mount the runtime made in the test's own namespace (a container's
	# should have been in the container's): reported and undone, deepest first.
	local m
	m=$(comm -13 "$BATS_TEST_TMPDIR/mounts.before" <(mount_points))
	if [ -n "$m" ]; then
		leaks+="mounts left: $(echo $m)"$'\n'
		echo "$m" | sort -r | while read -r point; do umount -l "$point" 2>/dev/null; done
	fi
	# A container's processes live in a PID namespace below ours: one that
	# is still there means something was left running.
	local left
	left=$(comm -13 "$BATS_TEST_TMPDIR/pidns.before" <(nested_pid_namespaces))
	[ -z "$left" ] || leaks+="processes left in containers' PID namespaces: $(echo $left)"$'\n'
	# ch08: its veth, port rules and address go with it; networks with
	# `network rm` (a test removes those it made).
	if [ "$CH" -ge 8 ]; then
		local net
		net=$(comm -13 <(echo "$NET_BEFORE") <(net_state))
		if [ -n "$net" ]; then
			leaks+="network state left in the run's namespace: $net"$'\n'
			net_clean "" "$NET_BEFORE"
		fi
		net=$(find "$MYDOCKER_ROOT/networks" "$MYDOCKER_ROOT/ipam" -mindepth 1 ! -name .lock 2>/dev/null)
		[ -z "$net" ] || leaks+="networks or IPAM state left: $net"$'\n'
	fi
	# ch09: a layer is renamed into place whole; a failed commit or import
	# removes what it wrote.
	if [ "$CH" -ge 9 ]; then
		local half
		half=$(find "$MYDOCKER_ROOT/layers" -mindepth 1 -maxdepth 1 -name '.tmp-*' 2>/dev/null)
		[ -z "$half" ] || leaks+="half-written layers left: $half"$'\n'
	fi
	# A container's upper, work and merged directories go with it.
	local dirs
	dirs=$(find "$MYDOCKER_ROOT/containers" -mindepth 1 -maxdepth 1 2>/dev/null)
	[ -z "$dirs" ] || leaks+="container directories left: $dirs"$'\n'
	rm -rf --one-file-system "$MYDOCKER_ROOT"
	if [ -n "$leaks" ]; then
		echo "leak check failed after '$BATS_TEST_DESCRIPTION':" >&2
		echo "$leaks" >&2
		return 1
	fi
}

setup() { common_setup; }
teardown() { common_teardown; }
