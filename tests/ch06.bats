#!/usr/bin/env bats
# ch06-detach-logs: records, -d with a monitor, ps, logs, stop, rm, --rm.

load helpers

# shows_status ID TEXT: whether `ps -a` shows TEXT on the container's line.
shows_status() { "$RUN" ps -a | grep "^${1:0:12} " | grep -qF "$2"; }
# wait_status ID TEXT: until it does (10 s).
wait_status() {
	wait_until 10 shows_status "$@" && return 0
	echo "container ${1:0:12} never showed '$2' in ps -a:" >&2
	"$RUN" ps -a >&2
	return 1
}
# The short IDs of every container there is, as ps -a -q lists them.
all_ids() { "$RUN" ps -a -q; }
listed() { "$RUN" ps -a | grep -q "^${1:0:12} "; }

# detach [OPTIONS...] -- COMMAND...: run -d; sets ID (the full ID printed).
# timeout: a -d that kept the caller's stdout would hang $(...) here.
detach() {
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	ID=$(timeout -k 2 "$(scaled 10)" "$RUN" run -d "${opts[@]}" busybox "$@")
	[[ $ID =~ ^[0-9a-f]{64}$ ]] || fail "run -d ${opts[*]} $* printed '$ID', not a 64-hex ID"
}

@test "[2] ch06: -d prints the full ID at once and ps shows the container Up" {
	name=$(rand_word 8)
	detach --name "$name" -- sleep 1000
	run "$RUN" ps
	assert_success
	# ch08 adds PORTS, as docker has it.
	assert_line --index 0 --regexp '^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +(PORTS +)?NAMES$'
	assert_line --regexp "^${ID:0:12} +busybox +\"sleep 1000\" +.* ago +Up .* +$name\$"
	run "$RUN" ps -q
	assert_output "${ID:0:12}"
	"$RUN" rm -f "$name"
}

@test "[2] ch06: logs hold stdout and stderr in the order written" {
	a=$(rand_word 8) b=$(rand_word 8) c=$(rand_word 8)
	detach -- sh -c "echo $a; echo $b >&2; echo $c"
	wait_status "$ID" "Exited (0)"
	run "$RUN" logs "$ID"
	assert_success
	assert_output "$a
$b
$c"
	"$RUN" rm "$ID"
}

@test "[2] ch06: a container that dies on its own shows its real exit code; its cgroup goes at once" {
	code=$(rand_int 1 120)
	detach -m 32m -- sh -c "exit $code"
	wait_status "$ID" "Exited ($code)"
	run "$RUN" ps
	refute_output --partial "${ID:0:12}"
	# The monitor released the cgroup; the record stays until rm.
	assert_equal "$(container_cgroups)" ""
	listed "$ID" || fail "the exited container is gone from ps -a before rm"
	run "$RUN" rm "$ID"
	assert_success
	assert_output "$ID"
	! listed "$ID" || fail "ps -a still lists it after rm"
}

@test "[2] ch06: logs -f follows until the container exits" {
	ctl="$BATS_TEST_TMPDIR/ctl"
	first=$(rand_word 8) second=$(rand_word 8)
	detach -v "$ctl:/ctl" -- sh -c "echo $first; while [ ! -e /ctl/go ]; do sleep 0.1; done; echo $second"
	out="$BATS_TEST_TMPDIR/follow"
	timeout -k 2 "$(scaled 10)" "$RUN" logs -f "$ID" >"$out" 2>&1 &
	follower=$!
	wait_for_file_line "$out" "$first"
	kill -0 "$follower" || fail "logs -f ended while the container still ran"
	touch "$ctl/go"
	rc=0
	wait "$follower" || rc=$?
	assert_equal "$rc" 0
	assert_equal "$(cat "$out")" "$first
$second"
	"$RUN" rm "$ID"
}

@test "[3] ch06: stop: SIGTERM first, SIGKILL after -t, and every process of the container ends" {
	code=$(rand_int 1 120)
	detach -- sh -c "trap 'exit $code' TERM; while :; do sleep 0.1; done"
	first=$ID
	run "$RUN" stop "$ID"
	assert_success
	assert_output "$ID"
	wait_status "$ID" "Exited ($code)"
	# A shell as PID 1 has no handler for SIGTERM: SIGKILL after -t ends it,
	# and its background child with it.
	marker=$(rand_int 100000 999999)
	name=$(rand_word 8)
	detach --name "$name" -- sh -c "sleep $marker & while :; do sleep 0.1; done"
	wait_until 5 pgrep -x -f "sleep $marker" >/dev/null || fail "the container's background sleep never started"
	run "$RUN" stop -t 1 "$name"
	assert_success
	wait_status "$ID" "Exited (137)"
	run pgrep -x -f "sleep $marker"
	assert_failure
	# Stopping a stopped container is not an error.
	run "$RUN" stop "$name"
	assert_success
	"$RUN" rm "$first" "$name"
}

@test "[2] ch06: stop -t N gives the container N seconds after SIGTERM before SIGKILL" {
	# The container hears SIGTERM and goes on: stop must wait N seconds
	# (and no less), then kill it.
	secs=$(rand_int 2 3)
	detach -- sh -c "trap 'echo got-term' TERM; echo up; while :; do sleep 0.1; done"
	wait_until 5 grep -q up <("$RUN" logs "$ID") || fail "the container never started"
	start=$EPOCHREALTIME
	run "$RUN" stop -t "$secs" "$ID"
	took=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	assert_success
	awk -v t="$took" -v s="$secs" 'BEGIN { exit !(t >= s) }' || fail "stop -t $secs returned after ${took}s"
	wait_status "$ID" "Exited (137)"
	run "$RUN" logs "$ID"
	assert_output "up
got-term"
	"$RUN" rm "$ID"
}

