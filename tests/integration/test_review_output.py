"""Issue 15: what a reviewer reads. Every kind of summary, check output and comment is rendered with
cmark-gfm (GitHub's Markdown engine, tests/support/markdown.py) and its structure asserted: the
verdict heading first, the commit and the run linked, every link well-formed, tables with the right
columns, nothing escaping its block. And the baseline scenario: a pull request that breaks one test
and lowers one file's coverage says so on the comment's first screen."""
import json
import re
import shutil

import pytest

from conftest import run_tollgate
from support import markdown
from test_lighthouse import lighthouse_workspace
from test_merge import junit, lcov
from test_output_structure import assert_blocks_hold
from test_probe import Server

NS = markdown.NS
SERVER = "https://github.example"
# What a reader's first screen holds of a comment (a laptop screen shows about 25 rendered lines).
FIRST_SCREEN_LINES = 25


def pr_event(head, base=""):
    return {"number": 7, "pull_request": {"number": 7, "head": {"sha": head}, "base": {"sha": base, "ref": "main"}}}


def text_of(node):
    """The text a reader sees (the XML's indentation left out)."""
    return "".join((n.text or "") if n.tag in (NS + "text", NS + "code") else " " if n.tag == NS + "softbreak" else ""
                   for n in node.iter())


def blocks(md):
    """The top-level blocks, without a sticky comment's hidden marker lines (the marker, and the
    digest `--comment changes` compares: HTML comments GitHub does not show)."""
    top = list(markdown.tree(md))
    while top and top[0].tag == NS + "html_block" and re.match(r"<!-- tollgate:(sticky|digest):", top[0].text or ""):
        top = top[1:]
    return top


def links(md):
    return [n.get("destination") for n in markdown.tree(md).iter(NS + "link")]


def tables(md):
    """Each table's header cells."""
    out = []
    for table in markdown.tree(md).iter(NS + "table"):
        header = table.find(NS + "table_header")
        out.append([text_of(c).strip() for c in header.findall(NS + "table_cell")])
    return out


WELL_FORMED = re.compile(
    rf"^{re.escape(SERVER)}/octo/app/(commit/[0-9a-f]{{40}}|actions/runs/\d+(/attempts/\d+)?|actions/runs/\d+/job/\d+"
    rf"|blob/[0-9a-f]{{40}}/[A-Za-z0-9._~%/-]+(#L\d+)?)$")


def assert_reviewer_first(doc, md, check_name, verdict, heading=True):
    """The verdict heading first (the check run's own title is the heading in the checks view), then
    the title, then the commit and the run, linked; every link well-formed; nothing escaping its block."""
    top = blocks(md)
    if heading:
        assert top[0].tag == NS + "heading" and top[0].get("level") == "3", f"{doc}: {md[:300]}"
        assert text_of(top[0]).startswith(f"{verdict} {check_name}"), f"{doc}: {text_of(top[0])}"
        assert top[1].find(NS + "strong") is not None, f"{doc}: the title follows the heading"
        top = top[2:]
    lead = [n.get("destination") for n in top[0].iter(NS + "link")]
    assert len(lead) == 2 and re.fullmatch(rf"{SERVER}/octo/app/commit/[0-9a-f]{{40}}", lead[0]) and \
        lead[1] == f"{SERVER}/octo/app/actions/runs/1001", f"{doc}: {md[:400]}"
    assert re.match(r"Commit [0-9a-f]{7} · run 1001$", text_of(top[0])), text_of(top[0])
    for url in links(md):
        assert WELL_FORMED.match(url), f"{doc}: {url}"
    html = markdown.render(md, "html")
    assert html.count("<details>") == html.count("</details>"), f"{doc}: a details block is left open"
    assert not re.search(r"<h[12]\b", html), f"{doc}: a heading above the verdict's level"
    assert_blocks_hold(doc, md)  # tables as wide as their headers in the source, code spans closed


