#!/usr/bin/env bash
# v2vm.sh [-m MIB] [-c CPUS] [-t SECS] -- COMMAND [ARG...]
#
# Runs COMMAND as root on a pure cgroup v2 machine: a QEMU virtual machine
# that boots Debian's kernel with cgroup_no_v1=all, so that no controller can
# be bound to a v1 hierarchy (a hybrid host such as this course's CI can never
# offer that). The guest sees this machine's whole root read-only over 9p,
# under a tmpfs overlay: the checkout, bats, iptables and busybox are all
# there, COMMAND can write anywhere, and nothing it writes reaches the host.
# COMMAND runs in the current directory; its stdout and stderr stream back,
# and its exit status is ours (124 when -t ran out, 125 when the VM failed).
#
#   -m MIB   guest memory (default 2048)       -c CPUS  guest CPUs (default 2)
#   -t SECS  stop the VM after SECS seconds (default: no limit)
#
# On first use it installs qemu-system-x86 (the one package it installs on
# the host) and unpacks Debian's kernel .deb into $MYDOCKER_VM_CACHE
# (default /var/cache/mydocker-vm) with dpkg -x: never installed. It uses KVM
# where the CPU has it, QEMU's software emulation elsewhere. The guest's
# environment sets MYDOCKER_TEST_SCALE: how many times longer the tests'
# waits must be there. V2VM_CONSOLE=1 shows the guest kernel's console.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

mem=2048 cpus=2 limit=0
while getopts m:c:t: opt; do
	case $opt in
	m) mem=$OPTARG ;;
	c) cpus=$OPTARG ;;
	t) limit=$OPTARG ;;
	*) echo "usage: $0 [-m MIB] [-c CPUS] [-t SECS] -- COMMAND [ARG...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-m MIB] [-c CPUS] [-t SECS] -- COMMAND [ARG...]" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "v2vm: run as root (try sudo): the guest shares the whole root" >&2; exit 125; }

cache=${MYDOCKER_VM_CACHE:-/var/cache/mydocker-vm}
note() { echo "v2vm: $*" >&2; }
mkdir -p "$cache"
# Two first uses at once (two make test-v2) must not unpack over each other.
exec 8>"$cache/.lock"
flock 8

# ---- what the VM is made of, fetched once ----------------------------------
if ! command -v qemu-system-x86_64 >/dev/null; then
	note "first use: installing qemu-system-x86 with apt-get"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-system-x86 >&2 ||
		{ note "cannot install qemu-system-x86: install it and try again"; exit 125; }
fi
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || LC_ALL=C ldd "$busybox" >/dev/null 2>&1; then
	# The initramfs has no C library: its busybox must be static.
	note "needs a static busybox: apt-get install busybox-static (or sudo make deps)"
	exit 125
