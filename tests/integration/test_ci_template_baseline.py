"""The CI template keeps the base branch's result and a pull request is compared with it (issue 15.2),
end to end: the actions harness runs workflows-templates/ci.yml on a push to main (the merge job
saves its --json result with actions/cache/save), then on a three-leg pull request (the merge job
restores it with actions/cache/restore and passes it to `merge --baseline`). The harness's cache
is GitHub's (tests/harness/cache.py: scopes, versions, immutable keys, restore-keys newest first):
the tests of that model come first, then the scenarios.

- a pull request that breaks one test and lowers one file's coverage: the sticky comment's first
  screen says "1 newly failing" and shows that file's Δ;
- the first pull request (nothing kept yet) says there is no baseline, and passes;
- a pull request cannot restore what another pull request's run cached, even under the exact key.
"""
import re
import shutil

import pytest

from conftest import ROOT, git
from test_actions_harness import DATA, bin_dir, make_harness, needs_commands  # noqa: F401
from test_less_noise import ci_overrides
from test_review_output import FIRST_SCREEN_LINES

from harness import ActionsCache, Harness, default_stubs  # noqa: E402  (test_actions_harness put tests/ on the path)
from harness import repo as repo_events  # noqa: E402

TEMPLATES = [ROOT / "workflows-templates/ci.yml", ROOT / "workflows-templates/org/ci.yml"]
LEGS = (20, 22, 24)
KEY_PREFIX = "tollgate-baseline-"

# src/format.js, unchanged by the pull request: its coverage is the same on both sides.
FORMAT_JS = "function label(n) {\n  return `#${n}`;\n}\nmodule.exports = { label };\n"
FORMAT_LCOV = "TN:\nSF:/home/runner/work/app/app/src/format.js\nDA:1,1\nDA:2,1\nDA:4,1\nLF:3\nLH:3\nend_of_record\n"
# The base's src/cart.js (cart.js without the pull request's lines 13-15 and 18-24), every
# executable line covered, as Istanbul's LCOV reporter writes it.
BASE_CART_LCOV = ("TN:\nSF:/home/runner/work/app/app/src/cart.js\n" + "".join(
    f"DA:{n},1\n" for n in (1, 2, 3, 4, 6, 9, 10, 11, 13, 16)) + "LF:10\nLH:10\nend_of_record\n")


# ---- the cache model ----------------------------------------------------------------------------

def steps_harness(tmp_path, name, event, cache, origin):
    """A job's steps in a run of `event` (event_name, payload), with the repository's `cache`."""
    work = tmp_path / name
    work.mkdir()
    return Harness(work, github={"repository": "octo/app", "event_name": event[0], "event": event[1]},
                   stubs=default_stubs(), origin=origin, cache=cache)


def save_steps(text, key, path="kept.txt"):
    return [{"run": f"printf '%s' '{text}' > {path}"},
            {"id": "save", "uses": "actions/cache/save@v4", "with": {"path": path, "key": key}}]


def restore_steps(key, restore_keys="", path="kept.txt"):
    with_ = {"path": path, "key": key, **({"restore-keys": restore_keys} if restore_keys else {})}
    return [{"id": "restore", "uses": "actions/cache/restore@v4", "with": with_},
            {"id": "read", "run": f'echo "text=$(cat {path} 2>/dev/null || echo none)" >> "$GITHUB_OUTPUT"'}]


@pytest.fixture
def two_branches(workspace):
    workspace.write("a.txt", "base\n")
    base = workspace.commit("base")
    git(workspace.path, "checkout", "-q", "-b", "feature")
    workspace.write("a.txt", "feature\n")
    head = workspace.commit("feature")
    git(workspace.path, "checkout", "-q", "-b", "other", base)
    workspace.write("b.txt", "other\n")
    other = workspace.commit("other")
    git(workspace.path, "checkout", "-q", "main")
    return base, head, other


