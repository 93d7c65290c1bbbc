#!/usr/bin/env bats
# final: docker's defences, each tried as an escape from inside a
# container. Every test here fails when the defence it names is removed
# (final/README.md, "Defences", lists which test shows which).

load helpers


# The network tests build a test host of their own (helpers.bash).
teardown() { if [ -n "${HOSTNS:-}" ]; then net_teardown; else common_teardown; fi; }

# docker's default capabilities, by capsh's names.
DOCKER_CAPS="cap_audit_write cap_chown cap_dac_override cap_fowner cap_fsetid cap_kill cap_mknod cap_net_bind_service cap_net_raw cap_setfcap cap_setgid cap_setpcap cap_setuid cap_sys_chroot"


# status_field NAME [OPTIONS...]: a field of a default (or OPTIONS) container's /proc/self/status.
status_field() {
	local name=$1
	shift
	"$RUN" run --rm "$@" busybox sh -c "grep '^$name:' /proc/self/status" | awk '{print $2}'
}

# The names capsh gives a mask, sorted, one line.
decode() { capsh --decode="$1" | sed 's/.*=//' | tr ',' '\n' | sort | tr '\n' ' ' | sed 's/ $//'; }

# A capability's bit in a mask, as /proc/PID/status prints it.
mask_of() { # NAME...
	local m=0 n
	for n in "$@"; do m=$((m | 1 << $(capsh --explain="$n" | sed -n '1s/^[a-z_]* (\([0-9]*\)).*/\1/p'))); done
	printf '%016x' "$m"
}

@test "[2] final: a default container has docker's 14 capabilities, none inheritable or ambient" {
	run "$RUN" run --rm busybox grep '^Cap' /proc/self/status
	assert_success
	bnd=$(echo "$output" | awk '$1 == "CapBnd:" {print $2}')
	assert_same "$DOCKER_CAPS" "$(decode "$bnd")" "the bounding set"
	assert_line "CapPrm:	$bnd"
	assert_line "CapEff:	$bnd"
	assert_line "CapInh:	0000000000000000"
	assert_line "CapAmb:	0000000000000000"
	# exec gives its commands the same.
	ID=$("$RUN" run -d busybox sleep 60)
	run "$RUN" exec "$ID" grep -E '^Cap(Eff|Bnd)' /proc/self/status
	assert_line "CapEff:	$bnd"
	assert_line "CapBnd:	$bnd"
	"$RUN" rm -f "$ID" >/dev/null
}

@test "[2] final: --cap-add and --cap-drop change the set as docker does (names with or without CAP_, any case, ALL)" {
	add=$(printf '%s\n' sys_admin net_admin sys_ptrace sys_time sys_nice ipc_lock | rand_line)
	drop=$(echo $DOCKER_CAPS | tr ' ' '\n' | rand_line)
	want=$(echo $DOCKER_CAPS "cap_$add" | tr ' ' '\n' | grep -vx "$drop" | sort | tr '\n' ' ' | sed 's/ $//')
	# Written as a user might: CAP_ or not, upper or lower case.
	upper=$(echo "${drop#cap_}" | tr a-z A-Z)
	assert_same "$want" "$(decode "$(status_field CapEff --cap-add "CAP_${add^^}" --cap-drop "$upper")")" "--cap-add $add --cap-drop $drop"
	# ALL in --cap-drop: only what is added; ALL in --cap-add: all but what is dropped.
	assert_equal "$(status_field CapEff --cap-drop ALL --cap-add "$add")" "$(mask_of "cap_$add")"
	all=$(status_field CapBnd --privileged)
	assert_equal "$(status_field CapEff --cap-add all --cap-drop "$drop")" "$(printf '%016x' $((0x$all & ~0x$(mask_of "$drop"))))"
	# A name that is no capability: one line, 125, and no container left.
	bogus=$(rand_word 6)
	run "$RUN" run --rm --cap-add "$bogus" busybox true
	assert_equal "$status" 125
	assert_output "mydocker: --cap-add: unknown capability '$bogus' (see man 7 capabilities)"
}

