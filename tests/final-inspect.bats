#!/usr/bin/env bats
# final: looking inside containers (inspect, top, stats, port) and keeping
# house (prune, system df, version, info). Each test fails when what it
# names is taken away (final/README.md, "Everyday docker", lists them).

load helpers

setup() { common_setup; }
teardown() { if [ -n "${HOSTNS:-}" ]; then net_teardown; else common_teardown; fi; }

# jq_is FILTER EXPECTED: the filter applied to $json gives EXPECTED.
jq_is() {
	local got
	got=$(jq -r "$1" <<<"$json") || fail "jq could not read inspect's output: $json"
	[ "$got" = "$2" ] || fail "inspect: $1 is '$got', not '$2'"
}

@test "[2] final: inspect CONTAINER is a JSON array jq reads (state, config, mounts, cgroups) and -f picks fields of it" {
	local name key val var dir code id pid json
	name=c$(rand_word 8) key=k$(rand_word 5) val=$(rand_word 9) var=V$(rand_word 6) code=$(rand_int 1 120)
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/vol.XXXXXX")
	id=$("$RUN" run -d --name "$name" --label "$key=$val" -e "$var=$val" -v "$dir:/mnt:ro" -w "/w$key" busybox \
		sh -c "trap 'exit $code' TERM; while :; do sleep 1; done")
	json=$("$RUN" inspect "$name")
	jq_is 'length' 1
	jq_is '.[0].Id' "$id"
	jq_is '.[0].Name' "/$name"
	jq_is '.[0].State.Status' running
	jq_is '.[0].State.Running' true
	jq_is '.[0].Path' sh
	jq_is '.[0].Args[0]' -c
	jq_is '.[0].Config.Image' busybox
	jq_is ".[0].Config.Labels.$key" "$val"
	jq_is "[.[0].Config.Env[] | select(. == \"$var=$val\")] | length" 1
	jq_is '.[0].Config.WorkingDir' "/w$key"
	jq_is '.[0].Mounts[0].Source' "$dir"
	jq_is '.[0].Mounts[0].Destination' /mnt
	jq_is '.[0].Mounts[0].RW' false
	# Its PID is the init's: the host's process in the container's cgroup.
	pid=$(jq -r '.[0].State.Pid' <<<"$json")
	[ "$(tr '\0' ' ' </proc/"$pid"/cmdline)" = "sh -c trap 'exit $code' TERM; while :; do sleep 1; done " ] ||
		fail "State.Pid $pid is not the container's init: $(tr '\0' ' ' </proc/"$pid"/cmdline)"
	grep -qx "$pid" "$(jq -r '.[0].CgroupPaths.freezer' <<<"$json")/cgroup.procs" ||
		fail "CgroupPaths.freezer does not hold the init"
	# -f: the same values, and json and index.
	run "$RUN" inspect -f "{{.State.Pid}} {{.Name}} {{index .Config.Labels \"$key\"}} {{.Config.Labels}}" "$id"
	assert_output "$pid /$name $val map[$key:$val]"
	run "$RUN" inspect --format '{{json .Config.Labels}}' "${id:0:12}"
	[ "$(jq -r ".$key" <<<"$output")" = "$val" ] || fail "{{json .Config.Labels}} gave '$output'"
	# Once stopped: its exit code, no PID.
	"$RUN" stop "$id" >/dev/null
	json=$("$RUN" inspect "$id")
	jq_is '.[0].State.Status' exited
	jq_is '.[0].State.ExitCode' "$code"
	jq_is '.[0].State.Pid' 0
	jq_is '.[0].State.Running' false
	"$RUN" rm "$id" >/dev/null
}

@test "[1] final: inspect of a name nothing has, or a field there is not, is one line and exit 1; found ones still print" {
	local id missing=n$(rand_word 10)
	run "$RUN" inspect "$missing"
	assert_failure 1
	assert_output --partial "no such object: $missing"
	id=$("$RUN" run -d busybox sleep 1000)
	run --separate-stderr "$RUN" inspect "$missing" "$id"
	assert_failure 1
	[ "$(jq -r '.[0].Id' <<<"$output")" = "$id" ] || fail "the one found was not printed: $output"
	[ "$(jq length <<<"$output")" = 1 ] || fail "not one object: $output"
	run "$RUN" inspect -f '{{.State.Nope}}' "$id"
	assert_failure 1
	[ "${#lines[@]}" = 1 ] || fail "not one line: $output"
	assert_output --partial "{{.State.Nope}}"
	run "$RUN" inspect --type volume "$id"
	assert_failure 1
	run "$RUN" inspect --type image "$id"
	assert_failure 1
	"$RUN" rm -f "$id" >/dev/null
}

