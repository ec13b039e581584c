#!/usr/bin/env bash
# tollgate coverage against the reference tools on large generated inputs:
#   1. a ~100 MB LCOV tracefile: totals vs `lcov --summary --rc lcov_branch_coverage=1`, in two
#      shapes (line-heavy; dense branches, function records and large counts);
#   2. a ~20 MB Cobertura file on a git repository whose branch touches ~2,000 lines: patch
#      coverage vs `diff-cover --json-report`.
# Prints rows for scripts/bench: workload|tollgate_s|tollgate_mb|reference|reference_s|reference_mb|agree|target|floor_s
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench.d/measure.bash
TOLLGATE_BIN=${TOLLGATE_BIN:-$PWD/build/tollgate}
dir=${BENCH_DIR:-$(mktemp -d)}/coverage
rm -rf "$dir" && mkdir -p "$dir"

# 1. LCOV: 2,000 files of ~4,500 DA lines and ~400 BRDA lines each (about 100 MB).
/usr/bin/python3 - "$dir/big.info" <<'PY'
import random, sys
rng = random.Random(1)
hits = [str(h) for h in (0, 0, 1, 2, 3, 12, 250, 40000)]
taken = ["-", "0", "1", "7"]
with open(sys.argv[1], "w") as out:
    for f in range(2000):
        lines = range(1, 4501)
        body = [f"TN:\nSF:/home/runner/work/app/app/src/module{f // 50}/file{f}.c"]
        body.append("\n".join(f"DA:{n},{hits[rng.getrandbits(3)]}" for n in lines))
        body.append("\n".join(f"BRDA:{n},0,{b},{taken[rng.getrandbits(2)]}" for n in range(10, 4500, 22) for b in (0, 1)))
        body.append(f"LF:4500\nLH:0\nend_of_record\n")
        out.write("\n".join(body))
PY
mb=$(du -m --apparent-size "$dir/big.info" | cut -f1)
# Timed as lcov --summary runs (totals only); then once more with --json for the comparison (the
# --json result also carries every line's hits for `tollgate merge`, ~100 MB here).
read -r ts tm < <(cd "$dir" && measure_best 5 "$TOLLGATE_BIN" coverage --report big.info)
(cd "$dir" && "$TOLLGATE_BIN" coverage --report big.info --json tollgate-lcov.json >/dev/null)
read -r rs rm < <(cd "$dir" && measure bash -c "lcov --summary --rc lcov_branch_coverage=1 big.info >lcov-summary.txt 2>&1")
agree=$(/usr/bin/python3 - "$dir" <<'PY'
import json, re, sys
d = sys.argv[1]
t = json.load(open(f"{d}/tollgate-lcov.json"))["totals"]
s = open(f"{d}/lcov-summary.txt").read()
l = re.search(r"lines\.*: [\d.]+% \((\d+) of (\d+)", s)
b = re.search(r"branches\.*: [\d.]+% \((\d+) of (\d+)", s)
ok = l and b and (int(l[1]), int(l[2]), int(b[1]), int(b[2])) == (t["lines_covered"], t["lines"], t["branches_covered"], t["branches"])
print(f"yes ({t['lines_covered']}/{t['lines']} lines, {t['branches_covered']}/{t['branches']} branches)" if ok else f"NO: {t} vs {s.strip()}")
PY
)
target=$(verdict "$rs / $ts >= 100 && $mb / $ts >= 500" "≥100× lcov and ≥500 MB/s; $(awk -v m="$mb" -v t="$ts" 'BEGIN { printf "%.0f", m / t }') MB/s")
echo "coverage: LCOV ${mb} MB totals|$ts|$tm|lcov --summary|$rs|$rm|$agree|$target|$(floor "$dir/big.info")"

