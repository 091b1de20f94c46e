#!/bin/sh
# run.sh - end-to-end tests of the tools: one folder per case under
# tests/cli/, each with `cmd` (a shell script run in a fresh temporary
# directory holding a copy of the case folder), and the expected results
# `expected.stdout`, `expected.stderr` (both optional) and `expected.rc`.
# The environment is fixed: LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=1765670400,
# PATH starts with $BIN (the tools under test), $REPO is the repository.
# Every case runs even after a failure; a failed case prints diff -u.
# UPDATE=1 rewrites the expected files from what the tools did (review them);
# CASE=GLOB runs only the matching cases.
set -u
here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/../.." && pwd)
: "${BIN:?set BIN to the directory of the perfkit tools}"
export REPO BIN LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=1765670400
export PATH="$BIN:$PATH"
unset PERFKIT_DB PERFKIT_GNUPLOT
pass=0 failed=0 failures=""
for case in "$here"/${CASE:-*}/; do
	name=$(basename "$case")
	[ -f "$case/cmd" ] || continue
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
	done
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "FAIL $name"
	fi
	rm -rf "$tmp"
done
echo "cli: $pass passed, $failed failed"
[ $failed = 0 ] || { echo "failed:$failures"; exit 1; }
