#!/usr/bin/env bash
# The YAML alias bomb of the hostile suite (issue 14 item 4): a 394-byte lighthouserc.yml whose
# nine levels of aliases expand to 9^9 nodes, read directly and through `ci.extends` from a
# lighthouserc.json, and as the Tollgate config of `coverage`. Each must stop with exit 2 in well
# under a second and a few MB (util/yaml.h bounds alias expansion before anything is built).
# Prints rows for scripts/bench: workload|tollgate_s|tollgate_mb|reference|reference_s|reference_mb|agree|target
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench.d/measure.bash
TOLLGATE_BIN=${TOLLGATE_BIN:-$PWD/build/tollgate}
dir=${BENCH_DIR:-$(mktemp -d)}/yaml
rm -rf "$dir" && mkdir -p "$dir/rc" "$dir/extends" "$dir/config/.github"

bomb() { # $1: the key the levels sit under
  printf '%s\n' "$1" '    a: &a [x,x,x,x,x,x,x,x,x]'
  local prev=a
  for l in b c d e f g h i; do
    printf '    %s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' "$l" "$l" $prev $prev $prev $prev $prev $prev $prev $prev $prev
    prev=$l
  done
}
{ echo "ci:"; bomb "  assert:"; } >"$dir/rc/lighthouserc.yml"
cp "$dir/rc/lighthouserc.yml" "$dir/extends/base.yml"
echo '{"ci": {"extends": "./base.yml"}}' >"$dir/extends/lighthouserc.json"
{ echo "coverage:"; bomb "  min-file:"; } >"$dir/config/.github/tollgate.yml"
printf 'SF:a.c\nDA:1,1\nend_of_record\n' >"$dir/config/lcov.info"
cp tests/data/lighthouse/lh13/slow-1.json "$dir/rc/lhr-1.json"
cp tests/data/lighthouse/lh13/slow-1.json "$dir/extends/lhr-1.json"

row() { # $1 name, $2 directory, rest: tollgate arguments
  local name=$1 d=$2; shift 2
  local ts tm status
  read -r ts tm < <(cd "$d" && measure_best 3 "$TOLLGATE_BIN" "$@")
  (cd "$d" && "$TOLLGATE_BIN" "$@" >/dev/null 2>"$d/stderr") && status=0 || status=$?
  local agree="exit $status: $(grep -o 'aliases expand to more than [0-9]* nodes' "$d/stderr" || echo 'NOT the alias limit')"
  echo "$name|$ts|$tm|—|||$agree|$(verdict "$ts < 1 && $tm < 64 && $status == 2" "exit 2 in < 1 s, < 64 MB")"
}
row "yaml: alias bomb in lighthouserc.yml ($(wc -c <"$dir/rc/lighthouserc.yml") B)" "$dir/rc" lighthouse --report lhr-1.json --config lighthouserc.yml
row "yaml: alias bomb through ci.extends" "$dir/extends" lighthouse --report lhr-1.json --config lighthouserc.json
row "yaml: alias bomb in .github/tollgate.yml" "$dir/config" coverage --report lcov.info