@test "[1] final: --cap-add NET_ADMIN lets a container make network devices; without it, it cannot" {
	a=$(rand_word 5) b=$(rand_word 5)
	run "$RUN" run --rm busybox ip link add "$a" type veth peer name "$b"
	assert_failure
	run "$RUN" run --rm --cap-add NET_ADMIN busybox sh -c "ip link add $a type veth peer name $b && ip -o link show $a"
	assert_success
	assert_output --regexp "^[0-9]+: $a@"
}

@test "[2] final: without capabilities a container cannot mount, remount /sys read-write, mount cgroupfs or unshare a mount namespace (seccomp off)" {
	# seccomp=unconfined: the capabilities alone must refuse all of it.
	run "$RUN" run --rm --security-opt seccomp=unconfined busybox sh -c 'exec 2>/dev/null
		mount -t tmpfs none /tmp && echo tmpfs-mounted
		mount -o remount,rw /sys && echo sys-rw
		mkdir -p /tmp/cg && mount -t cgroup -o memory cgroup /tmp/cg && echo cgroup-mounted
		mount -t cgroup2 none /tmp/cg && echo cgroup2-mounted
		unshare -m true && echo unshared
		echo done'
	assert_success
	assert_output "done"
	# --privileged gives it all back.
	run "$RUN" run --rm --privileged busybox sh -c 'mount -t tmpfs none /tmp && echo tmpfs-mounted; unshare -m true && echo unshared'
	assert_output "tmpfs-mounted
unshared"
}

@test "[2] final: the default seccomp filter refuses the keyring and new user namespaces, which no capability guards" {
	probe_dir
	run "$RUN" run --rm -v "$PD:/t:ro" busybox sh -c '/t/probe keyctl; unshare -U true 2>/dev/null && echo userns; grep "^Seccomp:" /proc/self/status'
	assert_line --index 0 "Operation not permitted"
	refute_line userns
	assert_line --index 1 "Seccomp:	2"
	# Unconfined, the same calls work: the filter is what refused them.
	run "$RUN" run --rm -v "$PD:/t:ro" --security-opt seccomp=unconfined busybox sh -c '/t/probe keyctl; unshare -U true && echo userns'
	assert_output "allowed
userns"
	# exec's commands are under the container's filter too; exec --privileged is not.
	ID=$("$RUN" run -d -v "$PD:/t:ro" busybox sleep 60)
	run "$RUN" exec "$ID" /t/probe keyctl
	assert_output "Operation not permitted"
	run "$RUN" exec --privileged "$ID" /t/probe keyctl
	assert_output "allowed"
	"$RUN" rm -f "$ID" >/dev/null
}

@test "[2] final: a seccomp profile in docker's format is applied, and a bad one is one clear line naming the field" {
	# A profile that allows everything but mkdir, failing with a random errno.
	read -r num msg < <(printf '%s\n' "13 Permission denied" "30 Read-only file system" "28 No space left on device" "31 Too many links" | rand_line)
	profile="$BATS_TEST_TMPDIR/$(rand_word 6).json"
	cat >"$profile" <<-EOF
	{ "defaultAction": "SCMP_ACT_ALLOW",
	  "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": $num } ] }
	EOF
	dir=$(rand_word 8)
	run "$RUN" run --rm --security-opt "seccomp=$profile" busybox mkdir "/tmp/$dir"
	assert_failure
	assert_output --partial "$msg"
	# Under the default filter, mkdir works.
	run "$RUN" run --rm busybox mkdir "/tmp/$dir"
	assert_success
	# Mistakes: each one line, 125, nothing left (the leak checks).
	check() { # WHAT-THE-MESSAGE-SAYS PROFILE-TEXT
		printf '%s' "$2" >"$profile"
		run "$RUN" run --rm --security-opt "seccomp=$profile" busybox true
		assert_equal "$status" 125
		assert_equal "${#lines[@]}" 1
		assert_output --regexp "^mydocker: seccomp profile $profile: .*$1"
	}
	bad=$(rand_word 5)
	check "syscalls\[1\]\.action: unknown action 'SCMP_ACT_$bad'" \
		'{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"},{"names":["write"],"action":"SCMP_ACT_'"$bad"'"}]}'
	check "defaultAction: missing" '{"syscalls":[]}'
	check "syscalls\[0\]\.args\[0\]\.op: unknown comparison" \
		'{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_'"$bad"'"}]}]}'
	check "not JSON" "{ $bad"
	run "$RUN" run --rm --security-opt "seccomp=/nonexistent/$bad.json" busybox true
	assert_equal "$status" 125
	assert_output --partial "/nonexistent/$bad.json"
}

