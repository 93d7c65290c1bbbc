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

@test "[1] final: a server and its client in one container talk over 127.0.0.1 (httpd, wget bounded by timeout: busybox's own wget -T crashes, README)" {
	local port token
	port=$(rand_int 1025 65000) token=$(rand_word 12)
	run "$RUN" run --rm busybox sh -c "mkdir /www && echo $token >/www/index.html && httpd -p 127.0.0.1:$port -h /www &&
		timeout 5 wget -q -O - http://127.0.0.1:$port/"
	assert_success
	assert_same "$token" "$output" "what wget fetched"
}

# ---- the terminal (final/container/streams.c) -------------------------------
# drive STEP... -- COMMAND...: COMMAND on a pty of the host's, typed at by
# tools/ptydrive; its exit is COMMAND's, 99 when the terminal's settings
# were left changed, 124 when an expected text never came.
drive() { "$BATS_TEST_DIRNAME/../tools/ptydrive" "$@"; }

@test "[2] final: run -it: a pty of its own devpts, the caller's window size from the start and after a resize, exit N gives N, the caller's terminal as it was" {
	local rows cols rows2 cols2 code
	rows=$(rand_int 10 60) cols=$(rand_int 40 200) rows2=$(rand_int 10 60) cols2=$(rand_int 40 200) code=$(rand_int 1 120)
	run drive -s "${rows}x${cols}" 'expect=# ' 'send=tty; stty size\r' "expect=$rows $cols" \
		"resize=${rows2}x${cols2}" 'send=stty size\r' "expect=$rows2 $cols2" \
		'send=ls -l /proc/self/fd/0 /dev/pts/ptmx; cat /proc/1/stat | cut -d" " -f7\r' 'expect=ptmx' \
		"send=exit $code\r" -- "$RUN" run -it --rm busybox sh
	[ "$status" = "$code" ] || fail "exit $status, not $code: $output"
	# Its own devpts numbers from 0; the host's pty is elsewhere.
	assert_output --regexp $'/dev/pts/0\r'
	assert_output --partial "/proc/self/fd/0 -> /dev/pts/0"
	# PID 1's controlling terminal (stat's tty_nr): pts 0, major 136.
	assert_output --regexp $'\r\n34816\r\n'
}

@test "[2] final: run -it: job control as at a console: ^C ends the foreground job, ^Z stops it, the shell goes on" {
	local a b
	a=$(rand_int 100 999) b=$(rand_int 100 999)
	# Each job says it has started (a sum, which its echoed command line
	# does not show) before the key is typed: a key before it reaches the shell.
	run drive 'expect=# ' "send=sh -c 'echo r\$(($a+1)); exec sleep 1000'\r" "expect=r$((a + 1))" 'send=\x03' \
		"send=echo \$(($a+$b))\r" "expect=$((a + b))" \
		"send=sh -c 'echo r\$(($a+2)); exec sleep 1001'\r" "expect=r$((a + 2))" 'send=\x1a' 'expect=Stopped' \
		'send=kill -9 %1; fg\r' \
		"send=echo \$(($b*2)); exit\r" "expect=$((b * 2))" -- "$RUN" run -it --rm busybox sh
	assert_success
}

@test "[1] final: run -it with a trap: SIGTERM to run reaches the shell, and the caller's terminal is restored" {
	local code
	code=$(rand_int 1 120)
	run drive 'expect=ready' 'kill=TERM' -- "$RUN" run -it --rm busybox sh -c "trap 'exit $code' TERM; echo ready; while :; do sleep 1; done"
	[ "$status" = "$code" ] || fail "exit $status, not $code: $output"
}

@test "[1] final: without -t the container holds no terminal of the caller's: pipes, relayed both ways, stdout and stderr kept apart" {
	local w
	w=$(rand_word)
	# stderr and stdin on the terminal, stdout to a file: in the container
	# all three are pipes, and each of them ends where the caller's did.
	run drive "expect=ready" "send=$w\r" "expect=got-$w" -- sh -c "'$RUN' run --rm busybox sh -c 'test -t 0 || echo in-pipe; test -t 1 || echo out-pipe; test -t 2 || echo err-pipe >&2; echo ready >&2; read x; echo got-\$x >&2; echo out-$w' >'$BATS_TEST_TMPDIR/out'"
	assert_success
	assert_output --partial err-pipe
	refute_output --partial "out-"
	assert_same $'in-pipe\nout-pipe\nout-'"$w" "$(cat "$BATS_TEST_TMPDIR/out")" "stdout"
}

@test "[1] final: run relays all the container printed, to its last line, with -t and through its pipes" {
	local n opt
	n=$(rand_int 20000 40000)
	# Far more than a pipe holds, written by PID 1 itself onto a terminal
	# that reads a kilobyte a millisecond, slower than seq writes: the
	# container's pipe (or pty) is full when it exits.
	for opt in -t ""; do
		run drive -r 1024 -- "$RUN" run $opt --rm busybox seq "$n"
		assert_success
		assert_same "$n" "$(grep -c $'^[0-9]*\r$' <<<"$output")" "lines relayed (run $opt)"
	done
}

@test "[1] final: run -dt: the monitor holds the pty, the container's 0, 1, 2 are it, logs shows what it printed" {
	local id w
	w=$(rand_word)
	id=$("$RUN" run -dt busybox sh -c "tty; test -t 0 && test -t 2 && echo $w")
	wait_until 10 eval '"$RUN" ps -a | grep -q "Exited (0)"' || fail "$("$RUN" ps -a)"
	run "$RUN" logs "$id"
	assert_output --regexp $'^/dev/pts/0\r\n'"$w"$'\r$'
	"$RUN" rm "$id" >/dev/null
}