@test "[2] ch06: a name, the full ID and a unique ID prefix all find the container; names are unique" {
	name=$(rand_word 10)
	tok=$(rand_word 12)
	detach --name "$name" -- sh -c "echo $tok; sleep 1000"
	for ref in "$name" "$ID" "${ID:0:$(rand_int 3 20)}"; do
		wait_until 5 grep -q . <("$RUN" logs "$ref")
		run "$RUN" logs "$ref"
		assert_success
		assert_output "$tok"
	done
	run "$RUN" run -d --name "$name" busybox true
	assert_equal "$status" 125
	assert_equal "${#lines[@]}" 1
	assert_output --partial "already in use"
	run "$RUN" run --name "a/$name" busybox true
	assert_equal "$status" 125
	assert_equal "$(all_ids)" "${ID:0:12}"
	"$RUN" rm -f "$name"
}

@test "[2] ch06: rm refuses a running container; rm -f kills it and removes everything" {
	name=$(rand_word 8)
	detach --name "$name" -m 32m -- sleep 1000
	run "$RUN" rm "$name"
	assert_equal "$status" 1
	assert_output --partial "running"
	wait_status "$ID" "Up"
	[ -n "$(container_cgroups)" ] || fail "no cgroup while the container runs"
	run "$RUN" rm -f "$name"
	assert_success
	assert_output "$name"
	run "$RUN" ps -a
	assert_equal "${#lines[@]}" 1
	assert_equal "$(container_cgroups)" ""
	! listed "$ID" || fail "ps -a still lists it after rm -f"
	run "$RUN" rm -f "$(rand_word 8)"
	assert_success
	run "$RUN" rm "$(rand_word 8)"
	assert_equal "$status" 1
	assert_output --partial "no such container"
}

@test "[2] ch06: --rm removes the container when it exits, in the foreground or detached; without it the record stays" {
	code=$(rand_int 1 120)
	run "$RUN" run --rm busybox sh -c "exit $code"
	assert_equal "$status" "$code"
	assert_equal "$(all_ids)" ""
	run "$RUN" run busybox sh -c "exit $code"
	assert_equal "$status" "$code"
	id=$(all_ids)
	wait_status "$id" "Exited ($code)"
	"$RUN" rm "$id"
	detach --rm -m 32m -- sh -c "exit $code"
	wait_until 10 eval '! listed "$ID"' || fail "--rm -d left the container in ps -a"
	run "$RUN" ps -a
	assert_equal "${#lines[@]}" 1
}

@test "[1] ch06: ps while containers are made and removed lists them or not, with no error" {
	# A container being made or removed has its directory before (or after)
	# its record: ps must pass over it, not fail on it. Containers that exit
	# at once come and go while ps runs, again and again.
	n=$(rand_int 8 12)
	errors="$BATS_TEST_TMPDIR/errors"
	( for i in $(seq "$n"); do "$RUN" run --rm -d busybox true >/dev/null; done ) 2>>"$errors" &
	maker=$!
	looks=0
	while kill -0 "$maker" 2>/dev/null || [ -n "$("$RUN" ps -a -q 2>>"$errors")" ]; do
		"$RUN" ps -a >/dev/null 2>>"$errors" || echo "ps -a exited $?" >>"$errors"
		looks=$((looks + 1))
		((looks < 2000)) || fail "the --rm containers never went: $(all_ids)"
	done
	wait "$maker"
	assert_equal "$(head -n 3 "$errors")" ""
}

@test "[2] ch06: a container whose runtime was killed shows as exited, and rm leaves nothing" {
	out="$BATS_TEST_TMPDIR/out"
	"$RUN" run -m 32m busybox sh -c 'echo ready; sleep 1000' >"$out" 2>&1 &
	runtime=$!
	wait_for_file_line "$out" ready
	kill -KILL "$runtime"
	wait "$runtime" || true
	id=$(all_ids)
	wait_status "$id" "Exited"
	run "$RUN" rm "$id"
	assert_success
	assert_equal "$(container_cgroups)" ""
	assert_equal "$(all_ids)" ""
}

@test "[1] ch06: a detached container reads an empty stdin" {
	# The caller's stdin is a pipe that stays open: a container that read it
	# instead of /dev/null would wait for it forever.
	fifo="$BATS_TEST_TMPDIR/stdin"
	mkfifo "$fifo"
	exec 8<>"$fifo"
	detach -- cat <"$fifo"
	wait_status "$ID" "Exited (0)"
	exec 8>&-
	"$RUN" rm "$ID"
}

@test "[1] ch06: unknown containers and bad options are one-line errors" {
	nosuch=$(rand_word 10)
	for cmd in logs stop rm; do
		run "$RUN" "$cmd" "$nosuch"
		assert_equal "$status" 1
		assert_equal "${#lines[@]}" 1
		assert_output "mydocker: no such container: $nosuch"
	done
	run "$RUN" stop -t "$(rand_word 3)" "$nosuch"
	assert_equal "$status" 1
	assert_output --partial -- "--time"
	run "$RUN" run -d "img$(rand_word 6)" true
	assert_equal "$status" 125
	assert_output --partial "no such image"
	assert_equal "$(all_ids)" ""
}

@test "[1] ch06: a kernel without pidfd_open is refused in one line" {
	refused_without pidfd_open "pidfd_open" 5.3
}
