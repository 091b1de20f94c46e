#!/bin/sh
# check-layers.sh - checks that no layer uses a higher one.  The layers, low
# to high, and what each may use:
#   core     core
#   ingest   ingest, core
#   analyze  analyze, core
#   report   report, analyze, core
# Usage: check-layers.sh SRCDIR [OBJDIR]
# Checks every #include "..." of the .c and .h files of SRCDIR/LAYER/ and
# its subfolders (e.g. ingest/readers/) and, given OBJDIR (a build's obj/
# folder), every symbol an object under OBJDIR/LAYER/ takes from another
# layer's object (OBJDIR/gen/ counts as core), so a declaration written by
# hand instead of an #include is caught too.  An include names a file
# relative to the including file's folder, else to SRCDIR (-I.).  Prints one
# line per violation (FILE:LINE or FILE, what it uses, what is allowed) and
# exits 1 if there is any, 0 otherwise.
set -u
src=${1:?usage: check-layers.sh SRCDIR [OBJDIR]}
obj=${2:-}
obj=${obj%/}
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
files=$(mktemp)
trap 'rm -f "$out" "$files"' EXIT

# includes: the file an include names, relative to the including file's
# folder where that file exists, else to SRCDIR; its first folder is its layer
for l in $layers; do
	[ -d "$src/$l" ] && find "$src/$l" -name '*.[ch]' -type f
done | sed "s|^$src/||" >"$files"
for l in $layers; do
	[ -d "$src/$l" ] || continue
	find "$src/$l" -name '*.[ch]' -type f | sort | while read -r f; do
		rel=${f#"$src"/}
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
		awk -v files="$files" -v file="$rel" -v own="$l" -v ok=" $(allowed "$l") " '
		BEGIN { while ((getline f < files) > 0) exists[f] = 1 }
		function norm(p,    n, i, k, part, out, s) {
			n = split(p, part, "/"); k = 0
			for (i = 1; i <= n; i++) {
				if (part[i] == "." || part[i] == "") continue
				if (part[i] == ".." && k > 0 && out[k] != "..") { k--; continue }
				out[++k] = part[i]
			}
			s = ""
			for (i = 1; i <= k; i++) s = s (i > 1 ? "/" : "") out[i]
			return s
		}
		{
			line = $0; sub(/:.*/, "", line)
			inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
			dir = file; sub(/\/[^\/]*$/, "", dir)
			p = norm(dir "/" inc)
			if (!(p in exists) && (norm(inc) in exists)) p = norm(inc)
			used = p; sub(/\/.*/, "", used)
			if (index(p, "/") == 0) used = own
			if (used !~ /^(core|ingest|analyze|report)$/) next
			if (index(ok, " " used " ") == 0)
				printf "%s:%s: includes \"%s\" (%s): %s may use only%s\n",
				       file, line, inc, used, own, substr(ok, 1, length(ok) - 1)
		}'
	done >>"$out"
done

# symbols: what each layer's objects take from objects of another layer
if [ -n "$obj" ]; then
	objs=""
	for l in gen $layers; do
		[ -d "$obj/$l" ] || continue
		objs="$objs $(find "$obj/$l" -name '*.o' -type f | sort | tr '\n' ' ')"
	done
	if [ -n "$(echo $objs)" ]; then
		# shellcheck disable=SC2086
		nm -A -P $objs | awk -v top="$obj/" -v core="$(allowed core)" -v ingest="$(allowed ingest)" \
		                     -v analyze="$(allowed analyze)" -v report="$(allowed report)" '
			{
				f = $1; sub(/:$/, "", f)
				obj = substr(f, length(top) + 1)
				l = obj; sub(/\/.*/, "", l)
				if (l == "gen") l = "core"
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
