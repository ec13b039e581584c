"""`tollgate merge` against the emulator: the legs' --json results (written by the real commands)
become one check run with the legs, the shared failures once, the summed counts, the coverage
merged per line with the gates applied to the merged numbers, and one verdict."""
import json
import re
import subprocess

import pytest

from conftest import TOLLGATE, run_tollgate


def has(command):
    out = subprocess.run([TOLLGATE, "--help"], stdout=subprocess.PIPE, text=True).stdout
    return re.search(rf"^  {command} ", out, re.M) is not None


pytestmark = pytest.mark.skipif(not has("merge"), reason="tollgate has no merge command yet")


def junit(failing):
    cases = "".join(
        f'<testcase classname="tests.cart" name="test_{n}" file="src/cart.py" line="{line}">'
        + (f'<failure message="assert {n}">trace</failure>' if n in failing else "") + "</testcase>"
        for n, line in (("total", 3), ("discount", 7), ("shipping", 11)))
    return f'<testsuite name="s" tests="3" failures="{len(failing)}">{cases}</testsuite>'


def lcov(covered):
    lines = "".join(f"DA:{l},{1 if l in covered else 0}\n" for l in range(1, 13))
    return f"SF:src/cart.py\n{lines}end_of_record\n"


@pytest.fixture
def legs(workspace):
    workspace.write("src/cart.py", "".join(f"line_{i} = {i}\n" for i in range(1, 13)))
    workspace.commit("base")
    legs = {"3.10": ({"discount"}, range(1, 7)), "3.11": ({"discount", "shipping"}, range(5, 11)),
            "3.12": (set(), range(1, 4))}
    for python, (failing, covered) in legs.items():
        workspace.write(f"in/{python}/junit.xml", junit(failing))
        workspace.write(f"in/{python}/lcov.info", lcov(set(covered)))
    sha = workspace.commit("reports")
    for python, (failing, _) in legs.items():
        matrix = json.dumps({"python": python})
        (workspace.path / "results" / python).mkdir(parents=True)
        proc = run_tollgate(["tests", "--report", f"in/{python}/junit.xml", "--matrix", matrix, "--check-run", "none",
                             "--no-status", "--json", f"results/{python}/tests.json"], workspace)
        assert proc.returncode == (1 if failing else 0), proc.stderr
        proc = run_tollgate(["coverage", "--report", f"in/{python}/lcov.info", "--matrix", matrix, "--min-line", "75",
                             "--check-run", "none", "--no-status", "--json", f"results/{python}/coverage.json"],
                            workspace)
        assert proc.returncode == 1, proc.stderr  # no leg alone reaches 75%
    return sha


def test_one_check_for_the_matrix_with_shared_failures_once_and_coverage_merged(emulator, workspace, legs):
    proc = run_tollgate(["merge", "--report", "results/**/*.json", "--json", "merged.json"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    [run] = emulator.state()["check_runs"]
    assert run["name"] == "Tests + Coverage (all legs)"
    assert run["conclusion"] == "failure"
    assert run["output"]["title"] == "3 legs, 2 failed · 9 tests, 3 failed · Coverage 83.3%"
    summary = run["output"]["summary"]
    for leg, conclusion in (("3.10", "failure"), ("3.11", "failure"), ("3.12", "success")):
        assert f"| Tests \\({leg}\\) | {'❌' if conclusion == 'failure' else '✅'} {conclusion} |" in summary
    assert "| failed legs | 0 | 2 | ❌ failed |" in summary
    # Each leg alone is below 75%; merged, 10 of 12 lines ran.
    assert "| line coverage | 75 | 83.33 | ✅ passed |" in summary
    annotations = sorted((a["start_line"], a["message"].split("\n")[0]) for a in run["annotations"])
    assert annotations == [(7, "In 2 of 3 legs: Tests (3.10), Tests (3.11)"), (11, "In 1 of 3 legs: Tests (3.11)")]
    assert [s["context"] for s in emulator.state()["statuses"]] == ["tollgate/merge"]

    merged = json.loads((workspace.path / "merged.json").read_text())
    assert merged["command"] == "merge" and merged["passed"] is False
    assert merged["totals"]["tests"] == 9 and merged["totals"]["failed"] == 3
    assert merged["totals"]["lines"] == 12 and merged["totals"]["lines_covered"] == 10
    assert merged["finding_legs"][0] == ["Tests (3.10)", "Tests (3.11)"]
    outputs = workspace.outputs()
    assert (outputs["legs"], outputs["failed-legs"], outputs["line-coverage"]) == ("3", "2", "83.33")


def test_the_merged_result_serves_as_a_coverage_baseline_and_can_be_merged_again(emulator, workspace, legs):
    run_tollgate(["merge", "--report", "results/**/*.json", "--json", "merged.json", "--check-run", "none",
                  "--no-status"], workspace)
    proc = run_tollgate(["merge", "--report", "merged.json", "--max-drop", "1", "--baseline", "merged.json",
                         "--check-run", "none", "--no-status", "--json", "again.json"], workspace)
    again = json.loads((workspace.path / "again.json").read_text())
    assert again["totals"]["lines_covered"] == 10 and again["totals"]["tests"] == 9
    drop = [g for g in again["gates"] if g["name"] == "coverage drop"][0]
    assert drop["passed"] and drop["actual"] == 0
    assert proc.returncode == 1  # the merged result itself failed: its verdict carries over


def test_a_file_that_is_not_a_result_is_named_with_exit_status_2(workspace):
    workspace.write("results/a.json", '{"tool": "other"}')
    workspace.commit("x")
    proc = run_tollgate(["merge", "--report", "results/*.json"], workspace)
    assert proc.returncode == 2
    assert "results/a.json" in proc.stderr and "not a tollgate --json result" in proc.stderr
    proc = run_tollgate(["merge", "--report", "nothing/*.json"], workspace)
    assert proc.returncode == 2