@test "[2] final: exec -it: a pty in the container's devpts, the caller's size, exit N gives N, the terminal restored" {
	local id rows cols code
	rows=$(rand_int 10 60) cols=$(rand_int 40 200) code=$(rand_int 1 120)
	id=$("$RUN" run -d busybox sleep 1000)
	run drive -s "${rows}x${cols}" 'expect=# ' 'send=tty; stty size\r' "expect=$rows $cols" "send=exit $code\r" \
		-- "$RUN" exec -it "$id" sh
	[ "$status" = "$code" ] || fail "exit $status, not $code: $output"
	assert_output --regexp $'/dev/pts/[0-9]+\r'
	# Without -t: a pipe, not the caller's terminal.
	run drive -- "$RUN" exec -i "$id" sh -c 'test -t 1 || echo out-pipe'
	assert_output --partial out-pipe
	"$RUN" rm -f "$id" >/dev/null
}

@test "[2] final: run -dit, then attach: the container's terminal, typed at and resized; ^P ^Q detaches and it runs on; exit N in a second attach gives N" {
	local id a b rows cols code
	a=$(rand_int 100 999) b=$(rand_int 100 999) rows=$(rand_int 10 60) cols=$(rand_int 40 200) code=$(rand_int 1 120)
	id=$("$RUN" run -dit busybox sh)
	run drive 'send=\r' 'expect=# ' "send=echo \$(($a+$b))\r" "expect=$((a + b))" "resize=${rows}x${cols}" \
		'send=stty size\r' "expect=$rows $cols" 'send=\x10\x11' -- "$RUN" attach "$id"
	assert_success
	run "$RUN" ps
	assert_output --regexp "${id:0:12} .* Up "
	# One attach at a time: while one is connected, a second is told so.
	drive 'send=touch /attached\r' 'sleep=3000' 'send=\x10\x11' -- "$RUN" attach "$id" >/dev/null &
	wait_until 5 "$RUN" exec "$id" test -e /attached || fail "the first attach typed nothing"
	run timeout 2 "$RUN" attach "$id" </dev/null
	[ "$status" = 125 ] || fail "a second attach: exit $status: $output"
	assert_output --partial "attached to already"
	wait "$!" || fail "the first attach did not detach"
	run drive 'send=\r' 'expect=# ' "send=exit $code\r" -- "$RUN" attach "$id"
	[ "$status" = "$code" ] || fail "attach exited $status, not the container's $code: $output"
	run "$RUN" ps -a
	assert_output --partial "Exited ($code)"
	run "$RUN" logs "$id"
	assert_output --partial "$((a + b))"
	"$RUN" rm "$id" >/dev/null
}

