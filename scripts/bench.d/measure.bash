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
# `cpu_seconds CMD...`: user + system CPU seconds of one run, its reaped children included; the
# command's exit status is not the measurement's (a gate that fails exits 1).
cpu_seconds() {
  local f; f=$(mktemp)
  /usr/bin/time -f '%U %S' -o "$f" "$@" >/dev/null 2>&1 || true
  # the last line: GNU time writes "Command exited with non-zero status N" above the figures
  tail -1 "$f" | awk '{ print $1 + $2 }'; rm -f "$f"
}
# `cpu_seconds_best N CMD...`: the least CPU seconds of N runs (the least disturbed one, as
# measure_best takes the fastest wall time).
cpu_seconds_best() {
  local n=$1; shift
  for _ in $(seq "$n"); do cpu_seconds "$@"; done | sort -g | head -1
}
