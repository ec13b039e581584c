#!/usr/bin/env bash
# tollgate merge over four coverage legs' --json results (~25 MB each: every line's hits of 500
# files of 4,500 lines, as `tollgate coverage --json` writes them for a matrix leg), against
# Python reading the same results (json.load, then the lines covered in any leg: the first thing
# any reader of them does), and `cat` of the four files (the floor). Issue 18 item 3: the
# --json leg results are one of the JSON formats read.
# Prints a row for scripts/bench: workload|tollgate_s|tollgate_mb|reference|reference_s|reference_mb|agree|target|floor_s
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench.d/measure.bash
TOLLGATE_BIN=${TOLLGATE_BIN:-$PWD/build/tollgate}
dir=${BENCH_DIR:-$(mktemp -d)}/merge
rm -rf "$dir" && mkdir -p "$dir/legs"

# A repository naming the 500 files (merge keeps only paths of the repository), and one LCOV
# tracefile per leg, each with its own hits.
/usr/bin/python3 - "$dir" <<'PY'
import os, random, subprocess, sys
d = sys.argv[1]
files = [f"src/module{f // 50}/file{f}.c" for f in range(500)]
for path in files:
    os.makedirs(os.path.dirname(f"{d}/{path}"), exist_ok=True)
    open(f"{d}/{path}", "w").write("int x;\n")
open(f"{d}/.gitignore", "w").write("*.info\n*.json\n*.txt\nlegs/\n")
run = lambda *a: subprocess.run(["git", "-c", "user.email=b@example.invalid", "-c", "user.name=bench", *a], cwd=d, check=True,
                                stdout=subprocess.DEVNULL)
run("init", "-q", "-b", "main")
run("add", "-A")
run("commit", "-q", "-m", "files")
hits = [str(h) for h in (0, 0, 0, 1, 2, 3, 12, 250)]
for leg in range(4):
    rng = random.Random(leg)
    with open(f"{d}/leg{leg}.info", "w") as out:
        for path in files:
            out.write(f"TN:\nSF:{d}/{path}\n")
            out.write("\n".join(f"DA:{n},{hits[rng.getrandbits(3)]}" for n in range(1, 4501)))
            out.write("\nLF:4500\nLH:0\nend_of_record\n")
PY
for leg in 0 1 2 3; do
  (cd "$dir" && "$TOLLGATE_BIN" coverage --report "leg$leg.info" --json "legs/leg$leg.json" >/dev/null) || true
done
mb=$(du -cm --apparent-size "$dir"/legs/*.json | tail -1 | cut -f1)

cat >"$dir/reference.py" <<'PY'
import json, sys
covered, lines = set(), set()
for name in sys.argv[1:]:
    for f in json.load(open(name))["coverage_data"]["files"]:
        for line, hits in f["lines"]:
            lines.add((f["path"], line))
            if hits > 0:
                covered.add((f["path"], line))
print(json.dumps([len(covered), len(lines)]))
PY
# CPU time (user + sys), least of three interleaved rounds, as the other JSON rows; the peaks are
# one run each (/usr/bin/time's %M).
ours=("$TOLLGATE_BIN" merge --report 'legs/*.json' --dry-run --json merged.json)
reference=(bash -c 'python3 reference.py legs/*.json >reference.json')
{ read -r ts; read -r rs; } < <(cd "$dir" && cpu_rounds 3 ours reference)
read -r _ tm < <(cd "$dir" && measure "${ours[@]}")
read -r _ rm < <(cd "$dir" && measure "${reference[@]}")
agree=$(/usr/bin/python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
t = json.load(open(f"{d}/merged.json"))["totals"]
covered, lines = json.load(open(f"{d}/reference.json"))
ok = (t["lines_covered"], t["lines"]) == (covered, lines) and lines > 0
print(f"yes ({covered}/{lines} lines covered in any leg)" if ok else f"NO: tollgate {t['lines_covered']}/{t['lines']}, reference {covered}/{lines}")
PY
)
echo "merge: 4 coverage legs' --json, ${mb} MB (CPU s)|$ts|$tm|python json.load + lines covered (CPU s)|$rs|$rm|$agree|$(awk -v m="$mb" -v t="$ts" 'BEGIN { printf "%.0f", m / (t > 0 ? t : 0.01) }') MB/s (no target)|$(floor "$dir"/legs/*.json)"
