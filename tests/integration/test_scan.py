"""`tollgate scan` (issue #16) against the emulator, on SARIF from real tools (tests/data/sarif,
README there): the official validator accepts the inputs; new/unchanged/fixed on a base and a head
scan of one project; annotations batched by 50 and never duplicated under faults; the fork
fallback within the runner's per-step caps; the title, outputs and summary; hostile SARIF; bad
input exits 2 naming the file and the line."""
import json
import math
import re
import shutil
import subprocess
import sys
from collections import Counter

import pytest

from conftest import ROOT, TOKEN, TOLLGATE, run_tollgate

sys.path.insert(0, str(ROOT / "tests"))
from support import markdown, runner_log  # noqa: E402

DATA = ROOT / "tests/data/sarif"
TOOLS = ROOT / "tests/sarif-tools/node_modules"
MULTITOOL = TOOLS / ".bin/sarif-multitool"
SCHEMA = TOOLS / "@microsoft/sarif-multitool-linux/sarif-2.1.0.json"

# Errors the official validator reports on files kept exactly as the tools wrote them; each is one
# of the messy cases the reader must take (issue #16 item 6). Any other error fails the test.
KNOWN_VALIDATOR_ERRORS = {
    # @microsoft/eslint-formatter-sarif 3.1.0 writes "$schema": ".../sarif-2.1.0-rtm.5".
    "eslint-shop-base.sarif": Counter({"SARIF1011": 1}),
    "eslint-shop-head.sarif": Counter({"SARIF1011": 1}),
    # ruleIndex 0 with an empty tool.driver.rules (the reader trusts ruleId).
    "third-party/codeql/fingerprinting.expected.sarif": Counter({"SARIF1009": 2}),
    # artifactLocation.uri "/some/path" starting with a slash, no uriBaseId.
    "third-party/grype/directory.sarif": Counter({"SARIF1004": 2}),
}



# Every summary leads with the run's own commit and run links (publish/review_header); anything else
# GitHub would link comes from the report.
# Links Tollgate makes itself: the commit, the run, and a finding's line at the commit (its path is
# the repository's, matched to git ls-files, never the report's text).
OWN_LINK = re.compile(r'<a href="https://github\.example/octo/app/(commit/<sha>|actions/runs/\d+(/attempts/\d+)?'
                      r'|blob/<sha>/src/[a-z]+\.js#L\d+)">')


def report_references(md):
    return [r for r in markdown.live_references(md) if not OWN_LINK.fullmatch(r)]


def sarif_inputs():
    return sorted(p for p in DATA.rglob("*.sarif") if "hostile" not in p.parts)


