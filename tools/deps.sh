#!/bin/sh
# deps.sh [--check [--extra]]: what the course needs on the machine.
# As root on Debian/Ubuntu it installs what is missing (make deps); with
# --check it installs nothing and names what is missing in one line (make
# test and make grade check, never install). The fuzzers' clang and
# valgrind are checked with --extra only (make fuzz, make valgrind): a
# student's make test does not need them.
check=0 extra=1
[ "${1:-}" = --check ] && check=1 extra=0
[ "${2:-}" = --extra ] && extra=1
missing=""
need() { # need PACKAGE TEST...
	pkg=$1; shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}
have() { command -v "$1"; }
static_busybox() {
	b=$(command -v busybox) || return 1
	# ldd refuses static binaries: "not a dynamic executable".
	LC_ALL=C ldd "$b" 2>&1 | grep -q 'not a dynamic'
}

need build-essential have cc
need build-essential have make
need libcap-dev test -f /usr/include/sys/capability.h
need libseccomp-dev test -f /usr/include/seccomp.h
need libjson-c-dev test -f /usr/include/json-c/json.h
need libarchive-dev test -f /usr/include/archive.h   # final/mydocker-image: layers unpacked
need libcap2-bin have capsh
need libcmocka-dev test -f /usr/include/cmocka.h
need iproute2 have ip
need iptables have iptables
need bats have bats
need bats-support test -f /usr/lib/bats/bats-support/load.bash
need bats-assert test -f /usr/lib/bats/bats-assert/load.bash
need busybox-static static_busybox
need util-linux have unshare
need procps have pgrep
need tar have tar
need jq have jq   # reads inspect's JSON in the tests
need attr have getfattr   # reads a layer's xattrs in the tests
if [ $extra = 1 ]; then
	need valgrind have valgrind
	need clang have clang
	# libFuzzer and the sanitizers' runtimes for clang.
	need libclang-rt-14-dev sh -c 'ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a'
fi

[ -z "$missing" ] && exit 0
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')
if [ $check = 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "deps: installing $missing"
	export DEBIAN_FRONTEND=noninteractive
	# busybox-static replaces the dynamic busybox package; both cannot be installed.
	apt-get update -qq && apt-get install -y -qq $missing >/dev/null || {
		echo "deps: apt-get install $missing failed" >&2; exit 1; }
	exit 0
fi
echo "deps: missing packages: ${missing% } (install them with 'sudo make deps')" >&2
exit 1
