"""tollgate lighthouse against `lhci assert` (@lhci/cli, pinned in tests/lighthouse) on real LHRs.

The differential test runs both on the same committed LHRs (tests/data/lighthouse, made by
tests/lighthouse/make_lhrs.sh) under configs that cover every option, and requires the same set of
assertion results (URL, audit, option, level, expected, actual, passed, values) and the same exit
status. lhci exits 1 for a configuration error, where Tollgate exits 2 (SPEC §2: bad configuration).
Slow-but-run: it is part of CI (about 30 lhci runs, under a minute)."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, TOLLGATE, run_tollgate

DATA = ROOT / "tests/data/lighthouse"
CONFIGS = DATA / "configs"
LHCI = ROOT / "tests/lighthouse/node_modules/.bin/lhci"

LHR_SETS = {
    "lh12": sorted((DATA / "lh12").glob("*.json")),
    "lh13": sorted((DATA / "lh13").glob("*.json")),
    # One URL measured by two Lighthouse versions: audits that one of them lacks fail auditRan.
    "mixed": sorted((DATA / "lh12").glob("slow-*.json")) + sorted((DATA / "lh13").glob("*.json")),
}

# (config, LHR set): every option of `lhci assert`, each against the runs that exercise it.
CASES = [
    ("categories.json", "lh12"),
    ("aggregation.json", "lh12"),
    ("aggregation-top-pessimistic.json", "lh12"),
    ("aggregation-top-median-run.json", "lh12"),
    ("score-modes.json", "lh12"),
    ("score-modes.json", "lh13"),
    ("score-modes.json", "mixed"),
    ("missing-audits.json", "lh12"),
    ("missing-audits.json", "mixed"),
    ("resource-summary.json", "lh12"),
    ("user-timings.json", "lh12"),
    ("preset-recommended.json", "lh12"),
    ("preset-recommended.json", "lh13"),
    ("preset-all.json", "lh12"),
    ("preset-no-pwa.yml", "lh12"),
    ("keys.json", "lh12"),
    ("matrix.json", "lh12"),
    ("matrix-empty-assertions.json", "lh12"),
    ("budgets.json", "lh12"),
    ("extends.json", "lh12"),
    ("levels.yml", "lh12"),
    ("passing.json", "lh12"),
    # Read as lhci reads them (issue 13 item 13): YAML merge keys as js-yaml applies them; JavaScript
    # regular-expression syntax that RE2 evaluates identically once translated (named groups, [^],
    # Annex B identity escapes and literal braces, a '[' inside a class that is no POSIX class);
    # `assertions: []` under a preset.
    ("yaml-merge-keys.yml", "lh12"),
    ("regex-javascript.json", "lh12"),
    ("assertions-empty-array.json", "lh12"),
    # lhci's configuration errors.
    ("yaml-duplicate-keys.yml", "lh12"),
    ("matrix-with-other-options.json", "lh12"),
    ("no-assertions.json", "lh12"),
    ("bad-preset.json", "lh12"),
    ("bad-resource-summary.json", "lh12"),
    ("bad-category.json", "lh12"),
    ("budgets-and-assertions.json", "lh12"),
    ("budgets-invalid.json", "lh12"),
]


def lhci_env():
    return {k: v for k, v in os.environ.items() if not k.startswith(("LHCI", "GITHUB_"))}


def audit_name(audit_id, prop):
    """lhci's auditId + auditProperty as SPEC §4 names it (resource-summary:script:size)."""
    if not prop:
        return audit_id
    return f"{audit_id}:{prop.replace('.', ':') if audit_id == 'resource-summary' else prop}"


def rounded(v):
    return None if v is None else round(float(v), 9)


def js_number(v):
    """What lhci's comparison makes of an option value (null → 0, "0.5" → 0.5); Tollgate's JSON
    holds that number."""
    if v is None:
        return 0
    if isinstance(v, str):
        return float(v.strip() or 0)
    return v


def key(url, audit, option, level, expected, actual, passed, values):
    return (url, audit, option, level, rounded(expected), rounded(actual), bool(passed), tuple(rounded(x) for x in values))


