"""`tollgate tests` end to end on reports made by the real tools (tests/data/tests/make.sh)."""
import json
import shutil
from pathlib import Path

from conftest import ROOT, run_tollgate

DATA = ROOT / "tests" / "data" / "tests"


def checkout_with(workspace, *rel_dirs):
    """A workspace holding the sample sources at the paths the reports name."""
    for rel in rel_dirs:
        shutil.copytree(DATA / rel, workspace.path / "tests/data/tests" / rel)
    workspace.write("README.md", "sample\n")
    return workspace.commit("samples")


def annotations(emulator):
    runs = emulator.state()["check_runs"]
    assert len(runs) == 1
    return runs[0], [(a["path"], a["start_line"], a["title"]) for a in runs[0]["annotations"]]


def test_pytest_failures_land_on_the_traceback_line_not_the_attribute(emulator, workspace):
    checkout_with(workspace, "pytest-sample")
    for family in ("xunit1", "xunit2"):
        emulator.reset()
        shutil.copy(DATA / f"pytest-{family}.xml", workspace.path / "junit.xml")
        proc = run_tollgate(["tests", "--report", "junit.xml", "--json", "out.json"], workspace, emulator)
        assert proc.returncode == 1, proc.stderr
        run, anns = annotations(emulator)
        path = "tests/data/tests/pytest-sample/test_sample.py"
        classname = "tests.data.tests.pytest-sample.test_sample"
        # test_fails: the assert on line 14 (the 0-based attribute says 12, its def is on 13).
        assert (path, 14, f"{classname} › test_fails") in anns
        # The fixture error points into the fixture, in the test's own file.
        assert (path, 19, f"{classname} › test_errors_in_fixture") in anns
        result = json.loads((workspace.path / "out.json").read_text())
        assert result["totals"]["tests"] == 6
        assert result["totals"]["failed"] + result["totals"]["errors"] == 3
        assert run["output"]["title"].startswith("6 tests")