@test "[1] final: attach --detach-keys: other keys detach, the default ones are then typed; bad keys, a container without -t or not running: one line" {
	local id w
	w=$(rand_word)
	id=$("$RUN" run -dit busybox sh)
	# ^P ^Q are plain keys now (the shell takes them, and goes on); ^X, then a detaches.
	run drive 'send=\r' 'expect=# ' 'send=\x10\x11'"echo $w-\$((1+1))"'\r' "expect=$w-2" 'send=\x18a' \
		-- "$RUN" attach --detach-keys ctrl-x,a "$id"
	assert_success
	run "$RUN" ps
	assert_output --regexp "${id:0:12} .* Up "
	run "$RUN" attach --detach-keys ctrl-1 "$id"
	[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "bad keys: exit $status: $output"
	"$RUN" rm -f "$id" >/dev/null
	id=$("$RUN" run -d busybox sleep 1000)
	run "$RUN" attach "$id"
	[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "no terminal: exit $status: $output"
	assert_output --partial "run it with -dit"
	"$RUN" stop -t 0 "$id" >/dev/null
	run "$RUN" attach "$id"
	[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "not running: exit $status: $output"
	assert_output --partial "not running"
	"$RUN" rm "$id" >/dev/null
	run "$RUN" attach "$(rand_word)"
	[ "$status" = 1 ] || fail "no such container: exit $status: $output"
}

# users_image REPO USER UID GID GROUP2 GID2 HOME: an image whose passwd
# and group (not the host's) name USER, its group and a second group it is
# a member of.
users_image() {
	local id
	id=$("$RUN" run -d busybox sh -c "echo '$2:x:$3:$4::$7:/bin/sh' >>/etc/passwd; echo '$2:x:$4:' >>/etc/group;
		echo '$5:x:$6:root,$2' >>/etc/group; exec sleep 1000")
	wait_until 10 eval "\"$RUN\" exec $id grep -q '^$5:' /etc/group" || fail "the image's groups were not written"
	"$RUN" commit "$id" "$1" >/dev/null
	"$RUN" rm -f "$id" >/dev/null
}

@test "[2] final: run -u USER[:GROUP]: names from the image's passwd and group, its groups and HOME, numbers without an entry, no capabilities; exec runs as run's -u" {
	local user group uid gid gid2 home repo id
	user=$(rand_word 6) group=$(rand_word 6) uid=$(rand_int 1000 60000) gid=$(rand_int 1000 60000)
	gid2=$(rand_int 60001 65000) home=/home/$(rand_word 4) repo=users$(rand_word 4)
	users_image "$repo" "$user" "$uid" "$gid" "$group" "$gid2" "$home"
	run "$RUN" run --rm -u "$user" "$repo" sh -c 'id; echo "$HOME"; grep -E "^Cap(Prm|Eff)" /proc/self/status'
	assert_success
	assert_line --index 0 "uid=$uid($user) gid=$gid($user) groups=$gid($user),$gid2($group)"
	assert_line --index 1 "$home"
	assert_line --index 2 --regexp $'^CapPrm:\t0+$'
	assert_line --index 3 --regexp $'^CapEff:\t0+$'
	# A group by name replaces the user's; numbers need no entry.
	run "$RUN" run --rm -u "$user:$group" "$repo" id
	assert_output "uid=$uid($user) gid=$gid2($group) groups=$gid2($group)"
	run "$RUN" run --rm -u "$((uid + 1))" "$repo" sh -c 'id -u; id -g; echo "$HOME"'
	assert_output "$((uid + 1))"$'\n'"0"$'\n'"/"
	# -e HOME wins over passwd's.
	run "$RUN" run --rm -u "$user" -e HOME=/w "$repo" sh -c 'echo "$HOME"'
	assert_output /w
	# exec: run's -u, unless exec's own -u.
	id=$("$RUN" run -d -u "$user" "$repo" sleep 1000)
	run "$RUN" exec "$id" id -u
	assert_output "$uid"
	run "$RUN" exec -u root "$id" id -u
	assert_output 0
	run "$RUN" exec -u "$gid2" "$id" sh -c 'grep -E "^CapEff" /proc/self/status'
	assert_output --regexp $'^CapEff:\t0+$'
	"$RUN" rm -f "$id" >/dev/null
	# The host has no such user: the names are the image's only.
	! getent passwd "$user" >/dev/null || fail "the host has $user too"
	run "$RUN" run --rm -u "$user" busybox id
	[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "a user the image lacks: exit $status: $output"
	assert_output "mydocker: unable to find user $user: no matching entries in passwd file"
	"$RUN" rmi "$repo" >/dev/null
}

@test "[1] final: run -w makes and enters the directory, exec starts there too; --entrypoint runs with the command's words as arguments" {
	local dir w id
	dir=/$(rand_word 4)/$(rand_word 4) w=$(rand_word)
	run "$RUN" run --rm -w "$dir" busybox sh -c 'pwd; ls -ld . | cut -c1-10'
	assert_output "$dir"$'\n'"drwxr-xr-x"
	id=$("$RUN" run -d -w "$dir" busybox sleep 1000)
	run "$RUN" exec "$id" pwd
	assert_output "$dir"
	run "$RUN" exec -w / "$id" pwd
	assert_output /
	"$RUN" rm -f "$id" >/dev/null
	run "$RUN" run --rm --entrypoint echo busybox "$w" "$w-2"
	assert_output "$w $w-2"
	run "$RUN" run --rm --entrypoint /bin/pwd -w "$dir" busybox
	assert_output "$dir"
	# Under a tmpfs that --read-only mounts, and in a root that is read-only.
	run "$RUN" run --rm --read-only -w "/tmp$dir" busybox sh -c 'pwd; touch x && echo writable'
	assert_output "/tmp$dir"$'\n'writable
	run "$RUN" run --rm --read-only -w "$dir" busybox pwd
	assert_output "$dir"
}

@test "[1] final: --env-file: a variable a line, comments and blank lines skipped, K alone passes ours on, -e after it wins" {
	local a b c f="$BATS_TEST_TMPDIR/env"
	a=$(rand_word) b="$(rand_word) $(rand_word)" c=$(rand_word)
	printf '# X_%s=%s\n\nA_%s=%s\n  B=%s\r\nC\nD=1\n' "$a" "$c" "$a" "$a" "$b" >"$f"
	run env C="$c" "$RUN" run --rm --env-file "$f" -e D=2 busybox sh -c "echo \"\$A_$a|\$B|\$C|\$D\"; env | grep -c '^#' || true"
	assert_line --index 0 "$a|$b|$c|2"
	assert_line --index 1 0
	printf 'A B=1\n' >"$f"
	run "$RUN" run --rm --env-file "$f" busybox true
	[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "a blank in a name: exit $status: $output"
	assert_output --partial "line 1"
}

@test "[2] final: --read-only: the root refuses writes, /tmp, /run and volumes take them; --tmpfs mounts with docker's defaults and its options" {
	local w size mode vol="$BATS_TEST_TMPDIR/vol"
	w=$(rand_word) size=$(rand_int 8 64) mode=$(rand_int 0 7)$(rand_int 0 7)$(rand_int 0 7)
	mkdir "$vol"
	run "$RUN" run --rm --read-only -v "$vol:/v" busybox sh -c \
		"touch /$w 2>&1; echo $w >/tmp/$w && echo $w >/run/$w && echo $w >/v/$w && cat /tmp/$w /run/$w"
	assert_line --index 0 "touch: /$w: Read-only file system"
	assert_line --index 1 "$w"
	assert_line --index 2 "$w"
	assert_equal "$(cat "$vol/$w")" "$w"
	# Without --read-only the root takes writes.
	run "$RUN" run --rm busybox sh -c "touch /$w && echo ok"
	assert_output ok
	# --tmpfs: noexec,nosuid,nodev unless asked otherwise; size (room for a busybox) and mode as given.
	run "$RUN" run --rm --tmpfs "/$w:size=${size}m,mode=$mode" --tmpfs "/x$w:exec" busybox sh -c \
		"grep ' /$w ' /proc/mounts; stat -c %a /$w; cp /bin/busybox /$w/busybox; /$w/busybox true 2>/dev/null || echo noexec;
		 cp /bin/busybox /x$w/busybox && /x$w/busybox true && echo exec"
	assert_line --index 0 --regexp "^tmpfs /$w tmpfs rw,nosuid,nodev,noexec,relatime,size=$((size * 1024))k,mode=$mode[, ]"
	assert_line --index 1 "$(printf %o $((8#$mode)))"
	assert_line --index 2 noexec
	assert_line --index 3 exec
}

@test "[1] final: --ulimit sets soft and hard limits, unlimited too; --add-host lines in /etc/hosts, without --net as with it" {
	local soft hard name ip n6
	soft=$(rand_int 64 500) hard=$(rand_int 501 1000) name=$(rand_word) ip=10.$(rand_int 0 255).$(rand_int 0 255).$(rand_int 1 254)
	n6=fd00::$(rand_int 1 9999)
	# fsize for unlimited: its hard limit is unlimited under sudo too, which
	# sets core's to 0 (raising a hard limit needs CAP_SYS_RESOURCE).
	run "$RUN" run --rm --ulimit "nofile=$soft:$hard" --ulimit fsize=unlimited --ulimit "nproc=$hard" busybox sh -c \
		'ulimit -n; ulimit -Hn; ulimit -f; ulimit -u; ulimit -Hu'
	assert_output "$soft"$'\n'"$hard"$'\n'"unlimited"$'\n'"$hard"$'\n'"$hard"
	run "$RUN" run --rm --add-host "$name:$ip" --add-host "v6$name:$n6" busybox cat /etc/hosts
	assert_line "$ip"$'\t'"$name"
	assert_line "$n6"$'\t'"v6$name"
	assert_line --index 0 $'127.0.0.1\tlocalhost'
	run "$RUN" run --rm --net none --add-host "$name:$ip" busybox cat /etc/hosts
	assert_line "$ip"$'\t'"$name"
	# And none without it: the image's own file (busybox's image has none).
	run "$RUN" run --rm busybox sh -c 'cat /etc/hosts 2>&1'
	refute_output --partial "$name"
}

@test "[2] final: --stop-signal is what stop sends; --stop-timeout is stop's wait unless -t says otherwise" {
	local code id
	code=$(rand_int 1 120)
	id=$("$RUN" run -d --stop-signal "$(rand_line <<<$'USR1\nSIGUSR1\nusr1\n10')" busybox sh -c \
		"trap 'exit $code' USR1; trap '' TERM; while :; do sleep 0.1; done")
	"$RUN" stop -t 5 "$id" >/dev/null
	run "$RUN" ps -a
	assert_output --regexp "${id:0:12} .* Exited \\($code\\)"
	"$RUN" rm "$id" >/dev/null
	# A shell that ignores SIGTERM: its --stop-timeout of 1 s ends it, not the 10 s default.
	id=$("$RUN" run -d --stop-timeout 1 busybox sh -c "trap '' TERM; while :; do sleep 0.1; done")
	run timeout 8 "$RUN" stop "$id"
	assert_success
	run "$RUN" ps -a
	assert_output --regexp "${id:0:12} .* Exited \\(137\\)"
	"$RUN" rm "$id" >/dev/null
}

@test "[1] final: --cidfile holds the container's full ID; a file that is there is refused and kept; a run that fails leaves none" {
	local f="$BATS_TEST_TMPDIR/$(rand_word)" w id
	w=$(rand_word)
	id=$(cd "$BATS_TEST_TMPDIR" && "$RUN" run -d --cidfile "${f##*/}" busybox sleep 1000)
	assert_equal "$(cat "$f")" "$id"
	echo "$w" >"$f"
	run "$RUN" run --rm --cidfile "$f" busybox true
	[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "an existing cidfile: exit $status: $output"
	assert_equal "$(cat "$f")" "$w"
	rm "$f"
	# It fails before the file is made (no such image), or after (no such network).
	for bad in "no$w" "--net no$w busybox"; do
		# shellcheck disable=SC2086
		run "$RUN" run --rm --cidfile "$f" $bad true
		[ "$status" = 125 ] || fail "exit $status: $output"
		[ ! -e "$f" ] || fail "run $bad left $f"
	done
	"$RUN" rm -f "$id" >/dev/null
}

@test "[1] final: bad run options are one line and 125, and leave nothing: -u, -w, --tmpfs, --ulimit, --add-host, --stop-signal, --stop-timeout, --env-file, --entrypoint" {
	local w before
	w=$(rand_word)
	before=$("$RUN" ps -aq | wc -l)
	for bad in "-u $w:" "-u -$w" "-w $w" "--tmpfs $w" "--tmpfs /proc/$w" "--tmpfs /$w:$w" "--tmpfs /$w:size=1m;$w" \
		"--ulimit $w=1" "--ulimit nofile=2:1" "--ulimit nofile=$w" "--add-host $w" "--add-host $w:1.2.3" \
		"--stop-signal $w" "--stop-signal 0" "--stop-timeout -1" "--env-file /$w" "--entrypoint="; do
		# shellcheck disable=SC2086
		run "$RUN" run --rm $bad busybox true
		[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "run $bad: exit $status: $output"
		[[ $output == mydocker:* ]] || fail "run $bad: $output"
	done
	assert_equal "$("$RUN" ps -aq | wc -l)" "$before"
}

@test "[1] final: kill sends SIGKILL, or -s SIGNAL by number or name, through the init's pidfd; a stopped container is an error" {
	local code id
	code=$(rand_int 1 120)
	id=$("$RUN" run -d busybox sh -c "trap 'exit $code' USR2; while :; do sleep 0.1; done")
	run "$RUN" kill -s "$(rand_line <<<$'USR2\nSIGUSR2\nusr2\n12')" "$id"
	assert_success
	assert_output "$id"
	wait_until 10 eval "\"$RUN\" ps -a | grep -q '${id:0:12} .* Exited ($code)'" || fail "USR2 did not reach it: $("$RUN" ps -a)"
	"$RUN" rm "$id" >/dev/null
	id=$("$RUN" run -d busybox sh -c "trap '' TERM INT; while :; do sleep 0.1; done")
	run "$RUN" kill "$id"
	assert_success
	wait_until 10 eval "\"$RUN\" ps -a | grep -q '${id:0:12} .* Exited (137)'" || fail "SIGKILL did not end it"
	run "$RUN" kill "$id"
	[ "$status" = 1 ] && [ "${#lines[@]}" = 1 ] || fail "kill of a stopped container: exit $status: $output"
	assert_output --partial "not running"
	run "$RUN" kill -s "$(rand_word)" "$id"
	[ "$status" = 1 ] && [ "${#lines[@]}" = 1 ] || fail "a bad signal: exit $status: $output"
	"$RUN" rm "$id" >/dev/null
}

@test "[1] final: wait blocks until each container exits and prints its exit code, in the order given" {
	local a b id1 id2
	a=$(rand_int 0 120) b=$(rand_int 0 120)
	id1=$("$RUN" run -d busybox sh -c "sleep 0.5; exit $a")
	id2=$("$RUN" run -d busybox sh -c "exit $b")
	run "$RUN" wait "$id1" "$id2"
	assert_success
	assert_output "$a"$'\n'"$b"
	# An exited one: at once.
	run "$RUN" wait "$id1"
	assert_output "$a"
	"$RUN" rm "$id1" "$id2" >/dev/null
	# Between the init's exit and its monitor's record of it (the monitor
	# held stopped meanwhile), wait waits for the record.
	id1=$("$RUN" run -d busybox sh -c "sleep 0.5; exit $a")
	local monitor init
	read -r init _ < <(sed -n 's/^pid=//p' "$MYDOCKER_ROOT/containers/$id1/record")
	read -r monitor _ < <(sed -n 's/^monitor=//p' "$MYDOCKER_ROOT/containers/$id1/record")
	kill -STOP "$monitor"
	# Exited: a zombie its stopped monitor cannot reap yet.
	wait_until 10 eval "grep -q '^State:.*Z' /proc/$init/status" || { kill -CONT "$monitor"; fail "the init did not exit"; }
	"$RUN" wait "$id1" >"$BATS_TEST_TMPDIR/wait.out" 2>&1 &
	local waiter=$!
	sleep 0.3
	kill -CONT "$monitor"
	wait "$waiter" || fail "wait failed: $(cat "$BATS_TEST_TMPDIR/wait.out")"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/wait.out")" "$a"
	"$RUN" rm "$id1" >/dev/null
	run "$RUN" wait "$(rand_word)"
	[ "$status" = 1 ] || fail "no such container: exit $status: $output"
}

@test "[2] final: pause freezes every process (ps says Paused, no progress, exec refused), unpause thaws it; commit keeps it paused" {
	local id n1 n2 repo
	repo=paused$(rand_word 4)
	id=$("$RUN" run -d busybox sh -c 'i=0; while :; do i=$((i+1)); echo $i >/count; sleep 0.05; done')
	wait_until 10 eval "\"$RUN\" exec $id test -s /count" || fail "the counter never started"
	run "$RUN" pause "$id"
	assert_output "$id"
	run "$RUN" ps
	assert_output --regexp "${id:0:12} .* Up .* \\(Paused\\)"
	n1=$(cat "$MYDOCKER_ROOT/containers/$id/upper/count")
	sleep 0.5
	n2=$(cat "$MYDOCKER_ROOT/containers/$id/upper/count")
	assert_equal "$n2" "$n1"
	# An exec that went in would wait, frozen itself, until the thaw.
	"$RUN" exec "$id" true >"$BATS_TEST_TMPDIR/exec.out" 2>&1 &
	local exec_pid=$!
	if ! wait_until 10 not_running "$exec_pid"; then
		"$RUN" unpause "$id"
		fail "exec into a paused container waited instead of refusing"
	fi
	local rc=0
	wait "$exec_pid" || rc=$?
	[ "$rc" = 125 ] || fail "exec into a paused container: exit $rc"
	run cat "$BATS_TEST_TMPDIR/exec.out"
	[ "${#lines[@]}" = 1 ] || fail "exec into a paused container: $output"
	assert_output --partial "paused: unpause it first"
	run "$RUN" pause "$id"
	[ "$status" = 1 ] || fail "pause twice: exit $status: $output"
	"$RUN" commit "$id" "$repo" >/dev/null
	run "$RUN" ps
	assert_output --regexp "${id:0:12} .* \\(Paused\\)"
	run "$RUN" unpause "$id"
	assert_output "$id"
	wait_until 10 eval "[ \"\$(cat $MYDOCKER_ROOT/containers/$id/upper/count)\" != $n1 ]" || fail "unpause did not thaw it"
	run "$RUN" ps
	refute_output --partial Paused
	run "$RUN" unpause "$id"
	[ "$status" = 1 ] || fail "unpause of a running one: exit $status: $output"
	# A paused container stops: stop thaws it.
	"$RUN" pause "$id" >/dev/null
	run timeout 20 "$RUN" stop -t 1 "$id"
	assert_success
	"$RUN" rm "$id" >/dev/null
	"$RUN" rmi "$repo" >/dev/null
}

@test "[1] final: rename, running or not: ps, exec and stop know the new name, the old one is free, a taken name is refused" {
	local a b c id other
	a=$(rand_word) b=$(rand_word) c=$(rand_word)
	id=$("$RUN" run -d --name "$a" busybox sleep 1000)
	other=$("$RUN" run -d --name "$c" busybox sleep 1000)
	run "$RUN" rename "$a" "$b"
	assert_success
	run "$RUN" exec "$b" true
	assert_success
	run "$RUN" ps
	assert_output --regexp "${id:0:12} .* $b"
	run "$RUN" rename "$b" "$c"
	[ "$status" = 1 ] && [ "${#lines[@]}" = 1 ] || fail "a taken name: exit $status: $output"
	assert_output --partial "already in use"
	run "$RUN" rename "$b" "bad/$c"
	[ "$status" = 1 ] || fail "a bad name: exit $status: $output"
	# The old name is free for another container.
	"$RUN" run --rm --name "$a" busybox true
	# Its monitor records the exit under the new name.
	"$RUN" stop -t 0 "$b" >/dev/null
	run "$RUN" ps -a
	assert_output --regexp "${id:0:12} .* Exited \\(137\\) .* $b"
	"$RUN" rm "$b" >/dev/null
	"$RUN" rm -f "$other" >/dev/null
}

@test "[2] final: ps --filter (id, name, label, status, exited, ancestor), -n/--last, -l, and --format with docker's fields and 'table'" {
	local app tier a b c code
	app=$(rand_word 5) tier=$(rand_word 5) code=$(rand_int 1 120)
	a=$("$RUN" run -d --name "web$app" -l "app=$app" -l "tier=$tier" busybox sleep 1000)
	b=$("$RUN" run -d --name "db$app" --label "app=$app" busybox sh -c "exit $code")
	c=$("$RUN" run -d --name "x$tier" busybox sleep 1000)
	wait_until 10 eval "\"$RUN\" ps -a | grep -q 'Exited ($code)'" || fail "db did not exit"
	run "$RUN" ps -a -q --no-trunc --filter "label=app=$app"
	assert_equal "$(sort <<<"$output")" "$(printf '%s\n' "$a" "$b" | sort)"
	# Keys together: both must hold; one key's values: either.
	run "$RUN" ps -a -q --no-trunc -f "label=app=$app" -f label=tier
	assert_output "$a"
	run "$RUN" ps -q --no-trunc -f status=exited -f "status=created"
	assert_output "$b"
	run "$RUN" ps -q --no-trunc -f "exited=$code"
	assert_output "$b"
	run "$RUN" ps -q --no-trunc -f "exited=$((code + 1))"
	assert_output ""
	run "$RUN" ps -q --no-trunc -f "name=$tier" -f "id=${c:0:6}"
	assert_output "$c"
	run "$RUN" ps -q -a --no-trunc -f ancestor=busybox:latest
	assert_equal "${#lines[@]}" 3
	# Newest first: -n 2 is c and b, -l is c.
	run "$RUN" ps -n 2 --format '{{.Names}}'
	assert_output "x$tier"$'\n'"db$app"
	run "$RUN" ps -l -q --no-trunc
	assert_output "$c"
	run "$RUN" ps -a --format '{{.ID}}|{{.State}}|{{.Label "app"}}|{{.Labels}}' -f "label=app=$app"
	assert_line "${b:0:12}|exited|$app|app=$app"
	assert_line "${a:0:12}|running|$app|app=$app,tier=$tier"
	run "$RUN" ps --format 'table {{.Names}}\t{{.Image}}' -f "id=$a"
	# The NAMES column is as wide as "web$app", and 3 spaces more.
	assert_output "$(printf 'NAMES%*sIMAGE\nweb%s   busybox' $((3 + ${#app} - 5 + 3)) '' "$app")"
	run "$RUN" ps --format '{{.Nope}}'
	[ "$status" = 1 ] && [ "${#lines[@]}" = 1 ] || fail "an unknown field: exit $status: $output"
	run "$RUN" ps -f "nope=1"
	[ "$status" = 1 ] && [ "${#lines[@]}" = 1 ] || fail "an unknown filter: exit $status: $output"
	run "$RUN" run --rm -l "=$app" busybox true
	[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "a label without a key: exit $status: $output"
	"$RUN" rm -f "$a" "$b" "$c" >/dev/null
}

@test "[1] final: docker's management syntax: container ls/rm/exec/stop..., image ls/rm are the commands they name; container exec runs sealed as exec does" {
	local id w pid
	w=$(rand_word)
	id=$("$RUN" container run -d --name "$w" busybox sleep 1000)
	assert_equal "$("$RUN" container ls -q --no-trunc)" "$id"
	assert_equal "$("$RUN" container ls -a)" "$("$RUN" ps -a)"
	run "$RUN" container exec "$w" echo "$w"
	assert_output "$w"
	# exec's runtime is the sealed copy of itself (CVE-2019-5736), by either name.
	for form in "exec" "container exec"; do
		# shellcheck disable=SC2086
		"$RUN" $form "$id" sleep 3 &
		pid=$!
		wait_until 5 eval "readlink /proc/$pid/exe | grep -q memfd:" || fail "$form: its exe is $(readlink /proc/$pid/exe)"
		wait "$pid"
	done
	run "$RUN" image ls
	assert_output --regexp $'\nbusybox +latest '
	run "$RUN" container nope
	[ "$status" = 1 ] && [ "${#lines[@]}" = 1 ] || fail "an unknown command: exit $status: $output"
	"$RUN" container stop -t 0 "$w" >/dev/null
	"$RUN" container rm "$w" >/dev/null
	assert_equal "$("$RUN" ps -aq)" ""
	id=$("$RUN" run -d busybox true)
	"$RUN" container wait "$id" >/dev/null
	"$RUN" container commit "$id" "img$w" >/dev/null
	run "$RUN" image rm "img$w"
	assert_success
	run "$RUN" images
	refute_output --partial "img$w"
	"$RUN" container rm "$id" >/dev/null
}

@test "[1] final: logs --tail N prints the last N lines, across rotated copies too, and -f goes on from there" {
	local m k id dir token
	m=$(rand_int 300 600) k=$(rand_int 1 150) token=$(rand_word 6)
	id=$("$RUN" run -d busybox sh -c "seq 1 $m")
	"$RUN" wait "$id" >/dev/null
	run "$RUN" logs --tail "$k" "$id"
	assert_output "$(seq $((m - k + 1)) "$m")"
	run "$RUN" logs -n 0 "$id"
	assert_output ""
	run "$RUN" logs --tail all "$id"
	assert_output "$(seq 1 "$m")"
	run "$RUN" logs --tail $((m + 5)) "$id"
	assert_output "$(seq 1 "$m")"
	run "$RUN" logs --tail "-$k" "$id"
	assert_failure 1
	[ "${#lines[@]}" = 1 ] || fail "not one line: $output"
	"$RUN" rm "$id" >/dev/null
	# Rotated at a few hundred bytes: the last k lines span several files.
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/go.XXXXXX")
	id=$("$RUN" run -d --log-opt max-size=$(rand_int 200 400) --log-opt max-file=100 -v "$dir:/go" busybox sh -c \
		"seq 1 $m; while [ ! -e /go/now ]; do usleep 20000; done; echo $token")
	wait_until 10 eval '"$RUN" logs "$id" | grep -qx "$m"' || fail "the container did not write its lines"
	[ "$(ls "$MYDOCKER_ROOT/containers/$id" | grep -c '^log\.')" -ge 3 ] || fail "the log was not rotated"
	run "$RUN" logs --tail "$k" "$id"
	assert_output "$(seq $((m - k + 1)) "$m")"
	"$RUN" logs -f --tail 2 "$id" >"$BATS_TEST_TMPDIR/followed" &
	wait_until 10 eval '[ "$(wc -l <"$BATS_TEST_TMPDIR/followed")" = 2 ]' || fail "logs -f --tail 2 printed: $(cat "$BATS_TEST_TMPDIR/followed")"
	touch "$dir/now"
	wait_bounded $! 10 || fail "logs -f did not end with the container"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/followed")" "$(printf '%s\n%s\n%s' $((m - 1)) "$m" "$token")"
	"$RUN" rm "$id" >/dev/null
}

# The seconds since the epoch (with nanoseconds) of a time logs -t printed.
stamp_seconds() { date -u -d "$(sed 's/T/ /; s/Z$//' <<<"$1")" +%s.%N; }

@test "[2] final: logs -t prints the time each line was written; --since and --until (a duration, Unix seconds, RFC 3339 with or without a zone) pick the lines between" {
	local a b c dir before after ta tb tc s
	a=$(rand_word 8) b=$(rand_word 8) c=$(rand_word 8)
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/go.XXXXXX")
	before=$(date +%s.%N)
	# c is written in two pieces: one line, with the time of its first.
	"$RUN" run -d --name "t$a" -v "$dir:/go" busybox sh -c \
		"echo $a; sleep 1.5; echo $b; sleep 1.5; printf ${c:0:3}; sleep 0.3; echo ${c:3}; while [ ! -e /go/end ]; do usleep 20000; done" >/dev/null
	wait_until 10 eval '[ "$("$RUN" logs "t$a" | wc -l)" = 3 ]' || fail "logs: $("$RUN" logs "t$a")"
	after=$(date +%s.%N)
	run "$RUN" logs -t "t$a"
	assert_success
	[ "${#lines[@]}" = 3 ] || fail "logs -t: $output"
	local re='^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z) (.*)$' i=0 w
	for w in "$a" "$b" "$c"; do
		[[ ${lines[i]} =~ $re ]] && [ "${BASH_REMATCH[2]}" = "$w" ] || fail "line $i of logs -t: ${lines[i]}"
		eval "t$i=\$(stamp_seconds ${BASH_REMATCH[1]})"
		i=$((i + 1))
	done
	ta=$t0 tb=$t1 tc=$t2
	# Each between the run and the last line seen, a second and a half apart at least.
	awk -v lo="$before" -v a="$ta" -v b="$tb" -v c="$tc" -v hi="$after" \
		'BEGIN { exit !(lo <= a && b - a >= 1.4 && c - b >= 1.4 && c <= hi) }' ||
		fail "times: $before < $ta, $tb, $tc < $after"
	# --since: at or after; the time b was written is in.
	run "$RUN" logs --since "$tb" "t$a"
	assert_output "$b
$c"
	run "$RUN" logs --until "$tb" "t$a"
	assert_output "$a
$b"
	run "$RUN" logs -t --since "$tb" --until "$tb" "t$a"
	[[ $output =~ $re ]] && [ "${BASH_REMATCH[2]}" = "$b" ] || fail "--since = --until = b's time: $output"
	# RFC 3339: whole seconds in UTC, an hour ahead (+01:00), and local time without a zone.
	s=${tb%.*}
	run "$RUN" logs --since "$(date -u -d "@$s" +%Y-%m-%dT%H:%M:%SZ)" "t$a"
	assert_output "$b
$c"
	run "$RUN" logs --since "$(TZ=Etc/GMT-1 date -d "@$s" +%Y-%m-%dT%H:%M:%S+01:00)" "t$a"
	assert_output "$b
$c"
	run "$RUN" logs --until "$(date -d "@$s" +%Y-%m-%dT%H:%M:%S)" "t$a"
	assert_output "$a"
	# A duration back from now: all of it, then (once a second has passed) none.
	run "$RUN" logs --since 1h "t$a"
	assert_output "$a
$b
$c"
	sleep 1
	run "$RUN" logs --since 900ms "t$a"
	assert_output ""
	# --tail and -t together.
	run "$RUN" logs -t --tail 1 "t$a"
	[[ $output =~ $re ]] && [ "${BASH_REMATCH[2]}" = "$c" ] || fail "logs -t --tail 1: $output"
	# -f --until two or three seconds ahead ends then, though the container runs on.
	local pid
	"$RUN" logs -f --until $(($(date +%s) + 3)) "t$a" >"$BATS_TEST_TMPDIR/followed" &
	pid=$!
	sleep 1
	kill -0 "$pid" || fail "logs -f --until ended before its time"
	wait_bounded "$pid" 10 || fail "logs -f --until did not end at its time"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/followed")" "$a
$b
$c"
	# Bad times: one line, exit 1.
	for w in 5x "2026-13-01" "$(date -u +%Y-%m-%d) 10:00" "1.5.3" ""; do
		run "$RUN" logs --since "$w" "t$a"
		[ "$status" = 1 ] && [ "${#lines[@]}" = 1 ] || fail "--since '$w': exit $status: $output"
	done
	touch "$dir/end"
	"$RUN" wait "t$a" >/dev/null
	"$RUN" rm "t$a" >/dev/null
	# Run again, a container goes on with the line its last run left open.
	"$RUN" run -d --name "t$a" busybox printf "$a" >/dev/null
	"$RUN" wait "t$a" >/dev/null
	"$RUN" start "t$a" >/dev/null
	"$RUN" wait "t$a" >/dev/null
	run "$RUN" logs -t "t$a"
	[[ $output =~ $re ]] && [ "${BASH_REMATCH[2]}" = "$a$a" ] || fail "two runs' printf: $output"
	"$RUN" rm "t$a" >/dev/null
	# A line longer than a file (max-size 100: 69 bytes of it after each
	# file's time) is cut across files, and logs puts it together again,
	# with one time.
	local len id f
	len=$(rand_int 150 250)
	id=$("$RUN" run -d --log-opt max-size=100 --log-opt max-file=5 busybox sh -c "head -c $len /dev/zero | tr '\\0' x; echo")
	"$RUN" wait "$id" >/dev/null
	for f in "$MYDOCKER_ROOT/containers/$id"/log*; do
		[ "$(stat -c %s "$f")" -le 100 ] && [[ $(head -c 31 "$f") =~ ^[0-9-]{10}T[0-9:]{8}\.[0-9]{9}Z\ $ ]] ||
			fail "$f: $(cat "$f")"
	done
	[ "$(ls "$MYDOCKER_ROOT/containers/$id" | grep -c '^log')" -ge 3 ] || fail "not cut across files"
	run "$RUN" logs -t "$id"
	[[ $output =~ $re ]] && [ "${BASH_REMATCH[2]}" = "$(printf "%${len}s" | tr ' ' x)" ] || fail "the long line: $output"
	"$RUN" rm "$id" >/dev/null
}

@test "[1] final: --pid host: the host's processes in sight, exec joins it, and what the init leaves is killed when it exits" {
	local id r pid
	r=$(rand_int 100000 999999)
	# The test's own shell is a host process: in sight with --pid host only.
	run "$RUN" run --rm busybox test -d "/proc/$$"
	assert_failure
	run "$RUN" run --rm --pid host busybox sh -c "test -d /proc/$$ && echo \$\$"
	assert_success
	[ "$output" -gt 1 ] || fail "the shell is PID $output: in a PID namespace of its own"
	id=$("$RUN" run -d --pid host busybox sleep "$r")
	pid=$("$RUN" inspect -f '{{.State.Pid}}' "$id")
	# The host's PID of its init names it inside too: one namespace.
	run "$RUN" exec "$id" sh -c "tr '\\0' ' ' </proc/$pid/cmdline"
	assert_output "sleep $r "
	"$RUN" rm -f "$id" >/dev/null
	# An orphan outlives its init in the host's namespace: the runtime ends it.
	# (Its output elsewhere: bats waits for whoever holds its pipe.)
	run "$RUN" run --rm --pid host busybox sh -c "sleep $((r + 1)) >/dev/null 2>&1 & exit 0"
	assert_success
	wait_until 5 eval '! pgrep -fx "sleep $((r + 1))" >/dev/null' || fail "an orphan of a --pid host container runs on: $(pgrep -afx "sleep $((r + 1))")"
	for bad in "--pid container" "--pid=" "--pid host --init"; do
		run "$RUN" run --rm $bad busybox true
		[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "run $bad: exit $status: $output"
	done
	run "$RUN" ps -aq
	assert_output ""
}