def prepare(tmp_path, config, lhr_set):
    work = tmp_path / "work"
    (work / ".lighthouseci").mkdir(parents=True)
    for i, lhr in enumerate(LHR_SETS[lhr_set], 1):
        shutil.copy(lhr, work / ".lighthouseci" / f"lhr-{i}.json")
    for f in CONFIGS.iterdir():  # budgets files and extended configs are found relative to the cwd
        shutil.copy(f, work / f.name)
    return work


def run_lhci(work, config):
    results = work / ".lighthouseci" / "assertion-results.json"
    proc = subprocess.run([str(LHCI), "assert", f"--config={config}", "--includePassedAssertions"], cwd=work,
                          env=lhci_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    got = None
    if results.exists():
        got = [key(r["url"], audit_name(r.get("auditId", ""), r.get("auditProperty")), r["name"], r.get("level"),
                   js_number(r["expected"]), r["actual"], r["passed"], r["values"])
               for r in json.loads(results.read_text())]
        results.unlink()
    return proc, got


def run_ours(work, config):
    out = work / "tollgate.json"
    proc = subprocess.run([TOLLGATE, "lighthouse", "--report", ".lighthouseci/lhr-*.json", "--config", config, "--json",
                           str(out)], cwd=work, env=lhci_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=60)
    got = None
    if out.exists():
        got = [key(a["url"], a["audit"], a["option"], a["level"], a["expected"], a["actual"], a["passed"], a["values"])
               for a in json.loads(out.read_text())["assertions"]]
    return proc, got


@pytest.fixture(scope="module")
def lhci_installed():
    if not LHCI.exists():
        pytest.fail(f"{LHCI} is missing: run scripts/setup --test (npm ci in tests/lighthouse)")


@pytest.mark.parametrize("config,lhr_set", CASES, ids=[f"{c}-{s}" for c, s in CASES])
def test_same_results_as_lhci_assert(lhci_installed, tmp_path, config, lhr_set):
    work = prepare(tmp_path, config, lhr_set)
    lhci, expected = run_lhci(work, config)
    ours, got = run_ours(work, config)
    if expected is None:
        # lhci threw: a configuration error. Tollgate says so with exit status 2 and the file.
        assert lhci.returncode == 1, lhci.stderr
        assert "Error" in lhci.stderr or "Invalid values" in lhci.stderr or "duplicated mapping key" in lhci.stderr
        assert ours.returncode == 2, ours.stderr + ours.stdout
        assert config.split(".")[0] in ours.stderr or "budget" in ours.stderr, ours.stderr
        return
    assert lhci.returncode in (0, 1), lhci.stderr
    assert ours.returncode == lhci.returncode, ours.stderr + ours.stdout
    assert got is not None
    if config.startswith("budgets"):
        # lhci replaces its options with the converted budgets, dropping includePassedAssertions:
        # its file holds the failures only.
        got = [g for g in got if not g[6]]
        assert len(expected) > 0
    assert sorted(got, key=repr) == sorted(expected, key=repr)


def test_the_differential_cases_cover_every_option():
    text = "".join((CONFIGS / c).read_text() for c, _ in CASES)
    for option in ("minScore", "maxNumericValue", "maxLength", "aggregationMethod", "median-run", "pessimistic",
                   "optimistic", "median", "lighthouse:all", "lighthouse:recommended", "lighthouse:no-pwa",
                   "categories", "resource-summary", "user-timings", "assertMatrix", "matchingUrlPattern",
                   "budgetsFile", "extends", "warn", "off"):
        assert option in text, option


# JavaScript constructs RE2 cannot evaluate the same way: lhci evaluates them, Tollgate stops with
# exit 2 naming the construct rather than give a different verdict.
REFUSED_PATTERNS = [
    ("(?<=8080/)slow", "lookbehind (?<=…)"),
    ("^(?!.*slow)", "negative lookahead (?!…)"),
    ("(slow)\\.\\1", "the backreference \\1"),
    ("\\p{L}", "\\p{…}"),
]


@pytest.mark.parametrize("pattern, construct", REFUSED_PATTERNS)
def test_javascript_only_regex_syntax_stops_with_the_construct_named(lhci_installed, tmp_path, pattern, construct):
    work = prepare(tmp_path, "passing.json", "lh12")
    config = {"ci": {"assert": {"assertMatrix": [
        {"matchingUrlPattern": pattern, "assertions": {"categories:performance": ["error", {"minScore": 0.9}]}}]}}}
    (work / "js-regex.json").write_text(json.dumps(config, indent=2))
    lhci, expected = run_lhci(work, "js-regex.json")
    assert lhci.returncode in (0, 1) and expected is not None, lhci.stderr  # lhci evaluates it
    ours, got = run_ours(work, "js-regex.json")
    assert ours.returncode == 2, ours.stderr + ours.stdout
    assert construct in ours.stderr and "js-regex.json:6:" in ours.stderr  # the matchingUrlPattern line, ours.stderr
    assert got is None  # no verdict written


def test_without_report_only_the_files_lhci_reads_are_read(lhci_installed, tmp_path):
    work = prepare(tmp_path, "categories.json", "lh12")
    # a result left beside lhci's: lhci skips it (LHR_REGEX = /^lhr-\d+\.json$/), so must we
    shutil.copy(DATA / "lh13" / "slow-1.json", work / ".lighthouseci" / "lhr-baseline.json")
    lhci, expected = run_lhci(work, "categories.json")
    out = work / "tollgate.json"
    ours = subprocess.run([TOLLGATE, "lighthouse", "--config", "categories.json", "--json", str(out)], cwd=work,
                          env=lhci_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    assert ours.returncode == lhci.returncode, ours.stderr
    result = json.loads(out.read_text())
    got = [key(a["url"], a["audit"], a["option"], a["level"], a["expected"], a["actual"], a["passed"], a["values"])
           for a in result["assertions"]]
    assert sorted(got, key=repr) == sorted(expected, key=repr)
    assert sum(u["runs"] for u in result["urls"]) == len(LHR_SETS["lh12"])
    assert "lhr-baseline.json: skipped" in ours.stderr


def test_presets_match_the_installed_lhci():
    proc = subprocess.run(["node", str(ROOT / "tests/lighthouse/make_presets.js"), "--check"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_what_lhci_ignores_is_said_with_the_fix(tmp_path):
    work = prepare(tmp_path, "keys.json", "lh12")
    proc, _ = run_ours(work, "keys.json")
    assert proc.returncode == 1
    result = json.loads((work / "tollgate.json").read_text())
    messages = "\n".join(w["message"] for w in result["ignored_by_lhci"])
    assert 'rename it to "dom-size"' in messages
    assert "minNumericValue" in messages and "maxNumericValue" in messages
    assert 'level "warning"' in messages
    assert "maxnumericvalue" in messages
    lines = {w["line"] for w in result["ignored_by_lhci"]}
    assert 5 in lines  # "domSize" is on line 5 of keys.json
    # Terminal output names the config line.
    assert "keys.json:5: warning:" in proc.stdout


def test_json_result_has_urls_and_every_assertion(tmp_path):
    work = prepare(tmp_path, "categories.json", "lh12")
    proc, got = run_ours(work, "categories.json")
    assert proc.returncode == 1
    result = json.loads((work / "tollgate.json").read_text())
    assert result["command"] == "lighthouse" and result["passed"] is False
    urls = {u["url"]: u for u in result["urls"]}
    assert set(urls) == {"http://127.0.0.1:8080/", "http://127.0.0.1:8080/slow.html"}
    assert urls["http://127.0.0.1:8080/slow.html"]["runs"] == 3
    assert urls["http://127.0.0.1:8080/"]["categories"]["performance"] == 1
    assert len(result["assertions"]) == 8  # 4 categories × 2 URLs, passed ones included
    for a in result["assertions"]:
        assert set(a) >= {"url", "audit", "option", "level", "operator", "expected", "actual", "values", "passed"}
    slow_perf = [a for a in result["assertions"] if a["url"].endswith("slow.html") and a["audit"] == "categories:performance"]
    assert slow_perf[0]["operator"] == ">=" and slow_perf[0]["passed"] is False


def test_no_lhrs_and_bad_lhrs_exit_2(tmp_path):
    work = prepare(tmp_path, "categories.json", "lh12")
    proc = subprocess.run([TOLLGATE, "lighthouse", "--report", "missing/*.json", "--config", "categories.json"], cwd=work,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 2
    (work / "broken.json").write_text('{\n  "lighthouseVersion": "12.6.1",\n  "audits": {\n    "x": [}\n}\n')
    proc = subprocess.run([TOLLGATE, "lighthouse", "--report", "broken.json", "--config", "categories.json"], cwd=work,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 2 and "broken.json:4:" in proc.stderr, proc.stderr


def test_baseline_deltas_in_the_summary(tmp_path):
    work = prepare(tmp_path, "passing.json", "lh12")
    base = dict(tool="tollgate", command="lighthouse", urls=[
        {"url": "http://127.0.0.1:8080/slow.html", "runs": 3, "categories": {"performance": 0.70, "seo": 0.82},
         "metrics": {"largest-contentful-paint": 3000}}])
    (work / "base.json").write_text(json.dumps(base))
    proc = subprocess.run([TOLLGATE, "lighthouse", "--report", ".lighthouseci/lhr-*.json", "--config", "passing.json",
                           "--baseline", "base.json", "--summary", "summary.md"], cwd=work, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 0, proc.stderr
    summary = (work / "summary.md").read_text()
    assert "🟠 66 (−4)" in summary
    assert "🟠 82 (±0)" in summary
    assert "(+853 ms)" in summary  # LCP median 3853 ms against 3000 ms


# --- what GitHub shows, through the emulator ------------------------------------------------------

def lighthouse_workspace(workspace, config="categories.json"):
    for i, lhr in enumerate(LHR_SETS["lh12"], 1):
        dest = workspace.path / ".lighthouseci" / f"lhr-{i}.json"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(lhr, dest)
    shutil.copy(CONFIGS / config, workspace.path / "lighthouserc.json")
    return workspace.commit("site")


def test_check_run_status_comment_and_outputs(emulator, workspace):
    lighthouse_workspace(workspace, "keys.json")
    event = {"number": 7, "pull_request": {"number": 7, "head": {"sha": "c" * 40}, "base": {"sha": "", "ref": "main"}}}
    proc = run_tollgate(["lighthouse", "--commit-status", "always", "--comment"], workspace, emulator, event=event, event_name="pull_request")
    assert proc.returncode == 1, proc.stderr
    state = emulator.state()
    [run] = state["check_runs"]
    assert run["name"] == "Lighthouse" and run["conclusion"] == "failure" and run["head_sha"] == "c" * 40
    # URLs are shown, not linked: a zero-width space after the scheme (issue 14).
    assert "http://127.0.0.1:8080/slow.html" in run["output"]["summary"].replace("\u200b", "")
    assert "Failed assertions" in run["output"]["summary"]
    # Annotations point at the assertion's line in lighthouserc.json.
    by_line = {(a["path"], a["start_line"], a["annotation_level"]) for a in run["annotations"]}
    assert ("lighthouserc.json", 11, "failure") in by_line  # categories.accessibility (minScore 0.5; slow.html has 0.47)
    assert ("lighthouserc.json", 5, "warning") in by_line  # domSize: ignored by lhci
    assert [s["context"] for s in state["statuses"]] == ["tollgate/lighthouse"]
    assert state["statuses"][0]["state"] == "failure"
    [comment] = state["comments"]
    assert "Lighthouse" in comment["body"] and "Ignored by lhci" in comment["body"]
    outputs = workspace.outputs()
    assert outputs["performance"] == "100" and outputs["seo"] == "100"
    assert json.loads(outputs["scores"])["http://127.0.0.1:8080/slow.html"]["accessibility"] == 47
    assert "Lighthouse" in workspace.summary.read_text()


def test_a_passing_run_posts_success(emulator, workspace):
    lighthouse_workspace(workspace, "passing.json")
    proc = run_tollgate(["lighthouse", "--commit-status", "always"], workspace, emulator)
    assert proc.returncode == 0, proc.stderr
    state = emulator.state()
    assert state["check_runs"][0]["conclusion"] == "success"
    assert state["statuses"][0]["state"] == "success"
    assert workspace.outputs()["passed"] == "true"


def test_a_lighthouse_section_of_the_tollgate_config(workspace):
    for i, lhr in enumerate(LHR_SETS["lh12"], 1):
        dest = workspace.path / ".lighthouseci" / f"lhr-{i}.json"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(lhr, dest)
    workspace.write(".github/tollgate.yml", "lighthouse:\n  assertions:\n    categories:seo: [error, {minScore: 0.8}]\n"
                                            "    domSize: error\n")
    proc = subprocess.run([TOLLGATE, "lighthouse", "--json", "out.json"], cwd=workspace.path, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 0, proc.stderr
    result = json.loads((workspace.path / "out.json").read_text())
    assert [a["audit"] for a in result["assertions"]] == ["categories:seo", "categories:seo"]
    assert result["ignored_by_lhci"][0]["line"] == 4
    assert ".github/tollgate.yml:4: warning:" in proc.stdout


def test_an_assertion_without_a_value_is_not_measured_in_the_json_gates(tmp_path):
    # lhci decides the verdict of an assertion on an audit without a numeric value (it fails);
    # the gate never turns that "no value" into a measured 0 (docs/counting.md).
    work = prepare(tmp_path, "categories.json", "lh12")
    (work / "novalue.json").write_text(json.dumps({"ci": {"assert": {"assertions": {
        "is-on-https": ["error", {"maxNumericValue": 1}], "dom-size": ["error", {"maxNumericValue": 100000}]}}}}))
    proc, _ = run_ours(work, "novalue.json")
    assert proc.returncode == 1, proc.stderr
    result = json.loads((work / "tollgate.json").read_text())
    no_value = [g for g in result["gates"] if "is-on-https" in g["name"]]
    assert no_value and all(g["actual"] is None and g["measured"] is False and not g["passed"] for g in no_value)
    measured = [g for g in result["gates"] if "dom-size" in g["name"]]
    assert measured and all(g["actual"] > 0 and "measured" not in g and g["passed"] for g in measured)


@pytest.mark.parametrize("name,text", [
    ("inf.yml", "ci:\n  assert:\n    assertions:\n      dom-size: [error, {maxNumericValue: .inf}]\n"),
    ("nan.yml", "ci:\n  assert:\n    assertions:\n      dom-size: [error, {maxNumericValue: .nan}]\n"),
    ("unit.json", '{"ci":{"assert":{"assertions":{"dom-size":["error",{"maxNumericValue":"5000ms"}]}}}}'),
])
def test_non_finite_and_string_thresholds_get_lhcis_verdict_and_valid_json(lhci_installed, tmp_path, name, text):
    # lhci compares with JavaScript's <=: Infinity passes everything, NaN and "5000ms" nothing.
    work = prepare(tmp_path, "categories.json", "lh12")
    (work / name).write_text(text)
    theirs = subprocess.run([str(LHCI), "assert", f"--config={name}"], cwd=work, env=lhci_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    ours, _ = run_ours(work, name)
    assert ours.returncode == theirs.returncode, (ours.stderr, theirs.stderr)
    result = json.loads((work / "tollgate.json").read_text())  # valid JSON: no Infinity, no NaN
    assert all(a["expected"] is None or isinstance(a["expected"], (int, float)) for a in result["assertions"])


def test_a_threshold_past_the_double_range_stops_with_its_location(tmp_path):
    # JSON.parse reads 1e400 as Infinity (lhci passes); Tollgate refuses the number and names
    # the place, which SPEC §2 allows for bad configuration — never a different verdict.
    work = prepare(tmp_path, "categories.json", "lh12")
    (work / "big.json").write_text('{"ci":{"assert":{"assertions":{\n"dom-size":["error",{"maxNumericValue":1e400}]}}}}')
    proc, _ = run_ours(work, "big.json")
    assert proc.returncode == 2 and "big.json:2:" in proc.stderr, proc.stderr
    assert not (work / "tollgate.json").exists()
