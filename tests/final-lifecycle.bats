#!/usr/bin/env bats
# final: a container's life after its first run: start and restart,
# --restart's policies and cp. Each test fails when what
# it names is taken away (final/README.md, "Everyday docker").

load helpers

# state ID: its status, restart count and exit code, as inspect says.
state() { "$RUN" inspect -f '{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}' "$1"; }

@test "[2] final: start runs an exited container again: its layer, name, variables, options and volumes; -a gives its exit code, a detached start prints its name" {
	local name k v code dir lim w out
	name=c$(rand_word 6) k=K$(rand_word 4) v=$(rand_word 8) code=$(rand_int 1 120) lim=$(rand_int 200 900) w=/w$(rand_word 4)
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/vol.XXXXXX")
	echo "$k=$v" >"$BATS_TEST_TMPDIR/env"
	# Each run adds a line to a file of its layer and one to the volume.
	local cmd="echo \$$k; pwd; echo x >>/layer; wc -l </layer; echo y >>/v/runs; ulimit -n; grep -c ' /t$w ' /proc/mounts; exit $code"
	run "$RUN" run --name "$name" --env-file "$BATS_TEST_TMPDIR/env" -w "$w" --tmpfs "/t$w" \
		--ulimit nofile="$lim" -v "$dir:/v" --cidfile "$BATS_TEST_TMPDIR/cid" busybox sh -c "$cmd"
	[ "$status" = "$code" ] || fail "run: exit $status: $output"
	assert_same "$(printf '%s\n' "$v" "$w" 1 "$lim" 1)" "$output"
	# What run read from files is kept: they may be gone by now.
	rm "$BATS_TEST_TMPDIR/env"
	run "$RUN" start -a "$name"
	[ "$status" = "$code" ] || fail "start -a: exit $status: $output"
	assert_same "$(printf '%s\n' "$v" "$w" 2 "$lim" 1)" "$output"
	run "$RUN" start "$name"
	assert_success
	assert_output "$name"
	run "$RUN" wait "$name"
	assert_output "$code"
	run "$RUN" logs "$name"
	assert_same "$(printf '%s\n' "$v" "$w" 3 "$lim" 1)" "$output"
	[ "$(wc -l <"$dir/runs")" = 3 ] || fail "the volume saw $(wc -l <"$dir/runs") runs, not 3"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/cid")" "$("$RUN" inspect -f '{{.Id}}' "$name")"
	run "$RUN" ps -a --filter "name=$name" --format '{{.Status}}'
	assert_output --partial "Exited ($code)"
	"$RUN" rm "$name" >/dev/null
	run "$RUN" start "$name"
	assert_failure 1
	[ "${#lines[@]}" = 1 ] || fail "not one line: $output"
}

