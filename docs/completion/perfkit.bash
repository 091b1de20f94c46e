# perfkit.bash - bash completion for perfingest, perfanalyze and perfreport.
# Options come from each tool's --help (so they follow the build), reader
# names from perfingest --help, profile names from perfanalyze --list of the
# database on the command line (--db, else $PERFKIT_DB, else ./perf.db).
# Installed as completions/perfingest with perfanalyze and perfreport linked
# to it; also works when sourced.

# The --db FILE given on the current command line, if any.
_perfkit_db()
{
	local i
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == --db ]]; then
			printf '%s\n' "${COMP_WORDS[i + 1]}"
			return
		fi
	done
	printf '%s\n' "${PERFKIT_DB:-perf.db}"
}

# Hardware profile names in that database (first column of --list's first
# table), read without a shell: names are data.
_perfkit_profiles()
{
	local db
	db=$(_perfkit_db)
	[[ -f $db ]] || return
	perfanalyze --db "$db" --list --format csv 2>/dev/null |
		awk -F, 'NR == 1 { if ($1 != "profile") exit; next } NF < 2 { exit } { print $1 }'
}

_perfkit()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local tool=${COMP_WORDS[0]##*/} words
	COMPREPLY=()
	case $prev in
	--db|--output|--templates|--outdir)
		[[ $prev == --templates || $prev == --outdir ]] && compopt -o dirnames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return ;;
	--format)
		if [[ $tool == perfingest ]]; then
			words=$("${COMP_WORDS[0]}" --help 2>/dev/null |
				awk '/^formats:/ { f = 1; next } f && /^  [a-z]/ { print $1 } f && /^$/ { exit }')
		elif [[ $tool == perfreport ]]; then
			words="html md"
		else
			words="text json csv"
		fi
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return ;;
	--analyze|--compare|--throttling|--quality|--profile)
		[[ $tool == perfingest ]] && return
		COMPREPLY=($(compgen -W "$(_perfkit_profiles)" -- "$cur"))
		return ;;
	--hours|--until|--tz|--run-time|--alias|--source|--seed|--threshold|--baseline|--baseline-runs)
		return ;;
	esac
	# the second profile of --compare A B
	if [[ $tool != perfingest && COMP_CWORD -ge 3 && ${COMP_WORDS[COMP_CWORD - 2]} == --compare ]]; then
		COMPREPLY=($(compgen -W "$(_perfkit_profiles)" -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		words=$("${COMP_WORDS[0]}" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
		COMPREPLY=($(compgen -W "$words -h -V" -- "$cur"))
		return
	fi
	if [[ $tool == perfingest ]]; then
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
	fi
}

complete -F _perfkit perfingest perfanalyze perfreport
