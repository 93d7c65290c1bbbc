#!/usr/bin/env bats
# ch05-volumes: -v HOST:CTR[:ro|:rw] bind mounts.

load helpers

# make_image NAME: a copy of busybox's layer as a new image, for the test to change.
make_image() {
	local layer="$MYDOCKER_ROOT/layers/$1"
	local list
	list=$(layer_list "$MYDOCKER_ROOT" "$1")
	cp -a "$(sed -n 1p "$(layer_list "$MYDOCKER_ROOT" busybox)" | sed "s|^|$MYDOCKER_ROOT/layers/|")" "$layer"
	mkdir -p "$(dirname "$list")"
	echo "$1" >"$list"
	echo "$layer"
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

@test "[2] ch05: a volume over an image directory shadows it and leaves the image alone" {
	host="$BATS_TEST_TMPDIR/$(rand_word 8)"
	mkdir -p "$host"
	tok=$(rand_word 10)
	touch "$host/$tok"
	layer=$(sed -n 1p "$(layer_list "$MYDOCKER_ROOT" busybox)")
	before=$(ls -R "$MYDOCKER_ROOT/layers/$layer/usr" | md5sum)
	run ctr -v "$host:/usr/bin" -- /bin/sh -c 'cd /usr/bin && echo *; touch made-inside'
	assert_success
	assert_output "$tok"
	[ -e "$host/made-inside" ] || fail "the write did not reach the host directory"
	assert_equal "$(ls -R "$MYDOCKER_ROOT/layers/$layer/usr" | md5sum)" "$before"
	run ctr -- ls /usr/bin/tail
	assert_success
}

@test "[3] ch05: a symlink in the image cannot send a volume out to the host" {
	name=$(rand_word 8)
	img="img$name"
	layer=$(make_image "$img")
	ln -s /etc "$layer/evil"
	ln -s ../../../../../../../../etc "$layer/up"
	host="$BATS_TEST_TMPDIR/$(rand_word 8)"
	mkdir -p "$host"
	touch "$host/$name"
	run "$RUN" run "${RM[@]}" -v "$host:/evil/$name" -v "$host:/up/$name.2" "$img" sh -c "ls /etc/$name /etc/$name.2"
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
