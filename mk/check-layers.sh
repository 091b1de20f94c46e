#!/bin/sh
# check-layers.sh - checks that no layer uses a higher one.  The layers, low
# to high, and what each may use:
#   core     core
#   ingest   ingest, core
#   analyze  analyze, core
#   report   report, analyze, core
# Usage: check-layers.sh SRCDIR [OBJDIR]
# Checks every #include "..." of SRCDIR/LAYER/*.[ch] and, given OBJDIR (a
# build's obj/ folder), every symbol an object of OBJDIR/LAYER/ takes from
# another layer's object (OBJDIR/gen/ counts as core), so a declaration
# written by hand instead of an #include is caught too.  Prints one line per
# violation (FILE:LINE or FILE, what it uses, what is allowed) and exits 1 if
# there is any, 0 otherwise.
set -u
src=${1:?usage: check-layers.sh SRCDIR [OBJDIR]}
obj=${2:-}
layers="core ingest analyze report"

allowed() {
	case $1 in
	core) echo "core" ;;
	ingest) echo "ingest core" ;;
	analyze) echo "analyze core" ;;
	report) echo "report analyze core" ;;
	esac
}

out=$(mktemp)
trap 'rm -f "$out"' EXIT

# includes: "../L/x.h" and "L/x.h" name layer L; "x.h" is the file's own
for l in $layers; do
	[ -d "$src/$l" ] || continue
	for f in "$src/$l"/*.c "$src/$l"/*.h; do
		[ -f "$f" ] || continue
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
		awk -v file="$l/${f##*/}" -v own="$l" -v ok=" $(allowed "$l") " '{
			line = $0; sub(/:.*/, "", line)
			inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
			p = inc; sub(/^(\.\.\/)+/, "", p)
			used = own
			if (index(p, "/")) { used = p; sub(/\/.*/, "", used) }
			if (used !~ /^(core|ingest|analyze|report)$/) next
			if (index(ok, " " used " ") == 0)
				printf "%s:%s: includes \"%s\" (%s): %s may use only%s\n",
				       file, line, inc, used, own, substr(ok, 1, length(ok) - 1)
		}' >>"$out"
	done
done

# symbols: what each layer's objects take from objects of another layer
if [ -n "$obj" ]; then
	objs=""
	for l in gen $layers; do
		for o in "$obj/$l"/*.o; do
			[ -f "$o" ] && objs="$objs $o"
		done
	done
	if [ -n "$objs" ]; then
		# shellcheck disable=SC2086
		nm -A -P $objs | awk -v core="$(allowed core)" -v ingest="$(allowed ingest)" \
		                     -v analyze="$(allowed analyze)" -v report="$(allowed report)" '
			{
				f = $1; sub(/:$/, "", f)
				n = split(f, part, "/"); l = part[n - 1]
				if (l == "gen") l = "core"
				obj = part[n - 1] "/" part[n]
				if ($3 == "U") { use[obj] = use[obj] " " $2; layer[obj] = l }
				else if ($3 ~ /^[A-TV-Z]$/) def[$2] = l
			}
			END {
				ok["core"] = " " core " "; ok["ingest"] = " " ingest " "
				ok["analyze"] = " " analyze " "; ok["report"] = " " report " "
				for (o in use) {
					n = split(use[o], syms, " ")
					for (i = 1; i <= n; i++) {
						d = def[syms[i]]
						if (d != "" && index(ok[layer[o]], " " d " ") == 0)
							printf "%s: uses %s of %s: %s may use only%s\n", o,
							       syms[i], d, layer[o],
							       substr(ok[layer[o]], 1, length(ok[layer[o]]) - 1)
					}
				}
			}' | sort >>"$out"
	fi
fi

if [ -s "$out" ]; then
	cat "$out"
	echo "check-layers: $(wc -l <"$out") violation(s)"
	exit 1
fi
echo "check-layers: ok"
