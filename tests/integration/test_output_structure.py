"""Issue 15: the structure of every kind of output the reviewer-first tests of test_review_output.py
do not reach — scan, release, metrics, deployment, rollback plan and dispatch, probe with a
rollback — rendered with cmark-gfm (GitHub's Markdown engine, tests/support/markdown.py) the way
GitHub renders a job summary, a check run's output and a comment, and asserted:

- the verdict heading first (`### ✅ Name`, `### ❌ Name`; the name alone for the commands that judge
  nothing: `deployment`, `metrics`), the title in bold, then the commit and the run, linked;
- every link absolute and well-formed, on the run's server (`GITHUB_SERVER_URL`) or on the URL GitHub
  answered for the object (`html_url`), to a commit, a run, a pull request, a check run or
  `blob/<head sha>/<path>#L<n>` at the run's commit;
- every table row with as many cells as its header: GitHub drops the cells past the header's count
  and pads short rows (https://github.github.com/gfm/#tables-extension-), so a `|` that escaped a
  cell loses text silently; the rows are counted in the Markdown source, as the table extension
  splits them;
- nothing escaping its block: `<details>` closed, inline `<code>` closed in the block it opened in,
  no heading above the verdict's level, and text from reports and workflow inputs (environment
  names, URLs, reasons, tool messages) changing no node of the rendered tree."""
import json
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from conftest import TOKEN, run_tollgate
from support import markdown
from test_deployment_rollback import FAST_ENV, GOOD_SHA, INPUTS, OLDER_SHA, REPO, seed_deployment
from test_deployment_rollback import repo  # noqa: F401 (a fixture: a checkout and two good deployments)
from test_probe import Server
from test_scan import eslint_like_sarif, hostile_variant, module_repo

NS = markdown.NS
SERVER = "https://github.example"  # GITHUB_SERVER_URL of the runs (conftest.run_tollgate)
# The emulator's html_url host (tests/emulator/README.md); GitHub answers html_url on the server.
HTML_URL = "http://github.example"
HOSTILE = "st</code> | x <img src=x> **b** @admin #1 [l](https://evil.example) <!-- `"


def tree(md):
    """The rendered tree with source positions (cmark-gfm --sourcepos), as tests/support/markdown.py
    renders it otherwise."""
    xml = subprocess.run([*markdown.CMARK, "--unsafe", "--sourcepos", "--to", "xml"], input=md, text=True,
                         stdout=subprocess.PIPE, check=True, timeout=60).stdout
    return ET.fromstring(xml)


def text_of(node):
    return "".join((n.text or "") if n.tag in (NS + "text", NS + "code") else " " if n.tag == NS + "softbreak" else ""
                   for n in node.iter())


def top_blocks(root):
    """The top-level blocks without a sticky comment's hidden marker lines."""
    top = list(root)
    while top and top[0].tag == NS + "html_block" and re.match(r"<!-- tollgate:", top[0].text or ""):
        top = top[1:]
    return top


def cells_in_source(line):
    """How many cells GitHub's table extension reads in a row: split at `|` not escaped by `\\`,
    without the optional leading and trailing pipe (a pipe in a code span splits it too)."""
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return len(re.split(r"(?<!\\)\|", line))


LINK = re.compile(
    rf"^({re.escape(SERVER)}|{re.escape(HTML_URL)})/octo/app/("
    r"commit/(?P<commit>[0-9a-f]{40})"
    r"|actions/runs/\d+(/attempts/\d+)?|actions/runs/\d+/job/\d+"
    r"|pull/\d+|runs/\d+"
    r"|blob/(?P<blob>[0-9a-f]{40})/[A-Za-z0-9._~%/-]+(#L\d+(-L\d+)?)?)$")


def assert_structure(doc, md, heading, verdict=None, head_sha=None, checks_view=False):
    """`heading`: the check name; `verdict`: ✅ or ❌, None for a command that judges nothing;
    `checks_view`: a check run's output.summary, whose heading and title GitHub shows itself."""
    root = tree(md)
    top = top_blocks(root)
    if not checks_view:
        first = top[0]
        assert first.tag == NS + "heading" and first.get("level") == "3", f"{doc}: not a heading first:\n{md[:300]}"
        expected = f"{verdict} {heading}" if verdict else heading
        assert text_of(first) == expected, f"{doc}: heading {text_of(first)!r}, expected {expected!r}"
        assert top[1].tag == NS + "paragraph" and top[1][0].tag == NS + "strong", f"{doc}: the title follows it"
        top = top[2:]
    lead = [n.get("destination") for n in top[0].iter(NS + "link")]
    assert re.fullmatch(r"Commit [0-9a-f]{7} · run 1001", text_of(top[0])), f"{doc}: {text_of(top[0])!r}"
    assert lead[0] == f"{SERVER}/octo/app/commit/{head_sha}" if head_sha else LINK.match(lead[0]), f"{doc}: {lead}"
    assert lead[1] == f"{SERVER}/octo/app/actions/runs/1001", f"{doc}: {lead}"

    for link in root.iter(NS + "link"):
        url = link.get("destination")
        m = LINK.match(url)
        assert m, f"{doc}: a link that is not a well-formed GitHub URL of the run's repository: {url}"
        if head_sha and m.group("blob"):
            assert m.group("blob") == head_sha, f"{doc}: a line link at another commit: {url}"
    assert not list(root.iter(NS + "image")), f"{doc}: an image"
    assert_blocks_hold(doc, md, root)
    return root


