#!/usr/bin/env bash
# 5,000 failing tests posted as annotations to the GitHub API emulator answering every request
# after 20 ms: wall time, and the requests made beside the minimum possible (⌈N/50⌉ annotation
# writes + 1 lookup for an existing check run). The commit status is posted only where no check
# run can be written (--commit-status fallback, the default: docs/actions.md), so not here.
set -euo pipefail
source "$(dirname "$0")/measure.bash"
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$BENCH_DIR/annotations; rm -rf "$dir"; mkdir -p "$dir/ws"
n=5000
node "$root/tests/emulator/server.js" --port 0 --port-file "$dir/port" >"$dir/emulator.log" 2>&1 &
pid=$!; trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 100); do [[ -s "$dir/port" ]] && break; sleep 0.1; done
api="http://127.0.0.1:$(cat "$dir/port")"
# Every request answered 20 ms late (the emulator's "slow" fault on every request).
curl -s -X POST "$api/_emulator/faults" -H 'Content-Type: application/json' -d '{"rate":1,"kinds":["slow"],"latency_ms":20}' >/dev/null
cd "$dir/ws"
git init -q -b main && seq $n | sed 's/^/x = /' > mod.py && git add -A && git -c user.email=b@example.invalid -c user.name=b commit -qm b
python3 - "$n" > junit.xml <<'PY'
import sys
n = int(sys.argv[1])
print('<testsuite name="s">' + "".join(f'<testcase classname="m" name="t{i}" file="mod.py" line="{i}"><failure message="m{i}"/></testcase>' for i in range(1, n + 1)) + "</testsuite>")
PY
read -r ts tm < <(measure env GITHUB_ACTIONS=true GITHUB_REPOSITORY=octo/bench GITHUB_SHA=$(git rev-parse HEAD) GITHUB_API_URL=$api \
  GITHUB_TOKEN=bench GITHUB_WORKSPACE=$PWD GITHUB_RUN_ID=1 "$TOLLGATE_BIN" tests --report junit.xml --max-annotations $n)
read -r made stored < <(curl -s "$api/_emulator/requests" | python3 -c '
import json, sys, urllib.request
reqs = [r for r in json.load(sys.stdin)["requests"] if not r["path"].startswith("/_emulator")]
state = json.load(urllib.request.urlopen(sys.argv[1] + "/_emulator/state"))["repos"]["octo/bench"]
print(len(reqs), sum(len(c["annotations"]) for c in state["check_runs"]))' "$api")
minimum=$(( (n + 49) / 50 + 1 ))
agree=$([[ $stored == "$n" && $made == "$minimum" ]] && echo "yes ($made requests = ⌈N/50⌉+1)" || echo "NO ($made requests, minimum $minimum; $stored stored)")
target=$(verdict "$made == $minimum" "⌈N/50⌉+1 requests")
echo "annotations 5,000 at 20 ms/request|$ts|$tm|minimum requests|0|0|$agree|$target"