# 1b. The dense shape (issue 18): function records, four branches on every other line and large
# execution counts: fewer, longer numbers per byte and more record kinds (about 100 MB).
/usr/bin/python3 - "$dir/dense.info" <<'PY'
import random, sys
rng = random.Random(3)
hits = [str(h) for h in (0, 0, 1, 7, 4096, 123456789, 98765432109, 18446744073)]
taken = ["-", "0", "1", "281474976710655"]
with open(sys.argv[1], "w") as out:
    for f in range(1000):
        body = [f"TN:\nSF:/home/runner/work/app/app/src/pkg{f // 40}/unit{f}.cpp"]
        body.append("\n".join(f"FN:{n},_ZN3app4unit{f}8functionE{n}v" for n in range(1, 1500, 10)))
        body.append("\n".join(f"FNDA:{hits[rng.getrandbits(3)]},_ZN3app4unit{f}8functionE{n}v" for n in range(1, 1500, 10)))
        body.append("FNF:150\nFNH:0")
        body.append("\n".join(f"DA:{n},{hits[rng.getrandbits(3)]}" for n in range(1, 1501)))
        body.append("\n".join(f"BRDA:{n},{b // 2},{b},{taken[rng.getrandbits(2)]}" for n in range(1, 1501, 2) for b in range(4)))
        body.append("LF:1500\nLH:0\nBRF:3000\nBRH:0\nend_of_record\n")
        out.write("\n".join(body))
PY
mb=$(du -m --apparent-size "$dir/dense.info" | cut -f1)
read -r ts tm < <(cd "$dir" && measure_best 5 "$TOLLGATE_BIN" coverage --report dense.info)
(cd "$dir" && "$TOLLGATE_BIN" coverage --report dense.info --json tollgate-dense.json >/dev/null)
read -r rs rm < <(cd "$dir" && measure bash -c "lcov --summary --rc lcov_branch_coverage=1 dense.info >lcov-dense.txt 2>&1")
agree=$(/usr/bin/python3 - "$dir" <<'PY'
import json, re, sys
d = sys.argv[1]
t = json.load(open(f"{d}/tollgate-dense.json"))["totals"]
s = open(f"{d}/lcov-dense.txt").read()
l = re.search(r"lines\.*: [\d.]+% \((\d+) of (\d+)", s)
b = re.search(r"branches\.*: [\d.]+% \((\d+) of (\d+)", s)
ok = l and b and (int(l[1]), int(l[2]), int(b[1]), int(b[2])) == (t["lines_covered"], t["lines"], t["branches_covered"], t["branches"])
print(f"yes ({t['lines_covered']}/{t['lines']} lines, {t['branches_covered']}/{t['branches']} branches)" if ok else f"NO: {t} vs {s.strip()}")
PY
)
target=$(verdict "$rs / $ts >= 100 && $mb / $ts >= 500" "≥100× lcov and ≥500 MB/s; $(awk -v m="$mb" -v t="$ts" 'BEGIN { printf "%.0f", m / t }') MB/s")
echo "coverage: LCOV ${mb} MB dense (FN, BRDA, big counts)|$ts|$tm|lcov --summary|$rs|$rm|$agree|$target|$(floor "$dir/dense.info")"

# 2. Cobertura on a repository: 1,000 files of 660 lines; the branch inserts or rewrites ~2,000
# lines in 200 of them; the report covers the head versions (about 20 MB).
repo="$dir/repo"
/usr/bin/python3 - "$repo" <<'PY'
import os, random, subprocess, sys
repo = sys.argv[1]
rng = random.Random(2)
def git(*args):
    subprocess.run(["git", "-c", "user.email=b@example.invalid", "-c", "user.name=bench", *args], cwd=repo, check=True,
                   stdout=subprocess.DEVNULL)
os.makedirs(repo)
git("init", "-q", "-b", "main")
open(f"{repo}/.gitignore", "w").write("*.xml\n*.json\n")
files = {}
for i in range(1000):
    path = f"src/pkg{i % 40}/mod{i}.py"
    files[path] = [f"value_{j} = compute({j}, {i})" for j in range(660)]
    os.makedirs(os.path.dirname(f"{repo}/{path}"), exist_ok=True)
    open(f"{repo}/{path}", "w").write("\n".join(files[path]) + "\n")
