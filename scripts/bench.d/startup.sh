#!/usr/bin/env bash
# Start-up (issue 18 item 1): `tollgate --version` and a dry run of `tollgate tests` on a
# one-case report, each beside /bin/true timed in the same run and interleaved with it (so load
# on the machine falls on all three alike). Times are the fastest of 200 runs of each, taken
# without /usr/bin/time in between (its own start would be most of the figure); peak memory from
# one run under it. Target: ≤ 5 ms. The case names its file, but passes: `tests` starts
# `git ls-files` only to locate a failure (or for changed lines), so no git runs here.
# Prints rows for scripts/bench: workload|tollgate_s|tollgate_mb|reference|reference_s|reference_mb|agree|target|floor_s
set -euo pipefail
source "$(dirname "$0")/measure.bash"
dir=$BENCH_DIR/startup; rm -rf "$dir"; mkdir -p "$dir"
cd "$dir"
git init -q -b main
echo 'x = 1' >mod.py
echo '<testsuite name="s"><testcase classname="mod" name="t" file="mod.py"/></testsuite>' >junit.xml
git add -A && git -c user.email=b@example.invalid -c user.name=b commit -qm b
read -r t_true t_version t_dry < <(/usr/bin/python3 - "$TOLLGATE_BIN" <<'PY'
import subprocess, sys, time
tollgate = sys.argv[1]
commands = [["/bin/true"], [tollgate, "--version"], [tollgate, "tests", "--report", "junit.xml", "--dry-run"]]
best = [float("inf")] * len(commands)
for _ in range(200):
    for i, argv in enumerate(commands):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best[i] = min(best[i], time.perf_counter() - start)
print(" ".join(f"{b:.5f}" for b in best))
PY
)
read -r _ m_true < <(measure /bin/true)
read -r _ m_version < <(measure "$TOLLGATE_BIN" --version)
read -r _ m_dry < <(measure "$TOLLGATE_BIN" tests --report junit.xml --dry-run)
version=$("$TOLLGATE_BIN" --version)
libs=$(ldd "$TOLLGATE_BIN" | awk '$2 == "=>" || /ld-linux/ { n++ } END { print n + 0 }')
times() { awk -v a="$1" -v b="$t_true" 'BEGIN { printf "%.1f× /bin/true", a / b }'; }
echo "start-up: tollgate --version|$t_version|$m_version|/bin/true|$t_true|$m_true|$([[ $version == "tollgate "* ]] && echo "yes ($version; $libs shared libraries; $(times "$t_version"))" || echo "NO ($version)")|$(verdict "$t_version <= 0.005" "≤ 5 ms")|"
echo "start-up: tests --dry-run, 1 case|$t_dry|$m_dry|/bin/true|$t_true|$m_true|yes ($(times "$t_dry"); the case passes: no git started)|$(verdict "$t_dry <= 0.005" "≤ 5 ms")|"