def validate(paths, tmp_path):
    """Runs `sarif-multitool validate` once over `paths` against the SARIF 2.1.0 schema it ships;
    returns {path: Counter(rule id of each error)}. The tool exits 0 whatever it finds: the
    verdict is in its output log (itself SARIF)."""
    log = tmp_path / "validation.sarif"
    proc = subprocess.run([str(MULTITOOL), "validate", "--json-schema", str(SCHEMA), "--log", "ForceOverwrite",
                           "--output", str(log), *map(str, paths)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=300)
    assert log.exists(), proc.stdout
    errors = {p: Counter() for p in paths}
    for result in json.loads(log.read_text())["runs"][0].get("results", []):
        if result.get("level", "warning") != "error":
            continue
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        [path] = [p for p in paths if p.resolve().as_uri() == uri]
        errors[path][result["ruleId"]] += 1
    return errors


needs_multitool = pytest.mark.skipif(not MULTITOOL.exists(),
                                     reason="@microsoft/sarif-multitool is not installed (scripts/setup --test)")


@needs_multitool
def test_inputs_pass_the_official_validator(tmp_path):
    inputs = sarif_inputs()
    assert len(inputs) >= 13
    found = validate(inputs, tmp_path)
    for path, errors in found.items():
        name = str(path.relative_to(DATA))
        assert errors == KNOWN_VALIDATOR_ERRORS.get(name, Counter()), f"{name}: {dict(errors)}"


@needs_multitool
def test_the_validator_finds_a_mistake_when_there_is_one(tmp_path):
    broken = tmp_path / "broken.sarif"
    doc = json.loads((DATA / "clang-analyze.sarif").read_text())
    del doc["runs"][0]["results"][0]["message"]  # a result must have a message
    broken.write_text(json.dumps(doc))
    assert validate([broken], tmp_path)[broken] == Counter({"JSON1002": 1})  # JSON1002: a required property is missing


# ---- helpers -------------------------------------------------------------------------------

SHOP = DATA / "eslint-shop"
PR_HEAD = "c" * 40


def writes(emulator):
    return [r for r in emulator.requests()
            if r["method"] in ("POST", "PATCH") and not r["path"].startswith("/_emulator")]


def pr_event(base, head=PR_HEAD, number=7):
    return {"number": number, "pull_request": {"number": number, "head": {"sha": head, "repo": {"full_name": "octo/app"}},
                                               "base": {"sha": base, "ref": "main", "repo": {"full_name": "octo/app"}}}}


def shop_repo(workspace):
    """The ESLint sample project: the base revision committed, then the head revision."""
    for side in ("base", "head"):
        for name in ("cart.js", "report.js"):
            workspace.write(f"src/{name}", (SHOP / side / "src" / name).read_text())
        sha = workspace.commit(side)
        if side == "base":
            base = sha
    return base, sha


def classes(doc):
    """{(rule, path, line, state)} of a scan --json result: the head's findings and the fixed ones."""
    scan = doc["scan"]
    return sorted((f["rule_id"], f["path"], f["start_line"], f["state"]) for f in scan["results"] + scan["fixed"])


# The hand-checked expectation (tests/data/sarif/README.md): base → head of eslint-shop.
SHOP_EXPECTED = sorted([
    ("eqeqeq", "src/cart.js", 13, "unchanged"),        # base cart.js:6, 7 lines added above, edited below
    ("no-eval", "src/cart.js", 20, "unchanged"),       # base cart.js:13, a function added below
    ("no-implied-eval", "src/cart.js", 24, "new"),     # setTimeout with a string, added in head
    ("no-unused-vars", "src/report.js", 4, "unchanged"),  # the function after it replaced
    ("no-console", "src/report.js", 9, "unchanged"),   # base report.js:13, its function moved up
    ("no-new-func", "src/report.js", 9, "fixed"),      # base report.js:9, replaced by JSON.parse
])


def eslint_like_sarif(n, path="src/mod.js", levels=("error",), rule_prefix="rule"):
    """n results shaped exactly as @microsoft/eslint-formatter-sarif writes them (the real head
    scan is the template), on lines 1..n of `path`, cycling through `levels`."""
    doc = json.loads((DATA / "eslint-shop-head.sarif").read_text())
    run = doc["runs"][0]
    template = run["results"][0]
    rules, results = [], []
    for i in range(n):
        rule = f"{rule_prefix}-{i % 7}"
        if i < 7:
            rules.append({"id": rule, "helpUri": f"https://eslint.org/docs/latest/rules/{rule}", "properties": {},
                          "shortDescription": {"text": f"Rule {i}"}})
        r = json.loads(json.dumps(template))
        r["level"] = levels[i % len(levels)]
        r["ruleId"], r["ruleIndex"] = rule, i % 7
        r["message"]["text"] = f"Finding number {i + 1}."
        loc = r["locations"][0]["physicalLocation"]
        loc["artifactLocation"] = {"uri": path}
        loc["region"] = {"startLine": i + 1, "startColumn": 1, "endLine": i + 1, "endColumn": 5}
        results.append(r)
    run["tool"]["driver"]["rules"] = rules
    run["results"] = results
    run.pop("artifacts", None)
    return doc


def module_repo(workspace, n_lines=200):
    workspace.write("src/mod.js", "".join(f"const v{i} = eval('{i}');\n" for i in range(1, n_lines + 1)))
    return workspace.commit("initial")


# ---- new / unchanged / fixed ---------------------------------------------------------------

def test_base_and_head_eslint_scans_classify_new_unchanged_and_fixed_as_checked_by_hand(emulator, workspace):
    base, head = shop_repo(workspace)
    shutil.copy(DATA / "eslint-shop-base.sarif", workspace.path / "base.sarif")
    shutil.copy(DATA / "eslint-shop-head.sarif", workspace.path / "head.sarif")
    proc = run_tollgate(["scan", "--report", "head.sarif", "--baseline", "base.sarif", "--json", "out.json"],
                        workspace, emulator, sha=head, event=pr_event(base, head), event_name="pull_request")
    assert proc.returncode == 1, proc.stderr  # the new error-level finding fails the default --fail-on high
    doc = json.loads((workspace.path / "out.json").read_text())
    assert classes(doc) == SHOP_EXPECTED
    [run] = emulator.state()["check_runs"]
    assert run["name"] == "Security" and run["conclusion"] == "failure"
    assert run["output"]["title"] == "1 new error · 4 unchanged · 1 fixed"
    # On a pull request only the new finding is judged and annotated.
    [annotation] = run["annotations"]
    assert (annotation["path"], annotation["start_line"], annotation["annotation_level"]) == ("src/cart.js", 24, "failure")
    assert "no-implied-eval" in annotation["title"]
    assert "https://eslint.org/docs/latest/rules/no-implied-eval" in annotation["message"]
    assert workspace.outputs()["new"] == "1" and workspace.outputs()["fixed"] == "1"
    # The --json result lists the same annotation (made when written, not held: model::Outcome).
    [listed] = doc["findings"]
    assert (listed["path"], listed["start_line"], listed["title"], listed["message"]) == \
        (annotation["path"], annotation["start_line"], annotation["title"], annotation["message"])


def test_a_tollgate_json_baseline_from_the_base_run_classifies_the_same(emulator, workspace):
    base, head = shop_repo(workspace)
    shutil.copy(DATA / "eslint-shop-base.sarif", workspace.path / "base.sarif")
    shutil.copy(DATA / "eslint-shop-head.sarif", workspace.path / "head.sarif")
    # The base branch's own run (a push to main) keeps its --json result.
    subprocess.run(["git", "checkout", "-q", base], cwd=workspace.path, check=True)
    proc = run_tollgate(["scan", "--report", "base.sarif", "--check-run", "none", "--no-status", "--json", "base.json"],
                        workspace, emulator, sha=base)
    assert proc.returncode == 1, proc.stderr  # no-eval, no-new-func and no-unused-vars are errors
    subprocess.run(["git", "checkout", "-q", head], cwd=workspace.path, check=True)
    proc = run_tollgate(["scan", "--report", "head.sarif", "--baseline", "base.json", "--json", "out.json"],
                        workspace, emulator, sha=head, event=pr_event(base, head), event_name="pull_request")
    assert proc.returncode == 1, proc.stderr
    assert classes(json.loads((workspace.path / "out.json").read_text())) == SHOP_EXPECTED


def test_all_judges_unchanged_findings_too_and_new_only_needs_a_baseline(emulator, workspace):
    base, head = shop_repo(workspace)
    shutil.copy(DATA / "eslint-shop-base.sarif", workspace.path / "base.sarif")
    shutil.copy(DATA / "eslint-shop-head.sarif", workspace.path / "head.sarif")
    proc = run_tollgate(["scan", "--report", "head.sarif", "--baseline", "base.sarif", "--all", "--fail-on", "warning"],
                        workspace, emulator, sha=head, event=pr_event(base, head), event_name="pull_request")
    assert proc.returncode == 1, proc.stderr
    [run] = emulator.state()["check_runs"]
    assert len(run["annotations"]) == 5
    proc = run_tollgate(["scan", "--report", "head.sarif", "--new-only"], workspace, emulator, sha=head)
    assert proc.returncode == 2 and "--baseline" in proc.stderr


# ---- annotations: batches, faults, the fork fallback ---------------------------------------

def test_173_findings_become_173_annotations_in_batches_of_50(emulator, workspace):
    module_repo(workspace)
    workspace.write("results/eslint.sarif", json.dumps(eslint_like_sarif(173)))
    proc = run_tollgate(["scan", "--report", "results/*.sarif", "--max-annotations", "1000"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    [run] = emulator.state()["check_runs"]
    keys = [(a["path"], a["start_line"], a["message"]) for a in run["annotations"]]
    assert len(keys) == 173 and len(set(keys)) == 173
    # The Checks API takes at most 50 annotations per request
    # (https://docs.github.com/en/rest/checks/runs#update-a-check-run): ⌈173/50⌉ writes.
    check_writes = [r for r in writes(emulator) if "/check-runs" in r["path"]]
    assert len(check_writes) == math.ceil(173 / 50)
    assert workspace.outputs()["high"] == "173"  # error-level findings count with high


def test_findings_past_max_annotations_are_posted_no_further_and_counted(emulator, workspace):
    module_repo(workspace)
    workspace.write("results/eslint.sarif", json.dumps(eslint_like_sarif(40)))
    proc = run_tollgate(["scan", "--report", "results/*.sarif", "--max-annotations", "15"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    [run] = emulator.state()["check_runs"]
    assert len(run["annotations"]) == 15
    # The other 25 are counted in the job summary and in the check run's own summary, which is
    # what a reviewer opens from the pull request.
    assert "25 more finding(s) were not annotated (the limit is 15" in workspace.summary.read_text()
    assert "25 more finding(s) were not annotated (the limit is 15" in run["output"]["summary"]


def test_30_percent_faults_lose_and_duplicate_no_annotation(emulator, workspace):
    base = module_repo(workspace)
    workspace.write("results/eslint.sarif", json.dumps(eslint_like_sarif(173)))
    emulator.settings(retry_after_s=0)
    emulator.faults(rate=0.3, seed=16, kinds=["500", "502", "503", "applied_502", "secondary_rate_limit",
                                               "rate_limit_429", "reset"])
    proc = run_tollgate(["scan", "--report", "results/eslint.sarif", "--max-annotations", "1000", "--comment",
                         "--commit-status", "always"],
                        workspace, emulator, event=pr_event(base), event_name="pull_request")
    assert proc.returncode == 1, proc.stderr
    faults = [r for r in emulator.requests() if r.get("fault")]
    assert len(faults) >= 3, "the fault injection did not happen"
    state = emulator.state()
    assert len(state["check_runs"]) == 1
    keys = [(a["path"], a["start_line"], a["message"]) for a in state["check_runs"][0]["annotations"]]
    assert len(keys) == 173 and len(set(keys)) == 173
    assert [s["context"] for s in state["statuses"]] == ["tollgate/scan"]
    assert len(state["comments"]) == 1


# The runner turns at most 10 error, 10 warning and 10 notice annotations of one step into
# annotations and drops the rest silently
# (https://github.com/actions/toolkit/blob/main/docs/problem-matchers.md#limitations).
RUNNER_ANNOTATIONS_PER_LEVEL = 10


def test_a_read_only_token_prints_at_most_10_annotations_per_level_changed_lines_first(emulator, workspace):
    base = module_repo(workspace, n_lines=90)
    text = (workspace.path / "src/mod.js").read_text().splitlines(keepends=True)
    for line in (61, 63, 65):  # findings cycle error, warning, note from line 1
        text[line - 1] = text[line - 1].rstrip("\n") + " // changed\n"
    workspace.write("src/mod.js", "".join(text))
    head = workspace.commit("change lines 61, 63, 65")
    workspace.write("results/eslint.sarif", json.dumps(eslint_like_sarif(90, levels=("error", "warning", "note"))))
    emulator.token(TOKEN, "read-only")
    proc = run_tollgate(["scan", "--report", "results/eslint.sarif", "--base", base, "--fail-on", "note", "--json",
                         "out.json"], workspace, emulator, sha=head)
    assert proc.returncode == 1, proc.stderr
    commands = runner_log.commands(proc.stdout, proc.stderr)
    by_level = Counter(c.name for c in commands if c.name in ("error", "warning", "notice"))
    assert by_level == {"error": RUNNER_ANNOTATIONS_PER_LEVEL, "warning": RUNNER_ANNOTATIONS_PER_LEVEL,
                        "notice": RUNNER_ANNOTATIONS_PER_LEVEL}
    lines = {level: [int(c.properties["line"]) for c in commands if c.name == level] for level in by_level}
    # Line 61 holds an error (61 = 3·20 + 1), 63 a note, 65 a warning: each first in its level.
    assert lines["error"][0] == 61 and lines["notice"][0] == 63 and lines["warning"][0] == 65
    assert "more" in proc.stderr  # the rest are counted, not silently dropped
    assert len(json.loads((workspace.path / "out.json").read_text())["scan"]["results"]) == 90
    assert emulator.state().get("check_runs", []) == []


# ---- title, outputs and summary ------------------------------------------------------------

def hostile_variant(doc):
    """The same log with every text a tool writes replaced by hostile text of the same role."""
    evil = ("x | y\n::error file=src/mod.js,line=1::pwned\n%0A::add-mask::z @octocat #12 <img src=x onerror=alert(1)> "
            "[link](https://evil.example) ```` ** _ ~~ <!-- --> </details> www.evil.example")
    doc = json.loads(json.dumps(doc))
    for run in doc["runs"]:
        run["tool"]["driver"]["name"] = "Scanner <b>@octocat</b> | ::warning::x"
        for rule in run["tool"]["driver"].get("rules", []):
            rule["shortDescription"] = {"text": evil}
            rule["helpUri"] = "javascript:alert(1)//" + rule["id"]
        for r in run["results"]:
            r["message"] = {"text": evil, "markdown": "**bold** [click](https://evil.example) @octocat"}
    return doc


def test_summary_structure_does_not_depend_on_what_the_tool_wrote(emulator, workspace):
    """The summary GitHub renders (cmark-gfm, tests/support/markdown.py) has the same tree for a
    benign log and a hostile one; no mention, issue reference, link, image or comment comes from
    the report; message.markdown is never shown."""
    module_repo(workspace, n_lines=12)
    benign = eslint_like_sarif(12, levels=("error", "warning", "note"))
    summaries = []
    for doc in (benign, hostile_variant(benign)):
        workspace.write("results/eslint.sarif", json.dumps(doc))
        proc = run_tollgate(["scan", "--report", "results/eslint.sarif", "--fail-on", "warning", "--check-name",
                             f"Security {len(summaries)}"], workspace, emulator)
        assert proc.returncode == 1, proc.stderr
        [run] = [r for r in emulator.state()["check_runs"] if r["name"] == f"Security {len(summaries)}"]
        summaries.append(run["output"]["summary"])
        assert run["output"]["title"] == "4 error, 4 warning, 4 note"
        outputs = workspace.outputs()
        assert (outputs["critical"], outputs["high"], outputs["medium"], outputs["low"]) == ("0", "4", "4", "4")
    assert markdown.flat(markdown.structure(summaries[0])) == markdown.flat(markdown.structure(summaries[1]))
    assert report_references(summaries[0]) == [] and report_references(summaries[1]) == []
    assert "**bold**" not in summaries[1] and "click" not in summaries[1]
    assert "javascript:" not in summaries[1]  # a help URI that is not http(s) is not kept


def test_report_text_cannot_issue_workflow_commands(emulator, workspace):
    module_repo(workspace, n_lines=12)
    workspace.write("results/eslint.sarif", json.dumps(hostile_variant(eslint_like_sarif(12))))
    emulator.token(TOKEN, "read-only")  # the fallback prints annotations as workflow commands
    proc = run_tollgate(["scan", "--report", "results/eslint.sarif"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    # The conftest fixture fails the test on any workflow command Tollgate did not issue; and the
    # annotations it did issue carry the hostile text escaped onto one line.
    errors = [c for c in runner_log.commands(proc.stdout, proc.stderr) if c.name == "error"]
    assert errors and all(c.properties["file"] == "src/mod.js" for c in errors)
    assert all("::error file=src/mod.js,line=1::pwned" in c.data for c in errors)
    summary = workspace.summary.read_text()
    assert "<img" not in summary and "@octocat" not in summary.replace("&#64;octocat", "")


# ---- hostile and bad input: exit 2 naming the file and the line, nothing posted -------------

def bad_input(workspace, emulator, name, text):
    module_repo(workspace, n_lines=3)
    workspace.write(f"results/{name}", text)
    proc = run_tollgate(["scan", "--report", f"results/{name}"], workspace, emulator)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert emulator.state().get("check_runs", []) == [] and emulator.state().get("statuses", []) == []
    return proc.stderr


def test_a_truncated_log_exits_2_naming_the_file_and_line(emulator, workspace):
    text = json.dumps(eslint_like_sarif(3), indent=2)
    cut = text[: text.index('"Finding number 2.')]
    line = cut.count("\n") + 1
    err = bad_input(workspace, emulator, "cut.sarif", cut)
    assert re.search(rf"results/cut\.sarif:{line}(:\d+)?:", err), err


def test_nesting_past_the_bound_exits_2_at_its_line(emulator, workspace):
    # A property bag nested 100,000 deep on line 5: refused where it passes the bound, without
    # recursion (a recursive reader would overflow its stack here).
    deep = '{"version": "2.1.0",\n"runs": [{"tool": {"driver": {"name": "x"}},\n"results": [{"message": {"text": "m"},\n' \
           '"properties":\n' + '{"a":' * 100_000 + '1' + '}' * 100_000 + '}]}]}\n'
    err = bad_input(workspace, emulator, "deep.sarif", deep)
    assert re.search(r"results/deep\.sarif:5:\d+:", err), err
    assert "deep" in err.lower() or "nest" in err.lower()


@pytest.mark.parametrize("name,text,what", [
    ("v1.sarif", '{"version": "1.0.0", "runs": []}', "2.1.0"),
    ("notjson.sarif", "<html>oops</html>\n", ""),
    ("results.sarif", '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": "many"}]}', "results"),
])
def test_what_is_not_sarif_2_1_0_exits_2_naming_the_file(emulator, workspace, name, text, what):
    err = bad_input(workspace, emulator, name, text)
    assert re.search(rf"results/{re.escape(name)}:\d+(:\d+)?:", err), err
    assert what in err


def test_a_missing_report_exits_2(emulator, workspace):
    module_repo(workspace, n_lines=3)
    proc = run_tollgate(["scan", "--report", "results/none.sarif"], workspace, emulator)
    assert proc.returncode == 2 and "results/none.sarif" in proc.stderr


def test_a_tools_warning_line_before_the_json_is_skipped_and_said(emulator, workspace):
    module_repo(workspace, n_lines=3)
    workspace.write("results/eslint.sarif", "Warning: React version not specified in eslint-plugin-react settings.\n" +
                    json.dumps(eslint_like_sarif(3)))
    proc = run_tollgate(["scan", "--report", "results/eslint.sarif"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    [run] = emulator.state()["check_runs"]
    assert len(run["annotations"]) == 3
    assert "React version not specified" in run["output"]["summary"]


# ---- every real-tool input reads, with severities as code scanning would show them ---------

# Worked out by hand from each file and GitHub's rules (docs/scan.md "Severity"): security-severity
# first (on the result, else its rule), then the result's level, then the rule's
# defaultConfiguration.level, then SARIF's default "warning".
EXPECTED_SEVERITIES = {
    "clang-analyze.sarif": {"warning": 5},              # no level anywhere
    "scan-build.sarif": {"warning": 5},
    "eslint-shop-base.sarif": {"error": 3, "warning": 2},
    "eslint-shop-head.sarif": {"error": 3, "warning": 2},
    "third-party/codeql/fingerprinting.expected.sarif": {"warning": 2},   # ruleIndex past empty rules
    "third-party/codeql/fingerprinting2.expected.sarif": {"warning": 1},  # tags name no severity
    "third-party/gitleaks/simple.sarif": {"warning": 1},
    "third-party/grype/directory.sarif": {"high": 2},  # level note / error, rule security-severity 8.2 / 8.5
    "third-party/grype/image.sarif": {"high": 2},
    "third-party/osv-scanner/vuln-results-a.sarif": {"warning": 2},       # 3 results, 2 of them exact repeats
    "third-party/semgrep/dataflow-traces.sarif": {"warning": 1},          # the rule's default level
    "third-party/semgrep/include-nosemgrep.sarif": {"error": 2},          # one of them suppressed in source
    "third-party/trivy/alpine-310.sarif": {"medium": 4},                  # security-severity 5.3
}
EXPECTED_SUPPRESSED = {"third-party/semgrep/include-nosemgrep.sarif": 1}


@pytest.mark.parametrize("name", sorted(EXPECTED_SEVERITIES))
def test_every_real_tool_input_is_read_with_code_scannings_severities(workspace, name):
    workspace.write("README.md", "x\n")
    workspace.commit()
    shutil.copy(DATA / name, workspace.path / "in.sarif")
    proc = run_tollgate(["scan", "--report", "in.sarif", "--all", "--fail-on", "never", "--dry-run", "--json",
                         "out.json"], workspace)
    assert proc.returncode == 0, proc.stderr
    results = json.loads((workspace.path / "out.json").read_text())["scan"]["results"]
    assert dict(Counter(f["severity"] for f in results)) == EXPECTED_SEVERITIES[name]
    assert sum(1 for f in results if f["suppression"]) == EXPECTED_SUPPRESSED.get(name, 0)


def test_the_expectations_cover_every_input():
    assert sorted(str(p.relative_to(DATA)) for p in sarif_inputs()) == sorted(EXPECTED_SEVERITIES)


# ---- merge folds the scan legs -------------------------------------------------------------

def grype_shaped(advisory, uri, score):
    """The Grype fixture (tests/data/sarif/third-party/grype) with its first rule and result turned
    into `advisory` on `uri`: the same vulnerability as another tool reports it (hand-made from a
    real file; no two kept fixtures report one advisory)."""
    doc = json.loads((DATA / "third-party/grype/image.sarif").read_text())
    run = doc["runs"][0]
    rule = run["tool"]["driver"]["rules"][0]
    rule["id"] = f"{advisory}-regex"
    rule["properties"]["security-severity"] = score
    result = run["results"][0]
    result["ruleId"] = rule["id"]
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = uri
    run["results"] = [result]
    return doc


def test_merge_shows_a_finding_several_legs_or_tools_report_once_with_who_reported_it(emulator, workspace):
    base, head = shop_repo(workspace)
    workspace.write("sub-rust-project/Cargo.lock", "# lock\n")
    workspace.write("go.mod", "module example.invalid/app\n")
    head = workspace.commit("manifests")
    shutil.copy(DATA / "eslint-shop-base.sarif", workspace.path / "base.sarif")
    for node, extra in (("20", DATA / "third-party/osv-scanner/vuln-results-a.sarif"), ("22", None)):
        leg = workspace.path / "in" / node
        leg.mkdir(parents=True)
        (workspace.path / "results").mkdir(exist_ok=True)
        shutil.copy(DATA / "eslint-shop-head.sarif", leg / "eslint.sarif")
        if extra:
            shutil.copy(extra, leg / "osv.sarif")
        else:
            (leg / "grype.sarif").write_text(json.dumps(grype_shaped("CVE-2022-24713", "sub-rust-project/Cargo.lock", "7.5")))
        proc = run_tollgate(["scan", "--report", f"in/{node}/*.sarif", "--baseline", "base.sarif", "--matrix",
                             json.dumps({"node": node}), "--check-run", "none", "--no-status", "--json",
                             f"results/{node}.json"], workspace, emulator, sha=head, event=pr_event(base, head),
                            event_name="pull_request")
        assert proc.returncode == 1, proc.stderr
    proc = run_tollgate(["merge", "--report", "results/*.json", "--json", "merged.json"], workspace, emulator, sha=head,
                        event=pr_event(base, head), event_name="pull_request")
    assert proc.returncode == 1, proc.stderr
    [run] = emulator.state()["check_runs"]
    assert run["name"] == "Security (all legs)"
    title = run["output"]["title"]
    assert title.startswith("2 legs, 2 failed"), title
    assert "Security: " in title and "4 unchanged · 1 fixed" in title, title

    merged = json.loads((workspace.path / "merged.json").read_text())["scan"]
    found = {(f["rule_id"], f["path"], f["state"], f["severity"]): [(r["tool"], r["leg"]) for r in who]
             for f, who in zip(merged["results"] + merged["fixed"], merged["reported_by"])}
    both_eslint = [("ESLint", "Security (20)"), ("ESLint", "Security (22)")]
    assert found == {
        ("no-implied-eval", "src/cart.js", "new", "error"): both_eslint,
        ("eqeqeq", "src/cart.js", "unchanged", "warning"): both_eslint,
        ("no-eval", "src/cart.js", "unchanged", "error"): both_eslint,
        ("no-unused-vars", "src/report.js", "unchanged", "error"): both_eslint,
        ("no-console", "src/report.js", "unchanged", "warning"): both_eslint,
        ("no-new-func", "src/report.js", "fixed", "error"): both_eslint,
        # osv-scanner in one leg, Grype in the other: one finding, the most severe report.
        ("CVE-2022-24713-regex", "sub-rust-project/Cargo.lock", "new", "high"): [("osv-scanner", "Security (20)"),
                                                                                 ("grype", "Security (22)")],
        ("CVE-2021-3121", "go.mod", "new", "warning"): [("osv-scanner", "Security (20)")],
    }
    outputs = workspace.outputs()
    assert (outputs["new"], outputs["fixed"], outputs["high"]) == ("3", "1", "4")
    # Annotations: the new findings with a line, each once, naming who reported it.
    [annotation] = [a for a in run["annotations"] if a["path"] == "src/cart.js"]
    assert annotation["start_line"] == 24
    assert annotation["message"].startswith("Reported by 1 tool in 2 legs: ESLint (Security (20)), ESLint (Security (22))")
    summary = run["output"]["summary"]
    assert "#### Security across the legs" in summary
    assert report_references(summary) == []