def published(emulator, workspace):
    state = emulator.state()
    [run] = state["check_runs"]
    [comment] = state["comments"]
    return {"job summary": workspace.summary.read_text(), "check summary": run["output"]["summary"],
            "comment": comment["body"]}


def assert_documents(docs, check_name, verdict):
    for doc, md in docs.items():
        assert_reviewer_first(doc, md, check_name, verdict, heading=doc != "check summary")


# ---- every kind of summary ------------------------------------------------------------------------

def test_tests_summary_leads_with_the_failures_grouped_by_file_with_their_lines(emulator, workspace):
    workspace.write("src/cart.py", "".join(f"line_{i} = {i}\n" for i in range(1, 13)))
    workspace.write("junit.xml", junit({"discount", "shipping"}))
    head = workspace.commit("reports")
    proc = run_tollgate(["tests", "--report", "junit.xml", "--comment"], workspace, emulator, event=pr_event(head),
                        event_name="pull_request")
    assert proc.returncode == 1, proc.stderr
    docs = published(emulator, workspace)
    assert_documents(docs, "Tests", "❌")
    md = docs["comment"]
    top = blocks(md)
    # Right after the commit line: the failing tests, their file said once, each linked to its line.
    assert top[3].tag == NS + "heading" and text_of(top[3]) == "Failing tests (2)"
    assert links(md).count(f"{SERVER}/octo/app/blob/{head}/src/cart.py#L7") == 1
    assert f"{SERVER}/octo/app/blob/{head}/src/cart.py#L11" in links(md)
    items = [text_of(i) for i in top[5].iter(NS + "item")]
    assert items[0].startswith("test_discount — assert discount · line 7"), items
    assert ["Tests", "Passed", "Failed", "Errors", "Skipped", "Flaky", "Duration"] in tables(md)
    assert ["Gate", "Threshold", "Actual", "Result"] in tables(md)
    assert "Slowest" not in md  # 3 tests: not a suite where the slowest mean anything


