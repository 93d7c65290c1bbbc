#!/usr/bin/env bats
# ch03-rootfs-pivot: images, the busybox image, pivot_root, /proc /sys /dev.

load helpers

@test "[2] ch03: with no arguments, busybox's /bin/sh; the image is made on first use" {
	root=$(mktemp -d "${TMPDIR:-/tmp}/mydocker-fresh.XXXXXX")
	a=$(rand_int 100 999) b=$(rand_int 100 999)
	run env MYDOCKER_ROOT="$root" bash -c 'echo "echo \$(($1 * $2)); readlink /bin/sh" | "$0"' "$RUN" "$a" "$b"
	first=("${lines[@]}") first_status=$status
	# The image stays: the next container starts without making it again.
	run env MYDOCKER_ROOT="$root" "$RUN" run "${RM[@]}" busybox echo again
	rm -rf "$root"
	[ "$first_status" = 0 ] || fail "the first run exited $first_status: ${first[*]}"
	[[ ${first[0]} =~ ^mydocker:\ image\ busybox\ not\ found:\ making\ it\ from\ .*busybox ]] ||
		fail "the first line was '${first[0]}', not the note that the image is being made"
	assert_equal "${first[1]}" "$((a * b))"
	assert_equal "${first[2]}" "/bin/busybox"
	assert_equal "${#first[@]}" 3
	assert_success
	assert_output again
}

@test "[2] ch03: the host's files are not there" {
	name=$(rand_word 12)
	touch "/tmp/$name"
	run ctr -- sh -c "ls /tmp/$name; cat /etc/os-release"
	rm -f "/tmp/$name"
	assert_failure
	assert_output --partial "/tmp/$name"
	# The host's (Debian and Ubuntu have one) must not show through.
	refute_output --partial "PRETTY_NAME"
}

@test "[2] ch03: the container's mount table has none of the host's mounts" {
	run ctr -- cat /proc/1/mountinfo
	assert_success
	while read -r _ _ _ _ point rest; do
		case $point in
		/|/proc|/sys|/dev|/dev/pts|/dev/shm) ;;
		# final masks parts of /proc and /sys: tmpfs and proc mounts of its own.
		/proc/* | /sys/*) [[ $rest =~ \ -\ (tmpfs|proc)\  ]] || fail "host mount visible in the container: $point" ;;
		*) fail "host mount visible in the container: $point" ;;
		esac
	done <<<"$output"
	assert_line --regexp '^[0-9]+ [0-9]+ [0-9:]+ [^ ]+ / '
	assert_line --regexp ' /proc .* - proc '
}

@test "[2] ch03: the host's root is gone from the container's mount namespace, not only out of sight" {
	# chroot hides the host's tree from paths, but it stays mounted: entering
	# the container's mount namespace (as setns does) lands at the host's /.
	marker="$BATS_TEST_TMPDIR/$(rand_word 10)"
	touch "$marker"
	hold -- sh -c 'echo ready; read x'
	run nsenter -t "$(pgrep -P "$HELD_PID")" -m -- /bin/sh -c "test -e $marker && echo host-root || echo own-root"
	release
	assert_success
	assert_output own-root
}

@test "[1] ch03: /sys is read-only" {
	run ctr -- sh -c 'grep " /sys " /proc/mounts; echo 1 > /sys/kernel/uevent_helper'
	assert_failure
	assert_line --index 0 --regexp '^sysfs /sys sysfs ro,'
	assert_output --partial "Read-only file system"
}

@test "[2] ch03: /dev has the usual devices and a pty of its own" {
	n=$(rand_int 1 4096)
	run ctr -- sh -c "head -c $n /dev/urandom | wc -c; head -c $n /dev/zero | tr -d '\\0' | wc -c;
		echo x > /dev/null && echo null-ok; echo x > /dev/full || echo full-refused;
		ls /dev/pts/ptmx /dev/ptmx /dev/shm /dev/tty /dev/random >/dev/null && echo listed;
		grep ' /dev/pts ' /proc/mounts; ls /dev/pts"
	assert_success
	assert_line --index 0 "$n"
	assert_line --index 1 0
	assert_line null-ok
	assert_line full-refused
	assert_line listed
	assert_line --regexp '^devpts /dev/pts devpts '
	# newinstance: none of the host's terminals, only ptmx.
	assert_line --index 7 ptmx
}

@test "[1] ch03: an unknown image is exit 125" {
	name=$(rand_word 8)
	run "$RUN" run "$name" true
	assert_equal "$status" 125
	assert_output "mydocker: no such image: $name"
	run "$RUN" run "../$name" true
	assert_equal "$status" 125
	assert_output --partial "invalid image name"
}

@test "[1] ch03: a dynamically linked busybox is refused with a hint" {
	root=$(mktemp -d "${TMPDIR:-/tmp}/mydocker-fresh.XXXXXX")
	run env MYDOCKER_ROOT="$root" MYDOCKER_BUSYBOX=/bin/ls "$RUN" run busybox true
	left=$(find "$root" -mindepth 2 -not -name .lock | wc -l)
	rm -rf "$root"
	assert_equal "$status" 125
	assert_output --partial "dynamically linked"
	assert_output --partial "busybox-static"
	assert_equal "$left" 0
}

@test "[2] ch03: the host's mounts and /proc are untouched, also when / is shared" {
	ctr_argv "${MOUNTS_OK[@]}" -- sh -c 'mount -t tmpfs none /tmp && touch /tmp/x'
	run unshare -m sh -c '
		mount --make-rshared /
		before=$(wc -l </proc/self/mountinfo)
		"$@" || exit 1
		echo "mounts $before $(wc -l </proc/self/mountinfo)"
		readlink /proc/self' sh "${CTR[@]}"
	assert_success
	read -r _ before after <<<"${lines[0]}"
	assert_equal "$after" "$before"
	assert_line --index 1 --regexp '^[0-9]+$'
}
