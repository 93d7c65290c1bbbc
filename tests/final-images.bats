#!/usr/bin/env bats
# final: images from archives (issue 18): layers unpacked and exports written by
# final/mydocker-image (final/helper/), never by running tar; no
# member lands outside its layer; the OCI whiteouts become overlayfs's.
# Each test fails when what it names is taken away (final/README.md).

load helpers

mktar() { "$BATS_TEST_DIRNAME/../tools/mktar" "$@"; }
layers_now() { ls -A "$MYDOCKER_ROOT/layers" | sort; }
# getfattr is attr's: the package tools/deps.sh names.

@test "[1] final: import reads a file named host:x.tar as a file (tar took it for a remote host's), gzip too, and keeps owners, modes and xattrs; run adds nothing to / but the mount points an image lacks" {
	local dir w uid gid img
	w=$(rand_word 8) uid=$(rand_int 1000 60000) gid=$(rand_int 1000 60000) img=i$(rand_word 6)
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/imp.XXXXXX")
	# busybox itself, and a file of the test's with its owner, set-user-ID mode and an xattr.
	mkdir -p "$dir/root/bin" "$dir/root/dev" "$dir/root/proc" "$dir/root/sys" && cp "$(command -v busybox)" "$dir/root/bin/"
	tar -C "$dir/root" -cf "$dir/base.tar" .
	mktar "$dir/extra.tar.gz" "f:$w:4750:$uid:$gid:trusted.k=v$w" "d:etc"
	cd "$dir"
	cp base.tar "host:$w.tar"
	run "$RUN" import "host:$w.tar" "$img:a"
	assert_success
	run "$RUN" run --rm "$img:a" /bin/busybox ls /
	assert_output "bin
dev
proc
sys"
	# An image without /proc, /sys and /dev runs: the mount points are made.
	rm -r "$dir/root/dev" "$dir/root/proc" "$dir/root/sys"
	tar -C "$dir/root" -cf bare.tar .
	run "$RUN" import bare.tar "$img:bare"
	assert_success
	run "$RUN" run --rm "$img:bare" /bin/busybox ls /
	assert_output "bin
dev
proc
sys"
	"$RUN" rmi "$img:bare" >/dev/null
	run "$RUN" import extra.tar.gz "$img:b"
	assert_success
	local layer
	layer=$("$RUN" inspect -f '{{json .RootFS.Layers}}' "$img:b" | jq -r '.[0]')
	run stat -c '%u:%g %a' "$MYDOCKER_ROOT/layers/$layer/$w"
	assert_output "$uid:$gid 4750"
	run getfattr --absolute-names --only-values -n trusted.k "$MYDOCKER_ROOT/layers/$layer/$w"
	assert_output "v$w"
	"$RUN" rmi "$img:a" "$img:b" >/dev/null
}

