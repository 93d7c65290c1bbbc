#!/usr/bin/env bats
# ch02-cgroups: one cgroup per container, limits, cleanup, bad values.

load helpers

# The value of FILE in the held container's cgroup for CONTROLLER.
cg_read() { cat "$(cgroup_dir "$1")/$2"; }

@test "[2] ch02: -m sets the memory limit of the container's own cgroup" {
	mb=$(rand_int 16 96)
	hold -m "${mb}m" -- sh -c 'echo ready; read x'
	dir=$(cgroup_dir memory)
	[ -n "$dir" ] || fail "no cgroup under $CGPARENT/ while the container runs"
	if cgroup_v2; then file=memory.max; else file=memory.limit_in_bytes; fi
	assert_equal "$(cat "$dir/$file")" $((mb << 20))
	# The container's init is in it (the runtime's child).
	assert_equal "$(cat "$dir/cgroup.procs")" "$(pgrep -P "$HELD_PID")"
	release
	assert_equal "$HELD_RC" 0
	[ ! -d "$dir" ] || fail "$dir is still there after the container exited"
}

@test "[2] ch02: the command runs in its cgroup from its first instruction" {
	# cat itself is the container's command: if the runtime placed it after
	# exec, cat would read its old cgroup. With a cgroup namespace made after
	# joining, the container's own cgroup is its "/".
	run ctr -m 32m --pids-limit 64 -- cat /proc/self/cgroup
	assert_success
	id='[0-9a-f]{64}'
	if cgroup_v2; then
		assert_line --regexp "^0::(/$CGPARENT/$id|/)\$"
	else
		assert_line --regexp "^[0-9]+:([a-z_]+,)*memory(,[a-z_]+)*:(/$CGPARENT/$id|/)\$"
		assert_line --regexp "^[0-9]+:pids:(/$CGPARENT/$id|/)\$"
	fi
}

@test "[1] ch02: only the hierarchies whose limits are set get the container" {
	# Seen from the host: /proc/PID/cgroup of the container's init.
	hold -- sh -c 'echo ready; read x'
	run cat "/proc/$(pgrep -P "$HELD_PID")/cgroup"
	release
	if [ "$CH" -lt 9 ]; then
		refute_output --partial "/$CGPARENT/"
	else
		# From ch09 on every container has a freezer cgroup (v2: its one
		# cgroup); with final's defences a devices cgroup too, and as
		# docker's, memory and cpuacct ones (for stats).
		run grep "/$CGPARENT/" <<<"$output"
		if [ "$DEFENCES" = 1 ] && ! cgroup_v2; then
			local all=$output
			for ctl in devices memory cpuacct; do
				assert_line --regexp "^[0-9]+:([a-z_]+,)*$ctl(,[a-z_]+)*:/$CGPARENT/[0-9a-f]{64}$"
			done
			refute_output --regexp ":(pids|cpuset|blkio|net_cls|perf_event|hugetlb|rdma|misc):"
			run grep ":freezer:" <<<"$all"
		fi
		assert_output --regexp "^([0-9]+:freezer|0:):/$CGPARENT/[0-9a-f]{64}$"
	fi
	if ! cgroup_v2; then
		hold -m 32m -- sh -c 'echo ready; read x'
		run cat "/proc/$(pgrep -P "$HELD_PID")/cgroup"
		release
		assert_line --regexp ":memory:/$CGPARENT/"
		refute_line --regexp ":pids:/$CGPARENT/"
	fi
}

@test "[3] ch02: a memory hog is OOM-killed and the runtime says so" {
	mb=$(rand_int 16 48)
	# The string doubles up to 160 MiB, far over the limit (and bounded, should no limit hold it).
	run ctr -m "${mb}m" -- sh -c 'x=0123456789; i=0; while [ $i -lt 24 ]; do x=$x$x; i=$((i+1)); done'
	assert_equal "$status" 137
	assert_output --partial "killed for memory"
}

