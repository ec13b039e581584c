#!/usr/bin/env python3
"""The release summaries shown in docs/release.md: `tollgate release` run against the API emulator
with a seeded history (a merged pull request, a direct push, a squash-merged pull request since
production's last deployment) and the checks CI leaves on the commit.

    TOLLGATE_BIN=build-dev/tollgate /usr/bin/python3 docs/images/release_sample.py OUT.md [refused]
    docs/images/render_summary.py OUT.md OUT.png
"""
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests/integration"), str(ROOT / "tests")]
from conftest import Emulator, Workspace, run_tollgate  # noqa: E402
import test_release as T  # noqa: E402


def main(out, refused):
    port_file = Path(tempfile.mkdtemp()) / "port"
    emulator = subprocess.Popen(["node", str(ROOT / "tests/emulator/server.js"), "--port", "0", "--port-file",
                                 str(port_file)], stdout=subprocess.DEVNULL)
    try:
        while not (port_file.exists() and port_file.read_text().strip()):
            time.sleep(0.05)
        em = Emulator(f"http://127.0.0.1:{port_file.read_text().strip()}")
        h = T.History(em)

        def c(name, parents, login, when, message):
            d = T.commit(name, parents, login, when)
            d["message"] = message
            return d

        h.seed_commits([
            c("c0", [], "alice", "2026-11-28T09:00:00Z", "Initial shop"),
            c("c1", ["c0"], "alice", "2026-11-30T09:00:00Z", "Cart: totals in cents (#40)"),
            c("p2a", ["c1"], "bob", "2026-12-01T09:00:00Z", "Apply each discount code once"),
            c("c2", ["c1", "p2a"], "bob", "2026-12-01T10:00:00Z", "Merge pull request #41 from octo/discount-once"),
            c("c3", ["c2"], "carol", "2026-12-02T09:00:00Z", "Bump the payment SDK to 4.2.1"),
            c("c4", ["c3"], "dave", "2026-12-03T09:00:00Z", "Cart: show the delivery estimate (#42)"),
        ], {"main": T.sha("c4")})
        h.pull(41, "Checkout: apply discount codes once", "bob", [T.sha("p2a")], T.sha("c2"))
        h.pull(42, "Cart: show the delivery estimate", "dave", [T.sha("c4")], T.sha("c4"))
        h.deploy("c1", "success")
        t = T.sha("c4")
        T.check_run(em, t, "CI (all legs)", "success", external_id="tollgate:ci",
                    title="2 legs · 128 tests, all passed · Coverage 84.1% (+0.6 pp) · patch 92.0%")
        T.check_run(em, t, "Lighthouse", "success", title="2 URLs, 14 assertions passed · performance 93",
                    external_id="tollgate:lh")
        T.check_run(em, t, "Probes (staging)", "success", title="1 probe, 5 samples, all passed · p95 41 ms",
                    external_id="tollgate:probe")
        T.check_run(em, t, "CodeQL", "success", title="No new alerts")
        T.commit_status(em, t, "security/scan", "failure" if refused else "success",
                        "2 high findings" if refused else "0 high, 2 medium findings")
        ws = Workspace(Path(tempfile.mkdtemp()) / "repo")
        proc = run_tollgate(["release", "--environment", "production", "--sha", t, "--require", "CI (all legs)",
                             "--require", "Lighthouse", "--require", "security/*"], ws, em, sha=t)
        Path(out).write_text(ws.summary.read_text())
        print(f"exit {proc.returncode}; description: {ws.outputs()['description']}")
    finally:
        emulator.terminate()


if __name__ == "__main__":
    main(sys.argv[1], len(sys.argv) > 2 and sys.argv[2] == "refused")
