#!/usr/bin/env bats
# ch08-network: bridge networks, IPAM, veth, NAT and port mapping.
# Network safety: each test builds its own world and sends packets only
# inside it (helpers.bash, "a test host's network").

load helpers

setup() { common_setup; net_setup; }
teardown() { net_teardown; }

# serve_addr: on the client host, a web server whose /cgi-bin/addr answers
# with the address the request came from; sets ADDR_URL.
serve_addr() {
	local www="$BATS_TEST_TMPDIR/www" port
	port=$(rand_int 20000 40000)
	mkdir -p "$www/cgi-bin"
	printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n%%s\\n" "$REMOTE_ADDR"\n' >"$www/cgi-bin/addr"
	chmod +x "$www/cgi-bin/addr"
	# nsenter execs httpd: $! is the server itself. Not on bats's fd 3,
	# which bats waits on.
	nsenter "--net=/run/netns/$CLINS" busybox httpd -f -p "$CLIENT_IP:$port" -h "$www" 3>&- &
	CLIENT_HTTPD=$!
	ADDR_URL=http://$CLIENT_IP:$port/cgi-bin/addr
	wait_until 5 in_client busybox wget -q -O /dev/null "$ADDR_URL" || fail "the client's web server did not start"
}



@test "[3] ch08: network create makes a bridge with the gateway, NAT and FORWARD rules; ls shows it; rm undoes it all" {
	run mdk network create --driver bridge --subnet "$SUBNET" "$NET"
	assert_success
	assert_output "$NET"
	run in_host ip -o -4 addr show dev "mdk-$NET"
	assert_success
	assert_output --partial "inet $SUBNET_PREFIX.1/24"
	in_host ip -o link show dev "mdk-$NET" | grep -q 'state UP\|,UP' || fail "the bridge is not up"
	assert_equal "$(in_host cat /proc/sys/net/ipv4/ip_forward)" 1
	run mdk network ls
	assert_success
	assert_line --index 0 --regexp '^NAME +DRIVER +SUBNET +GATEWAY$'
	assert_line --regexp "^$NET +bridge +$SUBNET +$SUBNET_PREFIX\\.1\$"
	run mdk network rm "$NET"
	assert_success
	assert_equal "$(net_state "$HOSTNS")" ""
	run mdk network ls
	refute_line --partial "$NET"
}

@test "[3] ch08: a container reaches another host through the network's NAT, as the host's own address" {
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	serve_addr
	# Forwarded out of the bridge and masqueraded: the client host sees the
	# test host's address (it has no route back to the network's subnet).
	# Bounded, and not with timeout as PID 1: busybox's timeout signals the
	# command, which as PID 1 would ignore it (hence the shell, and a
	# command after it so that the shell does not exec it).
	run mdk run --rm --net "$NET" busybox sh -c "timeout $(scaled 5) wget -q -O- $ADDR_URL; exit \$?"
	assert_success
	assert_output "$HOST_IP"
	mdk network rm "$NET" >/dev/null
}

@test "[3] ch08: run --net gives eth0 an address, a default route, lo, and its /etc files; all of it goes when it exits" {
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	host=h$(rand_word 8) name=c$(rand_word 8)
	run mdk run --rm --name "$name" --hostname "$host" --net "$NET" busybox sh -c \
		'ip -o -4 addr show eth0; ip route; cat /etc/hostname /etc/hosts /etc/resolv.conf; ping -c 1 -W 2 '"$SUBNET_PREFIX.1"' >/dev/null && echo gateway-answers; ping -c 1 -W 2 127.0.0.1 >/dev/null && echo lo-answers'
	assert_success
	assert_line --partial "inet $SUBNET_PREFIX.2/24"
	assert_line --regexp "^default via $SUBNET_PREFIX\\.1 dev eth0"
	assert_line "$host"
	assert_line --regexp "^$SUBNET_PREFIX\\.2[[:space:]]+$host $name\$"
	assert_line --regexp '^127\.0\.0\.1[[:space:]]+localhost$'
	assert_line --regexp '^nameserver '
	assert_line gateway-answers
	assert_line lo-answers
	# Its veth went with it, and its address is free again: the next one gets it.
	assert_equal "$(net_state "$HOSTNS" | grep -c '^veth')" 0
	run mdk run --rm --net "$NET" busybox ip -o -4 addr show eth0
	assert_output --partial "inet $SUBNET_PREFIX.2/24"
	mdk network rm "$NET" >/dev/null
}