@test "[2] final: /proc's and /sys's host views are masked and read-only, and stay so" {
	# seccomp off: the masks must hold on their own (and the missing
	# capabilities keep them from being unmounted).
	run "$RUN" run --rm --security-opt seccomp=unconfined busybox sh -c '
		for f in /proc/interrupts /proc/timer_list /proc/keys; do [ -e $f ] && echo "$f $(wc -c < $f)"; done
		echo "firmware $(ls /sys/firmware | wc -l)"
		umount /proc/interrupts 2>/dev/null && echo unmounted
		(: 1<>/proc/sys/kernel/core_pattern) 2>/dev/null && echo core_pattern-writable
		(: 1<>/proc/sysrq-trigger) 2>/dev/null && echo sysrq-writable
		echo done'
	assert_success
	assert_line "/proc/interrupts 0"
	assert_line "/proc/timer_list 0"
	refute_line --regexp '^/proc/[a-z_]+ [1-9]'
	assert_line "firmware 0"
	refute_line unmounted
	refute_line core_pattern-writable
	refute_line sysrq-writable
	assert_line done
	# The host's is not empty; --privileged shows it.
	run "$RUN" run --rm --privileged busybox sh -c 'wc -c < /proc/interrupts'
	[ "$output" -gt 0 ] || fail "--privileged still masks /proc/interrupts"
}

@test "[1] final: an image whose /proc is a symlink is refused, not followed (CVE-2019-19921)" {
	root="$BATS_TEST_TMPDIR/root"
	target=$(rand_word 6)
	mkdir -p "$root/bin" "$root/$target" "$root/sys" "$root/dev" "$root/tmp" "$root/etc"
	cp "$(command -v busybox)" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	ln -s "/$target" "$root/proc"
	tar -C "$root" -cf "$BATS_TEST_TMPDIR/img.tar" .
	img=$(rand_word 6)
	"$RUN" import "$BATS_TEST_TMPDIR/img.tar" "$img" >/dev/null
	run "$RUN" run --rm "$img" /bin/sh -c 'echo started'
	"$RUN" rmi "$img" >/dev/null
	assert_equal "$status" 125
	assert_output --regexp "^mydocker: .*/proc"
	refute_output --partial started
}

@test "[1] final: a container has its own cgroup namespace: its cgroup is /, in run and in exec" {
	run "$RUN" run --rm busybox cat /proc/self/cgroup
	assert_success
	refute_line --regexp ':/.'
	ID=$("$RUN" run -d busybox sleep 60)
	run "$RUN" exec "$ID" cat /proc/self/cgroup
	refute_line --regexp ':/.'
	[ "$(readlink "/proc/$(awk -F= '$1 == "pid" {print $2}' "$MYDOCKER_ROOT/containers/$ID/record" | cut -d' ' -f1)/ns/cgroup")" != "$(readlink /proc/self/ns/cgroup)" ] ||
		fail "the container shares our cgroup namespace"
	"$RUN" rm -f "$ID" >/dev/null
}

@test "[1] final: --security-opt no-new-privileges sets no_new_privs for run and exec; the default, as docker's, does not" {
	assert_equal "$(status_field NoNewPrivs)" 0
	assert_equal "$(status_field NoNewPrivs --security-opt no-new-privileges)" 1
	ID=$("$RUN" run -d --security-opt no-new-privileges busybox sleep 60)
	run "$RUN" exec "$ID" grep '^NoNewPrivs:' /proc/self/status
	assert_output "NoNewPrivs:	1"
	"$RUN" rm -f "$ID" >/dev/null
	run "$RUN" run --rm --security-opt "$(rand_word 6)" busybox true
	assert_equal "$status" 125
	assert_output --partial "unknown option"
}

