#!/usr/bin/env bats
# ch01-namespaces: clone() into new UTS, PID, mount, IPC and network
# namespaces; argv over a pipe; exit codes and signals.

load helpers

@test "[2] ch01: hostname is private" {
	name=$(rand_word 12)
	before=$(hostname)
	run ctr --hostname "$name" -- hostname
	assert_success
	assert_output "$name"
	assert_equal "$(hostname)" "$before"
}

@test "[1] ch01: the default hostname is the short container ID" {
	run ctr -- hostname
	assert_success
	assert_output --regexp '^[0-9a-f]{12}$'
	a=$output
	run ctr -- hostname
	refute_output "$a"
}

@test "[2] ch01: the container is PID 1 and sees only its own processes" {
	run ctr -- sh -c 'echo "self=$$"; for p in /proc/[0-9]*; do echo "${p#/proc/}"; done | sort -n | tail -1'
	assert_success
	assert_line --index 0 "self=1"
	# A new PID namespace numbers from 1: the highest PID is tiny, the host's are not.
	[ "${lines[1]}" -le 10 ] || fail "highest PID seen inside: ${lines[1]} (host processes leak in)"
}

@test "[2] ch01: /proc is the container's own and the host's still works" {
	token=$(rand_word 8)
	run ctr -- sh -c "cat /proc/1/cmdline | tr '\0' ' '; echo; : $token"
	assert_success
	assert_output --partial "$token"
	# The host's /proc still shows the host's processes.
	[ "$(readlink /proc/self)" -gt 0 ] || fail "host /proc is broken"
	run cat /proc/1/comm
	assert_success
}

@test "[2] ch01: only the loopback device in its network namespace" {
	# Devices of the caller's own (the grading run's namespace has only lo):
	# a container that shared the caller's network would see them.
	dev=v$(rand_word 8)
	ip link add "$dev" type veth peer name "${dev}p"
	run ctr -- sh -c 'cat /proc/net/dev; readlink /proc/self/ns/net'
	ip link del "$dev"
	assert_success
	# Two header lines, then one line per device, then the namespace.
	assert_equal "${#lines[@]}" 4
	assert_line --index 2 --regexp '^ *lo:'
	[ "${lines[3]}" != "$(readlink /proc/self/ns/net)" ] || fail "the container is in the caller's network namespace"
}

@test "[2] ch01: System V IPC objects are private" {
	# /proc/sysvipc/msg lists the message queues of the reader's IPC namespace.
	qid=$(ipcmk -Q | awk '{print $NF}')
	key=$(awk -v id="$qid" '$2 == id {print $1}' /proc/sysvipc/msg)
	run ctr -- cat /proc/sysvipc/msg
	ipcrm -q "$qid"
	assert_success
	[ -n "$key" ] || fail "the host's queue $qid is not in /proc/sysvipc/msg"
	refute_output --partial "$key"
	assert_equal "${#lines[@]}" 1    # the header only
	if [ "$CH" -lt 3 ]; then
		# Until ch03 the container runs the host's ipcmk; from then on busybox, which has none.
		before=$(wc -l </proc/sysvipc/msg)
		run ctr -- sh -c 'ipcmk -Q >/dev/null && wc -l </proc/sysvipc/msg'
		assert_success
		assert_output 2
		assert_equal "$(wc -l </proc/sysvipc/msg)" "$before"
	fi
}

@test "[3] ch01: mounts stay inside, also when the host's / is shared" {
	dir=$(rand_word 10)
	mkdir -p "/tmp/$dir"
	ctr_argv "${MOUNTS_OK[@]}" -- sh -c "mkdir -p /tmp/$dir && mount -t tmpfs none /tmp/$dir"
	# systemd makes / shared; reproduce that in a mount namespace of our own.
	run unshare -m sh -c '
		mount --make-rshared /
		before=$(grep -c " /proc " /proc/self/mountinfo)
		"$@" >/dev/null || exit 1
		echo "proc_mounts $before $(grep -c " /proc " /proc/self/mountinfo)"
		grep -c "/tmp/'"$dir"'" /proc/self/mountinfo
		readlink /proc/self' sh "${CTR[@]}"
	rmdir "/tmp/$dir"
	assert_success
	read -r _ before after <<<"${lines[0]}"
	assert_equal "$after" "$before"
	assert_line --index 1 0
	assert_line --index 2 --regexp '^[0-9]+$'
}