@test "[3] final: import refuses members that would land outside the layer (absolute, .., through a symlink, hard links and whiteouts out): exit 125, one line, no layer, the target untouched" {
	local dir target before case
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/evil.XXXXXX")
	target=$dir/outside-$(rand_word 6)
	echo "kept" >"$target"
	before=$(layers_now)
	# GNU tar writes the plain ones; mktar what tar would refuse to write.
	tar -P -cf "$dir/absolute.tar" "$target"
	(cd "$dir" && mkdir -p in && cd in && tar -P -cf "$dir/dotdot.tar" "../${target##*/}")
	mktar "$dir/symlink.tar" "l:esc:$dir" "f:esc/${target##*/}"
	mktar "$dir/deep-symlink.tar" "d:a" "l:a/b:/" "f:a/b${target}"
	mktar "$dir/hardlink.tar" "h:h:../../../../../../..$target"
	mktar "$dir/hardlink-symlink.tar" "l:esc:$dir" "h:h:esc/${target##*/}"
	# Whiteouts are ours to make, not libarchive's: through a link they
	# would make a device, or an opaque mark, in the host's directory.
	mktar "$dir/whiteout-symlink.tar" "l:esc:$dir" "f:esc/.wh.made"
	mktar "$dir/whiteout-dir-symlink.tar" "l:esc:$dir" "f:esc/made/.wh.x"
	mktar "$dir/opaque-symlink.tar" "l:esc:$dir" "f:esc/.wh..wh..opq"
	for case in absolute dotdot symlink deep-symlink hardlink hardlink-symlink whiteout-symlink whiteout-dir-symlink opaque-symlink; do
		run "$RUN" import "$dir/$case.tar" "e$(rand_word 6)"
		[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "$case: exit $status: $output"
		assert_equal "$(cat "$target")" "kept"
		[ "$(stat -c %h "$target")" = 1 ] || fail "$case: $target has another link"
		assert_equal "$(layers_now)" "$before"
		[ ! -e "$dir/made" ] || fail "$case: a whiteout was made in $dir"
		[ -z "$(getfattr --absolute-names -m trusted.overlay -d "$dir" 2>/dev/null)" ] || fail "$case: $dir was made opaque"
	done
	run "$RUN" images
	[ "${#lines[@]}" = 2 ] || fail "an image was made: $output"
}

@test "[2] final: import turns OCI whiteouts into overlayfs's: .wh.NAME a 0/0 character device, .wh..wh..opq an opaque directory" {
	local dir img gone kept layer
	gone=g$(rand_word 6) kept=k$(rand_word 6) img=w$(rand_word 6)
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/wh.XXXXXX")
	mkdir -p "$dir/root/bin" "$dir/root/dev" "$dir/root/proc" "$dir/root/sys" && cp "$(command -v busybox)" "$dir/root/bin/"
	tar -C "$dir/root" -cf "$dir/base.tar" .
	# Appended: a directory with a whiteout, an opaque one with a file.
	mktar "$dir/wh.tar" "d:d" "f:d/.wh.$gone" "f:o/.wh..wh..opq" "f:o/$kept"
	tar -Af "$dir/base.tar" "$dir/wh.tar"
	run "$RUN" import "$dir/base.tar" "$img"
	assert_success
	layer=$("$RUN" inspect -f '{{json .RootFS.Layers}}' "$img" | jq -r '.[0]')
	run stat -c '%F %t:%T' "$MYDOCKER_ROOT/layers/$layer/d/$gone"
	assert_output "character special file 0:0"
	run getfattr --absolute-names --only-values -n trusted.overlay.opaque "$MYDOCKER_ROOT/layers/$layer/o"
	assert_output "y"
	[ ! -e "$MYDOCKER_ROOT/layers/$layer/d/.wh.$gone" ] || fail "the whiteout file itself was unpacked"
	# In a container: the name whited out is no file, the opaque directory
	# holds its own. (overlayfs still lists a whiteout of the bottom layer,
	# where there is nothing below it to hide.)
	run "$RUN" run --rm "$img" /bin/busybox sh -c "test -e /d/$gone || echo gone; ls -A /o"
	assert_output "gone
$kept"
	"$RUN" rmi "$img" >/dev/null
}

@test "[1] final: import of what is no tar archive, or a cut one: one line, exit 125, no layer" {
	local dir before
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/bad.XXXXXX")
	before=$(layers_now)
	head -c "$(rand_int 100 5000)" /dev/urandom >"$dir/junk"
	mkdir -p "$dir/r" && head -c 200000 /dev/urandom >"$dir/r/big" && tar -C "$dir/r" -czf "$dir/full.tgz" .
	head -c "$(rand_int 1000 20000)" "$dir/full.tgz" >"$dir/cut.tgz"
	: >"$dir/empty"
	for f in junk cut.tgz empty; do
		run "$RUN" import "$dir/$f" "b$(rand_word 6)"
		[ "$status" = 125 ] && [ "${#lines[@]}" = 1 ] || fail "$f: exit $status: $output"
		assert_equal "$(layers_now)" "$before"
	done
}

@test "[2] final: export writes with libarchive what GNU tar and import read back: hard links as links, symlinks unfollowed, owners, set-user-ID, fifos, long names" {
	local id img uid gid long
	uid=$(rand_int 1000 60000) gid=$(rand_int 1000 60000) img=x$(rand_word 6) long=$(rand_word 8)
	long=$long$(printf '%0*d' "$(rand_int 100 180)" 0)
	id=$("$RUN" run -d busybox sh -c "mkdir /t && cd /t && echo a >f && ln f hl && ln -s /etc/passwd sl &&
		mkfifo fi && echo s >su && chmod 4755 su && echo l >$long && chown $uid:$gid f && touch /ready && sleep 1000")
	wait_until 10 "$RUN" exec "$id" test -e /ready
	run "$RUN" export -o "$BATS_TEST_TMPDIR/x.tar" "$id"
	assert_success
	# GNU tar: a hard link (one of the two names), the link itself, the owner.
	run tar --numeric-owner -tvf "$BATS_TEST_TMPDIR/x.tar" ./t/f ./t/hl ./t/sl ./t/su ./t/fi "./t/$long"
	assert_success
	assert_line --regexp "^h.* $uid/$gid .* \./t/(f|hl) link to \./t/(f|hl)$"
	assert_line --regexp "^l.* \./t/sl -> /etc/passwd$"
	assert_line --regexp "^-rwsr-xr-x .* \./t/su$"
	assert_line --regexp "^p.* \./t/fi$"
	assert_line --regexp " \./t/$long$"
	# Imported again: one file under two names, its owner; the link not followed.
	"$RUN" import "$BATS_TEST_TMPDIR/x.tar" "$img" >/dev/null
	run "$RUN" run --rm "$img" sh -c "cd /t && stat -c '%i %h %u:%g' f hl && readlink sl && stat -c %A su && cat $long"
	assert_success
	[ "${lines[0]}" = "${lines[1]}" ] && [[ ${lines[0]} == *" 2 $uid:$gid" ]] || fail "f and hl: ${lines[0]} / ${lines[1]}"
	assert_equal "${lines[2]}" /etc/passwd
	assert_equal "${lines[3]}" -rwsr-xr-x
	assert_equal "${lines[4]}" l
	"$RUN" rm -f "$id" >/dev/null
	"$RUN" rmi "$img" >/dev/null
}

@test "[1] final: tag gives an image another name: the same ID and layers, run by either; rmi of one keeps the other; bad names one line" {
	local repo tag other id layer
	repo=r$(rand_word 6) tag=t$(rand_word 4) other=o$(rand_word 6)
	id=$("$RUN" run -d busybox sh -c "echo $tag >/mark; touch /ready; sleep 1000")
	wait_until 10 "$RUN" exec "$id" test -e /ready
	"$RUN" commit "$id" "$repo" >/dev/null
	"$RUN" rm -f "$id" >/dev/null
	run "$RUN" tag "$repo" "$other:$tag"
	assert_success
	assert_output ""
	assert_equal "$("$RUN" inspect -f '{{.Id}}' "$other:$tag")" "$("$RUN" inspect -f '{{.Id}}' "$repo")"
	run "$RUN" run --rm "$other:$tag" cat /mark
	assert_output "$tag"
	# Tagged again as it is: nothing to do. To a name of other layers: refused.
	run "$RUN" tag "$repo:latest" "$other:$tag"
	assert_success
	run "$RUN" tag busybox "$other:$tag"
	[ "$status" = 1 ] && [ "${#lines[@]}" = 1 ] || fail "retag over other layers: exit $status: $output"
	assert_output --partial "rmi it first"
	for bad in "nosuch$(rand_word 4)" "$repo .bad"; do
		run "$RUN" tag $bad "$other:x"
		[ "$status" = 1 ] && [ "${#lines[@]}" = 1 ] || fail "tag $bad: exit $status: $output"
	done
	run "$RUN" tag "$repo" ".$other"
	[ "$status" = 1 ] && [ "${#lines[@]}" = 1 ] || fail "tag to a bad name: exit $status: $output"
	# rmi of one name keeps the layers for the other; the last takes them.
	layer=$("$RUN" inspect -f '{{.Id}}' "$repo")   # its top layer, the commit's
	"$RUN" rmi "$repo" >/dev/null
	[ -d "$MYDOCKER_ROOT/layers/$layer" ] || fail "rmi of one name removed the other's layer"
	run "$RUN" run --rm "$other:$tag" cat /mark
	assert_output "$tag"
	"$RUN" rmi "$other:$tag" >/dev/null
	[ ! -e "$MYDOCKER_ROOT/layers/$layer" ] || fail "the last name's rmi left its layer"
	run "$RUN" images
	[ "${#lines[@]}" = 2 ] || fail "images: $output"
}
