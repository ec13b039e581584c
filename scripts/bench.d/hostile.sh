#!/usr/bin/env bash
# Hostile inputs (issue 14): a 2 GB sparse file given as a test report and as a coverage report
# (read whole past util::k_max_read_bytes = 512 MiB is refused from its size: exit 2 at once, in
# the memory of an empty run). No reference tool: "agree" is whether the run ended as it must
# (exit 2, the file named). YAML alias bombs are engineer "lh"'s rows.
set -euo pipefail
source "$(dirname "$0")/measure.bash"
dir=$BENCH_DIR/hostile; rm -rf "$dir"; mkdir -p "$dir/ws"
cd "$dir/ws"
git init -q -b main
truncate -s 2G huge.xml
truncate -s 2G huge.json
for cmd in tests coverage; do
  file=$([[ $cmd == tests ]] && echo huge.xml || echo huge.json)
  read -r ts tm < <(measure "$TOLLGATE_BIN" "$cmd" --report "$file")
  set +e; "$TOLLGATE_BIN" "$cmd" --report "$file" >/dev/null 2>"$dir/err"; rc=$?; set -e
  agree=$([[ $rc == 2 ]] && grep -q "$file" "$dir/err" && echo "yes (exit 2, file named)" || echo "NO (exit $rc)")
  target=$(verdict "$ts < 10 && $tm < 200" "< 10 s, < 200 MB")
  echo "2 GB sparse file as a $cmd report|$ts|$tm|-|0|0|$agree|$target"
done
rm -f huge.xml huge.json