@test "[2] ch02: a fork bomb stops at the pids limit" {
	limit=$(rand_int 6 20)
	# The sleeps outlast the loop however slow the machine; they die with the
	# container's PID 1 when the shell gives up.
	run ctr --pids-limit "$limit" -- sh -c 'i=0; while [ $i -lt 100 ]; do sleep 1000 & i=$((i+1)); echo "$i"; done'
	assert_failure
	# The shell itself is one process: it starts limit-1 sleeps, then fork fails.
	assert_line --index $((limit - 2)) "$((limit - 1))"
	refute_line "$limit"
	assert_output --regexp "[Cc](an't|annot) fork"
}

@test "[2] ch02: --cpus holds a busy loop near its share of one CPU" {
	tenths=$(rand_int 2 6)
	# The loop spins for 2 s of wall time, read from /proc/uptime with the
	# shell's builtin read: as long on a slow machine as on a fast one.
	hold --cpus "0.$tenths" -- sh -c '
		read t0 _ </proc/uptime
		t=$t0
		while [ "${t%.*}${t#*.}" -lt $(( ${t0%.*}${t0#*.} + 200 )) ]; do read t _ </proc/uptime; done
		set -- $(cat /proc/1/stat)
		echo "cpu_ticks $((${14} + ${15})) wall $t0 $t"
		echo ready; read x'
	if cgroup_v2; then
		assert_equal "$(cg_read cpu cpu.max)" "$((tenths * 10000)) 100000"
	else
		assert_equal "$(cg_read cpu cpu.cfs_quota_us)" $((tenths * 10000))
		assert_equal "$(cg_read cpu cpu.cfs_period_us)" 100000
	fi
	throttled=$(awk '$1 == "nr_throttled" {print $2}' "$(cgroup_dir cpu)/cpu.stat")
	release
	[ "$throttled" -gt 0 ] || fail "the busy loop was never throttled (nr_throttled=$throttled)"
	read -r _ ticks _ t0 t1 < <(grep cpu_ticks "$HOLD_OUT")
	# CPU time over wall time, in percent: at most the limit plus some slack.
	ratio=$(awk -v c="$ticks" -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%d", 100 * (c / hz) / (b - a) }')
	[ "$ratio" -le $((tenths * 10 + 15)) ] || fail "used ${ratio}% of a CPU with --cpus 0.$tenths"
}

@test "[1] ch02: --cpu-shares sets the CPU weight" {
	shares=$(rand_int 2 262144)
	hold --cpu-shares "$shares" -- sh -c 'echo ready; read x'
	if cgroup_v2; then
		assert_equal "$(cg_read cpu cpu.weight)" $((1 + (shares - 2) * 9999 / 262142))
	else
		assert_equal "$(cg_read cpu cpu.shares)" "$shares"
	fi
	release
}

@test "[1] ch02: --cpuset-cpus pins the container to those CPUs" {
	cpu=$(rand_int 0 $(($(nproc) - 1)))
	run ctr --cpuset-cpus "$cpu" -- grep Cpus_allowed_list /proc/self/status
	assert_success
	assert_output --regexp "^Cpus_allowed_list:[[:space:]]+$cpu\$"
}

@test "[2] ch02: bad limits are refused with exit 125 and leave no cgroup" {
	bad=(
		"-m $(rand_int 1 99)q" "--memory" "-m 1k" "--cpus -1" "--cpus 0"
		"--cpus $(($(nproc) + $(rand_int 1 9)))" "--cpuset-cpus $(($(nproc) + $(rand_int 1 90)))"
		"--cpuset-cpus 1-" "--pids-limit 0" "--pids-limit x" "--cpu-shares 1"
	)
	for args in "${bad[@]}"; do
		# shellcheck disable=SC2086
		run ctr $args -- true
		[ "$status" = 125 ] || fail "'run $args true' exited $status, expected 125: $output"
		[ "${#lines[@]}" = 1 ] || fail "'run $args true' printed ${#lines[@]} lines: $output"
		assert_output --regexp "^mydocker: "
		[ -z "$(container_cgroups)" ] || fail "'run $args' left $(container_cgroups)"
	done
}