def test_summary_list_none_and_all(emulator, workspace):
    workspace.write("junit.xml", junit({"discount"}))
    workspace.commit("reports")
    proc = run_tollgate(["tests", "--report", "junit.xml", "--summary-list", "none"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    none = workspace.summary.read_text()
    assert "test_discount" not in none and "| Tests | Passed |" in none
    workspace.summary.write_text("")
    proc = run_tollgate(["tests", "--report", "junit.xml", "--summary-list", "all"], workspace, emulator)
    assert "<details><summary>Suites (1)</summary>" in workspace.summary.read_text()
    proc = run_tollgate(["tests", "--report", "junit.xml", "--summary-list", "some"], workspace, emulator)
    assert proc.returncode == 2 and "--summary-list" in proc.stderr


def test_a_summary_past_its_budget_is_cut_between_blocks_with_a_note(emulator, workspace):
    cases = "".join(f'<testcase classname="tests.big" name="test_{i}"><failure message="m{i}">{"x" * 200}\n{"y" * 200}'
                    f'</failure></testcase>' for i in range(300))
    workspace.write("junit.xml", f'<testsuite name="s">{cases}</testsuite>')
    workspace.commit("reports")
    proc = run_tollgate(["tests", "--report", "junit.xml", "--summary-limit", "5000"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    md = workspace.summary.read_text()
    body = md.split("**300 tests, 300 failed**\n\n", 1)[1]
    assert len(body) <= 5000 + 300, len(body)  # the budget is the summary's; the heading and title come on top
    assert "> Cut to fit 5000 characters (`--summary-limit`)" in md
    html = markdown.render(md, "html")
    assert html.count("<details>") == html.count("</details>") and md.count("```") % 2 == 0


def test_coverage_summary_shows_the_impacted_files_with_their_change(emulator, workspace):
    workspace.write("src/cart.py", "".join(f"line_{i} = {i}\n" for i in range(1, 13)))
    base = workspace.commit("base")
    workspace.write("lcov.info", lcov(set(range(1, 11))))
    workspace.commit("base report")
    assert run_tollgate(["coverage", "--report", "lcov.info", "--json", "base.json", "--check-run", "none",
                         "--no-status"], workspace, token="").returncode == 0
    shutil.move(str(workspace.path / "base.json"), str(workspace.path.parent / "base.json"))
    workspace.write("src/cart.py", "".join(f"line_{i} = {i * 2}\n" for i in range(1, 13)))
    workspace.write("lcov.info", lcov(set(range(1, 7))))
    head = workspace.commit("change")
    proc = run_tollgate(["coverage", "--report", "lcov.info", "--baseline", str(workspace.path.parent / "base.json"),
                         "--comment"], workspace, emulator, event=pr_event(head, base), event_name="pull_request")
    assert proc.returncode == 0, proc.stderr
    docs = published(emulator, workspace)
    assert_documents(docs, "Coverage", "✅")
    md = docs["comment"]
    assert "**Coverage fell in 1 file**: [`src/cart.py`]" in md and "50.0% (−33.3)" in md
    assert ["File", "Coverage", "Δ", "Changed lines covered", "Uncovered changed lines"] in tables(md)
    assert "✅ 50" not in md  # a number is not a verdict


def test_merge_summary_one_row_per_leg_and_the_legs_agree_with_the_title(emulator, workspace):
    workspace.write("src/cart.py", "".join(f"line_{i} = {i}\n" for i in range(1, 13)))
    workspace.commit("base")
    for python, failing in (("3.10", {"discount"}), ("3.11", set()), ("3.12", set())):
        workspace.write(f"in/{python}/junit.xml", junit(failing))
        workspace.write(f"in/{python}/lcov.info", lcov(set(range(1, 7))))
    head = workspace.commit("reports")
    for python in ("3.10", "3.11", "3.12"):
        matrix = json.dumps({"python": python})
        (workspace.path / "results" / python).mkdir(parents=True)
        for command, report in (("tests", "junit.xml"), ("coverage", "lcov.info")):
            run_tollgate([command, "--report", f"in/{python}/{report}", "--matrix", matrix, "--check-run", "none",
                          "--no-status", "--json", f"results/{python}/{command}.json"], workspace)
    workspace.summary.write_text("")  # the legs' steps wrote theirs
    proc = run_tollgate(["merge", "--report", "results/**/*.json", "--comment", "--expected-legs", "3"], workspace,
                        emulator, event=pr_event(head), event_name="pull_request")
    assert proc.returncode == 1, proc.stderr
    docs = published(emulator, workspace)
    assert_documents(docs, "Tests + Coverage (all legs)", "❌")
    [title] = [text_of(b) for b in blocks(docs["comment"])[1:2]]
    assert title.startswith("3 legs, 1 failed")
    legs = [t for t in markdown.tree(docs["comment"]).iter(NS + "table")
            if [text_of(c) for c in t.find(NS + "table_header")] == ["Leg", "Tests", "Coverage"]]
    assert len(legs) == 1 and len(legs[0].findall(NS + "table_row")) == 3  # as many rows as the title's legs


def test_lighthouse_summary_leads_with_the_failed_assertions(emulator, workspace):
    head = lighthouse_workspace(workspace, "keys.json")
    proc = run_tollgate(["lighthouse", "--comment"], workspace, emulator, event=pr_event(head),
                        event_name="pull_request")
    assert proc.returncode == 1, proc.stderr
    docs = published(emulator, workspace)
    assert_documents(docs, "Lighthouse", "❌")
    top = blocks(docs["comment"])
    assert text_of(top[3]).startswith("Failed assertions (")


def test_probe_summary_percentiles_only_where_the_samples_support_them(emulator, workspace):
    workspace.write("index.html", "site\n")
    workspace.commit("site")
    server = Server(lambda n, h: (500, "down", None))
    try:
        proc = run_tollgate(["probe", "--url", server.url(), "--count", "3", "--interval", "10ms", "--timeout", "2s"],
                            workspace, emulator)
    finally:
        server.close()
    assert proc.returncode == 1, proc.stderr
    run = emulator.state()["check_runs"][0]
    md = workspace.summary.read_text()
    assert_reviewer_first("job summary", md, "Probes", "❌")
    assert_reviewer_first("check summary", run["output"]["summary"], "Probes", "❌", heading=False)
    assert ["Probe", "Samples", "Failures", "Errors", "p50", "Verdict"] in tables(md)  # 3 samples: no p95, p99
    assert re.search(r"p95 needs 20 samples and p99 100, the most any probe took is [123]\.", md), md
    assert text_of(blocks(md)[3]) == "Failing probes (1)"


# ---- the baseline scenario ------------------------------------------------------------------------

def test_a_pull_request_that_breaks_a_test_and_lowers_a_file_says_so_on_the_first_screen(emulator, workspace):
    """The CI template's shape: three legs write tests and coverage results, `merge` posts one comment,
    compared with the base branch's merge result (kept by the template; docs/matrix.md)."""
    workspace.write("src/cart.py", "".join(f"line_{i} = {i}\n" for i in range(1, 13)))
    workspace.write("src/util.py", "".join(f"u_{i} = {i}\n" for i in range(1, 5)))
    base = workspace.commit("base")

    def legs(tag, failing, cart_covered):
        for python in ("3.10", "3.11", "3.12"):
            workspace.write(f"in/{python}/junit.xml", junit(failing))
            workspace.write(f"in/{python}/lcov.info", lcov(cart_covered) + "SF:src/util.py\n"
                            + "".join(f"DA:{i},1\n" for i in range(1, 5)) + "end_of_record\n")
        sha = workspace.commit(f"{tag} reports")
        for python in ("3.10", "3.11", "3.12"):
            matrix = json.dumps({"python": python})
            (workspace.path / tag / python).mkdir(parents=True)
            for command, report in (("tests", "junit.xml"), ("coverage", "lcov.info")):
                run_tollgate([command, "--report", f"in/{python}/{report}", "--matrix", matrix, "--check-run", "none",
                              "--no-status", "--json", f"{tag}/{python}/{command}.json"], workspace)
        return sha

    # The base branch: `shipping` already fails there; cart.py is 10 of 12 covered.
    legs("base-results", {"shipping"}, set(range(1, 11)))
    assert run_tollgate(["merge", "--report", "base-results/**/*.json", "--json", "base.json", "--check-run", "none",
                         "--no-status"], workspace, token="").returncode == 1
    shutil.move(str(workspace.path / "base.json"), str(workspace.path.parent / "base.json"))
    # The pull request breaks `discount` and lowers cart.py to 6 of 12.
    workspace.write("src/cart.py", "".join(f"line_{i} = {i * 3}\n" for i in range(1, 13)))
    head = legs("pr-results", {"discount", "shipping"}, set(range(1, 7)))
    proc = run_tollgate(["merge", "--report", "pr-results/**/*.json", "--baseline", str(workspace.path.parent / "base.json"),
                         "--comment", "--expected-legs", "3"], workspace, emulator, event=pr_event(head, base),
                        event_name="pull_request")
    assert proc.returncode == 1, proc.stderr
    [comment] = emulator.state()["comments"]
    first_screen = "\n".join(comment["body"].split("\n")[:FIRST_SCREEN_LINES + 1])  # + the hidden marker line
    assert "**1 newly failing** · 1 already failing on the base" in first_screen, comment["body"]
    assert re.search(r"\[`src/cart\.py`\]\([^)]*\) 50\.0% \(−33\.3\)", first_screen), comment["body"]
    assert "`tests.cart › test_discount` — assert discount" in first_screen
    assert "*new*" in first_screen and "*already failing on the base*" in first_screen
    assert_reviewer_first("comment", comment["body"].split("\n", 1)[1], "Tests + Coverage (all legs)", "❌")