def assert_blocks_hold(doc, md, root=None):
    """Every table row as wide as its header, in the source; `<details>` closed; inline `<code>`
    closed in the block it opened in; no heading above the verdict's level."""
    root = tree(md) if root is None else root
    lines = md.split("\n")
    for table in root.iter(NS + "table"):
        (start, _), (end, _) = [map(int, p.split(":")) for p in table.get("sourcepos").split("-")]
        rows = [ln for ln in lines[start - 1:end] if ln.strip()]
        header = cells_in_source(rows[0])
        assert header == len(table.find(NS + "table_header")), f"{doc}: {rows[0]}"
        for row in rows[1:]:
            assert cells_in_source(row) == header, f"{doc}: {header} columns in the header, not in: {row}"

    html = markdown.render(md, "html")
    assert html.count("<details>") == html.count("</details>"), f"{doc}: a <details> left open"
    assert not re.search(r"<h[12]\b", html), f"{doc}: a heading above the verdict's"
    for block in root.iter():
        if block.tag not in (NS + "paragraph", NS + "table_cell", NS + "heading"):
            continue
        inline = "".join(n.text or "" for n in block if n.tag == NS + "html_inline")
        assert inline.count("<code>") == inline.count("</code>"), f"{doc}: a code span leaves its block: {text_of(block)}"


def assert_same_tree(doc, benign, hostile):
    b, h = markdown.flat(markdown.structure(benign)), markdown.flat(markdown.structure(hostile))
    assert h == b, f"{doc}: the hostile text changed the rendered tree\n{hostile}"
    own = re.compile(rf"^<a href=\"({re.escape(SERVER)}|{re.escape(HTML_URL)})/octo/app/")
    live = [r for r in markdown.live_references(hostile) if not own.match(r) and not r.startswith("http")]
    assert live == [r for r in markdown.live_references(benign) if not own.match(r) and not r.startswith("http")], \
        f"{doc}: {live}"
    assert "<a href=\"https://evil.example" not in markdown.render(hostile, "html"), f"{doc}: a link from hostile text"


def check_run_of(emulator, name):
    runs = [r for r in emulator.state()["check_runs"] if r["name"] == name]
    assert runs, f"no check run {name}"
    return runs[-1]


def assert_check_output(run):
    """A check run's output: a one-line title, no Markdown heading of its own in the title, the
    summary within GitHub's 65535 characters (https://docs.github.com/en/rest/checks/runs)."""
    out = run["output"]
    assert out["title"] and "\n" not in out["title"], out
    assert len(out["summary"]) <= 65535
    assert not out.get("text"), "no command writes output.text: the summary is the whole report"


# ---- scan ---------------------------------------------------------------------------------------

def test_scan_summary_and_check_output(emulator, workspace):
    head = module_repo(workspace, n_lines=12)
    docs = {}
    for variant, doc in (("benign", eslint_like_sarif(12, levels=("error", "warning", "note"))), ("hostile", None)):
        sarif = doc if doc else hostile_variant(eslint_like_sarif(12, levels=("error", "warning", "note")))
        workspace.write("results/eslint.sarif", json.dumps(sarif))
        workspace.summary.write_text("")
        proc = run_tollgate(["scan", "--report", "results/eslint.sarif", "--fail-on", "warning", "--check-name",
                             f"Scan {variant}"], workspace, emulator, sha=head)
        assert proc.returncode == 1, proc.stderr
        run = check_run_of(emulator, f"Scan {variant}")
        assert_check_output(run)
        assert_structure(f"{variant} check summary", run["output"]["summary"], None, checks_view=True, head_sha=head)
        docs[variant] = workspace.summary.read_text()
        assert_structure(f"{variant} job summary", docs[variant], f"Scan {variant}", "❌", head_sha=head)
    assert_same_tree("scan", docs["benign"].replace("Scan benign", "Scan X"),
                     docs["hostile"].replace("Scan hostile", "Scan X"))


