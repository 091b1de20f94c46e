#!/bin/sh
# fake-gnuplot.sh - stands in for gnuplot in tests (PERFKIT_GNUPLOT): records
# its arguments, working directory and the script it was given, then writes
# a minimal SVG file for every "set output '...'" line of the script.
#   FAKE_GNUPLOT_LOG   file to append the record to (default: fake-gnuplot.log
#                      in the working directory)
#   FAKE_GNUPLOT_EXIT  exit with this status after printing an error (default 0)
set -u
log=${FAKE_GNUPLOT_LOG:-fake-gnuplot.log}
{
	echo "argc: $#"
	for a in "$@"; do
		echo "argv: $a"
	done
	echo "cwd: $(pwd)"
	for a in "$@"; do
		if [ -f "$a" ]; then
			echo "--- script $a"
			cat "$a"
			echo "--- end"
		fi
	done
	if [ ! -t 0 ]; then
		echo "--- stdin"
		cat
		echo "--- end"
	fi
} >>"$log"

status=${FAKE_GNUPLOT_EXIT:-0}
if [ "$status" != 0 ]; then
	echo "\"$1\" line 1: fake failure for the test" >&2
	exit "$status"
fi

for a in "$@"; do
	[ -f "$a" ] || continue
	sed -n "s/^set output '\(.*\)'\$/\1/p" "$a" | sed "s/''/'/g" |
	while IFS= read -r out; do
		cat >"$out" <<'SVG'
<?xml version="1.0" encoding="utf-8"  standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg width="80" height="40" viewBox="0 0 80 40" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<defs><path id='gpPt0' d='M-1,0 h2'/><clipPath id="clip1"><rect width="80" height="40"/></clipPath></defs>
<g id="gnuplot_canvas" clip-path="url(#clip1)"><use xlink:href='#gpPt0' x='10' y='10'/></g>
</svg>
SVG
	done
done
exit 0
