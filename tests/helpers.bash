# Shared by every tests/*.bats file: assertions, a private state root per
# test, running a container the way the chapter under test expects, and the
# leak checks that run after every test.
#
#   RUN  the binary under test (absolute path)
#   CH   its chapter number (final: the last chapter's); from ch03 on `run` takes an IMAGE

bats_require_minimum_version 1.5.0
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

CGROOT=${MYDOCKER_CGROUP_ROOT:-/sys/fs/cgroup}
CGPARENT=${MYDOCKER_CGROUP_PARENT:-mydocker}
: "${CH:?set CH to the chapter number of the binary}"

# A random lowercase word: hostnames, file names, tokens.
rand_word() { tr -dc 'a-z0-9' </dev/urandom | head -c "${1:-10}" | sed 's/^/w/'; }
# A random integer in [lo, hi].
rand_int() { echo $(( $1 + RANDOM % ($2 - $1 + 1) )); }

# From ch06 on an exited container is kept until `rm`, as docker keeps it:
# the tests that are not about that run theirs with --rm.
RM=()
[ "$CH" -ge 6 ] && RM=(--rm)

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

# The directories under every hierarchy's mydocker/ parent: one per running container.
container_cgroups() {
	find "$CGROOT" -mindepth 2 -maxdepth 3 -type d -path "*/$CGPARENT/*" 2>/dev/null
}

# The container's directory for one controller, while exactly one runs.
cgroup_dir() {
	local base="$CGROOT/$1/$CGPARENT"
	[ -f "$CGROOT/cgroup.controllers" ] && base="$CGROOT/$CGPARENT"
	find "$base" -mindepth 1 -maxdepth 1 -type d 2>/dev/null
}

cgroup_v2() { [ -f "$CGROOT/cgroup.controllers" ]; }

# layer_list ROOT IMAGE [TAG]: the file that lists an image's layers, top
# first: images/IMAGE/layers, and from ch09 on (images have tags)
# images/IMAGE/TAG/layers.
layer_list() {
	if [ "$CH" -ge 9 ]; then echo "$1/images/$2/${3:-latest}/layers"; else echo "$1/images/$2/layers"; fi
}

# hold [OPTIONS...] -- COMMAND...: start a container in the background with
# stdin on a fifo. COMMAND prints "ready" when it has set itself up, then
# reads a line: it runs until `release`. Sets HELD_PID (the runtime) and
# HOLD_OUT (its output).
hold() {
	HOLD_FIFO="$BATS_TEST_TMPDIR/hold.fifo"
	HOLD_OUT="$BATS_TEST_TMPDIR/hold.out"
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

wait_for_file_line() { # FILE PATTERN: up to 10 s, a bounded poll
	for _ in $(seq 100); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "timed out waiting for '$2' in $1:" >&2
	cat "$1" >&2
	return 1
}

# The PID namespaces below ours that have live processes: one per running
# container. Zombies hold nothing; an orphan's is PID 1's to reap, in its own time.
nested_pid_namespaces() {
	local p
	awk -v mine="$(awk '/^NSpid:/ {print NF}' /proc/self/status)" \
		'/^State:/ {zombie = $2 == "Z"} /^NSpid:/ && NF > mine && !zombie {print FILENAME}' \
		/proc/[0-9]*/status 2>/dev/null |
		while read -r p; do readlink "${p%/status}/ns/pid"; done | sort -u
}

mount_points() {
	awk '{print $5}' /proc/self/mountinfo | sort
}

# From ch08 on: in the network namespace named $1 (the host's when empty),
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

common_setup() {
	if [ "$(id -u)" != 0 ]; then
		echo "run as root: containers need namespaces, mounts and cgroups" >&2
		return 1
	fi
	[ -x "$RUN" ] || { echo "RUN='$RUN' is not an executable" >&2; return 1; }
	MYDOCKER_ROOT=$(mktemp -d /tmp/mydocker-test.XXXXXX)
	export MYDOCKER_ROOT
	# From ch03 on, make the default image now, so that the tests' output
	# is the container's alone (the first run says it makes the image).
	if [ "$CH" -ge 3 ]; then
		"$RUN" run "${RM[@]}" busybox true >/dev/null 2>&1 || { echo "cannot make the busybox image with $RUN" >&2; return 1; }
	fi
	mount_points >"$BATS_TEST_TMPDIR/mounts.before"
	nested_pid_namespaces >"$BATS_TEST_TMPDIR/pidns.before"
	[ "$CH" -lt 8 ] || NET_BEFORE=$(net_state)
}

# After every test: nothing the containers held may remain.
common_teardown() {
	local leaks=""
	if [ -n "${HELD_PID:-}" ] && kill -0 "$HELD_PID" 2>/dev/null; then
		release
	fi
	# From ch06 on: every container a test made, it removed. What is left
	# is reported, then removed, so that nothing stays on the machine.
	if [ "$CH" -ge 6 ]; then
		local ids
		ids=$(ls "$MYDOCKER_ROOT/containers" 2>/dev/null)
		if [ -n "$ids" ]; then
			leaks+="containers left: $(echo $ids)"$'\n'
			"$RUN" rm -f $ids >/dev/null 2>&1
		fi
	fi
	# No runtime or -d monitor of the binary under test may still run.
	local p runtimes="" exe
	exe=$(readlink -f "$RUN")
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$exe" ] && runtimes+=" ${p#/proc/}"
	done
	if [ -n "$runtimes" ]; then
		leaks+="runtime processes left:$runtimes"$'\n'
		# Their containers die with them (PR_SET_PDEATHSIG).
		kill -KILL $runtimes 2>/dev/null
		sleep 0.5
	fi
	local cg
	cg=$(container_cgroups)
	if [ -n "$cg" ]; then
		leaks+="cgroups left: $cg"$'\n'
		echo "$cg" | xargs rmdir 2>/dev/null
	fi
	local m
	m=$(comm -13 "$BATS_TEST_TMPDIR/mounts.before" <(mount_points))
	[ -z "$m" ] || leaks+="mounts left: $m"$'\n'
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
			leaks+="network state left in the host's namespace: $net"$'\n'
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
	rm -rf "$MYDOCKER_ROOT"
	if [ -n "$leaks" ]; then
		echo "leak check failed after '$BATS_TEST_DESCRIPTION':" >&2
		echo "$leaks" >&2
		return 1
	fi
}

setup() { common_setup; }
teardown() { common_teardown; }
