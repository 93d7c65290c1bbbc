#!/usr/bin/env bats
# ch04-overlay: the image read-only below, the container's changes in its own upper dir.

load helpers

# overlay_option NAME: the value of NAME (lowerdir, upperdir, workdir) in the
# options of the container's root overlay, read from inside a container: what
# the kernel says, wherever the runtime keeps its layers.
overlay_option() {
	ctr -- cat /proc/self/mountinfo | sed -n "s/.* \/ .* overlay .*[ ,]$1=\([^,]*\).*/\1/p"
}

# Every path of the image's layers with its type, size, mode and checksum.
image_state() {
	local layer
	for layer in $(overlay_option lowerdir | tr ':' ' '); do
		(cd "$layer" && find . -printf "$layer %p %y %s %m\n" | sort && find . -type f -exec md5sum {} + | sort)
	done
}

# layered_image NAME FILE: an image of two layers, busybox's below and one
# above it, where FILE says "lower" in the lower layer and "upper" in the
# upper one. Until ch09 no command makes an image of two layers, so this is
# the one place a test writes the store itself, as the runtime reads it: a
# layer is a directory in layers/, an image a list of layer IDs, top first,
# in images/NAME/layers (from ch09 on images/NAME/TAG/layers).
layered_image() {
	local busybox layers top=up$(rand_word 10) list
	busybox=$(overlay_option lowerdir)
	layers=$(dirname "$busybox")
	cp -a "$busybox" "$layers/lo$top"
	echo lower >"$layers/lo$top/$2"
	mkdir -p "$layers/$top/$(dirname "$2")"
	echo upper >"$layers/$top/$2"
	list=$MYDOCKER_ROOT/images/$1/layers
	[ "$CH" -lt 9 ] || list=$MYDOCKER_ROOT/images/$1/latest/layers
	mkdir -p "$(dirname "$list")"
	printf '%s\n' "$top" "lo$top" >"$list"
}

@test "[2] ch04: the container's root is an overlay" {
	run ctr -- grep " / " /proc/mounts
	assert_success
	assert_output --regexp '^overlay / overlay .*lowerdir='
}

@test "[3] ch04: writes, deletes and renames inside never change the image" {
	before=$(image_state)
	[ -n "$before" ] || fail "no lowerdir in the root overlay's options"
	tok=$(rand_word 12)
	run ctr -- sh -c "echo $tok > /etc/$tok && echo more >> /etc/group && rm /bin/ls && mv /etc/passwd /etc/$tok.pw &&
		mkdir /usr/$tok && rm -r /sbin && cat /etc/$tok && ls /sbin /bin/ls /etc/passwd 2>&1 | wc -l"
	assert_success
	assert_line --index 0 "$tok"
	assert_line --index 1 3
	assert_same "$before" "$(image_state)" "the image's files"
	# The next container starts from the untouched image.
	run ctr -- sh -c "ls /etc/$tok; ls /bin/ls /etc/passwd /sbin/ip"
	assert_success
	assert_line --index 0 --partial "/etc/$tok"
	assert_line --index 1 /bin/ls
	assert_line --index 2 /etc/passwd
	assert_line --index 3 /sbin/ip
}

@test "[2] ch04: an image's layers stack top first: the upper one's file hides the lower one's" {
	name=img$(rand_word 6) file=etc/$(rand_word 8)
	layered_image "$name" "$file"
	run "$RUN" run "${RM[@]}" "$name" cat "/$file"
	assert_success
	assert_output upper
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

@test "[2] ch04: the upper dir holds exactly the container's changes while it runs" {
	tok=$(rand_word 12)
	hold -- sh -c "echo $tok > /root/$tok && rm /bin/ls && sed -n 's/.* \/ .* overlay .*[ ,]upperdir=\([^,]*\).*/upper=\1/p' /proc/self/mountinfo && echo ready && read x"
	upper=$(sed -n 's/^upper=//p' "$HOLD_OUT")
	[ -d "$upper" ] || fail "the root overlay's upperdir '$upper' is not a directory"
	run sh -c "cd '$upper' && find . -mindepth 1 \( -type f -o -type c \) -printf '%p %y\n' | sort"
	assert_success
	# The new file, and the deletion as a whiteout: a 0/0 character device.
	assert_same "./bin/ls c
./root/$tok f" "$output" "the upper dir"
	assert_equal "$(cat "$upper/root/$tok")" "$tok"
	assert_equal "$(stat -c '%t %T' "$upper/bin/ls")" "0 0"
	release
	[ ! -e "$upper" ] || fail "$upper is still there after the container exited"
}

@test "[1] ch04: an overlay the kernel refuses says where the kernel says why" {
	# overlayfs refuses an upper dir on another overlay (EINVAL), and
	# explains that only in the kernel log.
	base="$BATS_TEST_TMPDIR/ovl"
	mkdir -p "$base/lower" "$base/upper" "$base/work" "$base/merged"
	mount -t overlay -o "lowerdir=$base/lower,upperdir=$base/upper,workdir=$base/work" "$(rand_word 4)" "$base/merged"
	run env MYDOCKER_ROOT="$base/merged/root" "$RUN" run "${RM[@]}" busybox true
	umount "$base/merged"
	assert_equal "$status" 125
	assert_line --regexp "^mydocker: .*overlay.*Invalid argument.*dmesg"
}

@test "[2] ch04: nothing of the container remains when it exits, also when its command fails" {
	before=$(find "$MYDOCKER_ROOT" | sort)
	run ctr -- sh -c "touch /$(rand_word 6); sed -n 's/.* \/ .* overlay .*[ ,]upperdir=\([^,]*\),workdir=\([^,]*\).*/\1 \2/p' /proc/self/mountinfo"
	assert_success
	read -r upper work <<<"$output"
	[ -n "$upper" ] && [ -n "$work" ] || fail "no upperdir and workdir in the root overlay's options: $output"
	[ ! -e "$upper" ] && [ ! -e "$work" ] || fail "$upper or $work stayed after the container exited"
	run -127 ctr -- "/$(rand_word 8)"
	run -126 ctr -- /etc/passwd
	code=$(rand_int 1 120)
	run ctr -- sh -c "exit $code"
	assert_equal "$status" "$code"
	assert_same "$before" "$(find "$MYDOCKER_ROOT" | sort)" "the paths under the state root"
}
