# The whole story of a repository that uses Tollgate, run through the actions harness
# (tests/harness, GitHub's strict defaults) against the running emulator: the CI template on a pull
# request from a depth-1 merge-commit checkout (a three-leg matrix with one failing leg → one merged
# check with patch coverage → Lighthouse); deploy.yml started as GitHub starts it, on workflow_run
# when CI completes: refused for a commit whose CI failed, then for a fix whose CI passed staging,
# production, a failing production probe that dispatches the rollback, and the rollback template run
# with the dispatched inputs, and the delivery metrics of it all; then four scenes
# (scripts/lib/demo_scenes.py): a fork's pull request through the workflow_run publisher, 30
# failures under a read-only token, a hostile report, a security scan against its base.
# Prints what GitHub would show after each part.
# Sourced by scripts/demo, which provides $bin (tollgate), $api (the emulator), $work (a scratch
# directory) and the function `step`. Parts whose commands tollgate does not have yet are skipped.
# shellcheck shell=bash disable=SC2154  # bin, api and work come from scripts/demo

story_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
story_repo=octo/cart
story_token=demo-story-token
story_data=$story_root/tests/data/actions
story_ws=$work/story-workspace
story_bin=$work/story-bin

story_has() { # command... → whether tollgate --help lists them all
  local c
  for c in "$@"; do "$bin" --help | grep -qE "^  $c " || return 1; done
}

story_harness() { # workflow|action target [options] → the harness against the emulator
  # Exit status 2 (GitHub would refuse the file or the run) is recorded: the demo then ends failing.
  local rc=0
  PYTHONPATH="$story_root/tests" python3 -m harness "$@" --workspace "$story_ws" --repo "$story_repo" \
    --api "$api" --token "$story_token" --path "$story_bin" --env TOLLGATE_RETRY_BASE_MS=50 || rc=$?
  if ((rc == 2)); then echo "harness refused: ${2##*/}" >>"$work/story-broken"; fi
  return "$rc"
}

story_show() { python3 "$story_root/scripts/lib/show_github.py" "$api" "$story_repo" "$@"; }

story_metrics() { # sha run-id → delivery-metrics.yml over what the story deployed, and its figures
  # GitHub knows every pushed commit: the compare API reads them (tests/emulator/lib/history.js).
  git -C "$story_ws" log --all --reverse --format='%H %cI %P' | python3 -c 'import json, sys
commits = [{"sha": l.split()[0], "date": l.split()[1], "parents": l.split()[2:]} for l in sys.stdin if l.strip()]
print(json.dumps({"repo": sys.argv[1], "commits": commits}))' "$story_repo" |
    curl -s -X POST "$api/_emulator/history" -H 'Content-Type: application/json' -d @- >/dev/null
  local rc=0
  story_harness workflow "$story_root/workflows-templates/delivery-metrics.yml" --event workflow_dispatch \
    --input environment=production --input since=1d --sha "$1" --run-id "$2" || rc=$?
  echo "workflow exit status: $rc"
  echo "\$ tollgate metrics --environment production --since 1d   (the same figures, from the terminal)"
  (cd "$story_ws" && env GITHUB_ACTIONS=true GITHUB_REPOSITORY=$story_repo GITHUB_SHA="$1" GITHUB_API_URL="$api" \
    GITHUB_TOKEN=$story_token GITHUB_WORKSPACE="$story_ws" GITHUB_EVENT_NAME=workflow_dispatch RUNNER_TEMP="$work" \
    "$bin" metrics --environment production --since 1d --summary "$work/story-metrics.md" >/dev/null) || true
  sed -n '/^| Figure/,/^$/p' "$work/story-metrics.md" 2>/dev/null | sed 's/^/  /'
}