git("add", "-A")
git("commit", "-q", "-m", "base")
git("checkout", "-q", "-b", "feature")
for path in rng.sample(sorted(files), 200):
    text = files[path]
    for _ in range(2):
        at = rng.randrange(len(text))
        n = 5
        if rng.random() < 0.5:
            text[at:at + n] = [f"changed_{at}_{k} = 1" for k in range(n)]
        else:
            text[at:at] = [f"inserted_{at}_{k} = 2" for k in range(n)]
    open(f"{repo}/{path}", "w").write("\n".join(text) + "\n")
git("commit", "-q", "-am", "change")
with open(f"{repo}/coverage.xml", "w") as out:
    out.write(f'<?xml version="1.0" ?>\n<coverage version="7.4" line-rate="0.5" branch-rate="0">\n'
              f'\t<sources>\n\t\t<source>{repo}</source>\n\t</sources>\n\t<packages>\n\t\t<package name="src">\n\t\t\t<classes>\n')
    for path, text in files.items():
        out.write(f'\t\t\t\t<class name="{os.path.basename(path)}" filename="{path}" complexity="0" line-rate="0.5" branch-rate="0">\n'
                  '\t\t\t\t\t<methods/>\n\t\t\t\t\t<lines>\n')
        out.write("".join(f'\t\t\t\t\t\t<line number="{n}" hits="{rng.choice((0, 1, 1, 4))}"/>\n'
                          for n in range(1, len(text) + 1) if n % 7))
        out.write("\t\t\t\t\t</lines>\n\t\t\t\t</class>\n")
    out.write("\t\t\t</classes>\n\t\t</package>\n\t</packages>\n</coverage>\n")
PY
mb=$(du -m --apparent-size "$repo/coverage.xml" | cut -f1)
read -r ts tm < <(cd "$repo" && measure_best 5 "$TOLLGATE_BIN" coverage --report coverage.xml --base main --json tollgate-patch.json)
read -r rs rm < <(cd "$repo" && measure_best 3 diff-cover coverage.xml --compare-branch=main --json-report diff-cover.json)
agree=$(/usr/bin/python3 - "$repo" <<'PY'
import json, sys
d = sys.argv[1]
p = json.load(open(f"{d}/tollgate-patch.json"))["patch"]
r = json.load(open(f"{d}/diff-cover.json"))
ours = {f["path"]: f["uncovered_lines"] for f in p["files"]}
theirs = {k: v["violation_lines"] for k, v in r["src_stats"].items()}
ok = p["lines"] == r["total_num_lines"] and p["lines"] - p["lines_covered"] == r["total_num_violations"] and ours == theirs
print(f"yes ({p['lines']} changed executable lines, {p['lines'] - p['lines_covered']} uncovered)" if ok
      else f"NO: {p['lines']}/{p['lines_covered']} vs {r['total_num_lines']}/{r['total_num_violations']}")
PY
)
target=$(verdict "$rs / $ts >= 25 && $tm * 5 <= $rm" "≥25× diff-cover with ≤1/5 of its memory")
echo "coverage: Cobertura ${mb} MB patch|$ts|$tm|diff-cover|$rs|$rm|$agree|$target|$(floor "$repo/coverage.xml")"