@test "[1] final: start leaves a running container as it is; a start that fails keeps the container, exited, and its layer" {
	local name r out pid
	name=c$(rand_word 6) r=$(rand_int 100000 999999)
	"$RUN" run -d --name "$name" busybox sh -c "echo $r >/mark; exec sleep $r" >/dev/null
	pid=$("$RUN" inspect -f '{{.State.Pid}}' "$name")
	run "$RUN" start "$name"
	assert_success
	assert_output "$name"
	assert_equal "$("$RUN" inspect -f '{{.State.Pid}}' "$name")" "$pid"
	run "$RUN" start -a "$name" "$name"
	assert_failure 1
	"$RUN" stop -t 0 "$name" >/dev/null
	# Its -w a file in its layer now: the start fails (125, one line) and
	# loses nothing.
	"$RUN" run --name "g$name" -w "/w$r" busybox sh -c "echo $r >/mark"
	local upper=$MYDOCKER_ROOT/containers/$("$RUN" inspect -f '{{.Id}}' "g$name")/upper
	rmdir "$upper/w$r" && echo file >"$upper/w$r"
	run "$RUN" start -a "g$name"
	[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "start -a: exit $status: $output"
	run "$RUN" start "g$name"
	[ "$status" = 1 ] && [ "${#lines[@]}" = 1 ] || fail "start: exit $status: $output"
	run "$RUN" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "g$name"
	assert_output "exited 125"
	[ "$(cat "$upper/mark")" = "$r" ] || fail "its layer lost its file"
	"$RUN" rm "$name" "g$name" >/dev/null
}

@test "[1] final: restart stops a running container (-t, its stop signal) and starts it again: a new init, the same layer" {
	local name pid n
	name=c$(rand_word 6) n=$(rand_int 2 4)
	"$RUN" run -d --name "$name" busybox sh -c "trap 'exit 0' TERM; echo x >>/runs; while :; do usleep 20000; done" >/dev/null
	for i in $(seq 2 "$n"); do
		pid=$("$RUN" inspect -f '{{.State.Pid}}' "$name")
		run "$RUN" restart -t 5 "$name"
		assert_success
		assert_output "$name"
		[ "$("$RUN" inspect -f '{{.State.Pid}}' "$name")" != "$pid" ] || fail "restart kept init $pid"
		[ "$("$RUN" inspect -f '{{.State.Status}}' "$name")" = running ] || fail "not running after restart"
	done
	# Its shell writes its line once it runs: give it a moment.
	wait_until 5 eval '[ "$("$RUN" exec "$name" sh -c "wc -l </runs")" = "$n" ]'
	run "$RUN" exec "$name" sh -c 'wc -l </runs'
	assert_output "$n"
	# An exited container restarts too.
	"$RUN" stop "$name" >/dev/null
	"$RUN" restart "$name" >/dev/null
	run "$RUN" exec "$name" sh -c 'wc -l </runs'
	assert_output "$((n + 1))"
	"$RUN" rm -f "$name" >/dev/null
}

@test "[2] final: --restart on-failure:N runs a failing container N times more, each wait at least twice the last (100 ms first), and counts them; exit 0 is not run again" {
	local name n code dir
	name=c$(rand_word 6) n=$(rand_int 2 4) code=$(rand_int 1 120)
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/vol.XXXXXX")
	"$RUN" run -d --name "$name" --restart "on-failure:$n" -v "$dir:/v" busybox \
		sh -c "cut -d' ' -f1 /proc/uptime >>/v/starts; echo x >>/layer; wc -l </layer; exit $code" >/dev/null
	wait_until 20 eval '[ "$(state "$name")" = "exited $n $code" ]' || fail "state: $(state "$name"), want exited $n $code"
	sleep 0.5
	assert_equal "$(state "$name")" "exited $n $code"
	run "$RUN" logs "$name"
	assert_same "$(seq 1 $((n + 1)))" "$output"
	# starts[i+1] - starts[i] >= 100 ms * 2^i (less /proc/uptime's 10 ms steps)
	run awk 'NR > 1 && ($1 - last) * 1000 < 100 * 2 ^ (NR - 2) - 10 { print "run " NR " came " ($1 - last) * 1000 " ms after the last"; bad = 1 }
		{ last = $1 } END { exit bad }' "$dir/starts"
	assert_success
	run "$RUN" inspect -f '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}' "$name"
	assert_output "on-failure $n"
	"$RUN" rm "$name" >/dev/null
	"$RUN" run -d --name "$name" --restart on-failure busybox true >/dev/null
	"$RUN" wait "$name" >/dev/null
	sleep 0.5
	assert_equal "$(state "$name")" "exited 0 0"
	"$RUN" rm "$name" >/dev/null
}

@test "[2] final: --restart always: ps says Restarting while its monitor waits; stop and kill leave it down, start brings it back with its policy" {
	local name code dir
	name=c$(rand_word 6) code=$(rand_int 1 120)
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/vol.XXXXXX")
	"$RUN" run -d --name "$name" --restart always busybox sh -c "exit $code" >/dev/null
	# After 6 runs again its monitor waits 6.4 s: time for what follows,
	# in a slow VM too. The state and the count come from one reading of
	# the record: read apart, the count could be of the next run.
	wait_until 30 eval '[[ "$("$RUN" inspect -f "{{.State.Restarting}} {{.RestartCount}}" "$name")" =~ ^true\ ([6-9]|[1-9][0-9]+)$ ]]' ||
		fail "never Restarting 6 times: $("$RUN" ps -a)"
	run "$RUN" ps --filter "name=$name" --format "{{.Status}}"
	assert_output --regexp "^Restarting \($code\) "
	run "$RUN" rm "$name"
	assert_failure 1
	assert_output --partial restarting
	# Its monitor runs it again, no one else: start is refused, and keeps it.
	run "$RUN" start "$name"
	[ "$status" = 1 ] && [ "${#lines[@]}" = 1 ] || fail "start of a restarting container: exit $status: $output"
	[ -f "$MYDOCKER_ROOT/containers/$("$RUN" inspect -f '{{.Id}}' "$name")/record" ] || fail "start removed it"
	# stop while it waits: it rests, at once.
	"$RUN" stop "$name" >/dev/null
	local count
	count=$("$RUN" inspect -f '{{.RestartCount}}' "$name")
	sleep 1
	assert_equal "$(state "$name")" "exited $count $code"
	[ -z "$(runtime_processes)" ] || fail "its monitor runs on: $(runtime_processes)"
	"$RUN" rm "$name" >/dev/null
	# A running one: ended from inside, it runs again; stopped or killed, not.
	"$RUN" run -d --name "$name" --restart always -v "$dir:/v" busybox \
		sh -c "trap 'exit 0' TERM; while [ ! -e /v/end ]; do usleep 20000; done; rm /v/end; exit $code" >/dev/null
	touch "$dir/end"
	wait_until 10 eval '[ "$(state "$name")" = "running 1 0" ]' || fail "not run again: $(state "$name")"
	"$RUN" stop "$name" >/dev/null
	sleep 1
	assert_equal "$(state "$name")" "exited 1 0"
	"$RUN" start "$name" >/dev/null
	assert_equal "$(state "$name")" "running 0 0"
	"$RUN" kill "$name" >/dev/null
	"$RUN" wait "$name" >/dev/null
	sleep 1
	assert_equal "$(state "$name")" "exited 0 137"
	# Its policy came back with start: ended from inside, it runs again.
	"$RUN" start "$name" >/dev/null
	touch "$dir/end"
	wait_until 10 eval '[ "$(state "$name")" = "running 1 0" ]' || fail "start lost its policy: $(state "$name")"
	"$RUN" rm -f "$name" >/dev/null
	[ -z "$(runtime_processes)" ] || fail "its monitor runs on: $(runtime_processes)"
}

@test "[1] final: bad --restart values, --restart with --rm or without -d: one line, 125, nothing left" {
	for bad in "--restart sometimes" "--restart always:3" "--restart on-failure:0" "--restart on-failure:x" \
		"--restart= " "--rm --restart always"; do
		run "$RUN" run -d $bad busybox true
		[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "run -d $bad: exit $status: $output"
	done
	run "$RUN" run --restart always busybox true
	[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "run --restart without -d: exit $status: $output"
	assert_output --partial -- "-d"
	run "$RUN" ps -aq
	assert_output ""
}

@test "[2] final: cp copies files and trees both ways, into a running container and a stopped one, modes and links kept, docker's rules for DEST" {
	local id t d out m
	t=$(rand_word 12) m=$(rand_int 4 7)$(rand_int 0 7)$(rand_int 0 7)
	d=$(mktemp -d "$BATS_TEST_TMPDIR/tree.XXXXXX")
	mkdir -p "$d/a/b/c"
	echo "$t" >"$d/a/b/c/f"
	chmod "$m" "$d/a/b/c/f"
	ln -s c/f "$d/a/b/link"
	id=$("$RUN" run -d busybox sleep 1000)
	# A tree to a new name, then into a directory that is there.
	"$RUN" cp "$d/a" "$id:/new"
	"$RUN" exec "$id" mkdir /into
	"$RUN" cp "$d/a" "$id:/into"
	run "$RUN" exec "$id" sh -c 'cat /new/b/c/f /into/a/b/link; stat -c %a /new/b/c/f; readlink /new/b/link'
	assert_same "$(printf '%s\n' "$t" "$t" "$m" c/f)" "$output"
	# SRC/. : what it holds, merged into DEST.
	"$RUN" exec "$id" mkdir /merge
	"$RUN" cp "$d/a/b/." "$id:/merge"
	run "$RUN" exec "$id" cat /merge/c/f
	assert_output "$t"
	# Out: a file to a new name, a tree into a directory, links as links.
	"$RUN" exec "$id" sh -c "echo $t-in >/etc/$t"
	"$RUN" cp "$id:/etc/$t" "$d/out"
	assert_equal "$(cat "$d/out")" "$t-in"
	mkdir "$d/back"
	"$RUN" cp "$id:/new" "$d/back"
	[ -L "$d/back/new/b/link" ] && [ "$(cat "$d/back/new/b/c/f")" = "$t" ] || fail "the tree came back as: $(ls -lR "$d/back")"
	# Errors: one line, exit 1.
	for bad in "$d/a $id:/new/b/c/f" "$id:/nonexistent$t $d/x" "$d/out $d/x" "$id:/etc/$t $id:/tmp" "$d/out nonexistent$t:/tmp" "$d/out $id:/no$t/dir/"; do
		run "$RUN" cp $bad
		[ "$status" = 1 ] && [ "${#lines[@]}" = 1 ] || fail "cp $bad: exit $status: $output"
	done
	"$RUN" stop -t 0 "$id" >/dev/null
	# Stopped: its layer, mounted for the copy alone.
	"$RUN" cp "$d/a/b/c/f" "$id:/stopped"
	"$RUN" cp "$id:/stopped" "$d/stopped"
	assert_equal "$(cat "$d/stopped")" "$t"
	[ "$(cat "$MYDOCKER_ROOT/containers/$id/upper/stopped")" = "$t" ] || fail "the copy is not in its layer"
	[ -z "$(ls "$MYDOCKER_ROOT/containers/$id/merged")" ] || fail "its root stays mounted after cp"
	"$RUN" rm "$id" >/dev/null
}

@test "[2] final: cp resolves the container's paths inside its root: its symlinks to / and .. and a host path lead to its own files, never the host's" {
	local id t host
	t=$(rand_word 12)
	host=$(mktemp -d "$BATS_TEST_TMPDIR/host.XXXXXX")
	echo "host-$t" >"$host/secret"
	id=$("$RUN" run -d busybox sh -c "ln -s / /root$t; ln -s ../../../../.. /up$t; ln -s $host /h$t; mkdir -p /d$t; ln -s /etc /d$t/etc; exec sleep 1000")
	wait_until 5 "$RUN" exec "$id" test -L "/h$t"
	echo "$t" >"$BATS_TEST_TMPDIR/in"
	# In through its links: its /etc, not the host's.
	"$RUN" cp "$BATS_TEST_TMPDIR/in" "$id:/root$t/etc/in$t"
	"$RUN" cp "$BATS_TEST_TMPDIR/in" "$id:/up$t/etc/up$t"
	[ ! -e "/etc/in$t" ] && [ ! -e "/etc/up$t" ] || { rm -f "/etc/in$t" "/etc/up$t"; fail "cp wrote into the host's /etc"; }
	run "$RUN" exec "$id" cat "/etc/in$t" "/etc/up$t"
	assert_output "$(printf '%s\n%s' "$t" "$t")"
	# Out through a link to a host path: the container has no such file.
	run "$RUN" cp "$id:/h$t/secret" "$BATS_TEST_TMPDIR/stolen"
	assert_failure 1
	[ ! -e "$BATS_TEST_TMPDIR/stolen" ] || fail "cp read the host's file through the container's link"
	# A tree with a link to /etc in it: the link comes out as a link.
	"$RUN" cp "$id:/d$t" "$BATS_TEST_TMPDIR/tree"
	[ -L "$BATS_TEST_TMPDIR/tree/etc" ] || fail "the link was followed: $(ls -l "$BATS_TEST_TMPDIR/tree")"
	"$RUN" rm -f "$id" >/dev/null
}