def test_node_test_runner_failures_are_annotated(emulator, workspace):
    checkout_with(workspace, "node-sample")
    shutil.copy(DATA / "node-junit.xml", workspace.path / "junit.xml")
    proc = run_tollgate(["tests", "--report", "junit.xml"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    _, anns = annotations(emulator)
    assert anns, "no annotation"
    assert all(a[0] == "tests/data/tests/node-sample/sample.test.mjs" for a in anns)


def test_ctest_failure_text_from_system_out_gives_the_check_line(emulator, workspace):
    checkout_with(workspace, "ctest-sample")
    shutil.copy(DATA / "ctest-junit.xml", workspace.path / "junit.xml")
    proc = run_tollgate(["tests", "--report", "junit.xml"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    _, anns = annotations(emulator)
    assert ("tests/data/tests/ctest-sample/sample_test.cpp", 13) in [(p, l) for p, l, _ in anns]


def test_annotate_changed_keeps_other_failures_in_the_summary_only(emulator, workspace):
    base = checkout_with(workspace, "pytest-sample")
    src = workspace.path / "tests/data/tests/pytest-sample/test_sample.py"
    lines = src.read_text().splitlines(keepends=True)
    lines[13] = lines[13].rstrip("\n") + "  # changed\n"  # line 14: the failing assert
    src.write_text("".join(lines))
    workspace.commit("change line 14")
    shutil.copy(DATA / "pytest-xunit1.xml", workspace.path / "junit.xml")
    proc = run_tollgate(["tests", "--report", "junit.xml", "--annotate", "changed", "--base", base], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    run, anns = annotations(emulator)
    assert [(p, l) for p, l, _ in anns] == [("tests/data/tests/pytest-sample/test_sample.py", 14)]
    assert "test_errors_in_fixture" in run["output"]["summary"]


def test_check_run_job_writes_onto_the_jobs_own_check_run(emulator, workspace):
    checkout_with(workspace, "pytest-sample")
    shutil.copy(DATA / "pytest-xunit1.xml", workspace.path / "junit.xml")
    jobs = emulator.call("POST", "/_emulator/jobs", {"repo": "octo/app", "run_id": 1001, "run_attempt": 1,
                                                     "jobs": [{"name": "other", "runner_name": "runner-9"},
                                                              {"name": "test", "runner_name": "runner-1"}]})
    proc = run_tollgate(["tests", "--report", "junit.xml", "--check-run", "job"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    runs = emulator.state()["check_runs"]
    assert len(runs) == 2  # the two jobs' own check runs; none created
    mine = [r for r in runs if r["annotations"]]
    assert len(mine) == 1 and mine[0]["name"] == "test"
    assert mine[0]["status"] == "in_progress"  # the runner completes it, not us
    assert "6 tests" in mine[0]["output"]["title"]
    assert jobs is not None


def test_min_tests_fails_a_suite_that_ran_nothing(emulator, workspace):
    checkout_with(workspace, "pytest-sample")
    workspace.write("empty.xml", '<testsuite name="pytest" tests="0"></testsuite>')
    proc = run_tollgate(["tests", "--report", "empty.xml", "--min-tests", "1"], workspace, emulator)
    assert proc.returncode == 1
    assert emulator.state()["check_runs"][0]["conclusion"] == "failure"
    # Without --min-tests a report without any test still fails, and says why in its title.
    emulator.reset()
    proc = run_tollgate(["tests", "--report", "empty.xml"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    run = emulator.state()["check_runs"][0]
    assert run["conclusion"] == "failure"
    assert run["output"]["title"] == "no tests found — 0 tests"
    assert "tests found" in run["output"]["summary"]
    proc = run_tollgate(["tests", "--report", "empty.xml", "--allow-empty"], workspace, emulator)
    assert proc.returncode == 0, proc.stderr
    # Beside a report with tests, the empty one does not fail the totals but is named.
    emulator.reset()
    shutil.copy(DATA / "pytest-xunit1.xml", workspace.path / "junit.xml")
    proc = run_tollgate(["tests", "--report", "empty.xml", "--report", "junit.xml"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr  # the pytest failures
    summary = emulator.state()["check_runs"][0]["output"]["summary"]
    assert "No test case in 1 report\n\n- empty.xml\n" in summary


def test_globs_merge_every_report(emulator, workspace):
    checkout_with(workspace, "pytest-sample")
    (workspace.path / "results/a").mkdir(parents=True)
    (workspace.path / "results/b").mkdir(parents=True)
    shutil.copy(DATA / "pytest-xunit1.xml", workspace.path / "results/a/junit.xml")
    shutil.copy(DATA / "surefire-flaky.xml", workspace.path / "results/b/TEST-x.xml")
    proc = run_tollgate(["tests", "--report", "results/**/*.xml", "--json", "out.json", "--dry-run"], workspace)
    result = json.loads((workspace.path / "out.json").read_text())
    assert result["totals"]["tests"] > 6
    assert result["totals"]["flaky"] >= 1
    assert "dry run" in proc.stdout


def test_a_failure_among_same_named_tests_is_a_failure_not_flaky(emulator, workspace):
    # Real mocha-junit-reporter output: four distinct tests share a title, one fails.
    checkout_with(workspace, "mocha-repeated")
    shutil.copy(DATA / "mocha-repeated.xml", workspace.path / "junit.xml")
    proc = run_tollgate(["tests", "--report", "junit.xml", "--json", "out.json"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    totals = json.loads((workspace.path / "out.json").read_text())["totals"]
    assert (totals["tests"], totals["failed"], totals["flaky"]) == (6, 1, 0)
    run, anns = annotations(emulator)
    assert run["conclusion"] == "failure"
    assert run["output"]["title"] == "6 tests, 1 failed"
    assert ("tests/data/tests/mocha-repeated/test/orders.spec.js", 14) in [(p, l) for p, l, _ in anns]
    # Asked for, same-named cases are retries: failed, then passed is flaky.
    emulator.reset()
    proc = run_tollgate(["tests", "--report", "junit.xml", "--json", "out.json", "--retries-as-flaky"],
                        workspace, emulator)
    assert proc.returncode == 0, proc.stderr
    totals = json.loads((workspace.path / "out.json").read_text())["totals"]
    assert (totals["tests"], totals["failed"], totals["flaky"]) == (3, 0, 1)


def test_failures_only_the_suite_header_counts_fail_the_gate_and_are_named(emulator, workspace):
    workspace.write("README.md", "x\n")
    workspace.commit("init")
    # A Surefire report from a fork that crashed after its first test: the header counts the
    # errors, no test case carries them.
    workspace.write("TEST-com.acme.DbTest.xml", """<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.acme.DbTest" tests="3" failures="0" errors="2" skipped="0" time="1.5">
  <testcase name="connects" classname="com.acme.DbTest" time="0.2"/>
  <system-err>The forked VM terminated without properly saying goodbye</system-err>
</testsuite>""")
    proc = run_tollgate(["tests", "--report", "TEST-com.acme.DbTest.xml", "--json", "out.json"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    result = json.loads((workspace.path / "out.json").read_text())
    assert result["totals"]["errors"] == 2
    assert result["totals"]["passed"] == 1
    run = emulator.state()["check_runs"][0]
    assert run["conclusion"] == "failure"
    assert "2 errors" in run["output"]["title"]
    assert "com.acme.DbTest › 2 failures or errors outside any test case" in run["output"]["summary"]


def test_the_title_names_the_minimum_tests_gate_that_failed(emulator, workspace):
    checkout_with(workspace, "mocha-repeated")
    workspace.write("junit.xml", '<testsuite name="s" tests="3"><testcase name="a"/><testcase name="b"/>'
                                 '<testcase name="c"/></testsuite>')
    proc = run_tollgate(["tests", "--report", "junit.xml", "--min-tests", "5"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    run = emulator.state()["check_runs"][0]
    assert run["output"]["title"] == "minimum tests not met: 3 ran, 5 required — 3 tests, 3 passed"
    assert "all passed" not in run["output"]["title"]


def test_a_glob_skips_files_that_are_not_test_reports_and_names_them(emulator, workspace):
    checkout_with(workspace, "pytest-sample")
    workspace.write("pom.xml", '<?xml version="1.0"?>\n<project><modelVersion>4.0.0</modelVersion></project>\n')
    workspace.write("target/site/style.xsl", '<xsl:stylesheet version="1.0" '
                                            'xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>\n')
    workspace.write("target/results.xml.json", "{}")
    shutil.copy(DATA / "pytest-xunit1.xml", workspace.path / "target/junit.xml")
    shutil.copy(DATA / "pytest-xunit1.xml", workspace.path / "target/results.xml")
    proc = run_tollgate(["tests", "--report", "**/*.xml", "--report", "target/*.xml*", "--json", "out.json"],
                        workspace, emulator)
    assert proc.returncode == 1, proc.stderr  # the pytest report's failures, not exit 2
    assert "pom.xml: not a test report (root element <project>), skipped" in proc.stderr
    assert "target/site/style.xsl" not in proc.stderr  # not matched: *.xml only
    assert "target/results.xml.json: not a test report (JSON), skipped" in proc.stderr
    result = json.loads((workspace.path / "out.json").read_text())
    assert result["totals"]["tests"] == 12
    assert result["skipped_reports"] == ["pom.xml", "target/results.xml.json"]
    summary = emulator.state()["check_runs"][0]["output"]["summary"]
    assert "Skipped: 2 files matched by a glob, not test reports" in summary
    assert "- pom.xml (root element &lt;project&gt;)" in summary
    # A broken report matched by a glob is still an error: it may be a truncated report.
    workspace.write("target/broken.xml", '<testsuite name="x"><testcase name="a">')
    proc = run_tollgate(["tests", "--report", "**/*.xml"], workspace, emulator)
    assert proc.returncode == 2
    assert "target/broken.xml:" in proc.stderr


def test_a_file_named_explicitly_must_be_a_test_report(emulator, workspace):
    workspace.write("pom.xml", '<?xml version="1.0"?>\n<project><modelVersion>4.0.0</modelVersion></project>\n')
    workspace.write("results.json", '\n  {"numFailedTests": 1}\n')
    workspace.commit("init")
    proc = run_tollgate(["tests", "--report", "pom.xml"], workspace, emulator)
    assert proc.returncode == 2
    assert "pom.xml:2:1: not a test report: the root element is <project>" in proc.stderr
    proc = run_tollgate(["tests", "--report", "results.json"], workspace, emulator)
    assert proc.returncode == 2
    assert "results.json:2:3: not a test report (JSON)" in proc.stderr
    assert "malformed" not in proc.stderr.lower()
    assert emulator.state().get("check_runs", []) == []


def test_outside_a_checkout_only_files_that_exist_are_locations(emulator, workspace):
    # No git checkout: nothing to match paths against but the workspace's own files.
    shutil.rmtree(workspace.path / ".git")
    workspace.write("test/app.spec.js", "\n" * 6 + "    expect(total).toBe(3);\n")
    workspace.write("junit.xml", """<testsuite name="app" tests="2" failures="2">
  <testcase classname="app" name="adds">
    <failure message="expected 3">Error: expected 3
    at add (src/vendor/lib.js:3:1)
    at Context.&lt;anonymous&gt; (test/app.spec.js:7:5)</failure>
  </testcase>
  <testcase classname="com.acme.Totals" name="sums">
    <failure message="boom">java.lang.AssertionError: boom
	at org.junit.Assert.fail(Assert.java:89)
	at android.os.Looper.loop(Looper.java:223)</failure>
  </testcase>
</testsuite>""")
    proc = run_tollgate(["tests", "--report", "junit.xml"], workspace, emulator, sha="a" * 40)
    assert proc.returncode == 1, proc.stderr
    run, anns = annotations(emulator)
    # The frame in a file that is not there (src/vendor/lib.js) is passed over; the library
    # frames of the second failure prove nothing, so it is in the summary only.
    assert [(p, l) for p, l, _ in anns] == [("test/app.spec.js", 7)]
    assert "com.acme.Totals › sums" in run["output"]["summary"]



def test_a_header_counting_reruns_adds_no_error_and_a_crashed_fork_does(emulator, workspace):
    # Real Maven Surefire 2.22.3 with rerunFailingTestsCount=2 (tests/data/tests/surefire-rerun):
    # its header counts every run (tests=6 failures=4) for one flaky and one failing test.
    checkout_with(workspace, "surefire-rerun")
    shutil.copy(DATA / "surefire-rerun.xml", workspace.path / "TEST-com.acme.CartTest.xml")
    proc = run_tollgate(["tests", "--report", "TEST-*.xml", "--json", "out.json"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    totals = json.loads((workspace.path / "out.json").read_text())["totals"]
    assert (totals["tests"], totals["passed"], totals["failed"], totals["errors"], totals["flaky"]) == (3, 1, 1, 0, 1)
    run, anns = annotations(emulator)
    assert run["output"]["title"] == "3 tests, 1 failed, 1 flaky"
    assert [(p, l) for p, l, _ in anns] == [("tests/data/tests/surefire-rerun/src/test/java/com/acme/CartTest.java", 25)]
    # The same report from a fork that crashed before its last class finished: one more error.
    emulator.reset()
    report = (DATA / "surefire-rerun.xml").read_text().replace('errors="0"', 'errors="1"')
    workspace.write("TEST-com.acme.CartTest.xml", report)
    proc = run_tollgate(["tests", "--report", "TEST-*.xml", "--json", "out.json"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    totals = json.loads((workspace.path / "out.json").read_text())["totals"]
    assert (totals["tests"], totals["failed"], totals["errors"], totals["flaky"]) == (4, 1, 1, 1)
    assert "com.acme.CartTest › 1 failure or error outside any test case" in \
        emulator.state()["check_runs"][0]["output"]["summary"]