def test_scan_findings_link_to_their_line_at_the_head_commit(emulator, workspace):
    head = module_repo(workspace, n_lines=12)
    workspace.write("results/eslint.sarif", json.dumps(eslint_like_sarif(3, levels=("error",))))
    proc = run_tollgate(["scan", "--report", "results/eslint.sarif"], workspace, emulator, sha=head)
    assert proc.returncode == 1, proc.stderr
    root = tree(workspace.summary.read_text())
    assert f"{SERVER}/octo/app/blob/{head}/src/mod.js#L1" in [l.get("destination") for l in root.iter(NS + "link")]


# ---- release ------------------------------------------------------------------------------------

def test_release_summary_structure(emulator, workspace):
    from test_release import History, check_run, commit_status, sha

    h = History(emulator)
    h.seed_main()
    h.deploy("c1", "success")
    target = sha("c4")
    check_run(emulator, target, "CI", "success", title="12 tests, all passed", external_id="tollgate:ci")
    commit_status(emulator, target, "security/scan", "failure", "2 high findings")
    for required, verdict in (("CI", "✅"), ("security/*", "❌")):
        workspace.summary.write_text("")
        proc = run_tollgate(["release", "--environment", "production", "--sha", target, "--require", required],
                            workspace, emulator, sha=target)
        assert proc.returncode == (0 if verdict == "✅" else 1), proc.stderr
        md = workspace.summary.read_text()
        root = assert_structure(f"release {verdict}", md, "Release to production", verdict, head_sha=target)
        headers = [[text_of(c).strip() for c in t.find(NS + "table_header")] for t in root.iter(NS + "table")]
        assert ["", "Check", "Kind", "Result", "Headline"] in headers, headers
        assert ["Release", ""] in headers, headers
        pulls = [l.get("destination") for l in root.iter(NS + "link") if "/pull/" in l.get("destination")]
        assert pulls and all(re.fullmatch(r"https?://github\.example/octo/app/pull/[123]", u) for u in pulls), pulls


# ---- metrics ------------------------------------------------------------------------------------

def metrics_summary(emulator, workspace, environment):
    commits = [{"sha": f"{i:040x}", "parents": [f"{i - 1:040x}"] if i > 1 else [], "date": f"2026-11-0{i}T08:00:00Z"}
               for i in range(1, 7)]
    deployments = [{"environment": environment, "sha": c["sha"], "ref": "main", "created_at": c["date"][:11] + "10:00:00Z",
                    "statuses": [{"state": "failure" if i == 3 else "success", "created_at": c["date"][:11] + "10:05:00Z"}]}
                   for i, c in enumerate(commits, 1)]
    emulator.call("POST", "/_emulator/history", {"repo": REPO, "commits": commits, "deployments": deployments})
    workspace.summary.write_text("")
    proc = run_tollgate(["metrics", "--environment", environment, "--since", "2026-11-01", "--until", "2026-11-15"],
                        workspace, emulator)
    assert proc.returncode == 0, proc.stderr
    return workspace.summary.read_text()


def test_metrics_summary_structure_with_no_verdict_emoji(emulator, workspace):
    workspace.write("a", "1")
    head = workspace.commit()
    md = metrics_summary(emulator, workspace, "production")
    root = assert_structure("metrics", md, "Delivery metrics", None, head_sha=head)
    headers = [[text_of(c).strip() for c in t.find(NS + "table_header")] for t in root.iter(NS + "table")]
    assert headers[0] == ["Figure", "Value", "Counted"], headers
    assert headers[1][0] == "Week of (Monday, UTC)" and len(headers[1]) == 7, headers
    assert not any(e in text_of(top_blocks(root)[0]) for e in "✅❌⚪"), "metrics judges nothing: no verdict emoji"


def test_a_hostile_environment_name_changes_no_node_of_the_metrics_summary(emulator, workspace):
    workspace.write("a", "1")
    workspace.commit()
    benign = metrics_summary(emulator, workspace, "production")
    emulator.reset()
    hostile = metrics_summary(emulator, workspace, HOSTILE)
    assert_structure("hostile metrics", hostile, "Delivery metrics")
    assert_same_tree("metrics", benign, hostile)


# ---- deployment and rollback --------------------------------------------------------------------

def deployment_summary(emulator, workspace, environment, url):
    workspace.summary.write_text("")
    proc = run_tollgate(["deployment", "finish", "--environment", environment, "--state", "failure", "--url", url],
                        workspace, emulator, extra_env=FAST_ENV)
    return proc, workspace.summary.read_text()


def test_deployment_summary_has_no_verdict_emoji_and_keeps_its_structure(emulator, workspace):
    workspace.write("a", "1")
    head = workspace.commit()
    seed_deployment(emulator, head, "in_progress")
    seed_deployment(emulator, head, "in_progress", environment=HOSTILE)
    proc, benign = deployment_summary(emulator, workspace, "production", "https://shop.example")
    assert proc.returncode == 0, proc.stderr
    # A failed deployment's record: the step did its job, the heading does not say ✅ above "failure".
    assert_structure("deployment", benign, "Deployment", None, head_sha=head)
    assert "**failure**" in benign and "✅" not in benign
    proc, hostile = deployment_summary(emulator, workspace, HOSTILE, "https://x.example/a|b</code>`<img src=x>")
    assert proc.returncode == 0, proc.stderr
    assert_structure("hostile deployment", hostile, "Deployment", None, head_sha=head)
    assert_same_tree("deployment", benign, hostile)


