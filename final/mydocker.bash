# bash completion for mydocker(1). The commands and options are read from
# mydocker's own help, so they never fall behind it; containers, images and
# networks from ps -a, images and network ls.

_mydocker_commands() {
	mydocker --help 2>/dev/null | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'
}

_mydocker_options() { # COMMAND
	mydocker "$1" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*\|^  -[a-zA-Z]\b' | tr -d ' '
}

_mydocker_containers() { # the last column of ps -a: NAMES
	mydocker ps -a 2>/dev/null | awk 'NR > 1 { print $NF }'
}

_mydocker_images() {
	mydocker images 2>/dev/null | awk 'NR > 1 { print $1 ":" $2 }'
}

_mydocker_networks() {
	mydocker network ls 2>/dev/null | awk 'NR > 1 { print $1 }'
}

_mydocker() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} cmd="" i words
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} != -* ]]; then
			cmd=${COMP_WORDS[i]}
			break
		fi
	done
	if [ -z "$cmd" ]; then
		words="$(_mydocker_commands) --help --version"
	elif [[ $cur == -* ]]; then
		words=$(_mydocker_options "$cmd")
	else
		case $cmd:$prev in
		run:--net | run:--network) words="none host $(_mydocker_networks)" ;;
		run:--restart) words="no on-failure always unless-stopped" ;;
		cp:*) words="$(_mydocker_containers | sed 's/$/:/') $(compgen -f -- "$cur")" ;;
		run:-v | run:--volume | run:--env-file | run:--cidfile | *:-o | *:--output | import:*)
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			return ;;
		run:*) words=$(_mydocker_images) ;;
		rmi:* | images:* | tag:*) words=$(_mydocker_images) ;;
		inspect:*) words="$(_mydocker_containers) $(_mydocker_images) $(_mydocker_networks)" ;;
		network:*) words="create ls rm inspect prune $(_mydocker_networks)" ;;
		system:*) words="df info prune" ;;
		version:* | info:*) words="" ;;
		*) words=$(_mydocker_containers) ;;
		esac
	fi
	mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}

complete -F _mydocker mydocker