# The sample project: a base commit on main and a pull request (branch free-shipping) that adds
# two functions. The harness's Origin is this repository "as pushed": actions/checkout fetches one
# commit from it, on pull_request the merge commit refs/pull/7/merge, as GitHub does.
mkdir -p "$story_bin" "$story_ws/src" "$story_ws/test"
ln -sf "$bin" "$story_bin/tollgate"
git -C "$story_ws" init -q -b main
story_git() { git -C "$story_ws" -c user.email=demo@example.invalid -c user.name=demo "$@"; }
head -n 12 "$story_data/project/src/cart.js" >"$story_ws/src/cart.js"
sed -n '16,17p;25,26p' "$story_data/project/src/cart.js" >>"$story_ws/src/cart.js"
cp "$story_data/project/test/cart.test.js" "$story_ws/test/"
story_git add -A && story_git commit -qm "cart: totals and discounts"
story_base=$(story_git rev-parse HEAD)
story_git checkout -q -b free-shipping
cp "$story_data/project/src/cart.js" "$story_ws/src/cart.js"
story_git commit -qam "cart: TENOFF discount and free shipping"
story_head=$(story_git rev-parse HEAD)
story_git checkout -q main

story_event() { # builder args... → an event payload as GitHub sends it (tests/harness/repo.py) on stdout
  PYTHONPATH="$story_root/tests" python3 -c 'import json, sys
from harness import repo
args, kwargs = [], {}
for a in sys.argv[2:]:
    k, eq, v = a.partition("=")
    if eq and k.isidentifier(): kwargs[k] = int(v) if v.isdigit() and k in ("number", "run_id") else v
    else: args.append(a)
print(json.dumps(getattr(repo, sys.argv[1])(*args, **kwargs)[1]))' "$@"
}
story_event pull_request_event "$story_ws" main free-shipping number=7 head_ref=free-shipping \
  repository="$story_repo" title="Free shipping" >"$work/story-pr.json"

if story_has tests coverage merge lighthouse; then
  step "CI on pull request #7 (workflows-templates/ci.yml): lint → tests on 3 legs → merge → Lighthouse"
  echo "(the project's own commands — npm ci, jest, lhci collect, the ESLint scan — are replaced by copies of their reports;"
  echo " the scan here finds nothing: the security scene at the end shows one that does)"
  echo "actions/checkout as GitHub runs it: one commit deep (no fetch-depth: 0), the merge commit refs/pull/7/merge;"
  echo "the merge job fetches the one base commit it compares with, for patch coverage"
  echo "pull request #7: base $(git -C "$story_ws" rev-parse --short "$story_base") (main), head $(git -C "$story_ws" rev-parse --short "$story_head") (free-shipping); results go on the head"
  printf 'true\n' >"$work/story-noop.sh"
  cat >"$work/story-tests.sh" <<'SH'
mkdir -p results coverage
cp "$STORY_DATA/junit-node${{ matrix.node }}.xml" "$JEST_JUNIT_OUTPUT_DIR/junit.xml"
cp "$STORY_DATA/lcov-node${{ matrix.node }}.info" coverage/lcov.info
SH
  cat >"$work/story-scanner.sh" <<'SH'
mkdir -p results
printf '%s\n' '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "ESLint", "rules": []}}, "results": []}]}' >results/head.sarif
SH
  cat >"$work/story-lhci.sh" <<'SH'
mkdir -p .lighthouseci
for i in 1 2 3; do cp "$STORY_LHR/lh12/fast-$i.json" ".lighthouseci/lhr-$i.json"; done
cp "$STORY_LHR/configs/categories.json" lighthouserc.json
SH
  set +e
  story_harness workflow "$story_root/workflows-templates/ci.yml" --event pull_request --event-file "$work/story-pr.json" \
    --run-id 5001 --env STORY_DATA="$story_data" --env STORY_LHR="$story_root/tests/data/lighthouse" \
    --override lint/install="$work/story-noop.sh" --override lint/lint="$work/story-noop.sh" \
    --override test/install="$work/story-noop.sh" --override test/run-tests="$work/story-tests.sh" \
    --override security/install="$work/story-noop.sh" --override security/scanner="$work/story-scanner.sh" \
    --override lighthouse/build="$work/story-noop.sh" --override lighthouse/lhci-collect="$work/story-lhci.sh"
  echo "workflow exit status: $? (1: a job failed — the Node 22 leg, and so the merged check)"
  set -e
  step "What GitHub shows on pull request #7"
  story_show
