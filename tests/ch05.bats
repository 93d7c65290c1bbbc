#!/usr/bin/env bats
# ch05-volumes: -v HOST:CTR[:ro|:rw] bind mounts.

load helpers

# The image's layer directories, top first, from the options of a
# container's root overlay: what the kernel mounted, wherever the runtime
# keeps them. A test that plays a hostile image changes them directly.
image_layers() {
	ctr -- cat /proc/self/mountinfo | sed -n 's/.* \/ .* overlay .*[ ,]lowerdir=\([^,]*\).*/\1/p' | tr ':' '\n'
}

@test "[2] ch05: files written into a volume outlive the container" {
	host="$BATS_TEST_TMPDIR/$(rand_word 8)"
	tok=$(rand_word 16)
	run ctr -v "$host:/data" -- sh -c "echo $tok > /data/out && grep ' /data ' /proc/mounts"
	assert_success
	assert_output --regexp ' /data [a-z0-9]+ rw'
	assert_equal "$(cat "$host/out")" "$tok"
	# The host directory was created; a second container sees the data.
	run ctr -v "$host:/again" -- cat /again/out
	assert_output "$tok"
}

@test "[2] ch05: :ro makes writes fail, :rw and reads work" {
	ro="$BATS_TEST_TMPDIR/$(rand_word 8)" rw="$BATS_TEST_TMPDIR/$(rand_word 8)"
	mkdir -p "$ro"
	tok=$(rand_word 12)
	echo "$tok" >"$ro/in"
	run ctr -v "$ro:/in:ro" -v "$rw:/out:rw" -- sh -c "cat /in/in > /out/copy; touch /in/new"
	assert_failure
	assert_output --partial "Read-only file system"
	[ ! -e "$ro/new" ] || fail "a file was written through a read-only volume"
	assert_equal "$(cat "$rw/copy")" "$tok"
}

@test "[2] ch05: :ro holds for what is mounted below the volume's directory too" {
	host="$BATS_TEST_TMPDIR/$(rand_word 8)"
	sub=$(rand_word 6) tok=$(rand_word 12)
	mkdir -p "$host/$sub"
	# A filesystem mounted inside the host directory (the run's own mount
	# namespace: no one else sees it).
	mount -t tmpfs -o size=1m "$(rand_word 4)" "$host/$sub"
	echo "$tok" >"$host/$sub/in"
	run ctr -v "$host:/data:ro" -- sh -c "cat /data/$sub/in; touch /data/$sub/new; touch /data/new"
	umount "$host/$sub"
	assert_failure
	# The submount is there, as docker's -v shows it, and read-only like the rest.
	assert_line --index 0 "$tok"
	assert_line --index 1 --partial "Read-only file system"
	assert_line --index 2 --partial "Read-only file system"
}

@test "[2] ch05: a volume over an image directory shadows it and leaves the image alone" {
	host="$BATS_TEST_TMPDIR/$(rand_word 8)"
	mkdir -p "$host"
	tok=$(rand_word 10)
	touch "$host/$tok"
	layer=$(image_layers | tail -n 1)
	[ -d "$layer/usr/bin" ] || fail "no usr/bin in the image's layer '$layer'"
	before=$(ls -R "$layer/usr" | md5sum)
	run ctr -v "$host:/usr/bin" -- /bin/sh -c 'cd /usr/bin && echo *; touch made-inside'
	assert_success
	assert_output "$tok"
	[ -e "$host/made-inside" ] || fail "the write did not reach the host directory"
	assert_equal "$(ls -R "$layer/usr" | md5sum)" "$before"
	run ctr -- ls /usr/bin/tail
	assert_success
}

@test "[3] ch05: a symlink in the image cannot send a volume out to the host" {
	name=$(rand_word 8)
	layer=$(image_layers | head -n 1)
	[ -d "$layer/etc" ] || fail "no etc in the image's layer '$layer'"
	ln -s /etc "$layer/evil"
	ln -s ../../../../../../../../etc "$layer/up"
	host="$BATS_TEST_TMPDIR/$(rand_word 8)"
	mkdir -p "$host"
	touch "$host/$name"
	run "$RUN" run "${RM[@]}" -v "$host:/evil/$name" -v "$host:/up/$name.2" busybox sh -c "ls /etc/$name /etc/$name.2"
	assert_success
	assert_line "$name"
	# Nothing appeared, and nothing was mounted, in the host's /etc.
	[ ! -e "/etc/$name" ] && [ ! -e "/etc/$name.2" ] || fail "a volume landed in the host's /etc"
	run grep -c " /etc/$name" /proc/self/mountinfo
	assert_output 0
}

@test "[2] ch05: bad volume specs are exit 125 with nothing left behind" {
	h="$BATS_TEST_TMPDIR/$(rand_word 8)"
	for spec in ":/x" "$h" "$h:relative" "$h:/x:ro:x" "relative:/x" "$h:/x:xx" "$h:/" "$h:/a/../etc"; do
		run ctr -v "$spec" -- true
		[ "$status" = 125 ] || fail "-v '$spec' exited $status, expected 125: $output"
		[ "${#lines[@]}" = 1 ] || fail "-v '$spec' printed ${#lines[@]} lines: $output"
		assert_output --regexp "^mydocker: -v "
		[ ! -e "$h" ] || fail "-v '$spec' created $h"
	done
	file="$BATS_TEST_TMPDIR/$(rand_word 8)"
	touch "$file"
	run ctr -v "$file:/x" -- true
	assert_equal "$status" 125
	assert_output --partial "not a directory"
}

@test "[1] ch05: a kernel without openat2 or mount_setattr is refused in one line" {
	refused_without openat2 "openat2" 5.6
	refused_without mount_setattr "mount_setattr" 5.12
}