def test_rollback_plan_and_dispatch_summaries(emulator, workspace, repo):
    head = repo
    proc = run_tollgate(["rollback", "plan", "--environment", "production"], workspace, emulator, extra_env=FAST_ENV)
    assert proc.returncode == 0, proc.stderr
    assert_structure("rollback plan", workspace.summary.read_text(), "Rollback", "✅", head_sha=head)
    workspace.summary.write_text("")
    proc = run_tollgate(["rollback", "plan", "--environment", "staging"], workspace, emulator, extra_env=FAST_ENV)
    assert proc.returncode == 1, proc.stderr
    assert_structure("rollback plan, none", workspace.summary.read_text(), "Rollback", "❌", head_sha=head)

    docs = {}
    for variant, reason in (("benign", "manual"), ("hostile", HOSTILE)):
        emulator.call("POST", "/_emulator/reset", {})
        seed_deployment(emulator, OLDER_SHA, "success")
        seed_deployment(emulator, GOOD_SHA, "success")
        seed_deployment(emulator, head, "success")  # the deployment being rolled back
        emulator.call("POST", "/_emulator/workflows",
                      {"repo": REPO, "workflow_id": "rollback.yml", "name": "Rollback", "inputs": INPUTS})
        workspace.summary.write_text("")
        proc = run_tollgate(["rollback", "dispatch", "--workflow", "rollback.yml", "--environment", "production",
                             "--reason", reason], workspace, emulator, extra_env=FAST_ENV)
        assert proc.returncode == 0, proc.stderr
        docs[variant] = workspace.summary.read_text()
        root = assert_structure(f"{variant} rollback dispatch", docs[variant], "Rollback", "✅", head_sha=head)
        runs = [l.get("destination") for l in root.iter(NS + "link") if "/actions/runs/" in l.get("destination")]
        assert any(u.startswith(HTML_URL) for u in runs), f"the rollback run is linked: {docs[variant]}"
    assert_same_tree("rollback dispatch", docs["benign"], docs["hostile"])


def test_probe_with_a_rollback_leads_with_the_deployment_and_the_rollback(emulator, workspace, repo,
                                                                           tmp_path):
    head = repo
    assert run_tollgate(["deployment", "start", "--environment", "production"], workspace, emulator,
                        extra_env=FAST_ENV).returncode == 0
    server = Server(lambda n, h: (503, "down", None))
    try:
        workspace.summary.write_text("")
        proc = run_tollgate(["probe", "--url", server.url(), "--count", "2", "--interval", "20ms", "--environment",
                             "production", "--rollback-workflow", "rollback.yml"], workspace, emulator,
                            extra_env=FAST_ENV)
    finally:
        server.close()
    assert proc.returncode == 1, proc.stderr
    md = workspace.summary.read_text()
    root = assert_structure("probe with a rollback", md, "Probes", "❌", head_sha=head)
    first = top_blocks(root)[3]
    assert "rollback" in text_of(first).lower(), f"the deployment's fate and the rollback come first: {md[:800]}"
    assert_check_output(check_run_of(emulator, "Probes"))
    assert_structure("probe check summary", check_run_of(emulator, "Probes")["output"]["summary"], None,
                     checks_view=True, head_sha=head)


# ---- the table rule itself ----------------------------------------------------------------------

def test_the_rules_catch_what_github_would_render_silently():
    """GitHub renders these without complaint (a table drops `c`; a stray `</code>` ends the span early;
    a link goes anywhere): the rules above must see each."""
    md = "### ✅ X\n\n**t**\n\nCommit [`0000000`](https://github.example/octo/app/commit/" + "0" * 40 + \
         ") · [run 1001](https://github.example/octo/app/actions/runs/1001)\n\n| A | B |\n|---|---|\n| a | b | c |\n"
    with pytest.raises(AssertionError, match="2 columns in the header"):
        assert_structure("sample", md, "X", "✅")
    assert_structure("sample", md.replace("| b | c |", "| b \\| c |"), "X", "✅")
    with pytest.raises(AssertionError, match="code span leaves its block"):
        assert_structure("sample", md.replace("| b | c |", "| <code>b</code></code> |"), "X", "✅")
    with pytest.raises(AssertionError, match="not a well-formed GitHub URL"):
        assert_structure("sample", md + "\n[x](https://evil.example/octo/app/pull/1)\n", "X", "✅")