fi
# linux-image-amd64 only depends on the current kernel package: take that one.
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ {print $2; exit}')
[ -n "$kpkg" ] || { note "apt knows no linux-image-amd64 (a Debian kernel is needed): run apt-get update"; exit 125; }
kdir=$cache/$kpkg
if [ ! -d "$kdir" ]; then
	note "first use: fetching $kpkg with apt-get download and unpacking it into $kdir (it is not installed)"
	tmp=$(mktemp -d "$cache/fetch.XXXXXX")
	if ! (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "$kpkg" >&2 && dpkg -x ./*.deb unpacked); then
		rm -rf "$tmp"
		note "cannot fetch $kpkg"
		exit 125
	fi
	kver=$(ls "$tmp/unpacked/lib/modules")
	# The package's postinst would run depmod; busybox's makes modules.dep and
	# modules.alias, which the guest's modprobe reads (the kernel loads the
	# netfilter modules iptables asks for by alias).
	"$busybox" depmod -b "$tmp/unpacked" "$kver"
	mv "$tmp/unpacked" "$kdir" && rm -rf "$tmp"
fi
kver=$(ls "$kdir/lib/modules")
modules=$kdir/lib/modules/$kver

# The initramfs: busybox, the guest init, and the modules that mount the root
# share (virtio, 9p) and the overlay over it, each with what it depends on.
initrd=$cache/initrd-$kver.gz
if [ ! -s "$initrd" ] || [ "$here/v2vm-init.sh" -nt "$initrd" ]; then
	note "building the initramfs for $kver"
	tmp=$(mktemp -d "$cache/initrd.XXXXXX")
	mkdir -p "$tmp/bin" "$tmp/lib/modules/$kver"
	cp "$busybox" "$tmp/bin/busybox"
	cp "$here/v2vm-init.sh" "$tmp/init" && chmod 755 "$tmp/init"
	for m in virtio_pci 9pnet_virtio 9p overlay; do
		grep "/$m.ko:" "$modules/modules.dep" >>"$tmp/lib/modules/$kver/modules.dep"
	done
	for ko in $(tr -d : <"$tmp/lib/modules/$kver/modules.dep" | tr ' ' '\n' | sort -u); do
		mkdir -p "$tmp/lib/modules/$kver/$(dirname "$ko")"
		cp "$modules/$ko" "$tmp/lib/modules/$kver/$ko"
	done
	(cd "$tmp" && find . | "$busybox" cpio -o -H newc 2>/dev/null | gzip -1) >"$initrd.new"
	mv "$initrd.new" "$initrd"
	rm -rf "$tmp"
fi
flock -u 8

# ---- this run ----------------------------------------------------------------
# A directory the guest mounts writable: it reads its orders there and leaves
# the exit status there.
ctl=$(mktemp -d "$cache/run.XXXXXX")
qemu_pid="" copiers=""
finish() {
	[ -z "$qemu_pid" ] || kill "$qemu_pid" 2>/dev/null || true
	[ -z "$copiers" ] || kill $copiers 2>/dev/null || true
	rm -rf "$ctl"
}
trap finish EXIT
trap 'exit 130' INT TERM HUP

accel=(-accel tcg,thread=multi -cpu max) scale=10
# KVM where it works: the CPU has vmx or svm and a probe boot powers off.
if grep -qwE 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ] &&
	timeout 30 qemu-system-x86_64 -accel kvm -cpu host -m 256 -nodefaults -display none -no-reboot \
		-kernel "$kdir/boot/vmlinuz-$kver" -initrd "$initrd" -append "panic=-1 rdinit=/bin/busybox -- poweroff -f" \
		</dev/null >/dev/null 2>&1; then
	accel=(-accel kvm -cpu host) scale=2
fi

{
	printf 'guest_cwd=%q\nguest_kver=%q\nguest_modules=%q\n' "$PWD" "$kver" "$modules"
	printf 'guest_state=%q\n' "${MYDOCKER_ROOT:-/var/lib/mydocker}"
} >"$ctl/conf"
{
	echo "export HOME=/root TERM=dumb MYDOCKER_TEST_SCALE=$scale"
	# The variables a test run is steered by, and nothing else of ours.
	for v in $(compgen -e); do
		case $v in
		MYDOCKER_* | RUN | CH | SEED | ONLY | FILES | FILTER | FIRST_FAIL | EXTRA | PATH | LANG | LC_*) printf 'export %s=%q\n' "$v" "${!v}" ;;
		esac
	done
	printf 'cd %q || exit 125\nexec' "$PWD"
	printf ' %q' "$@"
	echo
} >"$ctl/command"

# The guest writes COMMAND's stdout and stderr to two serial ports; QEMU
# writes each into a FIFO and cat copies it to our own stdout or stderr, so
# that "make test-v2 >log 2>&1" keeps both in order in one file.
mkfifo "$ctl/out.in" "$ctl/out.out" "$ctl/err.in" "$ctl/err.out"
# Held open here so that cat sees no end of file before QEMU opens its side.
exec 5<>"$ctl/out.out" 6<>"$ctl/err.out"
cat <"$ctl/out.out" 5>&- 6>&- &
copiers=$!
cat <"$ctl/err.out" >&2 5>&- 6>&- &
copiers+=" $!"
console=(-serial "file:$ctl/console")
[ "${V2VM_CONSOLE:-0}" = 1 ] && console=(-serial "file:/dev/stderr")

qemu=(qemu-system-x86_64 "${accel[@]}" -m "$mem" -smp "$cpus" -nodefaults -no-user-config
	-display none -no-reboot
	-kernel "$kdir/boot/vmlinuz-$kver" -initrd "$initrd"
	-append "console=ttyS0 quiet panic=-1 mitigations=off cgroup_no_v1=all rdinit=/init"
	"${console[@]}" -serial "pipe:$ctl/out" -serial "pipe:$ctl/err"
	# The host's root spans several filesystems: remap keeps their inode
	# numbers from colliding in the guest.
	-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
	-fsdev "local,id=ctl,path=$ctl,security_model=none"
	-device virtio-9p-pci,fsdev=ctl,mount_tag=ctl)
timeout "$limit" "${qemu[@]}" </dev/null 5>&- 6>&- &
qemu_pid=$!
qemu_rc=0
wait "$qemu_pid" || qemu_rc=$?
qemu_pid=""
# Closing our ends lets both copiers reach end of file: all output is out.
exec 5>&- 6>&-
wait $copiers 2>/dev/null || true
copiers=""
if [ -s "$ctl/rc" ]; then
	exit "$(cat "$ctl/rc")"
fi
if [ "$qemu_rc" = 124 ]; then
	note "stopped the VM after $limit s"
	exit 124
fi
note "the VM ended without an exit status (qemu exited $qemu_rc); the end of its console:"
tail -n 25 "$ctl/console" >&2 2>/dev/null || true
exit 125