@test "[4] ch08: -p maps a host port: a client host and the host's own 127.0.0.1 reach the container; rm takes the rules away" {
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	port=$(rand_int 20000 40000) name=w$(rand_word 8)
	serve_token --name "$name" --net "$NET" -p "$port:80"
	run fetch in_client "http://$HOST_IP:$port/"
	assert_success
	assert_output "$TOKEN"
	run fetch in_host "http://127.0.0.1:$port/"
	assert_success
	assert_output "$TOKEN"
	run mdk ps
	assert_line --regexp " Up .* +0\.0\.0\.0:$port->80/tcp +$name\$"
	run mdk rm -f "$name"
	assert_success
	run in_host iptables -t nat -S
	refute_output --regexp "--dport $port( |\$)"
	run in_client timeout -k 1 "$(scaled 3)" busybox wget -q -O- "http://$HOST_IP:$port/"
	assert_failure
	mdk network rm "$NET" >/dev/null
}

@test "[2] ch08: containers on one network reach each other; a stopped one releases its address and rules" {
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	port=$(rand_int 20000 40000)
	serve_token --net "$NET" -p "$port:80/tcp"
	run mdk run --rm --net "$NET" busybox sh -c "for i in \$(seq $((30 * SCALE))); do wget -q -O- http://$SUBNET_PREFIX.2/ && exit 0; sleep 0.2; done; exit 1"
	assert_success
	assert_output "$TOKEN"
	mdk stop -t 1 "$ID" >/dev/null
	assert_equal "$(held_by_containers)" ""
	run mdk run --rm --net "$NET" -p "$port:80" busybox ip -o -4 addr show eth0
	assert_success
	assert_output --partial "inet $SUBNET_PREFIX.2/24"
	mdk rm "$ID" >/dev/null
	mdk network rm "$NET" >/dev/null
}

@test "[2] ch08: a host port another container maps is refused with 125, and nothing of the refused one stays" {
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	port=$(rand_int 20000 40000) name=w$(rand_word 8)
	serve_token --name "$name" --net "$NET" -p "$port:80"
	before=$(net_state "$HOSTNS")
	run mdk run --rm --net "$NET" -p "$(rand_int 40001 50000):81" -p "$port:$(rand_int 1 9000)" busybox true
	assert_failure 125
	assert_equal "${#lines[@]}" 1
	assert_output --partial "port $port/tcp is already mapped by container $name"
	assert_equal "$(net_state "$HOSTNS")" "$before"
	assert_equal "$(mdk ps -a -q)" "${ID:0:12}"
	# udp is another port: that one is free.
	run mdk run --rm --net "$NET" -p "$port:80/udp" busybox ip -o -4 addr show eth0
	assert_success
	assert_output --partial "inet $SUBNET_PREFIX.3/24"
	mdk rm -f "$ID" >/dev/null
	mdk network rm "$NET" >/dev/null
}

@test "[3] ch08: bad network input: one line, exit 125, nothing left behind" {
	other=o$(rand_word 6)
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	before=$(net_state "$HOSTNS")
	check() { # PATTERN COMMAND...
		local pattern=$1
		shift
		run mdk "$@"
		assert_failure 125
		assert_equal "${#lines[@]}" 1
		assert_output --regexp "$pattern"
		assert_equal "$(net_state "$HOSTNS")" "$before"
		assert_equal "$(mdk ps -a -q)" ""
		assert_equal "$(mdk network ls | tail -n +2 | awk '{print $1}')" "$NET"
	}
	check "invalid subnet" network create --subnet "10.$(rand_int 1 99).0.0/33x" "$other"
	check "invalid subnet" network create --subnet "$(rand_word 5)" "$other"
	check "host bits set: did you mean $SUBNET_PREFIX.0/24" network create --subnet "$SUBNET_PREFIX.$(rand_int 1 255)/24" "$other"
	check "overlaps network $NET" network create --subnet "${SUBNET_PREFIX%.*}.0.0/16" "$other"
	check "network $NET already exists" network create --subnet "10.$(rand_int 1 99).0.0/24" "$NET"
	check "--subnet CIDR is required" network create "$other"
	check "'none' is a --net mode" network create --subnet "10.$(rand_int 1 99).0.0/24" none
	check "'host' is a --net mode" network create --subnet "10.$(rand_int 1 99).0.0/24" host
	check "no such network: $other" run --rm --net "$other" busybox true
	check "no such network: $other" network rm "$other"
	check "out of range" run --rm --net "$NET" -p "$(rand_int 65536 99999):80" busybox true
	check "out of range" run --rm --net "$NET" -p "80:0" busybox true
	check "HOSTPORT:CONTAINERPORT" run --rm --net "$NET" -p "$(rand_word 4)" busybox true
	check "protocol" run --rm --net "$NET" -p "80:80/sctp" busybox true
	check "needs --net" run --rm -p "$(rand_int 1 65535):80" busybox true
	check "needs --net" run --rm --net none -p "$(rand_int 1 65535):80" busybox true
	mdk network rm "$NET" >/dev/null
}

