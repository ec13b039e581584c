#!/usr/bin/env python3
"""Prints what GitHub would show from the emulator's state: check runs with their annotations,
commit statuses, pull-request comments, deployments and dispatched workflows.

    show_github.py API OWNER/REPO [--summaries] [--sha=SHA,...]

--sha: only the check runs and statuses of these commits (full SHAs; the rest is shown whole)."""
import json
import sys
import textwrap
import urllib.request

url, repo = sys.argv[1], sys.argv[2]
with urllib.request.urlopen(f"{url}/_emulator/state?repo={repo}") as r:
    state = json.load(r)["repos"].get(repo, {})

only = [a.split("=", 1)[1].split(",") for a in sys.argv[3:] if a.startswith("--sha=")]
wanted = (lambda sha: sha in only[0]) if only else (lambda sha: True)

ICON = {"success": "✅", "failure": "❌", "neutral": "⚪", None: "⏳"}


def indent(text, n=6, limit=40):
    lines = text.splitlines()
    shown = lines[:limit] + ([f"… ({len(lines) - limit} more lines)"] if len(lines) > limit else [])
    return textwrap.indent("\n".join(shown), " " * n)


for run in [r for r in state.get("check_runs", []) if wanted(r["head_sha"])]:
    out = run.get("output") or {}
    print(f"  ▸ check run  {ICON.get(run.get('conclusion'))} {run['name']}  [{run['status']}/{run.get('conclusion')}]"
          f"  on {run['head_sha'][:7]}")
    print(f"      title: {out.get('title')}")
    anns = run.get("annotations", [])
    print(f"      annotations: {len(anns)}")
    for a in anns[:8]:
        print(f"        {a['annotation_level']:<8} {a['path']}:{a['start_line']}  {a.get('title', '')}")
        print(f"                 {a['message'].splitlines()[0][:110]}")
    if len(anns) > 8:
        print(f"        … {len(anns) - 8} more")
    if "--summaries" in sys.argv:
        print("      summary:")
        print(indent(out.get("summary") or ""))
for s in [s for s in state.get("statuses", []) if wanted(s.get("sha", ""))]:
    print(f"  ▸ status     {ICON.get(s['state'], s['state'])} {s['context']}: {s.get('description')}")
for c in state.get("comments", []):
    first = [l for l in c["body"].splitlines() if l and not l.startswith("<!--")][:3]
    print(f"  ▸ comment    #{c.get('issue_number', '?')} (id {c['id']}): " + " / ".join(first)[:140])
for d in state.get("deployments", []):
    sts = ", ".join(s["state"] for s in reversed(d.get("statuses", [])))
    print(f"  ▸ deployment {d['id']} {d['environment']} @ {d['sha'][:7]}: {sts or '(no status)'}")
for w in state.get("dispatches", []):
    print(f"  ▸ dispatch   {w['workflow_id']} on {w['ref']} inputs={json.dumps(w.get('inputs', {}))}")
