#!/usr/bin/env bats
# ch09-commit: images as stacks of shared layers; commit (frozen while it
# copies), images, rmi, export, import.

load helpers

# image_layers IMAGE: its layer directories, top first, from the options of
# the root overlay of a container of it: what the kernel mounted, wherever
# the runtime keeps them.
image_layers() {
	"$RUN" run --rm "$1" cat /proc/self/mountinfo | sed -n 's/.* \/ .* overlay .*[ ,]lowerdir=\([^,]*\).*/\1/p' | tr ':' '\n'
}
# The disk the state root takes, in KiB.
store_kb() { du -sk "$MYDOCKER_ROOT" | cut -f1; }

# A detached container that has made its changes ($1: a shell script) and
# then waits; sets ID.
start_changed() {
	ID=$(timeout -k 2 "$(scaled 30)" "$RUN" run -d busybox sh -c "$1; touch /tmp/.changed; while :; do sleep 1; done")
	[[ $ID =~ ^[0-9a-f]{64}$ ]] || fail "run -d printed '$ID'"
	wait_until 30 "$RUN" exec "$ID" test -e /tmp/.changed || fail "the container never finished its changes"
}

@test "[3] ch09: commit makes an image with the container's change; the container runs on; images lists it" {
	tok=$(rand_word 16)
	f=$(rand_word 8)
	repo=$(rand_word 8)
	start_changed "echo $tok > /$f"
	run "$RUN" commit "$ID" "$repo"
	assert_success
	[[ $output =~ ^[0-9a-f]{12,}$ ]] || fail "commit printed '$output', not an image ID"
	new=$output
	run "$RUN" run --rm "$repo" cat "/$f"
	assert_success
	assert_output "$tok"
	run "$RUN" run --rm busybox cat "/$f"
	assert_failure
	# The container was not stopped by the commit.
	run "$RUN" exec "$ID" cat "/$f"
	assert_output "$tok"
	run "$RUN" images
	assert_success
	assert_line --index 0 --regexp '^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE$'
	assert_line --regexp "^$repo +latest +${new:0:12} +(Less than a second|[0-9]+ seconds?) ago +[0-9.]+[kMG]?B$"
	assert_line --regexp "^busybox +latest +[0-9a-f]{12} +"
	"$RUN" rm -f "$ID"
}

@test "[3] ch09: deletions survive commit: a removed file stays removed, a replaced directory hides the old one" {
	applet=$("$RUN" run --rm busybox ls /bin | grep -vx -e busybox -e sh -e ls -e cat -e test | rand_line)
	tok=$(rand_word 12)
	name=$(rand_word 8)
	repo=$(rand_word 8)
	# An exited container: nothing to freeze, its changes stay until rm.
	run "$RUN" run --name "$name" busybox sh -c "rm /bin/$applet && rm -rf /etc && mkdir /etc && echo $tok > /etc/$tok"
	assert_success
	run "$RUN" commit "$name" "$repo:$tok"
	assert_success
	run "$RUN" run --rm "$repo:$tok" sh -c "ls /etc; test -e /bin/$applet && echo '$applet is back'; ls /bin | wc -l"
	assert_success
	assert_line --index 0 "$tok"
	refute_output --partial "is back"
	before=$("$RUN" run --rm busybox ls /bin | wc -l)
	assert_line --index 1 "$((before - 1))"
	# The base image still has both.
	run "$RUN" run --rm busybox sh -c "test -e /bin/$applet && test -e /etc/passwd && echo intact"
	assert_output intact
	"$RUN" rm "$name"
}

@test "[2] ch09: a commit of a committed image's container stacks three layers, sharing the lower two" {
	a=$(rand_word 10)
	b=$(rand_word 10)
	repo=$(rand_word 8)
	run "$RUN" run --name one busybox sh -c "echo $a > /a"
	assert_success
	"$RUN" commit one "$repo:1" >/dev/null
	run "$RUN" run --name two "$repo:1" sh -c "echo $b > /b; cat /a"
	assert_output "$a"
	run "$RUN" commit two "$repo:2"
	assert_success
	run image_layers "$repo:2"
	[ "${#lines[@]}" = 3 ] || fail "$repo:2 has ${#lines[@]} layers: $output"
	# Its lower two layers are $repo:1's, which are busybox's plus one: the
	# same directories, not copies.
	assert_same "$(image_layers "$repo:1")" "$(sed -n '2,3p' <<<"$output")" "$repo:1's layers"
	assert_same "$(image_layers busybox)" "$(sed -n 3p <<<"$output")" "busybox's layer"
	run "$RUN" run --rm "$repo:2" cat /a /b
	assert_output "$a
$b"
	"$RUN" rm one two >/dev/null
}