else
  step "CI template: skipped (tollgate lacks tests, coverage, merge or lighthouse)"
fi

if story_has probe deployment rollback; then
  step "Deploy and rollback (workflows-templates/deploy.yml, rollback.yml): two sites to deploy to"
  # Two sites on 127.0.0.1: /healthz answers 200 while $work/site-NAME.healthy exists, else 503.
  # The server stops by itself when the demo ends (its parent goes away) or after ten minutes.
  : >"$work/site-staging.healthy"
  python3 - "$work" >"$work/story-sites.txt" 2>/dev/null <<'PY' &
import os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
work, parent = sys.argv[1], os.getppid()
def serve(name):
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a): pass
        def do_GET(self):
            ok = self.path == "/healthz" and os.path.exists(f"{work}/site-{name}.healthy")
            body = b'{"status":"ok"}' if ok else b'{"status":"down"}'
            self.send_response(200 if ok else 503); self.send_header("Content-Length", str(len(body))); self.end_headers()
            self.wfile.write(body)
    s = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=s.serve_forever, daemon=True).start()
    print(f"{name} http://127.0.0.1:{s.server_address[1]}", flush=True)
serve("staging"); serve("production")
deadline = time.time() + 600
while os.getppid() == parent and time.time() < deadline:
    time.sleep(0.5)
