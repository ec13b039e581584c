#!/usr/bin/env bash
# Runs `tollgate <command>` for a composite action. Every input arrives as an environment variable
# (the action's `env:` mapping), never through `${{ }}` in a script, and becomes an argument here
# without any shell evaluation:
#   TOLLGATE_COMMAND    the subcommand (tests, coverage, ...)
#   TOLLGATE_ACTION     its positional argument, if any (deployment start|finish, rollback plan|dispatch)
#   TG_VALUE_<NAME>     one value              → --<name>=VALUE           (when not empty)
#   TG_LIST_<NAME>      one value per line     → --<name>=LINE for each non-blank line
#   TG_FLAG_<NAME>      true | false | empty   → --<name> when true
#   TOLLGATE_JSON       where to write the --json result (default: a new file under $RUNNER_TEMP)
#   TOLLGATE_ARGS       further arguments, one per line, passed as they are
# <NAME> is the option in upper case with '-' written '_' (TG_VALUE_MIN_LINE → --min-line).
# Writes the step output `json` (the result's path) beside the outputs tollgate writes, and exits
# with tollgate's status: 0 passed, 1 a gate failed, 2 bad input, 3 GitHub unreachable.
set -euo pipefail

fail() { echo "::error title=tollgate action::$*" >&2; exit 2; }
command=${TOLLGATE_COMMAND:-}
[[ -n $command ]] || fail "no command given (the action's 'command' input)"
[[ $command =~ ^[a-z]+$ ]] || fail "'$command' is not a tollgate command"

args=("$command")
[[ -n ${TOLLGATE_ACTION:-} ]] && args+=("$TOLLGATE_ACTION")

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; printf '%s' "${s%"${s##*[![:space:]]}"}"; }

while IFS= read -r name; do
  value=${!name}
  [[ -n $value ]] || continue
  kind=${name#TG_}; kind=${kind%%_*}
  option=${name#TG_"$kind"_}
  option=--${option//_/-}
  option=${option,,}
  case $kind in
    VALUE) args+=("$option=$value") ;;
    LIST)
      while IFS= read -r line || [[ -n $line ]]; do
        line=$(trim "$line")
        [[ -n $line ]] && args+=("$option=$line")
      done <<<"$value" ;;
    FLAG)
      case $value in
        true) args+=("$option") ;;
        false) ;;
        *) fail "input ${option#--} must be true or false, not '$value'" ;;
      esac ;;
    *) fail "unknown input kind in $name" ;;
  esac
done < <(compgen -e | LC_ALL=C sort | grep -E '^TG_(VALUE|LIST|FLAG)_[A-Z0-9_]+$' || true)

json=${TOLLGATE_JSON:-}
if [[ -z $json ]]; then
  dir=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/tollgate-results
  mkdir -p "$dir"
  json=$(mktemp "$dir/$command-XXXXXXXX.json")
fi
mkdir -p "$(dirname "$json")"
args+=("--json=$json")

if [[ -n ${TOLLGATE_ARGS:-} ]]; then
  while IFS= read -r line || [[ -n $line ]]; do
    line=$(trim "$line")
    [[ -n $line ]] && args+=("$line")
  done <<<"$TOLLGATE_ARGS"
fi

status=0
tollgate "${args[@]}" || status=$?
if [[ -s $json && -n ${GITHUB_OUTPUT:-} ]]; then
  echo "json=$json" >>"$GITHUB_OUTPUT"
fi
exit "$status"