# 3. The JSON formats (issue 18 item 3), 60–90 MB each, read as a stream of RapidJSON SAX events from chunks of the file (report/json_events.h):
# Istanbul's coverage-final.json against Node reading it (JSON.parse and the line and branch
# totals, what every Istanbul reporter starts with), coverage.py JSON against Python's json.load
# and the same totals. Neither reference has a target; the floor shows the distance to the limit.
/usr/bin/python3 - "$dir/coverage-final.json" "$dir/coverage.json" <<'PY'
import json, random, sys
rng = random.Random(7)
counts = (0, 0, 1, 2, 5, 17, 300, 65536)
with open(sys.argv[1], "w") as out:
    out.write("{")
    for f in range(1000):
        path = f"src/pkg{f // 40}/mod{f}.js"
        statements = {str(i): {"start": {"line": 3 + i // 2, "column": (i % 2) * 20},
                               "end": {"line": 3 + i // 2, "column": 19 + (i % 2) * 20}} for i in range(800)}
        branches = {str(i): {"loc": {"start": {"line": 5 + 4 * i, "column": 2}, "end": {"line": 7 + 4 * i, "column": 3}},
                             "type": "if", "locations": [{"start": {"line": 5 + 4 * i, "column": 2}, "end": {"line": 7 + 4 * i, "column": 3}}] * 2,
                             "line": 5 + 4 * i} for i in range(90)}
        entry = {"path": path, "statementMap": statements, "fnMap": {}, "branchMap": branches,
                 "s": {k: rng.choice(counts) for k in statements}, "f": {},
                 "b": {k: [rng.choice(counts), rng.choice(counts)] for k in branches}}
        out.write(("," if f else "") + json.dumps(path) + ":" + json.dumps(entry, separators=(",", ":")))
    out.write("}")
files = {}
for f in range(2000):
    lines = [n for n in range(1, 4000) if n % 5]
    rng.shuffle(lines)
    executed, missing = sorted(lines[:len(lines) * 3 // 4]), sorted(lines[len(lines) * 3 // 4:])
    arcs = [[n, n + 1 if rng.random() < 0.5 else -1] for n in range(2, 4000, 9)]
    files[f"src/pkg{f // 50}/mod{f}.py"] = {
        "executed_lines": executed, "missing_lines": missing, "excluded_lines": [],
        "executed_branches": arcs[::2], "missing_branches": arcs[1::2],
        "summary": {"covered_lines": len(executed), "num_statements": len(lines)}}
json.dump({"meta": {"format": 2, "version": "7.4.0", "branch_coverage": True}, "files": files},
          open(sys.argv[2], "w"))
PY
for format in istanbul coveragepy; do
  file=$([[ $format == istanbul ]] && echo coverage-final.json || echo coverage.json)
  mb=$(du -m --apparent-size "$dir/$file" | cut -f1)
  read -r ts tm < <(cd "$dir" && measure_best 5 "$TOLLGATE_BIN" coverage --report "$file" --json "tollgate-$format.json")
  if [[ $format == istanbul ]]; then
    reference="node JSON.parse + totals"
    read -r rs rm < <(cd "$dir" && measure_best 3 node -e '
      const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      let lines = 0, covered = 0, branches = 0, taken = 0;
      for (const f of Object.values(d)) {
        const hits = new Map();
        for (const [k, loc] of Object.entries(f.statementMap)) hits.set(loc.start.line, Math.max(hits.get(loc.start.line) || 0, f.s[k]));
        lines += hits.size; for (const h of hits.values()) covered += h > 0;
        for (const b of Object.values(f.b)) { branches += b.length; taken += b.filter(h => h > 0).length; }
      }
      require("fs").writeFileSync("reference-istanbul.json", JSON.stringify([covered, lines, taken, branches]));' "$file")
  else
    reference="python json.load + totals"
    read -r rs rm < <(cd "$dir" && measure_best 3 /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["files"]
t = [0, 0, 0, 0]
for f in d.values():
    t[0] += len(f["executed_lines"]); t[1] += len(f["executed_lines"]) + len(f["missing_lines"])
    t[2] += len(f["executed_branches"]); t[3] += len(f["executed_branches"]) + len(f["missing_branches"])
json.dump(t, open("reference-coveragepy.json", "w"))' "$file")
  fi
  agree=$(/usr/bin/python3 - "$dir" "$format" <<'PY'
import json, sys
d, f = sys.argv[1], sys.argv[2]
t = json.load(open(f"{d}/tollgate-{f}.json"))["totals"]
ours = [t["lines_covered"], t["lines"], t["branches_covered"], t["branches"]]
theirs = json.load(open(f"{d}/reference-{f}.json"))
print(f"yes ({ours[0]}/{ours[1]} lines, {ours[2]}/{ours[3]} branches)" if ours == theirs else f"NO: {ours} vs {theirs}")
PY
)
  echo "coverage: $([[ $format == istanbul ]] && echo Istanbul || echo coverage.py) JSON ${mb} MB totals|$ts|$tm|$reference|$rs|$rm|$agree|$(awk -v m="$mb" -v t="$ts" 'BEGIN { printf "%.0f", m / t }') MB/s (no target)|$(floor "$dir/$file")"
done
