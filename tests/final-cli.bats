#!/usr/bin/env bats
# final: the docker surface a user reaches for first (an init, lo, the
# everyday options and commands). Each test fails when what it names is
# taken away (final/README.md, "Everyday docker", lists them).

load helpers

# A dynamically linked runtime (make asan's build) refuses --init in one
# line, before it makes anything: its init, a copy of itself, could not
# start in an image without its libraries. True when it did.
refused_init_if_dynamic() {
	readelf -l "$RUN" | grep -q 'program interpreter' || return 1
	run "$RUN" run --rm --init busybox true
	[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "a dynamic build's --init: exit $status: $output"
	assert_output --partial "linked dynamically"
	return 0
}

# zombies ID: the container's zombie processes, as its own ps shows them.
zombies() { "$RUN" exec "$1" ps -o stat,pid,comm | awk '$1 ~ /^Z/'; }

@test "[2] final: run --init: the command runs under our init, which reaps orphans (without it they stay zombies) and exits as the command did" {
	refused_init_if_dynamic && return
	local code id plain delay
	code=$(rand_int 1 120) delay=0.$(rand_int 1 5)
	run "$RUN" run --rm --init busybox sh -c 'echo $$; tr "\0" " " </proc/1/cmdline; exit '"$code"
	[ "$status" = "$code" ] || fail "exit $status, not the command's $code: $output"
	assert_line --index 0 2
	assert_line --index 1 --partial "init -- sh -c"
	# An orphan that exits: PID 1 must reap it. sleep as PID 1 never does.
	id=$("$RUN" run -d --init busybox sh -c "sh -c 'sleep $delay &'; exec sleep 1000")
	plain=$("$RUN" run -d busybox sh -c "sh -c 'sleep $delay &'; exec sleep 1000")
	wait_until 10 eval '[ -n "$(zombies "$plain")" ]' || fail "the test makes no zombie without --init"
	# The same orphan, started first, has ended too: gone, not a zombie.
	wait_until 5 eval '[ -z "$(zombies "$id")" ]' || fail "--init left a zombie: $(zombies "$id")"
	"$RUN" rm -f "$id" "$plain" >/dev/null
}

@test "[2] final: with --init, stop's SIGTERM reaches a shell that traps nothing (143, no SIGKILL) and one that traps it" {
	refused_init_if_dynamic && return
	local id code
	# As PID 1 a shell gets no signal it has no handler for: only the SIGKILL ends it.
	id=$("$RUN" run -d --init busybox sh -c 'while :; do sleep 1; done')
	run "$RUN" stop -t 60 "$id"
	assert_success
	run "$RUN" ps -a
	assert_output --partial "Exited (143)"
	"$RUN" rm "$id" >/dev/null
	code=$(rand_int 1 120)
	id=$("$RUN" run -d --init busybox sh -c "trap 'echo caught; exit $code' TERM; while :; do sleep 1; done")
	"$RUN" stop -t 60 "$id" >/dev/null
	run "$RUN" logs "$id"
	assert_output caught
	run "$RUN" ps -a
	assert_output --partial "Exited ($code)"
	"$RUN" rm "$id" >/dev/null
}

@test "[1] final: --init's PID 1 is a sealed copy the container cannot write, and a missing command is one line and 127" {
	refused_init_if_dynamic && return
	# Not the runtime's file on the host (CVE-2019-5736): a memfd, sealed.
	run "$RUN" run --rm --init busybox sh -c 'readlink /proc/1/exe; echo x >/proc/1/exe'
	assert_failure
	assert_line --index 0 --partial "/memfd:mydocker"
	assert_output --partial "Text file busy"
	local cmd
	cmd=$(rand_word)
	run -127 "$RUN" run --rm --init busybox "$cmd"
	[ "${#lines[@]}" = 1 ] || fail "more than one line: $output"
	assert_output --partial "$cmd: executable file not found"
	# Not a command of the CLI: on the host it refuses.
	run "$RUN" init -- true
	[ "$status" = 125 ] || fail "init on the host: exit $status: $output"
}

@test "[1] final: lo is up in every container, without --net too: 127.0.0.1 answers inside" {
	local opts
	for opts in "" "--net none"; do
		run "$RUN" run --rm $opts busybox sh -c 'cat /sys/class/net/lo/flags; ping -c 1 -W 2 127.0.0.1 >/dev/null && echo answers'
		assert_success
		assert_same $'0x9\nanswers' "$output" "lo with '$opts'"
	done
}