@test "[3] ch09: a container that changed one small file adds one small layer, not a copy of its image" {
	tok=$(rand_word "$(rand_int 20 200)")
	repo=$(rand_word 8)
	start_changed "echo $tok > /etc/$(rand_word 6)"
	before_kb=$(store_kb)
	base_kb=$(du -sk "$(image_layers busybox)" | cut -f1)
	[ "$base_kb" -gt 500 ] || fail "the busybox layer takes only $base_kb KiB: nothing to compare with"
	run "$RUN" commit "$ID" "$repo"
	assert_success
	after_kb=$(store_kb)
	assert_equal "$(image_layers "$repo" | wc -l)" 2
	[ $((after_kb - before_kb)) -lt 100 ] || fail "the commit added $((after_kb - before_kb)) KiB (the base layer is $base_kb KiB)"
	"$RUN" rm -f "$ID"
}

@test "[3] ch09: the container is frozen while commit copies it, and thawed after" {
	mb=$(rand_int 24 48)
	start_changed "dd if=/dev/zero of=/big bs=1M count=$mb 2>/dev/null; (i=0; while :; do i=\$((i+1)); echo \$i > /tmp/count; done) & :"
	if cgroup_v2; then
		dir="$CGROOT/$CGPARENT/$ID" state=cgroup.events frozen='frozen 1'
	else
		dir="$CGROOT/freezer/$CGPARENT/$ID" state=freezer.state frozen=FROZEN
	fi
	[ -d "$dir" ] || fail "the container has no freezer cgroup $dir"
	# The counter's file, through the container's root as its processes see it.
	count="/proc/$(head -n 1 "$dir/cgroup.procs")/root/tmp/count"
	# The counter as written last (the loop truncates, then writes: a
	# reading in between is empty, and read again).
	counter() { local c=""; while [ -z "$c" ]; do read -r c <"$count" || true; done; echo "$c"; }
	# Whether the cgroup reads frozen now: builtins only (no fork), so the
	# loop below sees a frozen moment however short the copy is.
	is_frozen() {
		local line lines
		mapfile -t lines <"$dir/$state" 2>/dev/null || return 1
		for line in "${lines[@]}"; do [ "$line" = "$frozen" ] && return 0; done
		return 1
	}
	"$RUN" commit "$ID" "$(rand_word 8)" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	commit=$!
	# The moment the cgroup reads frozen, stop commit there (SIGSTOP cannot
	# be blocked): the container must stay frozen, its counter standing
	# still, for as long as we look. Then let commit go on.
	# Between looks, a nap of half a millisecond without a fork (read
	# times out on a FIFO that never has data): the copy takes longer than
	# that, and the test leaves the CPUs to commit and the container.
	mkfifo "$BATS_TEST_TMPDIR/nap"
	exec {nap}<>"$BATS_TEST_TMPDIR/nap"
	seen=0 still=0 moved=0
	while [ "$seen" = 0 ] && kill -0 "$commit" 2>/dev/null; do
		is_frozen || { read -r -t 0.0005 -u "$nap" _ || true; continue; }
		kill -STOP "$commit" 2>/dev/null || break
		if is_frozen; then
			seen=1
			for _ in 1 2 3; do
				# Raw readings: frozen between its truncate and its
				# write, the file stays empty, and that too must hold.
				c1=$(cat "$count")
				sleep 0.1
				c2=$(cat "$count")
				is_frozen || fail "thawed while commit was stopped"
				if [ "$c1" = "$c2" ]; then still=$((still + 1)); else moved=$((moved + 1)); fi
			done
		fi
		kill -CONT "$commit"
	done
	wait "$commit" || fail "commit failed: $(cat "$BATS_TEST_TMPDIR/out")"
	[ "$seen" = 1 ] || fail "$dir/$state never read '$frozen' during the commit"
	[ "$moved" = 0 ] || fail "the container's counter moved $moved times in 3 looks while it read frozen"
	assert_equal "$still" 3
	# Thawed: the counter runs again.
	! is_frozen || fail "still frozen after commit"
	c1=$(counter)
	sleep 0.3
	c2=$(counter)
	[ "$c1" != "$c2" ] || fail "the counter stands still after commit ($c1)"
	"$RUN" rm -f "$ID"
}

