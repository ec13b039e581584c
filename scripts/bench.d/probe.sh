#!/usr/bin/env bash
# tollgate probe against curl on the same requests: 50 probes × 20 samples (1,000 GETs, 50 at a
# time) to a local Node HTTP server, with the JSON body checked by tollgate. The per-request cost
# (wall time / requests) of each is shown in the agree column.
# Prints rows for scripts/bench: workload|tollgate_s|tollgate_mb|reference|reference_s|reference_mb|agree
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench.d/measure.bash
TOLLGATE_BIN=${TOLLGATE_BIN:-$PWD/build/tollgate}
dir=${BENCH_DIR:-$(mktemp -d)}/probe
rm -rf "$dir" && mkdir -p "$dir"
probes=50 samples=20

# A keep-alive server on a free loopback port, answering a small health document.
node -e '
const http = require("http");
const body = JSON.stringify({status: "ok", checks: {db: {latency_ms: 3}}});
const s = http.createServer((req, res) => {
  res.writeHead(200, {"Content-Type": "application/json", "Content-Length": Buffer.byteLength(body)});
  res.end(body);
});
s.keepAliveTimeout = 30000;
s.listen(0, "127.0.0.1", () => require("fs").writeFileSync(process.argv[1], String(s.address().port)));
' "$dir/port" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -s "$dir/port" ]] && break; sleep 0.05; done
port=$(cat "$dir/port")

{
  echo "analysis: {count: $samples, interval: 0ms, timeout: 10s}"
  echo "probes:"
  for i in $(seq 1 $probes); do
    echo "  - {name: p$i, url: 'http://127.0.0.1:$port/health?p=$i', expect-status: 200, expect-json: ['/status == \"ok\"']}"
  done
} >"$dir/probes.yml"
for i in $(seq 1 $probes); do for j in $(seq 1 $samples); do
  printf 'url = "http://127.0.0.1:%s/health?p=%s&s=%s"\noutput = "/dev/null"\n' "$port" "$i" "$j"
done; done >"$dir/curl.cfg"

requests=$((probes * samples))
read -r ts tm < <(cd "$dir" && measure "$TOLLGATE_BIN" probe --config probes.yml --json tollgate.json)
read -r rs rm < <(cd "$dir" && measure bash -c "curl -s -Z --parallel-max $probes -K curl.cfg -w '%{http_code}\n' >curl-codes.txt")
agree=$(/usr/bin/python3 - "$dir" "$requests" "$ts" "$rs" <<'PY'
import json, sys
d, n, ts, rs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
probes = json.load(open(f"{d}/tollgate.json"))["probes"]
ok_t = sum(p["samples"] - p["failures"] - p["errors"] for p in probes)
ok_c = sum(1 for line in open(f"{d}/curl-codes.txt") if line.strip() == "200")
per = lambda s: s * 1000 / n
verdict = "yes" if ok_t == ok_c == n else f"NO ({ok_t} vs {ok_c} of {n})"
print(f"{verdict}; {per(ts):.2f} vs {per(rs):.2f} ms/request")
PY
)
echo "probe: ${probes}×${samples} samples|$ts|$tm|curl -Z --parallel-max 50|$rs|$rm|$agree|—"