def test_a_pull_request_restores_from_its_base_branch_never_from_another_branch(tmp_path, workspace, two_branches):
    base, head, other = two_branches
    cache = ActionsCache(tmp_path / "cache")
    push_main = repo_events.push_event(workspace.path, None, base)
    push_other = repo_events.push_event(workspace.path, None, other, ref="refs/heads/other")
    pr7 = repo_events.pull_request_event(workspace.path, base, head, number=7)
    pr8 = repo_events.pull_request_event(workspace.path, base, other, number=8, head_ref="other")

    steps_harness(tmp_path, "main", push_main, cache, workspace.path).run_steps(save_steps("main", "k-main"))
    steps_harness(tmp_path, "other", push_other, cache, workspace.path).run_steps(save_steps("other", "k-other"))
    steps_harness(tmp_path, "pr8", pr8, cache, workspace.path).run_steps(save_steps("pr8", "k-pr8"))
    assert [(e.key, e.scope) for e in cache.entries] == [("k-main", "refs/heads/main"), ("k-other", "refs/heads/other"),
                                                         ("k-pr8", "refs/pull/8/merge")]

    def restored(name, event, key, restore_keys=""):
        job = steps_harness(tmp_path, name, event, cache, workspace.path).run_steps(restore_steps(key, restore_keys))
        return job.step("restore").outputs, job.step("read").outputs["text"]

    # The base (and default) branch's entry: yes. A sibling branch's, another pull request's: no.
    assert restored("pr7-a", pr7, "k-main") == ({"cache-hit": "true", "cache-primary-key": "k-main",
                                                 "cache-matched-key": "k-main"}, "main")
    assert restored("pr7-b", pr7, "k-other") == ({"cache-primary-key": "k-other"}, "none")
    assert restored("pr7-c", pr7, "k-pr8") == ({"cache-primary-key": "k-pr8"}, "none")
    # A prefix finds only what the scopes allow: main's entry, not the newer ones of other and #8.
    assert restored("pr7-d", pr7, "k-none", "k-") == ({"cache-hit": "false", "cache-primary-key": "k-none",
                                                        "cache-matched-key": "k-main"}, "main")
    # A re-run of pull request 8 restores its own entry; the default branch never sees a branch's.
    assert restored("pr8-rerun", pr8, "k-pr8")[1] == "pr8"
    assert restored("main-2", push_main, "k-other")[1] == "none"


def test_cache_entries_are_immutable_and_restore_keys_take_the_newest(tmp_path, workspace, two_branches):
    base, _head, _other = two_branches
    cache = ActionsCache(tmp_path / "cache")
    push_main = repo_events.push_event(workspace.path, None, base)
    h = steps_harness(tmp_path, "main", push_main, cache, workspace.path)
    h.run_steps(save_steps("first", "k-1"))
    again = h.run_steps(save_steps("second", "k-1"))
    # Saving an existing key changes nothing; the step warns and does not fail.
    assert again.result == "success"
    assert "Unable to reserve cache with key k-1" in again.step("save").stdout
    h.run_steps(save_steps("third", "k-3"))
    h.run_steps(save_steps("older-name-newer-entry", "k-0"))
    job = h.run_steps(restore_steps("k-1"))
    assert job.step("read").outputs["text"] == "first"
    job = h.run_steps(restore_steps("x", "k-"))
    assert job.step("read").outputs["text"] == "older-name-newer-entry"  # the newest, not the greatest key
    # Another path is another version: not found under the same key.
    job = h.run_steps(restore_steps("k-1", path="elsewhere.txt"))
    assert job.step("restore").outputs == {"cache-primary-key": "k-1"}
    with pytest.raises(Exception, match="cannot contain commas"):
        h.run_steps(save_steps("x", "a,b"))


# ---- the CI template, end to end -----------------------------------------------------------------

