#!/usr/bin/env bats
# ch04-overlay: the image read-only below, the container's changes in its own upper dir.

load helpers

image_state() { # every path of the busybox image with its type, size and checksum
	(cd "$MYDOCKER_ROOT/layers" && find . -printf '%p %y %s %m\n' | sort && find . -type f -exec md5sum {} + | sort)
}

@test "[2] ch04: the container's root is an overlay" {
	run ctr -- grep " / " /proc/mounts
	assert_success
	assert_output --regexp '^overlay / overlay .*lowerdir='
}

@test "[3] ch04: writes, deletes and renames inside never change the image" {
	before=$(image_state)
	tok=$(rand_word 12)
	run ctr -- sh -c "echo $tok > /etc/$tok && echo more >> /etc/group && rm /bin/ls && mv /etc/passwd /etc/$tok.pw &&
		mkdir /usr/$tok && rm -r /sbin && cat /etc/$tok && ls /sbin /bin/ls /etc/passwd 2>&1 | wc -l"
	assert_success
	assert_line --index 0 "$tok"
	assert_line --index 1 3
	assert_equal "$(image_state)" "$before"
	# The next container starts from the untouched image.
	run ctr -- sh -c "ls /etc/$tok; ls /bin/ls /etc/passwd /sbin/ip"
	assert_success
	assert_line --index 0 --partial "/etc/$tok"
	assert_line --index 1 /bin/ls
	assert_line --index 2 /etc/passwd
	assert_line --index 3 /sbin/ip
}

@test "[2] ch04: two containers from one image do not see each other's writes" {
	tok=$(rand_word 12)
	hold -- sh -c "echo $tok > /tmp/$tok && echo ready && read x"
	run ctr -- sh -c "cat /tmp/$tok"
	assert_failure
	refute_output --partial "$tok"$'\n'
	release
	assert_equal "$HELD_RC" 0
}

@test "[2] ch04: upper/ holds exactly the container's changes while it runs" {
	tok=$(rand_word 12)
	hold -- sh -c "echo $tok > /root/$tok && rm /bin/ls && echo ready && read x"
	upper=$(find "$MYDOCKER_ROOT/containers" -mindepth 2 -maxdepth 2 -name upper)
	[ -d "$upper" ] || fail "no upper directory under $MYDOCKER_ROOT/containers"
	run sh -c "cd '$upper' && find . -mindepth 1 \( -type f -o -type c \) -printf '%p %y\n' | sort"
	assert_success
	# The new file, and the deletion as a whiteout: a 0/0 character device.
	assert_equal "$output" "./bin/ls c
./root/$tok f"
	assert_equal "$(cat "$upper/root/$tok")" "$tok"
	assert_equal "$(stat -c '%t %T' "$upper/bin/ls")" "0 0"
	release
	[ ! -e "$upper" ] || fail "$upper is still there after the container exited"
}

@test "[2] ch04: nothing of the container remains when it exits, also when its command fails" {
	run ctr -- sh -c "touch /$(rand_word 6)"
	assert_success
	run -127 ctr -- "/$(rand_word 8)"
	run -126 ctr -- /etc/passwd
	code=$(rand_int 1 120)
	run ctr -- sh -c "exit $code"
	assert_equal "$status" "$code"
	run find "$MYDOCKER_ROOT/containers" -mindepth 1
	assert_output ""
}
