#!/usr/bin/env bats
# final: installed as a real tool: make install (PREFIX, DESTDIR) puts the
# runtime, its man page and its bash completion where man and bash look.

load helpers

REPO="$BATS_TEST_DIRNAME/.."

# The tree RUN was built in (a mutant's copy has its own page and
# completion), else this repository (make asan's build is elsewhere).
install_into() { # DESTDIR
	local tree
	tree=$(dirname "$RUN")/..
	[ -f "$tree/final/mydocker.1" ] || tree=$REPO
	make -s -f "$REPO/Makefile" -C "$tree" install DESTDIR="$1" PREFIX=/usr >/dev/null
}

@test "[1] final: make install DESTDIR= PREFIX= installs mydocker, its image helper, mydocker(1) and its completion; --version names the build" {
	local d="$BATS_TEST_TMPDIR/root$(rand_int 1 9999)"
	install_into "$d"
	[ -x "$d/usr/bin/mydocker" ] || fail "no $d/usr/bin/mydocker"
	[ -f "$d/usr/share/man/man1/mydocker.1" ] || fail "no man page"
	[ -f "$d/usr/share/bash-completion/completions/mydocker" ] || fail "no completion"
	assert_equal "$(stat -c %a "$d/usr/bin/mydocker")" 755
	run "$d/usr/bin/mydocker" --version
	assert_success
	assert_output --regexp '^mydocker version [0-9]+\.[0-9]+\.[0-9]+[^ ]*, build [0-9a-z-]+$'
	# These four, and nothing else.
	run find "$d" -type f
	assert_equal "$(sort <<<"$output")" "$(printf '%s\n' "$d/usr/bin/mydocker" \
		"$d/usr/libexec/mydocker/mydocker-image" \
		"$d/usr/share/bash-completion/completions/mydocker" "$d/usr/share/man/man1/mydocker.1")"
	# The installed mydocker finds its helper there: import unpacks with it.
	local img=i$(rand_word 6)
	mkdir -p "$BATS_TEST_TMPDIR/r/bin" && cp "$(command -v busybox)" "$BATS_TEST_TMPDIR/r/bin/"
	tar -C "$BATS_TEST_TMPDIR/r" -cf "$BATS_TEST_TMPDIR/r.tar" .
	run "$d/usr/bin/mydocker" import "$BATS_TEST_TMPDIR/r.tar" "$img"
	assert_success
	"$d/usr/bin/mydocker" rmi "$img" >/dev/null
}

@test "[1] final: the man page renders with no warning and names every command and every option the help texts list" {
	local d="$BATS_TEST_TMPDIR/root" page section cmd opt missing=""
	install_into "$d"
	run env MANWIDTH=120 man --warnings -l "$d/usr/share/man/man1/mydocker.1"
	assert_success
	page=$output
	[[ $page == *"mydocker - run Linux containers"* ]] || fail "no NAME line: ${page:0:300}"
	run bash -c "MANWIDTH=120 man --warnings -l '$d/usr/share/man/man1/mydocker.1' 2>&1 >/dev/null"
	assert_output ""
	# Each command's section: from its heading (indented 3, as "   stop
	# [OPTIONS] ..." or "..., unpause ...") to the next heading.
	for cmd in $("$RUN" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'); do
		section=$(awk -v c="$cmd" '/^   [a-z]/ { on = $0 ~ ("^   " c "( |$)") || $0 ~ (", " c "( |$)") } on' <<<"$page")
		[ -n "$section" ] || { missing+=" $cmd"; continue; }
		for opt in $("$RUN" "$cmd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
			[ "$opt" = --help ] || [[ $section == *"$opt"* ]] || missing+=" $cmd $opt"
		done
	done
	[ -z "$missing" ] || fail "the man page lacks:$missing"
}

@test "[1] final: bash completion offers the commands, a command's options, a running container's name and an image" {
	local d="$BATS_TEST_TMPDIR/root" name id
	name=$(rand_word)
	install_into "$d"
	id=$("$RUN" run -d --name "$name" busybox sleep 1000)
	complete_words() { # WORD...: what completing the last word offers
		PATH="$d/usr/bin:$PATH" bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mydocker; printf "%s\n" "${COMPREPLY[@]}"' \
			_ "$d/usr/share/bash-completion/completions/mydocker" "$@"
	}
	run complete_words mydocker pa
	assert_output pause
	# Every command, and only commands.
	run complete_words mydocker ""
	assert_equal "$(sort <<<"$output")" "$( (printf -- '--help\n--version\n'; "$RUN" --help | awk '/^  [a-z]/ { print $1 }') | sort)"
	run complete_words mydocker run --read
	assert_output --read-only
	run complete_words mydocker stop "${name:0:3}"
	assert_output "$name"
	run complete_words mydocker run bu
	assert_output busybox:latest
	"$RUN" rm -f "$id" >/dev/null
}
