#!/usr/bin/env bats
# ch07-exec-setns: exec through setns into a running container; run -e.

load helpers

# start_box [OPTIONS...]: a detached container that waits; sets ID.
start_box() {
	ID=$(timeout -k 2 "$(scaled 10)" "$RUN" run -d "$@" busybox sh -c 'echo started > /tmp/started; while :; do sleep 1; done')
	[[ $ID =~ ^[0-9a-f]{64}$ ]] || fail "run -d $* printed '$ID'"
	wait_until 10 "$RUN" exec "$ID" test -e /tmp/started 2>/dev/null || fail "the container never got going"
}

@test "[2] ch07: exec sees the container's hostname, files and processes, and is not its PID 1" {
	host=$(rand_word 10)
	tok=$(rand_word 12)
	start_box --hostname "$host"
	# In the container's PID namespace its own PID is in the container's
	# /proc, and its namespace is its init's (a PID of the host's is not).
	run "$RUN" exec "$ID" sh -c "echo $tok > /tmp/$tok; hostname; echo \$\$
		[ \"\$(readlink /proc/\$\$/ns/pid)\" = \"\$(readlink /proc/1/ns/pid)\" ] && echo same-pid-namespace
		cat /proc/1/cmdline | tr '\\0' ' '"
	assert_success
	assert_line --index 0 "$host"
	[ "${lines[1]}" -gt 1 ] || fail "exec's shell has PID ${lines[1]} inside: it is the container's init"
	assert_line --index 2 same-pid-namespace
	assert_line --index 3 --partial "while :; do sleep 1; done"
	# The file it wrote is in the container's root, not the host's.
	run "$RUN" exec "$ID" cat "/tmp/$tok"
	assert_output "$tok"
	[ ! -e "/tmp/$tok" ] || fail "exec wrote into the host's /tmp"
	"$RUN" rm -f "$ID"
}

@test "[2] ch07: exec shares the container's mounts and network devices" {
	vol="$BATS_TEST_TMPDIR/$(rand_word 8)"
	tok=$(rand_word 12)
	start_box -v "$vol:/data"
	echo "$tok" >"$vol/f"
	run "$RUN" exec "$ID" sh -c 'cat /data/f; grep -c " /data " /proc/mounts; grep " / " /proc/mounts | cut -d" " -f1; cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d " "'
	assert_success
	assert_equal "$output" "$tok
1
overlay
lo"
	"$RUN" rm -f "$ID"
}

@test "[2] ch07: exec runs in the container's cgroup" {
	start_box -m 48m --pids-limit 32
	# Seen from the host, as the kernel has it (inside, a cgroup namespace
	# would show "/").
	marker=$(rand_int 100000 999999)
	# Bounded: should the sleep escape the container, stop and rm cannot end it.
	timeout -k 1 "$(scaled 30)" "$RUN" exec "$ID" sleep "$marker" &
	execer=$!
	wait_until 5 pgrep -x -f "sleep $marker" >/dev/null || fail "the exec'd sleep never started"
	pid=$(pgrep -x -f "sleep $marker")
	if cgroup_v2; then
		assert_equal "$(cgroup_of "$pid")" "/$CGPARENT/$ID"
	else
		assert_equal "$(cgroup_of "$pid" memory)" "/$CGPARENT/$ID"
		assert_equal "$(cgroup_of "$pid" pids)" "/$CGPARENT/$ID"
	fi
	"$RUN" rm -f "$ID" >/dev/null
	wait "$execer" || true
}

@test "[2] ch07: exec'd commands start with fds 0, 1 and 2 only" {
	start_box
	# What the caller of exec had open (bats keeps fd 3, we open one more)
	# must not reach into the container.
	fd=$(rand_int 10 99)
	marker=$(rand_int 100000 999999)
	eval "exec $fd<\"\$BATS_TEST_FILENAME\""
	# Bounded: should the sleep escape the container, stop and rm cannot end it.
	timeout -k 1 "$(scaled 30)" "$RUN" exec "$ID" sleep "$marker" &
	execer=$!
	eval "exec $fd<&-"
	wait_until 5 pgrep -x -f "sleep $marker" >/dev/null || fail "the exec'd sleep never started"
	run ls "/proc/$(pgrep -x -f "sleep $marker")/fd"
	"$RUN" rm -f "$ID" >/dev/null
	wait "$execer" || true
	assert_same "$(printf '0\n1\n2')" "$(sort -n <<<"$output")" "the exec'd command's fds"
}

@test "[2] ch07: run -e sets variables over docker's defaults, exec sees them and adds its own" {
	k1=V$(rand_word 6) v1=$(rand_word 8) v2=$(rand_word 8) v3=$(rand_word 8)
	export "MYDOCKER_TEST_PASS=$v3"
	run "$RUN" run "${RM[@]}" -e "$k1=$v1" -e MYDOCKER_TEST_PASS -e MYDOCKER_TEST_UNSET_X busybox env
	assert_success
	assert_line "$k1=$v1"
	assert_line "MYDOCKER_TEST_PASS=$v3"
	assert_line "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	assert_line "HOME=/root"
	assert_line --regexp '^HOSTNAME=[0-9a-f]{12}$'
	refute_line --partial "MYDOCKER_TEST_UNSET_X"
	# The runtime's own environment stays outside.
	refute_line --partial "BATS_"
	start_box -e "$k1=$v1"
	run "$RUN" exec -e "K2=$v2" "$ID" sh -c "echo \$$k1 \$K2 \$HOSTNAME"
	assert_success
	assert_output "$v1 $v2 ${ID:0:12}"
	"$RUN" rm -f "$ID"
}

@test "[2] ch07: exec's exit status, stdin with -i, and command-not-found" {
	start_box
	code=$(rand_int 1 120)
	run "$RUN" exec "$ID" sh -c "exit $code"
	assert_equal "$status" "$code"
	tok=$(rand_word 12)
	run bash -c 'echo "$0" | "$@"' "$tok" "$RUN" exec -i "$ID" cat
	assert_output "$tok"
	run bash -c 'echo "$0" | "$@"' "$tok" "$RUN" exec "$ID" cat
	assert_success
	assert_output ""
	run -127 "$RUN" exec "$ID" "/$(rand_word 8)"
	"$RUN" rm -f "$ID"
}

@test "[2] ch07: processes started by exec die with stop" {
	start_box
	marker=$(rand_int 100000 999999)
	# Bounded: should the sleep escape the container, stop and rm cannot end it.
	timeout -k 1 "$(scaled 30)" "$RUN" exec "$ID" sleep "$marker" &
	execer=$!
	wait_until 5 pgrep -x -f "sleep $marker" >/dev/null || fail "the exec'd sleep never started"
	run "$RUN" stop -t 1 "$ID"
	assert_success
	rc=0
	wait "$execer" || rc=$?
	assert_equal "$rc" 137
	run pgrep -x -f "sleep $marker"
	assert_failure
	"$RUN" rm "$ID"
}

@test "[1] ch07: exec into an unknown or a stopped container is a clear error" {
	nosuch=$(rand_word 10)
	run "$RUN" exec "$nosuch" true
	assert_equal "$status" 1
	assert_output "mydocker: no such container: $nosuch"
	name=$(rand_word 8)
	"$RUN" run --name "$name" busybox true
	run "$RUN" exec "$name" true
	assert_equal "$status" 125
	assert_output "mydocker: container $name is not running"
	run "$RUN" exec "$name"
	assert_equal "$status" 125
	assert_output --partial "give a container and a command"
	"$RUN" rm "$name"
}