PY
  for _ in $(seq 50); do [[ $(wc -l <"$work/story-sites.txt") -ge 2 ]] && break; sleep 0.1; done
  staging_url=$(awk '$1 == "staging" { print $2 }' "$work/story-sites.txt")
  production_url=$(awk '$1 == "production" { print $2 }' "$work/story-sites.txt")
  # The last good production deployment, from before this change.
  curl -s -X POST "$api/_emulator/deployments" -H 'Content-Type: application/json' \
    -d "{\"repo\":\"$story_repo\",\"environment\":\"production\",\"sha\":\"$story_base\",\"ref\":\"$story_base\",\"statuses\":[{\"state\":\"success\"}]}" >/dev/null
  story_deploy() { # run-id sha-of-main ci-event-file
    story_harness workflow "$story_root/workflows-templates/deploy.yml" --event workflow_run --event-file "$3" \
      --sha "$2" --run-id "$1" --deployments --env-var staging:APP_URL="$staging_url" --env-var production:APP_URL="$production_url"
  }
  story_deployments() {
    curl -s "$api/_emulator/state?repo=$story_repo" | python3 -c 'import json, sys
print(len(json.load(sys.stdin)["repos"].get(sys.argv[1], {}).get("deployments", [])))' "$story_repo"
  }

  step "Pull request #7 is merged with CI red; CI on the push to main fails the same way → deploy.yml refuses it"
  echo "deploy.yml starts on workflow_run (CI completed), never on push; its gate lets through only a CI run that succeeded"
  story_git merge -q --ff-only free-shipping
  story_event workflow_run_event "$story_ws" main workflow=CI conclusion=failure event=push head_branch=main \
    run_id=5101 repository="$story_repo" >"$work/story-ci-failed.json"
  before=$(story_deployments)
  set +e
  story_deploy 6001 "$story_head" "$work/story-ci-failed.json"
  echo "workflow exit status: $? — deployments before: $before, after: $(story_deployments) (nothing deployed)"
  set -e

  step "Deploy (workflows-templates/deploy.yml) after CI passes on a fix: build → staging → probes → production → probes fail → rollback"
  printf '\n// HALF: fixed on every Node version\n' >>"$story_ws/src/cart.js"
  story_git commit -qam "cart: fix HALF on Node 22"
  story_fix=$(story_git rev-parse HEAD)
  echo "(CI's run of the fix is not replayed here: its workflow_run event says conclusion success, event push, on $(git -C "$story_ws" rev-parse --short HEAD),"
  echo " and the check runs that run left on the commit — the ones deploy.yml's release job requires — are seeded as passed)"
  for check in "CI (all legs)" Lighthouse; do
    curl -s -X POST "$api/_emulator/check-runs" -H 'Content-Type: application/json' -d "{\"repo\":\"$story_repo\",\"name\":\"$check\",
      \"head_sha\":\"$story_fix\",\"status\":\"completed\",\"conclusion\":\"success\",\"output\":{\"title\":\"passed\",\"summary\":\"passed\"}}" >/dev/null
  done
  story_event workflow_run_event "$story_ws" main workflow=CI conclusion=success event=push head_branch=main \
    run_id=5102 repository="$story_repo" >"$work/story-ci-passed.json"
  set +e
  story_deploy 6002 "$story_fix" "$work/story-ci-passed.json"
  echo "workflow exit status: $? (1: production's probes failed)"
  set -e
  step "What GitHub shows after the deploy (the CI checks of pull request #7 left out)"
  story_show --sha="$story_fix"

  step "Rollback (workflows-templates/rollback.yml), started by the dispatch above: plan → redeploy → probes"
  : >"$work/site-production.healthy"
  inputs=()
  while IFS= read -r line; do inputs+=(--input "$line"); done < <(curl -s "$api/_emulator/state?repo=$story_repo" |
    python3 -c 'import json, sys
for d in json.load(sys.stdin)["repos"]["'"$story_repo"'"]["dispatches"][:1]:
    for k, v in d["inputs"].items(): print(f"{k}={v}")')
  if ((${#inputs[@]})); then
    set +e
    story_harness workflow "$story_root/workflows-templates/rollback.yml" --event workflow_dispatch "${inputs[@]}" \
      --sha "$story_fix" --run-id 6003 --deployments --env-var production:APP_URL="$production_url"
    echo "workflow exit status: $?"
    set -e
    step "What GitHub shows after the rollback (check runs of the fix only)"
    story_show --sha="$story_fix"
    echo "\$ tollgate rollback plan --environment production   (what the next rollback would redeploy)"
    (cd "$story_ws" && env GITHUB_ACTIONS=true GITHUB_REPOSITORY=$story_repo GITHUB_SHA="$story_fix" GITHUB_API_URL="$api" \
      GITHUB_TOKEN=$story_token GITHUB_WORKSPACE="$story_ws" GITHUB_EVENT_NAME=workflow_dispatch RUNNER_TEMP="$work" \
      "$bin" rollback plan --environment production --json "$work/story-plan.json" | grep -v '^::add-mask::' | sed 's/^/  /')
    python3 - "$work/story-plan.json" "$story_base" "$story_fix" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1])).get("plan", {})
sha = plan.get("sha") or "(none)"
which = {sys.argv[2]: "the base, last good before the fix", sys.argv[3]: "the fix that failed its probes: WRONG"}
print(f"  plan: {plan.get('environment')} → {sha[:7]} ({which.get(sha, 'another commit')}), deployment {plan.get('deployment_id')}")
PY
  else
    echo "no rollback was dispatched"
  fi
  if story_has metrics; then
    step "Delivery metrics (workflows-templates/delivery-metrics.yml): the figures of what was just deployed"
    story_metrics "$story_fix" 6101
  fi
else
  step "Deploy and rollback templates: skipped (tollgate lacks probe, deployment or rollback)"
fi

step "Short scenes (scripts/lib/demo_scenes.py), through the harness with GitHub's strict defaults"
story_scene() { python3 "$story_root/scripts/lib/demo_scenes.py" "$api" "$story_bin" "$work/scenes" "$1"; }
if story_has tests merge; then
  step "A pull request from a fork, through the workflow_run publisher of docs/actions.md"
  story_scene fork
fi
if story_has tests; then
  step "30 failing tests under a read-only token: the runner shows 10 ::error lines per step"
  story_scene many
  step "A hostile report: a test name that tries to issue workflow commands and break the Markdown"
  story_scene hostile
fi
if story_has scan; then
  step "A security scan: ESLint's SARIF on a pull request, against the base's scan — only what it introduces fails"
  story_scene scan
fi

if [[ -s "$work/story-broken" ]]; then
  step "The demo is broken: the harness refused to run some parts (see 'harness: error' above)"
  sed 's/^/  /' "$work/story-broken"
  exit 1
fi
