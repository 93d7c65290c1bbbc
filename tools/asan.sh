#!/usr/bin/env bash
# asan.sh [BINARY]: final's grading with final built under AddressSanitizer
# and UndefinedBehaviorSanitizer (make asan builds it). Every process of the
# runtime (a -d monitor, a sentinel, exec's re-run copy) writes what it finds
# to a file of its own; the run fails when the grading fails or when any
# such file was written. FILES= picks test files, as for grade.sh.
set -u
cd "$(dirname "$0")/.." || exit 2
bin=${1:-.build/asan/run}
[ -x "$bin" ] || { echo "asan: no $bin (make asan builds it)"; exit 2; }
reports=$(mktemp -d "${TMPDIR:-/tmp}/mydocker-asan.XXXXXX")
trap 'rm -rf "$reports"' EXIT
# LeakSanitizer too; a report names the process (log_path adds the PID).
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
tools/grade.sh "$bin" final
rc=$?
# An empty file is a process killed before it wrote (the fault tests kill
# runtimes at random): no report.
find "$reports" -type f -empty -delete
found=$(ls "$reports")
if [ -n "$found" ]; then
	echo "asan: the sanitizers reported in $(echo "$found" | wc -l) processes:"
	for f in "$reports"/*; do echo "--- $f"; head -n 40 "$f"; done
	exit 1
fi
echo "asan: no sanitizer report from any process of the runtime"
exit $rc
