# tollgate lighthouse against `lhci assert` (@lhci/cli, pinned in tests/lighthouse) on 100 LHRs
# made by perturbing the real ones in tests/data/lighthouse/lh12 (metrics, scores and URLs varied,
# 10 URLs of 10 runs), under lighthouse:recommended plus assertions with every aggregation method,
# in two shapes: LHRs as Lighthouse writes them (0.3–0.6 MB, most of it screenshots), and small
# ones without the screenshots, i18n and timing (~0.1 MB; what --disable-full-page-screenshot
# and a trimmed save leave), where start-up and per-file costs weigh most.
# Prints rows for scripts/bench: workload|tollgate_s|tollgate_mb|reference|reference_s|reference_mb|agree|target|floor_s
#
# The target (≥ 20×) is judged on CPU time (user + sys of the process and the children it waited
# for, from wait4, microseconds): on a shared machine wall time is mostly other processes' load
# (docs/performance.md). Both sides pay their own start-up (node loading lhci is part of lhci's
# cost, as loading tollgate and its simdjson is part of ours), both read the same files under the
# same lighthouserc, and the answers are compared assertion by assertion (`agree`). Each figure
# is the least of several runs taken in the same minute; the floor is `cat FILES >/dev/null`.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench.d/measure.bash
root=$PWD
TOLLGATE_BIN=${TOLLGATE_BIN:-$PWD/build/tollgate}
lhci=$root/tests/lighthouse/node_modules/.bin/lhci
[[ -x "$lhci" ]] || (cd tests/lighthouse && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
# Absolute: the CPU rounds run in each shape's directory.
base=$(realpath -m "${BENCH_DIR:-$(mktemp -d)}")/lighthouse
rm -rf "$base"

# `one_shape NAME SMALL`: generates the 100 LHRs (SMALL=1: without screenshots, i18n, timing),
# runs both tools and prints the row.
one_shape() {
  local name=$1 small=$2 dir=$base/$1
  mkdir -p "$dir/.lighthouseci"
  /usr/bin/python3 - "$root/tests/data/lighthouse/lh12" "$dir/.lighthouseci" "$small" <<'PY'
import glob, json, random, sys
src, out, small = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
bases = [json.load(open(f)) for f in sorted(glob.glob(f"{src}/*.json"))]
rng = random.Random(5)
for i in range(100):
    lhr = json.loads(json.dumps(bases[i % len(bases)]))
    url = f"http://127.0.0.1:8080/page-{i % 10}.html"
    lhr["finalUrl"] = lhr["finalDisplayedUrl"] = lhr["mainDocumentUrl"] = url
    for audit in lhr["audits"].values():
        if isinstance(audit.get("numericValue"), (int, float)):
            audit["numericValue"] *= rng.uniform(0.8, 1.25)
        if isinstance(audit.get("score"), (int, float)) and 0 < audit["score"] < 1:
            audit["score"] = round(min(1, max(0, audit["score"] + rng.uniform(-0.1, 0.1))), 2)
    for category in lhr["categories"].values():
        if isinstance(category.get("score"), (int, float)):
            category["score"] = round(min(1, max(0, category["score"] + rng.uniform(-0.05, 0.05))), 2)
    if small:
        for key in ("fullPageScreenshot", "i18n", "timing"):
            lhr.pop(key, None)
        for audit_id in ("screenshot-thumbnails", "final-screenshot"):
            lhr["audits"].get(audit_id, {}).pop("details", None)
    json.dump(lhr, open(f"{out}/lhr-{1000 + i}.json", "w"))
PY
  cat >"$dir/lighthouserc.json" <<'JSON'
{
  "ci": {
    "assert": {
      "preset": "lighthouse:recommended",
      "assertions": {
        "categories:performance": ["error", {"minScore": 0.9, "aggregationMethod": "median"}],
        "categories:accessibility": ["error", {"minScore": 0.9, "aggregationMethod": "pessimistic"}],
        "first-contentful-paint": ["error", {"maxNumericValue": 2000, "aggregationMethod": "median-run"}],
        "largest-contentful-paint": ["warn", {"maxNumericValue": 2500}],
        "resource-summary:script:size": ["error", {"maxNumericValue": 150000}],
        "user-timings:tollgate-boot": ["warn", {"maxNumericValue": 50}]
      }
    }
  }
}
JSON
  local mb ts tm rs rm agree tc rc fc cpu_ratio target fs
  mb=$(du -cm --apparent-size "$dir"/.lighthouseci/lhr-*.json | tail -1 | cut -f1)
  # Both exit 1 (some assertions fail); measure reads /usr/bin/time's output, which a non-zero exit
  # status would prefix with a line of its own.
  read -r ts tm < <(cd "$dir" && measure_best 5 bash -c '"$0" lighthouse --config lighthouserc.json --json tollgate.json || true' "$TOLLGATE_BIN")
  read -r rs rm < <(cd "$dir" && measure_best 3 bash -c '"$0" assert --config=lighthouserc.json --includePassedAssertions || true' "$lhci")
  agree=$(/usr/bin/python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
def r(v):
    return None if v is None else round(float(v), 9)
def name(a, p):
    return a if not p else f"{a}:{p.replace('.', ':') if a == 'resource-summary' else p}"
ours = sorted(repr((a["url"], a["audit"], a["option"], a["level"], r(a["expected"]), r(a["actual"]), a["passed"]))
              for a in json.load(open(f"{d}/tollgate.json"))["assertions"])
theirs = sorted(repr((a["url"], name(a["auditId"], a.get("auditProperty")), a["name"], a["level"], r(a["expected"]),
                      r(a["actual"]), a["passed"])) for a in json.load(open(f"{d}/.lighthouseci/assertion-results.json")))
failed = sum(1 for a in json.load(open(f"{d}/tollgate.json"))["assertions"] if not a["passed"])
print(f"yes ({len(ours)} assertions, {failed} failed)" if ours == theirs else f"NO: {len(ours)} vs {len(theirs)} assertions")
PY
)
  # CPU time, the three in the same minute: tollgate, lhci, and the floor.
  local ours=("$TOLLGATE_BIN" lighthouse --config lighthouserc.json --json tollgate-cpu.json)
  local theirs=("$lhci" assert --config=lighthouserc.json --includePassedAssertions)
  local reading=(bash -c 'exec cat "$@" >/dev/null' cat "$dir"/.lighthouseci/lhr-*.json)
  { read -r tc; read -r rc; read -r fc; } < <(cd "$dir" && cpu_rounds 5 ours theirs reading)
  cpu_ratio=$(awk -v r="$rc" -v t="$tc" 'BEGIN { printf (t > 0 ? "%.1f×" : "-"), (t > 0 ? r / t : 0) }')
  target=$(verdict "$tc > 0 && $rc / $tc >= 20" "lhci assert ≥20× tollgate's CPU time: ${tc} s vs ${rc} s, $cpu_ratio (floor, cat: ${fc} s CPU); both pay their own start-up, same files and assertions")
  fs=$(floor "$dir"/.lighthouseci/lhr-*.json)
  echo "lighthouse: 100 $name LHRs (${mb} MB), 10 URLs|$ts|$tm|lhci assert|$rs|$rm|$agree|$target|$fs"
}

one_shape large 0
one_shape small 1