def project(workspace):
    """main: the base; feature: the pull request adding lines 13-15 and 18-24 of src/cart.js."""
    head_text = (DATA / "project/src/cart.js").read_text()
    lines = head_text.splitlines(keepends=True)
    workspace.write("src/cart.js", "".join(lines[:12] + lines[15:17] + lines[24:]))
    workspace.write("src/format.js", FORMAT_JS)
    workspace.write("test/cart.test.js", (DATA / "project/test/cart.test.js").read_text())
    base = workspace.commit("base")
    git(workspace.path, "checkout", "-q", "-b", "feature")
    workspace.write("src/cart.js", head_text)
    head = workspace.commit("pull request")
    git(workspace.path, "checkout", "-q", "main")
    return base, head


def leg_results(directory, junit, lcov):
    """What each leg's test step writes: junit(node) and lcov(node) → the files of that leg."""
    directory.mkdir()
    for node in LEGS:
        (directory / f"junit-node{node}.xml").write_text(junit(node))
        (directory / f"lcov-node{node}.info").write_text(lcov(node))
    return directory


def base_results(tmp_path):
    # Every test passes on main (leg 20's results: the three tests, none failing).
    return leg_results(tmp_path / "base-results", lambda n: (DATA / "junit-node20.xml").read_text(),
                       lambda n: BASE_CART_LCOV + FORMAT_LCOV)


def pr_results(tmp_path, failing_leg=True):
    # The pull request: leg 22 fails `discount HALF halves the sum`; src/cart.js 14 of 15 merged.
    return leg_results(tmp_path / ("pr-results" if failing_leg else "pr-results-green"),
                       lambda n: (DATA / f"junit-node{n if failing_leg else 20}.xml").read_text(),
                       lambda n: (DATA / f"lcov-node{n}.info").read_text() + FORMAT_LCOV)


def run_template(template, workspace, emulator, bin_dir, event, results, run_id, cache):
    overrides = ci_overrides()
    overrides[("test", "run-tests")] = ('mkdir -p results coverage\n'
                                        'cp "$LEG_RESULTS/junit-node${{ matrix.node }}.xml" "$JEST_JUNIT_OUTPUT_DIR/junit.xml"\n'
                                        'cp "$LEG_RESULTS/lcov-node${{ matrix.node }}.info" coverage/lcov.info\n')
    harness = make_harness(workspace, emulator, "0" * 40, bin_dir, event_name=event[0], event=event[1], run_id=run_id,
                           env={"LEG_RESULTS": str(results), "LHR": str(ROOT / "tests/data/lighthouse"),
                                "SARIF": str(ROOT / "tests/data/sarif")},
                           step_overrides=overrides, cache=cache)
    return harness.run_workflow(template)


def first_screen(body):
    """The comment as a reader's first screen shows it: its first lines of Markdown, after the
    hidden marker lines (HTML comments GitHub does not show)."""
    lines = body.split("\n")
    while lines and lines[0].startswith("<!-- tollgate:"):
        lines.pop(0)
    return "\n".join(lines[:FIRST_SCREEN_LINES])


def comment(emulator):
    [only] = emulator.state()["comments"]
    return only["body"]


@needs_commands("tests", "coverage", "merge", "lighthouse", "scan")
@pytest.mark.parametrize("template", TEMPLATES, ids=["ci.yml", "org/ci.yml"])
def test_a_pull_request_that_breaks_a_test_and_lowers_a_file_is_compared_with_mains_kept_result(
        tmp_path, emulator, workspace, bin_dir, template):
    if "org" in template.parts:
        from harness import triggers
        copy = workspace.path.parent / "org-ci.yml"
        copy.write_text(triggers.from_org_template(template.read_text(), default_branch="main"))
        template = copy
    base, head = project(workspace)
    cache = ActionsCache(tmp_path / "cache")

    # A push to main: the merge job keeps its result under the commit's key, in main's scope.
    push = run_template(template, workspace, emulator, bin_dir, repo_events.push_event(workspace.path, None, base),
                        base_results(tmp_path), "3001", cache)
    [merge] = push.jobs["merge"]
    assert merge.result == "success", merge.log()
    assert [(e.key, e.scope) for e in cache.entries] == [(KEY_PREFIX + base, "refs/heads/main")]
    assert emulator.state().get("comments", []) == []  # a push has no pull request to comment on

    # The pull request: restored under the exact base sha, compared, commented.
    pr = run_template(template, workspace, emulator, bin_dir, repo_events.pull_request_event(workspace.path, base, head),
                      pr_results(tmp_path), "3002", cache)
    [merge] = pr.jobs["merge"]
    assert merge.result == "failure"  # the broken test
    assert merge.step("baseline").outputs["cache-hit"] == "true"
    assert merge.step("baseline").outputs["cache-matched-key"] == KEY_PREFIX + base
    assert len(cache.entries) == 1, "a pull request's run kept a result"
    screen = first_screen(comment(emulator))
    assert "**1 newly failing**" in screen, screen
    assert "`discount HALF halves the sum`" in screen and "*new*" in screen
    assert re.search(r"\*\*Coverage fell in 1 file\*\*: \[`src/cart\.js`\]\([^)]*\) 93\.3% \(−6\.7\)", screen), screen
    assert "No baseline" not in comment(emulator)
    assert "its legs were not checked" not in comment(emulator)  # the run's jobs were read