@test "[3] final: exec's process cannot be used to overwrite the runtime through /proc/PID/exe (CVE-2019-5736)" {
	probe_dir
	copy="$BATS_TEST_TMPDIR/mydocker-copy"
	cp "$RUN" "$copy"
	before=$(sha256sum <"$copy")
	# CAP_SYS_PTRACE lets the container open any process's exe: only the
	# sealed copy exec runs from stands between it and the runtime.
	ID=$("$RUN" run -d --cap-add SYS_PTRACE -v "$PD:/t:ro" busybox /t/probe watch-exe 60)
	n=$(rand_int 60 80)
	for ((i = 0; i < n; i++)); do "$copy" exec "$ID" true; done
	sleep 0.5
	"$RUN" stop -t 5 "$ID" >/dev/null
	run "$RUN" logs "$ID"
	"$RUN" rm -f "$ID" >/dev/null
	assert_output --regexp '^opened [0-9]+ wrote 0$'
	assert_equal "$(sha256sum <"$copy")" "$before"
}

@test "[2] final: exec starts its command with fds 0, 1 and 2 only, and in a working directory inside the container (CVE-2024-21626)" {
	ID=$("$RUN" run -d busybox sleep 60)
	dir=$(rand_word 8)
	mkdir "$BATS_TEST_TMPDIR/$dir"
	# An open directory of the host's, left to exec: unreachable inside.
	run "$RUN" exec "$ID" sh -c 'ls /proc/self/fd/5/ 2>/dev/null; ls /proc/$$/fd | tr "\n" " "' 5<"$BATS_TEST_TMPDIR/$dir"
	refute_output --partial "$dir"
	assert_output "0 1 2 "
	# Nor as the working directory.
	run "$RUN" exec -w /proc/self/fd/5 "$ID" pwd 5<"$BATS_TEST_TMPDIR"
	assert_equal "$status" 125
	assert_output --partial "--workdir /proc/self/fd/5"
	# A directory of its own is fine, and .. stays inside.
	run "$RUN" exec -w "/etc/../../../../etc" "$ID" pwd
	assert_output /etc
	"$RUN" rm -f "$ID" >/dev/null
}

@test "[3] final: a container can make any device node but open only its own few; --device hands one in" {
	# A disk and the kernel's log: made (CAP_MKNOD is docker's), never opened.
	run "$RUN" run --rm busybox sh -c "
		mknod /tmp/disk b 8 $(rand_int 0 15) && mknod /tmp/kmsg c 1 11 && echo made
		head -c 1 /tmp/disk; head -c 1 /tmp/kmsg
		for d in null zero full random urandom; do head -c 1 /dev/\$d >/dev/null || echo \"\$d refused\"; done
		echo x > /dev/null && echo null-writable"
	assert_line --index 0 made
	assert_line "head: /tmp/disk: Operation not permitted"
	assert_line "head: /tmp/kmsg: Operation not permitted"
	refute_line --partial refused
	assert_line null-writable
	# Exec's processes are in the same cgroup: the same limits.
	ID=$("$RUN" run -d busybox sleep 60)
	run "$RUN" exec "$ID" sh -c 'mknod /tmp/kmsg c 1 11 && head -c 1 /tmp/kmsg'
	assert_output "head: /tmp/kmsg: Operation not permitted"
	"$RUN" rm -f "$ID" >/dev/null
	# --device: the host's node, where it is asked to be, usable as asked.
	# A node of a major set aside for local use (120-127; the kernel hands
	# out 234-254 to drivers) has no driver: opening it is ENXIO where the
	# cgroup allows it, EPERM where it does not.
	node="$BATS_TEST_TMPDIR/ghost" ctr=/dev/$(rand_word 6)
	gmajor=$(rand_int 120 127) gminor=$(rand_int 0 255)
	mknod "$node" c "$gmajor" "$gminor"
	run "$RUN" run --rm --device "$node:$ctr" busybox sh -c "ls -l $ctr | cut -c1; head -c 1 $ctr; echo x > $ctr"
	assert_line --index 0 c
	assert_line "head: $ctr: No such device or address"
	assert_line --partial "can't create $ctr: No such device or address"
	run "$RUN" run --rm --device "$node:$ctr:r" busybox sh -c "head -c 1 $ctr; echo x > $ctr"
	assert_line "head: $ctr: No such device or address"
	assert_line --partial "can't create $ctr: Operation not permitted"
	# Without it, the same node made inside is refused.
	run "$RUN" run --rm busybox sh -c "mknod $ctr c $gmajor $gminor && head -c 1 $ctr"
	assert_output "head: $ctr: Operation not permitted"
	run "$RUN" run --rm --device "/nonexistent/$(rand_word 4)" busybox true
	assert_equal "$status" 125
	assert_output --partial "No such file or directory"
}

