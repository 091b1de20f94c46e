#!/bin/sh
# run.sh - end-to-end tests of the tools: one folder per case under
# tests/cli/, each with `cmd` (a shell script run in a fresh temporary
# directory holding a copy of the case folder), and the expected results
# `expected.stdout`, `expected.stderr` (both optional) and `expected.rc`.
# The environment is fixed: LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=1765670400,
# PATH starts with $BIN (the tools under test), $REPO is the repository.
# Cases run in parallel, JOBS at a time (default: the number of CPUs); each
# case's report (ok, or FAIL after diff -u of what differs) is printed in the
# order of the case names once all have run, so the output does not depend
# on timing.  Every case runs even after a failure; the exit status is 1 if
# any failed.
# UPDATE=1 rewrites the expected files from what the tools did (review them);
# CASE=GLOB runs only the matching cases.
set -u
here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/../.." && pwd)
: "${BIN:?set BIN to the directory of the perfkit tools}"
export REPO BIN LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=1765670400
export PATH="$BIN:$PATH"
unset PERFKIT_DB PERFKIT_GNUPLOT

# run_case CASEDIR REPORT: runs one case, writes its report to REPORT, which
# ends with "ok NAME" or "FAIL NAME".
run_case() {
	case=$1 report=$2
	name=$(basename "$case")
	tmp=$(mktemp -d)
	cp -R "$case/." "$tmp/"
	(cd "$tmp" && sh ./cmd >"$tmp/.out" 2>"$tmp/.err"; echo $? >"$tmp/.rc")
	ok=1
	for f in stdout stderr rc; do
		case $f in stdout) got=.out ;; stderr) got=.err ;; rc) got=.rc ;; esac
		exp="$case/expected.$f"
		if [ "${UPDATE:-0}" = 1 ]; then
			if [ -s "$tmp/$got" ] || [ "$f" = rc ]; then cp "$tmp/$got" "$exp"; else rm -f "$exp"; fi
			continue
		fi
		if [ -f "$exp" ]; then
			if ! cmp -s "$exp" "$tmp/$got"; then
				ok=0
				echo "--- $name: $f differs"
				diff -u "$exp" "$tmp/$got" | head -40
			fi
		elif [ -s "$tmp/$got" ]; then
			ok=0
			echo "--- $name: unexpected $f:"
			head -20 "$tmp/$got"
		fi
	done >"$report"
	if [ $ok = 1 ]; then echo "ok   $name"; else echo "FAIL $name"; fi >>"$report"
	rm -rf "$tmp"
}

if [ "${1:-}" = --one ]; then
	run_case "$2" "$3"
	exit 0
fi

reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
for case in "$here"/${CASE:-*}/; do
	[ -f "$case/cmd" ] && basename "$case"
done >"$reports/.cases"
jobs=${JOBS:-$(nproc)}
echo "cli: $(wc -l <"$reports/.cases") cases, $jobs at a time"
xargs -P "$jobs" -I{} sh "$0" --one "$here/{}" "$reports/{}" <"$reports/.cases"
pass=0 failed=0 failures=""
while read -r name; do
	report=$reports/$name
	if [ -f "$report" ]; then cat "$report"; else echo "FAIL $name (no report: the runner died)"; fi
	if [ -f "$report" ] && [ "$(tail -n 1 "$report")" = "ok   $name" ]; then
		pass=$((pass + 1))
	else
		failed=$((failed + 1))
		failures="$failures $name"
	fi
done <"$reports/.cases"
echo "cli: $pass passed, $failed failed"
[ $failed = 0 ] || { echo "failed:$failures"; exit 1; }