@needs_commands("tests", "coverage", "merge", "lighthouse", "scan")
def test_the_first_pull_request_says_there_is_no_baseline_and_passes(tmp_path, emulator, workspace, bin_dir):
    base, head = project(workspace)
    cache = ActionsCache(tmp_path / "cache")
    pr = run_template(TEMPLATES[0], workspace, emulator, bin_dir,
                      repo_events.pull_request_event(workspace.path, base, head), pr_results(tmp_path, False), "3101",
                      cache)
    [merge] = pr.jobs["merge"]
    assert merge.result == "success", merge.log()
    assert merge.step("baseline").outputs == {"cache-primary-key": KEY_PREFIX + base}  # a miss
    screen = first_screen(comment(emulator))
    assert "**No baseline**" in screen and "`tollgate-baseline.json` does not exist" in screen, screen
    assert "newly failing" not in screen and "−" not in screen
    assert cache.entries == []


@needs_commands("tests", "coverage", "merge", "lighthouse", "scan")
def test_a_pull_request_cannot_restore_what_another_pull_request_cached(tmp_path, emulator, workspace, bin_dir):
    base, head = project(workspace)
    cache = ActionsCache(tmp_path / "cache")
    # Pull request 8 (its own branch) runs on main to produce a merge result, then caches it under
    # the very key pull request 7 looks for first.
    push = run_template(TEMPLATES[0], workspace, emulator, bin_dir, repo_events.push_event(workspace.path, None, base),
                        base_results(tmp_path), "3201", cache)
    assert push.jobs["merge"][0].result == "success"
    [kept] = cache.entries
    git(workspace.path, "checkout", "-q", "-b", "other", base)
    workspace.write("b.txt", "other\n")
    other = workspace.commit("other")
    git(workspace.path, "checkout", "-q", "main")
    pr8 = repo_events.pull_request_event(workspace.path, base, other, number=8, head_ref="other")
    h8 = steps_harness(tmp_path, "pr8", pr8, cache, workspace.path)
    shutil.copy(kept.saved[0], h8.workspace / "tollgate-baseline.json")
    cache.entries.clear()  # main's entry gone (evicted): only pull request 8's remains
    h8.run_steps([{"uses": "actions/cache/save@v4",
                   "with": {"path": "tollgate-baseline.json", "key": KEY_PREFIX + base}}])
    assert [(e.key, e.scope) for e in cache.entries] == [(KEY_PREFIX + base, "refs/pull/8/merge")]

    pr7 = run_template(TEMPLATES[0], workspace, emulator, bin_dir,
                       repo_events.pull_request_event(workspace.path, base, head), pr_results(tmp_path), "3202", cache)
    [merge] = pr7.jobs["merge"]
    assert "cache-matched-key" not in merge.step("baseline").outputs
    body = comment(emulator)
    assert "**No baseline**" in first_screen(body) and "newly failing" not in body