@test "[2] final: export -o writes nothing through a symlink planted at a name it might use" {
	ID=$("$RUN" run -d busybox sleep 60)
	dir="$BATS_TEST_TMPDIR/shared"
	mkdir "$dir"
	victim="$BATS_TEST_TMPDIR/victim"
	secret=$(rand_word 20)
	echo "$secret" >"$victim"
	chmod 600 "$victim"
	out="$dir/$(rand_word 6).tar"
	# The temporary names a runtime might guess: OUT.tmp-PID for the PIDs
	# that come next, each a symlink to the victim (made by one process, so
	# that making them takes none of those PIDs).
	perl -e 'my ($v, $o, $n) = @ARGV; symlink($v, "$o.tmp-$_") for $n .. $n + 300' \
		"$victim" "$out" "$(cat /proc/sys/kernel/ns_last_pid)"
	run "$RUN" export -o "$out" "$ID"
	assert_success
	assert_equal "$(cat "$victim")" "$secret"
	[ -f "$out" ] && [ ! -L "$out" ] || fail "$out is not the archive"
	tar -tf "$out" | grep -qx './bin/busybox' || fail "$out does not hold the container's root"
	# OUT itself a symlink: replaced by the archive, its target untouched.
	rm -f "$out" "$out".tmp-*
	ln -s "$victim" "$out"
	run "$RUN" export -o "$out" "$ID"
	assert_success
	assert_equal "$(cat "$victim")" "$secret"
	[ ! -L "$out" ] || fail "$out is still the symlink"
	"$RUN" rm -f "$ID" >/dev/null
}

@test "[1] final: what a container's command holds cannot drive the caller's terminal: ps and errors escape control characters" {
	tok=$(rand_word 6)
	cmd=$(printf 'sleep 60 # %s\033]0;%s\007\nline2' "$tok" "$tok")
	ID=$("$RUN" run -d busybox sh -c "$cmd")
	run "$RUN" ps --no-trunc
	"$RUN" rm -f "$ID" >/dev/null
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --partial "# $tok\\x1b]0;$tok\\x07\\nline2"
	[[ $output != *$'\033'* && $output != *$'\007'* ]] || fail "ps printed a control character"
	run -127 "$RUN" run --rm busybox "$(printf '%s\033[2J' "$tok")"
	assert_equal "$status" 127
	assert_output "mydocker: $tok\\x1b[2J: executable file not found"
}

@test "[2] final: a container has a session of its own: it cannot push input into the caller's terminal (TIOCSTI), in run or exec" {
	probe_dir
	# Pipes in place of the caller's terminal (not a tty: ENOTTY), and no
	# controlling terminal for /dev/tty to name (ENXIO).
	local none='0: Inappropriate ioctl for device; 1: Inappropriate ioctl for device; 2: Inappropriate ioctl for device; /dev/tty: No such device or address'
	# script(1) gives the runtime a terminal of its own, as a user's shell has.
	run script -qec "'$RUN' run --rm -v '$PD:/t:ro' busybox sh -c 'cut -d\" \" -f6 /proc/1/stat; /t/probe tiocsti'" /dev/null
	assert_line --index 0 --regexp '^1.?$'
	assert_line --index 1 --regexp "^$none.?\$"
	ID=$("$RUN" run -d -v "$PD:/t:ro" busybox sleep 60)
	run script -qec "'$RUN' exec -i '$ID' /t/probe tiocsti" /dev/null
	"$RUN" rm -f "$ID" >/dev/null
	assert_output --regexp "^$none.?\$"
}