@test "[2] ch01: arguments reach the command intact" {
	a="$(rand_word 4) $(rand_word 4)"
	b="'$(rand_word 3)'"
	c="\"$(rand_word 3)\" \$HOME *"
	run ctr -- sh -c 'printf "[%s]" "$@"' sh "$a" "" "$b" "$c" "  "
	assert_success
	assert_output "[$a][][$b][$c][  ]"
}

@test "[2] ch01: the container's exit status is the runtime's" {
	code=$(rand_int 1 120)
	run ctr -- sh -c "exit $code"
	assert_equal "$status" "$code"
	run ctr -- true
	assert_success
}

@test "[1] ch01: command not found is 127, not executable is 126" {
	run -127 ctr -- "/$(rand_word 8)"
	assert_equal "$status" 127
	assert_output --partial "not found"
	run -126 ctr -- /etc/passwd
}

@test "[2] ch01: signals sent to the runtime reach the container" {
	sigs=(HUP INT QUIT TERM USR1 USR2)
	sig=${sigs[$(rand_int 0 5)]}
	code=$(rand_int 1 100)
	out="$BATS_TEST_TMPDIR/out"
	ctr_argv -- sh -c "trap 'exit $code' $sig; echo ready; while :; do sleep 0.1; done"
	"${CTR[@]}" >"$out" 2>&1 &
	pid=$!
	wait_for_file_line "$out" ready
	kill -s "$sig" "$pid"
	rc=0
	wait_bounded "$pid" || rc=$?
	assert_equal "$rc" "$code"
}

@test "[1] ch01: a container killed by a signal exits 128+N" {
	out="$BATS_TEST_TMPDIR/out"
	ctr_argv -- sh -c 'echo ready; while :; do sleep 0.1; done'
	"${CTR[@]}" >"$out" 2>&1 &
	pid=$!
	wait_for_file_line "$out" ready
	# The container's init ignores signals it has no handler for, except SIGKILL.
	kill -KILL "$(pgrep -P "$pid" | head -1)"
	rc=0
	wait_bounded "$pid" || rc=$?
	assert_equal "$rc" 137
}

@test "[2] ch01: the command starts with fds 0, 1 and 2 only" {
	# The caller's own open files (bats keeps fd 3, we open one more at a
	# random number) must not reach the container. Its fds are read from
	# outside: a process that lists its own opens one to do it.
	fd=$(rand_int 10 99)
	eval "exec $fd<\"\$BATS_TEST_FILENAME\""
	hold -- sh -c 'echo ready; read x'
	eval "exec $fd<&-"
	run ls "/proc/$(pgrep -P "$HELD_PID")/fd"
	release
	assert_same "$(printf '0\n1\n2')" "$(sort -n <<<"$output")" "the container's fds"
}

@test "[1] ch01: a kernel without close_range's CLOEXEC flag is refused in one line" {
	refused_without close_range "close_range" 5.11
}

@test "[1] ch01: stdin and stdout are the caller's" {
	token=$(rand_word 16)
	ctr_argv -- cat
	run bash -c 'echo "$0" | "$@"' "$token" "${CTR[@]}"
	assert_success
	assert_output "$token"
}

@test "[1] ch01: --help, bad options and no root are clear" {
	run "$RUN" run --help
	assert_success
	assert_output --partial "Usage:"
	run "$RUN" run --$(rand_word 6) true
	assert_equal "$status" 125
	assert_equal "${#lines[@]}" 1
	assert_output --partial "unknown option"
	run "$RUN" run --hostname
	assert_equal "$status" 125
	assert_output --partial "'--hostname' needs a value"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$RUN" run true
	assert_equal "$status" 125
	assert_output --partial "try sudo"
}
