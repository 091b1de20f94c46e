#!/bin/sh
# run.sh BUILD SECONDS HARNESS... - runs each libFuzzer harness
# BUILD/fuzz/fuzz_<harness> for SECONDS seconds, starting from the committed
# seeds tests/fuzz/corpus/<harness>/ and what earlier runs found
# (BUILD/corpus/<harness>/, not committed), and prints per harness the
# executions, executions per second, coverage and corpus size.  A crash,
# leak, sanitizer report or timeout stops that harness: its input is kept
# as BUILD/artifacts/<harness>-crash-* (etc.) and the run fails; once fixed,
# the input belongs in tests/fuzz/corpus/<harness>/ (make test replays it).
set -u
# A smaller quarantine than ASan's 256 MB: each input frees its 1 MiB read
# buffers, and fresh pages for every one of them halved the executions per
# second (use-after-free of recent blocks is still caught).
ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16}
export ASAN_OPTIONS
B=$1 SECS=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
fail=0
printf '%-11s %10s %8s %6s %7s %s\n' harness execs exec/s cov corpus result
for h in "$@"; do
	mkdir -p "$B/corpus/$h" "$B/artifacts" "$B/log"
	log=$B/log/$h-$$.log   # per run: runs may overlap
	"$B/fuzz/fuzz_$h" -max_total_time="$SECS" -max_len=32768 -timeout=30 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$B/artifacts/$h-" \
		"$B/corpus/$h" "$here/corpus/$h" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	corp=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	if [ $rc = 0 ]; then res=ok; else res="FAILED (rc $rc, log $log)"; fail=1; fi
	printf '%-11s %10s %8s %6s %7s %s\n' "$h" "${execs:--}" "${rate:--}" \
		"${cov:--}" "${corp:--}" "$res"
	if [ $rc != 0 ]; then
		grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written|fuzz_ingest:)' "$log" | head -n 8
		grep -E '^ +#[0-9]+ ' "$log" | head -n 12
	fi
done
exit $fail