@test "[2] ch08: network rm refuses while a container uses the network, and names it" {
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	name=w$(rand_word 8)
	serve_token --name "$name" --net "$NET"
	run mdk network rm "$NET"
	assert_failure 125
	assert_output --partial "in use by container $name"
	in_host ip link show "mdk-$NET" >/dev/null || fail "the refused rm took the bridge"
	mdk rm -f "$name" >/dev/null
	run mdk network rm "$NET"
	assert_success
}

@test "[2] ch08: a /30 holds exactly one container; a full pool is a clear error" {
	SUBNET=$SUBNET_PREFIX.$((4 * $(rand_int 0 63)))/30
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	serve_token --net "$NET"
	run mdk run --rm --net "$NET" busybox true
	assert_failure 125
	assert_output --partial "no free address"
	mdk rm -f "$ID" >/dev/null
	run mdk run --rm --net "$NET" busybox true
	assert_success
	mdk network rm "$NET" >/dev/null
}

@test "[3] ch08: 20 containers started at once on one network get 20 distinct addresses" {
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	sync="$BATS_TEST_TMPDIR/sync"
	mkdir "$sync"
	# Each one says its address, then holds it until all of them have one.
	for i in $(seq 20); do
		mdk run --rm --net "$NET" -v "$sync:/sync" busybox sh -c \
			'ip -o -4 addr show eth0; for i in $(seq '"$((150 * SCALE))"'); do [ -e /sync/go ] && exit 0; sleep 0.1; done; exit 1' \
			>"$BATS_TEST_TMPDIR/ip.$i" 2>&1 &
	done
	addresses() { [ "$(cat "$BATS_TEST_TMPDIR"/ip.* | eth0_ip | wc -l)" -ge 20 ]; }
	wait_until 15 addresses
	touch "$sync/go"
	wait
	ips=$(cat "$BATS_TEST_TMPDIR"/ip.* | eth0_ip | sort -u)
	assert_equal "$(echo "$ips" | grep -c "^$SUBNET_PREFIX\\.")" 20
	mdk network rm "$NET" >/dev/null
}

@test "[2] ch08: --net none has lo alone, up; --net host shares the test host's devices" {
	run mdk run --rm --net none busybox sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "; ping -c 1 -W 2 127.0.0.1 >/dev/null && echo lo-answers; cat /etc/hosts'
	assert_success
	assert_line --index 0 lo
	assert_line --index 1 lo-answers
	assert_line --regexp '^127\.0\.0\.1[[:space:]]+localhost$'
	run mdk run --rm --net host busybox ip -o -4 addr show up0
	assert_success
	assert_output --partial "inet $HOST_IP/30"
}

@test "[2] ch08: rm -f of a container whose runtime was killed releases its rules and address" {
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	port=$(rand_int 20000 40000) name=w$(rand_word 8)
	serve_token --name "$name" --net "$NET" -p "$port:80"
	# The monitor is the parent of the container's init, httpd.
	wait_until 5 pgrep -x -f "httpd -f -p 80 -h /www" >/dev/null || fail "the container's httpd never started"
	monitor=$(ps -o ppid= -p "$(pgrep -x -f "httpd -f -p 80 -h /www")" | tr -d ' ')
	[ "/proc/$monitor/exe" -ef "$RUN" ] || fail "the container's parent $monitor is not a monitor of $RUN"
	kill -KILL "$monitor"
	run mdk ps -a
	assert_line --partial "$name"
	run mdk rm -f "$name"
	assert_success
	assert_equal "$(held_by_containers)" ""
	run mdk network rm "$NET"
	assert_success
}

@test "[2] ch08: with its bridge and a rule deleted by hand, network ls, ps, rm -f and network rm still work" {
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	port=$(rand_int 20000 40000) name=w$(rand_word 8)
	serve_token --name "$name" --net "$NET" -p "$port:80"
	in_host iptables -t nat -S OUTPUT | grep -F "mydocker container $name" | sed 's/^-A //' | {
		eval "set -- $(cat)"
		in_host iptables -t nat -D "$@"
	}
	in_host ip link del "mdk-$NET"
	run mdk network ls
	assert_success
	assert_line --regexp "^$NET "
	run mdk ps
	assert_success
	assert_line --partial "$name"
	run mdk rm -f "$name"
	assert_success
	run mdk run --rm --net "$NET" busybox true
	assert_failure 125
	assert_output --partial "bridge mdk-$NET is gone"
	run mdk network rm "$NET"
	assert_success
	assert_equal "$(net_state "$HOSTNS")" ""
}
