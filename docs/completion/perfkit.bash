# perfkit.bash - bash completion for perfingest, perfanalyze and perfreport.
# Each tool's long options are listed below with the kind of value each
# takes (tests/cli/docs-options-match checks the lists against every tool's
# --help); reader names come from perfingest --help, and profile, experiment,
# session and suite names from perfanalyze --list of the database on the
# command line (--db, else $PERFKIT_DB, else ./perf.db).
# Installed as completions/perfingest with perfanalyze and perfreport linked
# to it; also works when sourced.

# The long options of tool $1, one "--name" or "--name=KIND" a word, KIND
# being what its value is: file, dir, format (a reader or an output format),
# profile, profiles (A,B,...), experiment, session, suite (optional), or
# text (anything: nothing is completed).
_perfkit_options()
{
	case $1 in
	perfingest)
		echo --db=file --format=format --dry-run --force --source=text \
			--tz=text --columns=text --run-time=text --suite=text \
			--alias=text --max-unpacked=text --max-ratio=text --help --version ;;
	perfanalyze)
		echo --db=file --list --analyze=profile --compare=profile \
			--hours=text --until=text --format=format --profile=profile \
			--baseline=text --baseline-runs=text --threshold=text \
			--min-segment=text --alpha=text --help --version \
			--regressions=suite --throttling=profile --load-levels=session \
			--quality=profile --correlate --experiment=experiment \
			--experiments=experiment --tiers ;;
	perfreport)
		echo --db=file --compare=profile --requirements --bloomos \
			--week=text --profiles=profiles --experiment=experiment \
			--experiments=experiment --session=session --regressions=suite \
			--throttling=profile --threshold=text --hours=text --until=text \
			--output=file --all --outdir=dir --format=format \
			--templates=dir --help --version ;;
	esac
}

# The kind of value option $2 of tool $1 takes, or nothing.
_perfkit_kind()
{
	local o
	for o in $(_perfkit_options "$1"); do
		if [[ $o == "$2="* ]]; then
			printf '%s\n' "${o#*=}"
			return
		fi
	done
}

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

# The names of one kind in that database, from perfanalyze --list --format
# csv: profile (the first block), experiment, session or suite (the second
# field of the rows of that kind's block), without duplicates.  Names are
# data: read without a shell, never expanded; those the CSV quotes (a comma,
# a quote, a line break) are left out.
_perfkit_names()
{
	local db kind
	db=$(_perfkit_db)
	[[ -f $db ]] || return
	case $1 in
	profile) kind=profile ;;
	experiment) kind=experiments ;;
	session) kind=sessions ;;
	suite) kind=benchmarks ;;
	*) return ;;
	esac
	perfanalyze --db "$db" --list --format csv 2>/dev/null |
		awk -F, -v kind="$kind" '
			kind == "profile" && NR == 1 { if ($1 != "profile") exit; next }
			kind == "profile" && NF < 2 { exit }
			kind == "profile" { name = $1 }
			kind != "profile" && $1 == kind { name = $2 }
			name != "" && name !~ /"/ && !seen[name]++ { print name }
			{ name = "" }'
}

# Sets COMPREPLY to the lines of $2 that begin with $1 (as written, or
# quoted for the shell), each quoted and prefixed with $3.  Not compgen -W,
# which expands $(...) and `...` in its words: names come from logs and are
# never run, neither here nor when the command line is.
_perfkit_reply()
{
	local name q
	COMPREPLY=()
	while IFS= read -r name; do
		[[ -n $name ]] || continue
		printf -v q '%q' "$name"
		[[ $name == "$1"* || $q == "$1"* ]] && COMPREPLY+=("$3$q")
	done <<<"$2"
}

_perfkit()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local tool=${COMP_WORDS[0]##*/} kind words i
	COMPREPLY=()
	# the option whose values these are: the one before, or for the lists
	# (--compare A B, --experiments ID...) the last option on the line
	kind=$(_perfkit_kind "$tool" "$prev")
	if [[ -z $kind && $cur != -* ]]; then
		for ((i = COMP_CWORD - 1; i > 0; i--)); do
			[[ ${COMP_WORDS[i]} == -* ]] || continue
			if [[ ${COMP_WORDS[i]} == --experiments ]] ||
			   { [[ ${COMP_WORDS[i]} == --compare ]] && ((i == COMP_CWORD - 2)); }; then
				kind=$(_perfkit_kind "$tool" "${COMP_WORDS[i]}")
			fi
			break
		done
	fi
	case $kind in
	file|dir)
		if [[ $kind == dir ]]; then
			COMPREPLY=($(compgen -d -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		compopt -o filenames 2>/dev/null
		return ;;
	format)
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
	profile|experiment|session)
		_perfkit_reply "$cur" "$(_perfkit_names "$kind")"
		return ;;
	profiles)
		# A,B,...: the name after the last comma
		local done_part=
		[[ $cur == *,* ]] && done_part=${cur%,*},
		_perfkit_reply "${cur##*,}" "$(_perfkit_names profile)" "$done_part"
		compopt -o nospace 2>/dev/null
		return ;;
	suite)
		# optional: a suite, or the next option
		if [[ $cur != -* ]]; then
			_perfkit_reply "$cur" "$(_perfkit_names suite)"
			return
		fi ;;
	text)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		words=
		for i in $(_perfkit_options "$tool"); do
			words+=" ${i%%=*}"
		done
		COMPREPLY=($(compgen -W "$words -h -V" -- "$cur"))
		return
	fi
	if [[ $tool == perfingest ]]; then
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
	fi
}

complete -F _perfkit perfingest perfanalyze perfreport
