#!/usr/bin/env bash
# fuzz.sh [HARNESS...]: every parser's libFuzzer harness (tests/fuzz/fuzz_*.c),
# built with clang under ASan and UBSan against final/, run for FUZZ_SECONDS
# each (default 60) from its corpus in tests/fuzz/corpus/NAME. New inputs go
# to .build/fuzz/corpus/NAME (the repository's corpus stays as committed);
# a crash leaves its input in .build/fuzz/ and fails the run. Prints the
# executions each harness made.
set -u
cd "$(dirname "$0")/.." || exit 2
seconds=${FUZZ_SECONDS:-60}
out=.build/fuzz
command -v clang >/dev/null || { echo "fuzz: clang is missing (sudo make deps)"; exit 2; }
mkdir -p "$out/obj"
flags=(-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -std=gnu11 -D_GNU_SOURCE
	-Icommon -Ifinal -Itools)
# final's code (but the main()s) and common/ once, for every harness.
objs=()
for src in $(ls final/*/*.c common/*.c | grep -vx final/helper/main.c) tools/markers.c; do
	obj=$out/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')
	if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find final common tools -name '*.h' -newer "$obj" | head -n 1)" ]; then
		clang "${flags[@]}" -fsanitize=fuzzer-no-link -c "$src" -o "$obj" || exit 2
	fi
	objs+=("$obj")
done
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=($(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_\(.*\)\.c|\1|'))
rc=0 total=0
for h in "${harnesses[@]}"; do
	bin=$out/fuzz_$h
	clang "${flags[@]}" -fsanitize=fuzzer -o "$bin" "tests/fuzz/fuzz_$h.c" "${objs[@]}" -lseccomp -lcap -ljson-c -larchive || exit 2
	mkdir -p "$out/corpus/$h" "tests/fuzz/corpus/$h"
	# Quiet: a harness's error messages are the parsers' own, many a second.
	"$bin" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$out/$h-" \
		"$out/corpus/$h" "tests/fuzz/corpus/$h" >"$out/$h.log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$h.log")
	if [ $status = 0 ]; then
		printf 'fuzz: %-8s %10s executions in %s s, no crash\n' "$h" "${runs:-?}" "$seconds"
		total=$((total + ${runs:-0}))
	else
		echo "fuzz: $h: CRASH (exit $status); the input is in $out/$h-*:"
		grep -E 'ERROR|fuzz:|runtime error|#[0-9] ' "$out/$h.log" | grep -v '^mydocker' | head -n 15
		rc=1
	fi
done
echo "fuzz: $total executions in all, over ${#harnesses[@]} harnesses"
exit $rc
