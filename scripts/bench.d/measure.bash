# Sourced by bench scripts.
# `measure CMD...` prints "seconds megabytes" (wall time, peak RSS) of one run (measure.py).
_measure_py=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/measure.py
measure() {
  /usr/bin/python3 "$_measure_py" "$@"
}
# `measure_best N CMD...`: the fastest of N runs and the largest peak RSS among them (the usual
# way to time a command on a shared machine: the minimum is the least disturbed run).
measure_best() {
  local n=$1; shift
  local best="" peak=0 t m
  for _ in $(seq "$n"); do
    read -r t m < <(measure "$@")
    if [[ -z $best ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
    peak=$(awk -v a="$m" -v b="$peak" 'BEGIN { print (a > b) ? a : b }')
  done
  echo "$best $peak"
}
# `verdict COND TEXT`: "met (TEXT)" when the awk condition holds, else "MISSED (TEXT)".
verdict() {
  if awk "BEGIN { exit !($1) }"; then echo "met: $2"; else echo "MISSED: $2"; fi
}
# `floor FILE...`: the fastest of three `cat FILE... >/dev/null` (seconds): reading the same bytes
# from the page cache, the limit no parser of the file can beat; each row shows it beside
# tollgate's time.
floor() {
  local t
  read -r t _ < <(measure_best 3 bash -c 'cat "$@" >/dev/null' cat "$@")
  echo "$t"
}
# `cpu_rounds N NAME...`: the commands held in the bash arrays NAME... run in turn, N rounds
# (interleaved: a slow minute on a shared 2-core machine falls on each of them alike), then the
# least CPU seconds of each, one line per command in the order named. CPU time is user + system of
# the command and the children it waited for (measure.py --cpu: microseconds); the exit status is
# not the measurement's. The verdicts compare CPU time: on a shared machine wall time is mostly the
# others' load (a 0.06 s CPU run took 0.43 s wall beside other builds), CPU time moves far less.
cpu_rounds() {
  # Prefixed: a caller's array of the same name as a local would be shadowed by it.
  local _cr_n=$1; shift
  local -a _cr_least=()
  local _cr_i _cr_name _cr_t
  for _ in $(seq "$_cr_n"); do
    _cr_i=0
    for _cr_name in "$@"; do
      local -n _cr_cmd=$_cr_name
      _cr_t=$(/usr/bin/python3 "$_measure_py" --cpu "${_cr_cmd[@]}")
      unset -n _cr_cmd
      if [[ -z ${_cr_least[_cr_i]:-} ]] || awk -v a="$_cr_t" -v b="${_cr_least[_cr_i]}" 'BEGIN { exit !(a < b) }'; then
        _cr_least[_cr_i]=$_cr_t
      fi
      _cr_i=$((_cr_i + 1))
    done
  done
  printf '%s\n' "${_cr_least[@]}"
}
