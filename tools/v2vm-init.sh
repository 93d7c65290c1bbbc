#!/bin/busybox sh
# The guest's init for tools/v2vm.sh, run twice.
#
# As /init in the initramfs (no argument): mount the host's root, read-only
# over 9p, under a tmpfs overlay, and switch to it with busybox's init as
# PID 1 (it reaps orphaned processes, as systemd does on a real host).
# That init runs this script again with "guest" to make the machine look like
# a systemd host on pure cgroup v2, run the command, and power off.

if [ "$1" != guest ]; then
	/bin/busybox mkdir -p /usr/bin /sbin /usr/sbin
	/bin/busybox --install -s
	export PATH=/bin:/sbin:/usr/bin:/usr/sbin
	mkdir -p /proc /sys /dev /host /rw /newroot
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	modprobe -a virtio_pci 9pnet_virtio 9p overlay
	nine="trans=virtio,version=9p2000.L,msize=262144"
	# The host does not change its files under a run: let the guest cache them.
	mount -t 9p -o "ro,cache=loose,$nine" hostroot /host
	mount -t tmpfs -o mode=0755 rw /rw
	mkdir /rw/upper /rw/work
	mount -t overlay -o lowerdir=/host,upperdir=/rw/upper,workdir=/rw/work overlay /newroot
	mkdir -p /newroot/.v2vm/ctl
	mount -t 9p -o "$nine" ctl /newroot/.v2vm/ctl
	# Our busybox and this script, where the new root can run them; busybox
	# picks what to be by the name it is run as.
	cp /bin/busybox /newroot/.v2vm/busybox
	cp /init /newroot/.v2vm/init.sh
	ln -s busybox /newroot/.v2vm/init
	ln -s busybox /newroot/.v2vm/modprobe
	printf '%s\n' "::sysinit:/.v2vm/busybox sh /.v2vm/init.sh guest" \
		"::sysinit:/.v2vm/busybox poweroff -f" >/newroot/etc/inittab
	for d in dev proc sys; do mount --move "/$d" "/newroot/$d"; done
	exec switch_root /newroot /.v2vm/init
fi

bb=/.v2vm/busybox
. /.v2vm/ctl/conf    # guest_cwd guest_kver guest_modules guest_state

$bb mkdir -p /dev/pts /dev/shm
$bb mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts /dev/pts
$bb mount -t tmpfs -o mode=1777,nosuid,nodev shm /dev/shm
# bash's process substitution and bats need /dev/fd.
$bb ln -sf /proc/self/fd /dev/fd
$bb ln -sf /proc/self/fd/0 /dev/stdin
$bb ln -sf /proc/self/fd/1 /dev/stdout
$bb ln -sf /proc/self/fd/2 /dev/stderr

# cgroup2 as systemd mounts it: init in its own leaf (a cgroup with processes
# cannot hand controllers to children), every controller enabled below the
# root, and the command in a service's cgroup as a root shell's would be.
cg=/sys/fs/cgroup
$bb mount -t cgroup2 -o nosuid,nodev,noexec,nsdelegate,memory_recursiveprot cgroup2 $cg
$bb mkdir $cg/init.scope
echo 1 >$cg/init.scope/cgroup.procs
echo "+cpuset +cpu +io +memory +pids" >$cg/cgroup.subtree_control
$bb mkdir -p $cg/system.slice/v2vm.service
echo "+cpuset +cpu +io +memory +pids" >$cg/system.slice/cgroup.subtree_control

# Modules from the unpacked kernel package, through the root share. Loading
# what the tests use in one modprobe saves a modules.dep parse per module;
# the rest the kernel asks for by alias through kernel.modprobe.
$bb mkdir -p "/lib/modules/$guest_kver"
$bb mount --bind "$guest_modules" "/lib/modules/$guest_kver"
echo /.v2vm/modprobe >/proc/sys/kernel/modprobe
/.v2vm/modprobe -a overlay bridge veth br_netfilter nf_conntrack nf_nat nf_tables nft_compat \
	nft_chain_nat nft_nat nft_masq nft_ct xt_MASQUERADE xt_nat xt_conntrack xt_addrtype \
	xt_comment xt_tcpudp xt_mark xt_multiport || echo "v2vm: some modules did not load" >&2
$bb ip link set lo up

# Overlayfs refuses an overlay as its upper directory, and our root is one:
# the places containers keep their layers get fresh tmpfs mounts. If the
# command's directory lies below one of them, it is carried over.
below() { case $1 in "$2"/?*) return 0 ;; esac; return 1; }
keep=""
for d in /tmp /run "$guest_state"; do below "$guest_cwd" "$d" && keep=1; done
if [ -n "$keep" ]; then
	$bb mkdir -p /.v2vm/cwd
	$bb mount --bind "$guest_cwd" /.v2vm/cwd
fi
for d in /tmp /run "$guest_state"; do
	$bb mkdir -p "$d"
	$bb mount -t tmpfs -o mode=1777 tmpfs "$d"
done
$bb chmod 0755 /run "$guest_state"
if [ -n "$keep" ]; then
	$bb mkdir -p "$guest_cwd"
	$bb mount --move /.v2vm/cwd "$guest_cwd"
fi

# The command: in the service cgroup, in a session of its own with no
# terminal, stdout and stderr on ttyS1 and ttyS2. Raw mode, so that no "\n"
# becomes "\r\n" on the way out.
echo $$ >$cg/system.slice/v2vm.service/cgroup.procs
$bb stty -F /dev/ttyS1 raw -echo
$bb stty -F /dev/ttyS2 raw -echo
$bb setsid $bb env -i /bin/bash --noprofile --norc /.v2vm/ctl/command </dev/null >/dev/ttyS1 2>/dev/ttyS2
rc=$?
# stty sets the ports with TCSADRAIN: it returns once their output is sent.
$bb stty -F /dev/ttyS1 raw
$bb stty -F /dev/ttyS2 raw
echo $rc >/.v2vm/ctl/rc
$bb sync
$bb poweroff -f