@test "[2] ch09: rmi refuses an image a container or another image uses, then frees only its own layers" {
	base=$(rand_word 8)
	top=$(rand_word 8)
	name=$(rand_word 8)
	"$RUN" run --name "$name" busybox touch /x
	"$RUN" commit "$name" "$base" >/dev/null
	"$RUN" rm "$name" >/dev/null
	"$RUN" run --name "$name" "$base" touch /y
	run "$RUN" rmi "$base"
	assert_failure
	assert_output --regexp "^mydocker: .*$base.*used by container $name"
	"$RUN" commit "$name" "$top" >/dev/null
	"$RUN" rm "$name" >/dev/null
	mapfile -t layers < <(image_layers "$top")   # top's own, base's own, busybox's
	[ "${#layers[@]}" = 3 ] || fail "$top has ${#layers[@]} layers, not 3: ${layers[*]}"
	run "$RUN" rmi "$base"
	assert_failure
	assert_output --regexp "^mydocker: .*$base.*base of image $top"
	for l in "${layers[@]}"; do [ -d "$l" ] || fail "the refused rmi took the layer $l"; done
	run "$RUN" rmi "$top"
	assert_success
	assert_line --index 0 "Untagged: $top:latest"
	[ ! -e "${layers[0]}" ] || fail "rmi $top left its own layer ${layers[0]}"
	[ -d "${layers[1]}" ] && [ -d "${layers[2]}" ] || fail "rmi $top took a layer of $base"
	run "$RUN" rmi "$base"
	assert_success
	[ ! -e "${layers[1]}" ] || fail "rmi $base left its own layer ${layers[1]}"
	[ -d "${layers[2]}" ] || fail "rmi $base took busybox's layer"
	run "$RUN" images
	refute_output --partial "$base"
	run "$RUN" run --rm busybox true
	assert_success
}

@test "[2] ch09: export writes a flat root tarball, and import makes a one-layer image of it" {
	tok=$(rand_word 12)
	f=$(rand_word 8)
	applet=$("$RUN" run --rm busybox ls /bin | grep -vx -e busybox -e sh -e cat | rand_line)
	ref="$(rand_word 8):$(rand_word 4)"
	start_changed "echo $tok > /$f; rm /bin/$applet"
	tar="$BATS_TEST_TMPDIR/root.tar"
	run "$RUN" export -o "$tar" "$ID"
	assert_success
	run tar -tvf "$tar"
	assert_success
	assert_line --regexp "^-.* \./$f$"
	assert_line --regexp " \./bin/busybox$"
	refute_line --regexp " \./bin/$applet( |$)"
	refute_line --regexp "^c"
	refute_line --regexp " \./proc/."
	# To stdout, the same members.
	assert_equal "$("$RUN" export "$ID" | tar -t | sort)" "$(tar -tf "$tar" | sort)"
	run "$RUN" import "$tar" "$ref"
	assert_success
	assert_equal "$(image_layers "$ref" | wc -l)" 1
	run "$RUN" run --rm "$ref" sh -c "cat /$f; test -e /bin/$applet || echo gone"
	assert_output "$tok
gone"
	"$RUN" rm -f "$ID"
}

@test "[2] ch09: bad input is one line, exit 125, and leaves no layer or image behind" {
	name=$(rand_word 8)
	repo=$(rand_word 8)
	"$RUN" run --name "$name" busybox touch /x
	"$RUN" commit "$name" "$repo" >/dev/null
	junk="$BATS_TEST_TMPDIR/$(rand_word 6).tar"
	head -c "$(rand_int 100 5000)" /dev/urandom >"$junk"
	state() { find "$MYDOCKER_ROOT" -not -name "*.lock" | sort; }
	before=$(state)
	check() { # EXPECTED-MESSAGE-REGEX COMMAND...
		local re=$1
		shift
		run "$RUN" "$@"
		[ "$status" = 125 ] || fail "'$*' exited $status, not 125: $output"
		[ "${#lines[@]}" = 1 ] || fail "'$*' printed ${#lines[@]} lines: $output"
		assert_output --regexp "^mydocker: .*$re"
		assert_same "$before" "$(state)" "the paths under the state root"
	}
	check "no such container: nope$name" commit "nope$name" "$(rand_word 6)"
	check "$repo:latest already exists" commit "$name" "$repo"
	check "$repo:latest already exists" commit "$name" "$repo:latest"
	check "invalid image name" commit "$name" "Bad/$repo"
	check "invalid image name" commit "$name" "$repo:"
	check "invalid image name" commit "$name" ":$repo"
	check "invalid image name" commit "$name" "$repo:a:b"
	check "not a tar archive" import "$junk" "$(rand_word 6)"
	check "$repo:latest already exists" import "$junk" "$repo"
	check "invalid image name" import "$junk" ".$repo"
	check "no such container" export -o "$BATS_TEST_TMPDIR/x.tar" "nope$name"
	[ ! -e "$BATS_TEST_TMPDIR/x.tar" ] || fail "a failed export left its file"
	# A new tag of an existing repository is fine.
	run "$RUN" commit "$name" "$repo:$(rand_word 4)"
	assert_success
	"$RUN" rm "$name"
}