@test "[3] final: a container cannot reach the host's 127.0.0.1 services through route_localnet (CVE-2020-8558); a mapped port still works" {
	net_setup
	probe_dir
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	port=$(rand_int 20000 40000) tok=$(rand_word 10)
	# A service of the test host's, on its loopback only.
	in_host "$PROBE" udp-listen 127.0.0.1 "$port" "$(scaled 4)" >"$BATS_TEST_TMPDIR/heard" &
	listener=$!
	wait_for_file_line "$BATS_TEST_TMPDIR/heard" listening
	# A frame for 127.0.0.1, made by hand to the gateway's MAC: what
	# CAP_NET_RAW (one of docker's defaults) lets any container send.
	cat >"$PD/send" <<-'EOF'
	gw=$(ip route | awk '/^default/ {print $3}')
	ping -c 1 -W 1 "$gw" >/dev/null 2>&1
	mac=$(ip neigh show "$gw" | awk '{print $5}')
	ip=$(ip -o -4 addr show eth0 | sed 's/.* inet \([0-9.]*\)\/.*/\1/')
	exec /t/probe raw-udp eth0 "$mac" "$ip" 127.0.0.1 "$1" "$2"
	EOF
	run mdk run --rm --net "$NET" -v "$PD:/t:ro" busybox sh /t/send "$port" "$tok"
	assert_output sent
	wait_bounded "$listener" 10
	run cat "$BATS_TEST_TMPDIR/heard"
	assert_line --index 1 nothing
	# -p through 127.0.0.1 is the DNAT's traffic, which the guard lets by.
	hport=$(rand_int 40001 50000)
	serve_token --net "$NET" -p "$hport:80"
	assert_equal "$(fetch in_host "http://127.0.0.1:$hport/")" "$TOKEN"
	mdk rm -f "$ID" >/dev/null
	mdk network rm "$NET" >/dev/null
}

@test "[2] final: networks are isolated from each other, and a host that did not route does not start routing for others" {
	net_setup
	# A fresh network namespace does not forward: the first network turns
	# forwarding on and FORWARD's policy to DROP, as docker does.
	assert_equal "$(in_host cat /proc/sys/net/ipv4/ip_forward)" 0
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	assert_equal "$(in_host cat /proc/sys/net/ipv4/ip_forward)" 1
	in_host iptables -S FORWARD | grep -qx -- '-P FORWARD DROP' || fail "FORWARD's policy is not DROP: $(in_host iptables -S FORWARD | head -1)"
	other=o$(rand_word 6) other_subnet=10.$(rand_int 100 199).$(rand_int 0 255).0/24
	[ "$other_subnet" != "$SUBNET" ] || other_subnet=10.99.$(rand_int 0 255).0/24
	mdk network create --subnet "$other_subnet" "$other" >/dev/null
	serve_token --net "$other"
	addr=$(mdk exec "$ID" ip -o -4 addr show eth0 | eth0_ip)
	# From the same network it answers; from the other, nothing gets through.
	run mdk run --rm --net "$other" busybox sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O- http://$addr/ && exit; sleep 0.3; done"
	assert_output "$TOKEN"
	run mdk run --rm --net "$NET" busybox sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 2 $addr 80"
	refute_output --partial "$TOKEN"
	mdk rm -f "$ID" >/dev/null
	mdk network rm "$NET" "$other" >/dev/null
}

@test "[2] final: -p refuses a host port a host process already listens on, and leaves nothing behind" {
	net_setup
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	port=$(rand_int 20000 40000)
	in_host busybox httpd -f -p "0.0.0.0:$port" -h "$BATS_TEST_TMPDIR" 3>&- &
	server=$!
	# Listening (state 0A) on 0.0.0.0:port in the test host's /proc/net/tcp.
	wait_until 5 in_host grep -q "00000000:$(printf '%04X' "$port") 00000000:0000 0A" /proc/net/tcp ||
		{ kill "$server"; fail "the test host's server did not start"; }
	run mdk run --rm --net "$NET" -p "$port:80" busybox true
	kill "$server"; wait "$server" 2>/dev/null || true
	assert_equal "$status" 125
	assert_output "mydocker: -p $port:80/tcp: port $port/tcp is in use on the host"
	assert_equal "$(held_by_containers)" ""
	mdk network rm "$NET" >/dev/null
}
