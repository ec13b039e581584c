"""tollgate coverage against the reference tools and the GitHub API emulator.

(a) totals equal `lcov --summary` on every LCOV file in tests/data/coverage and on generated ones;
(b) patch lines and uncovered lines equal diff-cover 7.4's JSON report on real commits;
(c) annotations, gates and statuses through the emulator, also with injected faults."""
import json
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, TOLLGATE, git, run_tollgate

DATA = ROOT / "tests" / "data" / "coverage"


def tollgate_json(args, cwd, env_extra=None):
    """Runs tollgate outside Actions in cwd and returns (process, --json result)."""
    out = Path(cwd) / "tollgate-result.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env.update(env_extra or {})
    proc = subprocess.run([TOLLGATE, "coverage", *args, "--json", str(out)], cwd=cwd, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    return proc, json.loads(out.read_text())


# ---------------------------------------------------------------------------------------------
# (a) lcov --summary

def lcov_summary(path):
    proc = subprocess.run(["lcov", "--summary", str(path), "--rc", "lcov_branch_coverage=1"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    counts = {}
    for kind in ("lines", "branches"):
        m = re.search(rf"{kind}\.*: [\d.]+% \((\d+) of (\d+) (?:line|branch)", proc.stdout)
        counts[kind] = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    return counts


def random_lcov(rng, eol, n_files=40):
    """Tracefiles as real tools write them and then some: repeated records for a file (several
    test names), '-' branches, checksums, CRLF, lines listed out of order."""
    out = []
    for rep in range(rng.randint(1, 3)):
        for i in range(n_files):
            if rng.random() < 0.3:
                continue
            out.append(f"TN:t{rep}")
            out.append(f"SF:/build/src/m{i}.c")
            lines = rng.sample(range(1, 400), rng.randint(1, 60))
            for line in lines:
                hits = rng.choice([0, 0, 1, 2, 17, 100000])
                out.append(f"DA:{line},{hits}" + (",c0ffee" if rng.random() < 0.1 else ""))
            for line in rng.sample(lines, min(len(lines), 8)):
                for block in range(rng.randint(1, 2)):
                    for branch in range(rng.randint(1, 3)):
                        taken = rng.choice(["-", "0", "1", "5"])
                        out.append(f"BRDA:{line},{block},{branch},{taken}")
            out.append(f"LF:{len(lines)}")
            out.append("LH:0")
            out.append("end_of_record")
    return eol.join(out) + eol


LCOV_FILES = sorted(p.name for p in DATA.iterdir() if p.suffix in (".info", ".lcov"))


@pytest.mark.parametrize("name", LCOV_FILES)
def test_totals_equal_lcov_summary_on_the_test_data(name, tmp_path):
    expected = lcov_summary(DATA / name)
    _, result = tollgate_json(["--report", str(DATA / name)], tmp_path)
    t = result["totals"]
    assert (t["lines_covered"], t["lines"]) == expected["lines"]
    assert (t["branches_covered"], t["branches"]) == expected["branches"]
    assert result["outside_repository"] == []  # outside a checkout every file counts


@pytest.mark.parametrize("seed", range(8))
def test_totals_equal_lcov_summary_on_generated_tracefiles(seed, tmp_path):
    rng = random.Random(seed)
    # lcov 1.16 keeps the CR of a CRLF line in SF paths, so one seed's files share their line ends
    # (Tollgate strips the CR, and would merge a CRLF and an LF record of one file).
    eol = "\r\n" if seed % 4 == 3 else "\n"
    reports = []
    for i in range(rng.randint(1, 3)):
        p = tmp_path / f"r{i}.info"
        p.write_text(random_lcov(rng, eol), newline="")
        reports.append(p)
    # lcov merges several tracefiles with --add-tracefile; its summary is the reference.
    merged = tmp_path / "merged.info"
    args = ["lcov", "--quiet", "--rc", "lcov_branch_coverage=1", "-o", str(merged)]
    for p in reports:
        args += ["--add-tracefile", str(p)]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    expected = lcov_summary(merged)
    report_args = []
    for p in reports:
        report_args += ["--report", str(p)]
    _, result = tollgate_json(report_args, tmp_path)
    t = result["totals"]
    assert (t["lines_covered"], t["lines"]) == expected["lines"]
    assert (t["branches_covered"], t["branches"]) == expected["branches"]


# ---------------------------------------------------------------------------------------------
# (b) diff-cover

BASE_MODULE = '''\
def grade(score):
    if score >= 90:
        return "A"
    if score >= 80:
        return "B"
    return "C"


def unused_helper(x):
    return x * 2
'''

HEAD_MODULE = '''\
"""Grades, changed on the branch."""


def grade(score):
    if score < 0:
        raise ValueError(score)
    if score >= 90:
        return "A"
    if score >= 80:
        return "B"
    if score >= 70:
        return "C"
    # a comment between two new statements
    label = "D"
    return label


def unused_helper(x):
    y = x * 2
    z = y + 1

    return z


def new_unused(a, b):
    if a > b:
        return a
    return b
'''

NEW_FILE = '''\
def ping():
    return "pong"


def never():
    x = 1
    y = 2
    return x + y
'''

DRIVER = '''\
from app.grades import grade
from app.net import ping

assert grade(95) == "A"
assert grade(85) == "B"
assert grade(10) == "D"
assert ping() == "pong"
'''


def make_python_repo(path):
    """main: a module; feature: changes to it, a new module, a deleted file, a renamed file."""
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    (path / ".gitignore").write_text("coverage.xml\ncoverage.lcov\n.coverage\n*.json\n__pycache__/\n")
    (path / "app").mkdir()
    (path / "app" / "__init__.py").write_text("")
    (path / "app" / "grades.py").write_text(BASE_MODULE)
    (path / "app" / "old.py").write_text("X = 1\n")
    (path / "app" / "legacy_name.py").write_text("def f():\n    return 1\n")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "base")
    git(path, "checkout", "-q", "-b", "feature")
    (path / "app" / "grades.py").write_text(HEAD_MODULE)
    (path / "app" / "net.py").write_text(NEW_FILE)
    (path / "app" / "old.py").unlink()
    git(path, "mv", "app/legacy_name.py", "app/renamed.py")
    (path / "app" / "renamed.py").write_text("def f():\n    return 2\n\n\ndef g():\n    return 3\n")
    (path / "run.py").write_text(DRIVER)
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "feature")
    # The main branch moves on after the branch point: BASE...HEAD must ignore this commit.
    git(path, "checkout", "-q", "main")
    (path / "app" / "grades.py").write_text(BASE_MODULE + "\n\ndef on_main():\n    return 0\n")
    git(path, "commit", "-q", "-am", "main moves on")
    git(path, "checkout", "-q", "feature")


def coverage_py(repo, *args):
    subprocess.run(["python3-coverage", *args], cwd=repo, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def diff_cover(repo, report, compare="main"):
    out = repo / "diff-cover.json"
    subprocess.run(["diff-cover", report, f"--compare-branch={compare}", "--json-report", str(out)], cwd=repo,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return json.loads(out.read_text())


def assert_same_patch(result, reference):
    patch = result["patch"]
    assert patch["lines"] == reference["total_num_lines"]
    assert patch["lines"] - patch["lines_covered"] == reference["total_num_violations"]
    ours = {f["path"]: f["uncovered_lines"] for f in patch["files"]}
    theirs = {path: stats["violation_lines"] for path, stats in reference["src_stats"].items()}
    assert ours == theirs


@pytest.fixture
def python_repo(tmp_path):
    if shutil.which("diff-cover") is None or shutil.which("python3-coverage") is None:
        pytest.skip("diff-cover or python3-coverage is not installed (scripts/setup --test installs them)")
    repo = tmp_path / "repo"
    make_python_repo(repo)
    coverage_py(repo, "run", "--branch", "--source=app", "run.py")
    coverage_py(repo, "xml", "-o", "coverage.xml")
    coverage_py(repo, "lcov", "-o", "coverage.lcov")
    return repo


@pytest.mark.parametrize("report", ["coverage.xml", "coverage.lcov"])
def test_patch_equals_diff_cover_on_coverage_py_reports(python_repo, report):
    reference = diff_cover(python_repo, report)
    assert reference["total_num_lines"] > 10 and reference["total_num_violations"] > 3, reference
    _, result = tollgate_json(["--report", report, "--base", "main"], python_repo)
    assert_same_patch(result, reference)
    assert result["patch"]["changed_lines"] == reference["num_changed_lines"]


def synthetic_repo(root, rng, n_files=12, lines=300):
    """A repository with many files and a branch that touches lines all over them, and a Cobertura
    report with random hits on random executable lines of the head versions."""
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / ".gitignore").write_text("*.xml\n*.json\n")
    files = {}
    for i in range(n_files):
        text = [f"line {j} of file {i}" for j in range(1, lines + 1)]
        files[f"src/pkg{i % 3}/f{i}.py"] = text
        p = root / f"src/pkg{i % 3}/f{i}.py"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("\n".join(text) + "\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    for path, text in files.items():
        for _ in range(rng.randint(1, 12)):
            at = rng.randint(0, len(text))
            if rng.random() < 0.3 and at < len(text):
                del text[at:at + rng.randint(1, 3)]
            else:
                text[at:at] = [f"added {rng.random()}" for _ in range(rng.randint(1, 8))]
        (root / path).write_text("\n".join(text) + "\n")
    git(root, "commit", "-q", "-am", "change")
    classes = []
    for path, text in files.items():
        executable = sorted(rng.sample(range(1, len(text) + 1), len(text) // 2))
        rows = "".join(f'<line number="{n}" hits="{rng.choice([0, 0, 1, 3])}"/>' for n in executable)
        classes.append(f'<class name="{path}" filename="{path}"><lines>{rows}</lines></class>')
    (root / "coverage.xml").write_text(
        f'<?xml version="1.0"?><coverage version="1"><sources><source>{root}</source></sources><packages>'
        f'<package name="p"><classes>{"".join(classes)}</classes></package></packages></coverage>')
    git(root, "checkout", "-q", "-b", "feature")


@pytest.mark.parametrize("seed", range(3))
def test_patch_equals_diff_cover_on_generated_changes(tmp_path, seed):
    if shutil.which("diff-cover") is None:
        pytest.skip("diff-cover is not installed")
    repo = tmp_path / "repo"
    synthetic_repo(repo, random.Random(seed))
    reference = diff_cover(repo, "coverage.xml", compare="HEAD~1")
    _, result = tollgate_json(["--report", "coverage.xml", "--base", "HEAD~1"], repo)
    assert reference["total_num_lines"] > 50
    assert_same_patch(result, reference)


# ---------------------------------------------------------------------------------------------
# (c) through the emulator

def lcov_for(path, hits_by_line):
    rows = "".join(f"DA:{n},{h}\n" for n, h in sorted(hits_by_line.items()))
    return f"TN:\nSF:{path}\n{rows}end_of_record\n"


def make_pr_repo(workspace):
    workspace.write("src/calc.py", "".join(f"v{i} = {i}\n" for i in range(1, 41)))
    workspace.write("README.md", "calc\n")
    base = workspace.commit("base")
    text = [f"v{i} = {i}\n" for i in range(1, 41)]
    text[9:9] = [f"n{i} = {i}\n" for i in range(10, 20)]  # new lines 10..19
    text.append("tail = 1\n")                            # new line 51
    workspace.write("src/calc.py", "".join(text))
    workspace.write("README.md", "calc\nmore\n")
    head = workspace.commit("change")
    # 10, 11 covered; 12..14 uncovered; 15 not executable; 16 uncovered; 17..19 covered; 51 uncovered.
    hits = {i: 1 for i in range(1, 52)}
    hits.update({12: 0, 13: 0, 14: 0, 16: 0, 51: 0})
    del hits[15]
    workspace.write("coverage/lcov.info", lcov_for(str(workspace.path / "src/calc.py"), hits))
    workspace.write("coverage/lcov-other-leg.info", lcov_for("/usr/lib/python3/dist-packages/six.py", {1: 1}))
    event = {"number": 7, "pull_request": {"number": 7, "head": {"sha": head, "repo": {"full_name": "octo/app"}},
                                           "base": {"sha": base, "ref": "main", "repo": {"full_name": "octo/app"}}}}
    return base, head, event


def test_annotations_cover_the_uncovered_ranges_and_the_check_shows_the_gates(emulator, workspace):
    base, head, event = make_pr_repo(workspace)
    proc = run_tollgate(["coverage", "--commit-status", "always", "--report", "coverage/*.info", "--min-patch", "80", "--min-line", "50",
                         "--json", "out.json"], workspace, emulator, event=event, event_name="pull_request")
    assert proc.returncode == 1, proc.stderr  # 5 of 10 changed executable lines: 50% < 80
    state = emulator.state()
    assert len(state["check_runs"]) == 1
    run = state["check_runs"][0]
    assert run["name"] == "Coverage" and run["head_sha"] == head and run["conclusion"] == "failure"
    ranges = [(a["path"], a["start_line"], a["end_line"], a["annotation_level"], a["message"]) for a in run["annotations"]]
    assert ranges == [
        ("src/calc.py", 12, 16, "failure", "Lines 12–16 are not covered by tests"),
        ("src/calc.py", 51, 51, "failure", "Line 51 is not covered by tests"),
    ]
    assert run["output"]["title"] == "Coverage 90.0% · patch 50.0%"
    summary = run["output"]["summary"]
    assert "| patch coverage | 80 | 50 | ❌ failed |" in summary
    assert "| line coverage | 50 | 90 | ✅ passed |" in summary
    # The impacted file, linked to the file at the head commit (issue 15).
    assert f"[<code>src/calc.py</code>](https://github.example/octo/app/blob/{head}/src/calc.py) | 90.0% | 5 / 10 | " \
           "12–16, 51 |" in summary
    assert "/usr/lib/python3/dist-packages/six.py" in summary
    assert [s["context"] for s in state["statuses"]] == ["tollgate/coverage"]
    outputs = workspace.outputs()
    assert outputs["line-coverage"] == "90.00" and outputs["patch-coverage"] == "50.00"
    result = json.loads((workspace.path / "out.json").read_text())
    assert result["totals"]["lines"] == 50 and result["totals"]["lines_covered"] == 45
    assert result["patch"] == {"lines": 10, "lines_covered": 5, "pct": 50.0, "changed_lines": 12,
                               "files": [{"path": "src/calc.py", "lines": 10, "lines_covered": 5,
                                          "uncovered_lines": [12, 13, 14, 16, 51]}]}
    assert result["files"] == [{"path": "src/calc.py", "lines": 50, "lines_covered": 45, "branches": 0,
                                "branches_covered": 0}]
    assert result["outside_repository"] == ["/usr/lib/python3/dist-packages/six.py"]
    assert result["coverage_data"]["files"][0]["lines"][11] == [12, 0]


def test_warnings_when_the_patch_gate_passes_and_quiet_with_annotate_none(emulator, workspace):
    _, _, event = make_pr_repo(workspace)
    run_tollgate(["coverage", "--commit-status", "always", "--report", "coverage/lcov.info", "--min-patch", "40"], workspace, emulator, event=event,
                 event_name="pull_request")
    run = emulator.state()["check_runs"][0]
    assert run["conclusion"] == "success"
    assert {a["annotation_level"] for a in run["annotations"]} == {"warning"}
    emulator.reset()
    proc = run_tollgate(["coverage", "--commit-status", "always", "--report", "coverage/lcov.info", "--annotate", "none", "--matrix",
                         '{"python":"3.12"}'], workspace, emulator, event=event, event_name="pull_request")
    assert proc.returncode == 0, proc.stderr
    state = emulator.state()
    assert state["check_runs"][0]["annotations"] == []
    assert state["check_runs"][0]["name"] == "Coverage (3.12)"
    assert [s["context"] for s in state["statuses"]] == ["tollgate/coverage (3.12)"]


def test_faults_duplicate_nothing(emulator, workspace):
    workspace.write("src/big.py", "".join(f"x{i} = {i}\n" for i in range(1, 2001)))
    base = workspace.commit("base")
    workspace.write("src/big.py", "".join(f"x{i} = {i}\ny{i} = 0\n" for i in range(1, 2001)))
    head = workspace.commit("every other line is new")
    # Every new line (the even ones) is executable; every third of them is covered: many ranges.
    hits = {n: (1 if n % 2 else (1 if n % 6 == 0 else 0)) for n in range(1, 4001)}
    workspace.write("lcov.info", lcov_for("src/big.py", hits))
    event = {"number": 9, "pull_request": {"number": 9, "head": {"sha": head, "repo": {"full_name": "octo/app"}},
                                           "base": {"sha": base, "ref": "main", "repo": {"full_name": "octo/app"}}}}
    emulator.settings(retry_after_s=0)
    emulator.faults(rate=0.3, seed=11, kinds=["500", "502", "503", "applied_502", "secondary_rate_limit",
                                               "rate_limit_429", "reset"])
    proc = run_tollgate(["coverage", "--commit-status", "always", "--report", "lcov.info", "--max-annotations", "5000", "--comment"], workspace,
                        emulator, event=event, event_name="pull_request")
    assert proc.returncode == 0, proc.stderr
    assert len([r for r in emulator.requests() if r.get("fault")]) >= 5
    state = emulator.state()
    assert len(state["check_runs"]) == 1
    keys = [(a["path"], a["start_line"], a["end_line"]) for a in state["check_runs"][0]["annotations"]]
    # The uncovered new lines are 2, 4, 8, 10, 14, 16, …: each is its own range (the covered odd
    # line between two of them splits it), 1334 of them.
    expected = [("src/big.py", n, n) for n in range(2, 4001, 2) if n % 6 != 0]
    assert len(keys) == len(set(keys)) == len(expected)
    assert sorted(keys, key=lambda k: k[1]) == expected
    assert [s["context"] for s in state["statuses"]] == ["tollgate/coverage"]
    assert len(state["comments"]) == 1


def test_local_use_prints_ranges_and_gates(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "m.py").write_text("a = 1\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    (repo / "m.py").write_text("a = 1\nb = 2\nc = 3\nd = 4\n")
    git(repo, "commit", "-q", "-am", "more")
    (repo / "lcov.info").write_text(lcov_for("m.py", {1: 1, 2: 0, 3: 0, 4: 1}))
    proc, result = tollgate_json(["--report", "lcov.info", "--base", "HEAD~1", "--min-patch", "30"], repo)
    assert proc.returncode == 0, proc.stderr
    assert "m.py:2-3: warning: Not covered by tests: Lines 2–3 are not covered by tests" in proc.stdout
    assert "gate patch coverage: passed" in proc.stdout
    assert result["patch"]["pct"] == pytest.approx(100 / 3)


def test_baseline_drop_gate_and_title(tmp_path):
    (tmp_path / "now.info").write_text(lcov_for("a.c", {1: 1, 2: 1, 3: 0, 4: 0}))
    (tmp_path / "before.info").write_text(lcov_for("a.c", {1: 1, 2: 1, 3: 1, 4: 0}))
    _, baseline = tollgate_json(["--report", "before.info"], tmp_path)
    (tmp_path / "baseline.json").write_text(json.dumps(baseline))
    proc, result = tollgate_json(["--report", "now.info", "--baseline", "baseline.json", "--max-drop", "10"], tmp_path)
    assert proc.returncode == 1
    assert result["title"] == "Coverage 50.0% (−25.0)"
    gate = result["gates"][0]
    assert gate["name"] == "coverage drop" and gate["actual"] == 25 and not gate["passed"]
    proc, result = tollgate_json(["--report", "now.info", "--baseline", "missing.json", "--max-drop", "10"], tmp_path)
    assert proc.returncode == 0
    assert "does not exist" in result["gates"][0]["detail"]


def test_config_sets_gates_and_per_path_file_thresholds(tmp_path):
    (tmp_path / "r.info").write_text(lcov_for("src/a.c", {1: 1, 2: 0}) + lcov_for("gen/b.c", {1: 1, 2: 0, 3: 0}))
    (tmp_path / "tollgate.yml").write_text('coverage:\n  min-line: 30\n  min-file:\n    "gen/**": 30\n    "src/**": 40\n')
    proc, result = tollgate_json(["--report", "r.info", "--config", "tollgate.yml"], tmp_path)
    assert proc.returncode == 0, result["gates"]
    assert [g["name"] for g in result["gates"]] == ["line coverage", "file coverage"]
    proc, result = tollgate_json(["--report", "r.info", "--config", "tollgate.yml", "--min-file", "60"], tmp_path)
    assert proc.returncode == 0  # the overrides apply to every file here
    (tmp_path / "tollgate.yml").write_text('coverage:\n  min-file:\n    "gen/**": 50\n')
    proc, result = tollgate_json(["--report", "r.info", "--config", "tollgate.yml"], tmp_path)
    assert proc.returncode == 1
    assert "gen/b.c" in result["gates"][0]["detail"]


def test_bad_reports_exit_2_with_file_and_line(tmp_path):
    (tmp_path / "bad.info").write_text("TN:\nSF:a.c\nDA:1,1\nDA:1099511627776,1\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    proc = subprocess.run([TOLLGATE, "coverage", "--report", "bad.info"], cwd=tmp_path, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 2
    assert "bad.info:4:4: line number out of range" in proc.stderr


# ---------------------------------------------------------------------------------------------
# What a glob reads, what it skips, what is excluded (issue 13, items 7, 8, 11, 14)

JEST = DATA / "jest-sample"


def jest_checkout(tmp_path):
    """A checkout holding Jest's sample and, in coverage/, everything Jest wrote for one run:
    lcov.info, coverage-final.json, clover.xml, cobertura-coverage.xml and the HTML report."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copy(JEST / "cart.js", repo / "cart.js")
    git(repo, "add", "cart.js")
    git(repo, "commit", "-q", "-m", "sample")
    shutil.copytree(JEST / "coverage", repo / "coverage")
    return repo


def run_coverage(args, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run([TOLLGATE, "coverage", *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=120)


def test_jests_reports_of_one_run_count_once_and_its_html_report_is_skipped(tmp_path):
    repo = jest_checkout(tmp_path)
    alone = {}
    for name in ("lcov.info", "coverage-final.json", "clover.xml", "cobertura-coverage.xml"):
        _, result = tollgate_json(["--report", f"coverage/{name}"], repo)
        alone[name] = result["totals"]
    assert all(t == alone["lcov.info"] for t in alone.values()), alone
    assert (alone["lcov.info"]["branches_covered"], alone["lcov.info"]["branches"]) == (7, 8)

    proc, result = tollgate_json(["--report", "coverage/**", "--summary", "summary.md"], repo)
    assert proc.returncode == 0, proc.stderr
    assert result["totals"] == alone["lcov.info"]
    skipped = result["skipped_reports"]
    assert "coverage/lcov-report/base.css" in skipped and "coverage/lcov-report/index.html" in skipped
    assert all(p.startswith("coverage/lcov-report/") for p in skipped)
    assert "<code>coverage/lcov-report/prettify.css</code>" in (repo / "summary.md").read_text()


def test_a_file_named_alone_that_is_no_report_is_an_error_and_a_glob_skips_it(tmp_path):
    repo = jest_checkout(tmp_path)
    (repo / "pom.xml").write_text("<?xml version='1.0'?>\n<project xmlns='http://maven.apache.org/POM/4.0.0'>"
                                  "<modelVersion>4.0.0</modelVersion></project>\n")
    # SonarQube's generic coverage format (docs.sonarsource.com, "Generic test data").
    (repo / "sonar.xml").write_text("<coverage version=\"1\">\n  <file path=\"cart.js\">\n"
                                    "    <lineToCover lineNumber=\"4\" covered=\"true\"/>\n  </file>\n</coverage>\n")
    for name in ("pom.xml", "sonar.xml", "coverage/lcov-report/base.css"):
        proc = run_coverage(["--report", name], repo)
        assert proc.returncode == 2, proc.stdout
        assert f"{name}:" in proc.stderr and "not a coverage report" in proc.stderr
    assert "SonarQube" in run_coverage(["--report", "sonar.xml"], repo).stderr

    proc, result = tollgate_json(["--report", "*.xml", "--report", "coverage/*.xml"], repo)
    assert proc.returncode == 0, proc.stderr
    assert result["skipped_reports"] == ["pom.xml", "sonar.xml"]
    assert "tollgate: pom.xml:2:1: not a coverage report: <project> is not the root" in proc.stderr
    assert "sonar.xml" in proc.stderr and proc.stderr.count(", skipped") == 2
    assert result["totals"]["lines"] == 10

    # A glob that matches nothing but such files measured nothing: an error, not a zero.
    proc = run_coverage(["--report", "*.xml"], repo)
    assert proc.returncode == 2 and "none of the 2 file(s)" in proc.stderr


def test_a_broken_report_matched_by_a_glob_still_stops_the_run(tmp_path):
    repo = jest_checkout(tmp_path)
    text = (repo / "coverage" / "cobertura-coverage.xml").read_text()
    (repo / "coverage" / "cobertura-coverage.xml").write_text(text[: len(text) // 2])
    proc = run_coverage(["--report", "coverage/*.xml"], repo)
    assert proc.returncode == 2
    assert "coverage/cobertura-coverage.xml:" in proc.stderr


def test_exclude_globs_from_the_command_line_and_the_config(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for path in ("src/app.c", "src/generated/parser.c", "src/generated/deep/lexer.c", "vendor/zlib.c"):
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text("int x;\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "code")
    (repo / "r.info").write_text(lcov_for("src/app.c", {1: 1, 2: 1}) + lcov_for("src/generated/parser.c", {1: 0, 2: 0})
                                 + lcov_for("src/generated/deep/lexer.c", {1: 0}) + lcov_for("vendor/zlib.c", {1: 0}))
    _, everything = tollgate_json(["--report", "r.info"], repo)
    assert everything["totals"]["lines"] == 6

    proc, result = tollgate_json(["--report", "r.info", "--exclude", "src/generated/**", "--exclude", "vendor/*.c",
                                  "--min-line", "100", "--summary", "summary.md"], repo)
    assert proc.returncode == 0, result["gates"]
    assert result["totals"]["lines"] == 2 and result["totals"]["lines_covered"] == 2
    assert [f["path"] for f in result["files"]] == ["src/app.c"]
    assert result["excluded_files"] == ["src/generated/deep/lexer.c", "src/generated/parser.c", "vendor/zlib.c"]
    assert "3 file(s) excluded" in (repo / "summary.md").read_text()

    (repo / ".github").mkdir()
    (repo / ".github" / "tollgate.yml").write_text('coverage:\n  exclude:\n    - "src/generated/**"\n    - "vendor/**"\n')
    _, result = tollgate_json(["--report", "r.info"], repo)
    assert result["totals"]["lines"] == 2
    (repo / ".github" / "tollgate.yml").write_text('coverage:\n  exclude: "vendor/**"\n')
    _, result = tollgate_json(["--report", "r.info"], repo)
    assert result["totals"]["lines"] == 5 and result["excluded_files"] == ["vendor/zlib.c"]
    (repo / ".github" / "tollgate.yml").write_text('coverage:\n  exclude: {a: 1}\n')
    proc = run_coverage(["--report", "r.info"], repo)
    assert proc.returncode == 2 and "coverage.exclude" in proc.stderr


def test_patch_coverage_leaves_excluded_files_out(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "a.c").write_text("a\n")
    (repo / "gen.c").write_text("g\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    (repo / "a.c").write_text("a\nb\n")
    (repo / "gen.c").write_text("g\nh\ni\n")
    git(repo, "commit", "-q", "-am", "change")
    (repo / "r.info").write_text(lcov_for("a.c", {1: 1, 2: 1}) + lcov_for("gen.c", {1: 0, 2: 0, 3: 0}))
    _, result = tollgate_json(["--report", "r.info", "--base", "HEAD~1"], repo)
    assert result["patch"]["lines"] == 3
    _, result = tollgate_json(["--report", "r.info", "--base", "HEAD~1", "--exclude", "gen.c"], repo)
    assert (result["patch"]["lines"], result["patch"]["lines_covered"]) == (1, 1)


def test_an_empty_brda_taken_as_istanbul_writes_a_null_counter_is_read_as_lcov_reads_it(tmp_path):
    # istanbul-reports' lcovonly joins [line, id, index, null] as "BRDA:6,0,0,".
    (tmp_path / "n.info").write_text("TN:\nSF:a.js\nDA:6,1\nBRDA:6,0,0,\nBRDA:6,0,1,1\nBRDA:6,0,2,0\nend_of_record\n")
    expected = lcov_summary(tmp_path / "n.info")
    proc, result = tollgate_json(["--report", "n.info"], tmp_path)
    t = result["totals"]
    assert (t["branches_covered"], t["branches"]) == expected["branches"] == (1, 2)


def test_gates_that_measured_nothing_say_not_measured_and_make_up_no_number(emulator, workspace):
    # coverage.py without --branch writes no branch data: --min-branch measured nothing, and
    # --max-drop without --baseline has nothing to compare with (docs/counting.md).
    if shutil.which("python3-coverage") is None:
        pytest.skip("python3-coverage is not installed (scripts/setup --test installs them)")
    repo = workspace.path
    workspace.write("m.py", "def f(x):\n    if x:\n        return 1\n    return 2\n\n\nf(1)\n")
    workspace.commit()
    coverage_py(repo, "run", "m.py")
    coverage_py(repo, "xml", "-o", "coverage.xml")
    proc = run_tollgate(["coverage", "--report", "coverage.xml", "--min-branch", "80", "--max-drop", "1",
                         "--json", "out.json"], workspace, emulator)
    assert proc.returncode == 0, proc.stderr
    run = emulator.state()["check_runs"][0]
    assert run["output"]["title"] == "Coverage 80.0% · branches not measured · coverage drop not measured"
    summary = run["output"]["summary"]
    # After the commit and run line (issue 15), before any number.
    assert summary.split("\n\n", 1)[0].startswith("Commit [`"), summary[:300]
    assert summary.split("\n\n", 1)[1].startswith("> **Branch coverage: not measured**"), summary[:300]
    assert "| branch coverage | 80 | — | ⚪ not measured (skipped) |" in summary
    assert "| coverage drop | 1 | — | ⚪ not measured (skipped) |" in summary
    outputs = workspace.outputs()
    assert outputs["branch-coverage"] == "" and outputs["line-coverage"] == "80.00"
    result = json.loads((repo / "out.json").read_text())
    assert result["totals"]["branches"] == 0 and result["totals"]["branch_pct"] is None
    assert [(g["name"], g["actual"], g.get("measured"), g["passed"]) for g in result["gates"]] == [
        ("branch coverage", None, False, True), ("coverage drop", None, False, True)]
    # A baseline that measured no lines (line_pct null) leaves the drop gate not measured too.
    baseline = dict(result, totals={**result["totals"], "lines": 0, "lines_covered": 0, "line_pct": None})
    (repo / "baseline.json").write_text(json.dumps(baseline))
    proc = run_tollgate(["coverage", "--report", "coverage.xml", "--max-drop", "1", "--baseline", "baseline.json",
                         "--json", "out.json"], workspace, emulator)
    assert proc.returncode == 0, proc.stderr
    gate = json.loads((repo / "out.json").read_text())["gates"][0]
    assert gate["actual"] is None and "measured no executable lines" in gate["detail"], gate


@pytest.mark.parametrize("option", ["--min-line", "--min-branch", "--min-file", "--min-patch", "--max-drop"])
@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e400"])
def test_a_threshold_that_is_no_finite_number_stops_the_run_naming_the_option(tmp_path, option, value):
    # NaN compares false with every bound, so a range check alone lets it through and
    # `--min-file nan` passed every file.
    (tmp_path / "lcov.info").write_text(lcov_for("a.c", {1: 0, 2: 0}))
    for command in ("coverage", "merge"):
        proc = subprocess.run([TOLLGATE, command, "--report", "lcov.info" if command == "coverage" else "*.json",
                               f"{option}={value}", "--json", "out.json"], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
        assert proc.returncode == 2, (command, proc.stderr)
        assert option in proc.stderr and "number from 0 to 100" in proc.stderr, proc.stderr
        assert not (tmp_path / "out.json").exists()