@test "[1] final: inspect IMAGE and image inspect: its ID, tag and layers, as images lists them" {
	local tag id image_id json
	tag=t$(rand_word 6)
	id=$("$RUN" run -d busybox sh -c "echo $tag > /f; sleep 1000")
	wait_until 5 eval '"$RUN" exec "$id" cat /f >/dev/null 2>&1'
	"$RUN" commit "$id" "img$tag:$tag" >/dev/null
	"$RUN" rm -f "$id" >/dev/null
	image_id=$("$RUN" images | awk -v r="img$tag" '$1 == r { print $3 }')
	[ -n "$image_id" ] || fail "images does not list img$tag"
	json=$("$RUN" image inspect "img$tag:$tag")
	jq_is '.[0].RepoTags[0]' "img$tag:$tag"
	jq_is '.[0].Id[:12]' "$image_id"
	jq_is '.[0].RootFS.Layers | length' 2
	jq_is '.[0].RootFS.Layers[1]' "$(jq -r '.[0].Id' <<<"$json")"
	run "$RUN" inspect -f '{{.Id}}' "${image_id:0:8}"
	assert_output "$(jq -r '.[0].Id' <<<"$json")"
	"$RUN" rmi "img$tag:$tag" >/dev/null
}

@test "[2] final: network inspect names the containers in it and their addresses; port prints -p's mappings" {
	net_setup
	local port json ip
	port=$(rand_int 20000 40000)
	mdk network create --subnet "$SUBNET" "$NET" >/dev/null
	serve_token --net "$NET" -p "$port:80"
	ip=$(mdk inspect -f '{{.NetworkSettings.IPAddress}}' "$ID")
	[[ $ip == "$SUBNET_PREFIX".* ]] || fail "NetworkSettings.IPAddress '$ip' is not in $SUBNET"
	mdk exec "$ID" ip -4 addr show eth0 | grep -q "inet $ip/24" || fail "eth0 does not have $ip"
	json=$(mdk network inspect "$NET")
	jq_is '.[0].Name' "$NET"
	jq_is '.[0].IPAM.Config[0].Subnet' "$SUBNET"
	jq_is ".[0].Containers[\"$ID\"].IPv4Address" "$ip/24"
	run mdk inspect -f "{{json .NetworkSettings.Ports}}" "$ID"
	[ "$(jq -r '.["80/tcp"][0].HostPort' <<<"$output")" = "$port" ] || fail "Ports: $output"
	run mdk port "$ID"
	assert_output "80/tcp -> 0.0.0.0:$port"
	run mdk port "$ID" 80/tcp
	assert_output "0.0.0.0:$port"
	[ "$(fetch in_client "http://$HOST_IP:$port/")" = "$TOKEN" ] || fail "the port that port names does not serve"
	run mdk port "$ID" 81
	assert_failure 1
	assert_output --partial "81/tcp"
	mdk rm -f "$ID" >/dev/null
	mdk network rm "$NET" >/dev/null
}

@test "[1] final: top lists the container's processes with host PIDs, exec's too, and no other" {
	local id a b pids
	a=$(rand_int 1000 4999) b=$(rand_int 5000 9999)
	id=$("$RUN" run -d busybox sh -c "sleep $a & exec sleep $b")
	"$RUN" exec "$id" sh -c "sleep $((a + b)) >/dev/null 2>&1 &"
	wait_until 5 eval '[ "$("$RUN" top "$id" | grep -c "sleep")" = 3 ]' || fail "top: $("$RUN" top "$id")"
	run "$RUN" top "$id"
	assert_line --index 0 --regexp '^UID +PID +PPID'
	for n in $a $b $((a + b)); do
		pids=$(pgrep -fx "sleep $n")
		assert_line --regexp "^[a-z0-9]+ +$pids .*sleep $n\$"
	done
	[ "${#lines[@]}" = 4 ] || fail "top shows what is not the container's: $output"
	run "$RUN" top "$id" -o pid,comm
	assert_line --index 0 --regexp '^ *PID +COMMAND'
	[ "${#lines[@]}" = 4 ] || fail "top -o pid,comm: $output"
	"$RUN" stop -t 0 "$id" >/dev/null
	run "$RUN" top "$id"
	assert_failure 1
	assert_output --partial "not running"
	"$RUN" rm "$id" >/dev/null
}

@test "[1] final: stats --no-stream: a busy loop's CPU, a held buffer's memory against -m, the PID count, from the cgroups" {
	local busy holder n mb kb cpu mem
	n=$(rand_int 2 6) mb=$(rand_int 40 90) kb=$(rand_int 6000 12000)
	busy=$("$RUN" run -d busybox sh -c 'while :; do :; done')
	# The shell holds kb kilobytes in a variable; n sleeps beside it.
	holder=$("$RUN" run -d -m "${mb}m" busybox sh -c \
		"i=0; while [ \$i -lt $n ]; do sleep 1000 & i=\$((i+1)); done; x=\$(head -c ${kb}000 /dev/zero | tr '\\0' a); echo held; wait")
	wait_until 20 eval '"$RUN" logs "$holder" | grep -q held' || fail "the holder never held its buffer"
	run "$RUN" stats --no-stream "$busy" "$holder"
	assert_success
	assert_line --index 0 --regexp '^CONTAINER ID +NAME +CPU % +MEM USAGE / LIMIT +MEM % +PIDS$'
	cpu=$(awk -v id="${busy:0:12}" '$1 == id { sub("%", "", $3); print int($3) }' <<<"$output")
	[ "$cpu" -ge 30 ] || fail "a busy loop uses ${cpu}% CPU: $output"
	# The holder: at least its buffer, under its limit (decimal units, as docker's).
	mem=$(awk -v id="${holder:0:12}" '$1 == id { print $4, $6, $NF }' <<<"$output")
	read -r used limit pids <<<"$mem"
	[[ $used == *MB ]] && [ "${used%%.*}" -ge $((kb / 1000)) ] || fail "memory use $used, not at least ${kb}kB: $output"
	[ "$limit" = "$(awk -v b=$((mb << 20)) 'BEGIN { printf "%.4gMB", b / 1e6 }')" ] || fail "limit $limit for -m ${mb}m: $output"
	[ "$pids" = $((n + 1)) ] || fail "$pids PIDs, not $((n + 1)): $output"
	"$RUN" rm -f "$busy" "$holder" >/dev/null
}

@test "[2] final: container prune removes the exited containers only, and what they wrote; system df counted them first" {
	local n up ids=() kb out
	n=$(rand_int 2 4) kb=$(rand_int 600 900)
	for _ in $(seq "$n"); do
		ids+=("$("$RUN" run -d busybox sh -c "head -c ${kb}000 /dev/urandom > /junk")")
	done
	up=$("$RUN" run -d busybox sleep 1000)
	for id in "${ids[@]}"; do "$RUN" wait "$id" >/dev/null; done
	run "$RUN" system df
	assert_line --regexp "^Containers +$((n + 1)) +1 +"
	# Declined: nothing goes.
	run "$RUN" container prune <<<"n"
	assert_failure 1
	[ "$(ls "$MYDOCKER_ROOT/containers" | wc -l)" = $((n + 1)) ] || fail "a declined prune removed containers"
	run "$RUN" container prune <<<"y"
	assert_success
	assert_line "Deleted Containers:"
	for id in "${ids[@]}"; do assert_line "$id"; done
	refute_line "$up"
	out=$(grep "Total reclaimed space" <<<"$output")
	[[ $out =~ ([0-9.]+)MB$ ]] && [ "$(awk -v a="${BASH_REMATCH[1]}" -v b=$((n * kb)) 'BEGIN { print (a * 1000 >= b * 0.99) }')" = 1 ] ||
		fail "reclaimed '$out', not the ${n}x${kb}kB they wrote"
	run "$RUN" ps -aq --no-trunc
	assert_output "$up"
	"$RUN" rm -f "$up" >/dev/null
}

@test "[1] final: image prune -a removes the images no container uses (bases last); network prune the networks none is in" {
	net_setup
	local tag id used other
	tag=$(rand_word 6) used=u$(rand_word 6) other=o$(rand_word 6)
	id=$(mdk run -d busybox sh -c 'echo x > /f; sleep 1000')
	mdk commit "$id" "base$tag" >/dev/null
	mdk commit "$id" "lone$tag" >/dev/null
	mdk rm -f "$id" >/dev/null
	# used: a container stands on base$tag; other: empty.
	mdk network create --subnet "$SUBNET" "$used" >/dev/null
	mdk network create --subnet "${SUBNET_PREFIX%.*}.$(( (${SUBNET_PREFIX##*.} + 1) % 256 )).0/24" "$other" >/dev/null
	id=$(mdk run -d --net "$used" "base$tag" sleep 1000)
	run mdk image prune -f
	assert_output --partial "Total reclaimed space: 0B"
	run mdk image prune -a -f
	assert_success
	assert_line "Untagged: lone$tag:latest"
	refute_line "Untagged: base$tag:latest"
	refute_line "Untagged: busybox:latest"
	run mdk images
	refute_output --partial "lone$tag"
	assert_output --partial "base$tag"
	run mdk network prune -f
	assert_success
	assert_line "$other"
	refute_line "$used"
	run mdk network ls
	assert_output --partial "$used"
	refute_output --partial "$other"
	mdk rm -f "$id" >/dev/null
	mdk network rm "$used" >/dev/null
	mdk rmi "base$tag" >/dev/null
}

@test "[1] final: version names the release and build; info the host's cgroup mode, the state root and the counts" {
	local n ids=()
	run "$RUN" version
	assert_success
	assert_line --regexp '^ Version: +[0-9]+\.[0-9]+\.[0-9]+'
	assert_line --regexp '^ Kernel: +'"$(uname -r)"'$'
	n=$(rand_int 1 3)
	for _ in $(seq "$n"); do ids+=("$("$RUN" run -d busybox sleep 1000)"); done
	ids+=("$("$RUN" run -d busybox true)")
	"$RUN" wait "${ids[-1]}" >/dev/null
	run "$RUN" info
	assert_success
	assert_line "Containers: $((n + 1))"
	assert_line " Running: $n"
	assert_line " Stopped: 1"
	assert_line "Mydocker Root Dir: $MYDOCKER_ROOT"
	if cgroup_v2; then assert_line "Cgroup Version: 2 (v2)"; else assert_line --regexp '^Cgroup Version: 1 \((v1|hybrid)\)$'; fi
	run "$RUN" system info
	assert_line "Containers: $((n + 1))"
	"$RUN" rm -f "${ids[@]}" >/dev/null
}
