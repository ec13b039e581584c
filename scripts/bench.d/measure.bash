# Sourced by bench scripts: `measure CMD...` prints "seconds megabytes" (wall time, peak RSS).
measure() {
  local f; f=$(mktemp)
  /usr/bin/time -o "$f" -f '%e %M' "$@" >/dev/null 2>&1 || true
  tail -1 "$f" | awk '{ printf "%s %.1f\n", $1, $2 / 1024 }'; rm -f "$f"
}
