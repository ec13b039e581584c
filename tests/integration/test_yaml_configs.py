"""Hostile and misspelled YAML configs (issue 14 item 4, issue 13 items 11 and 12).

Every YAML file Tollgate reads (the Tollgate config, lighthouserc files directly or through
`ci.extends`, probe configs) goes through util/yaml.h: an alias bomb stops with exit 2, the
file, line and column, in well under a second and a few MB. The Tollgate config is checked
against one schema: a key no command reads is an error with the key it probably meant, and a
command refuses the common options it does not use."""
import os
import re
import shutil
import subprocess
import time

import pytest

from conftest import ROOT, TOLLGATE

LHR = ROOT / "tests/data/lighthouse/lh13/slow-1.json"

# Generous bounds: a bounded reader stops in milliseconds with the process's baseline memory
# (about 15 MB in a Debug build); the unbounded one ran past 2 minutes at several GB.
MAX_SECONDS = 1.0
MAX_RSS_MB = 64


def bomb(key_line, indent="    "):
    """Nine levels of nine aliases each: 9^9 nodes once expanded, under 400 bytes written."""
    lines = [key_line, f"{indent}a: &a [x,x,x,x,x,x,x,x,x]"]
    prev = "a"
    for level in "bcdefghi":
        lines.append(f"{indent}{level}: &{level} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = level
    return "\n".join(lines) + "\n"


def run_measured(args, cwd):
    """Runs tollgate once; returns (exit status, stderr, seconds, peak RSS in MB of that process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    start = time.perf_counter()
    proc = subprocess.Popen([TOLLGATE, *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    seconds = time.perf_counter() - start
    return proc.returncode, err, seconds


def peak_rss_mb(args, cwd):
    """Peak RSS of one run, measured in a helper process whose only child is tollgate."""
    helper = ("import resource, subprocess, sys\n"
              "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=20)\n"
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    out = subprocess.run(["/usr/bin/python3", "-c", helper, TOLLGATE, *args], cwd=cwd, env=env,
                         stdout=subprocess.PIPE, text=True, timeout=60).stdout
    return int(out.strip()) / 1024


def assert_bomb_refused(args, cwd, bomb_file):
    status, err, seconds = run_measured(args, cwd)
    assert status == 2, err
    # file:line:column of the alias that crossed the limit: level f expands to 597,871 nodes
    line = next(i for i, text in enumerate(bomb_file.read_text().splitlines(), 1) if "&f" in text)
    assert re.search(rf"{re.escape(bomb_file.name)}:{line}:\d+: aliases expand to more than 100000 nodes", err), err
    assert seconds < MAX_SECONDS, f"{seconds:.2f} s"
    rss = peak_rss_mb(args, cwd)
    assert rss < MAX_RSS_MB, f"{rss:.1f} MB"


def test_an_alias_bomb_in_lighthouserc_yml_stops_at_once(tmp_path):
    (tmp_path / "lighthouserc.yml").write_text("ci:\n" + bomb("  assert:"))
    assert len((tmp_path / "lighthouserc.yml").read_bytes()) < 400
    shutil.copy(LHR, tmp_path / "lhr-1.json")
    # named with --config, and found in the working directory as lhci finds it
    assert_bomb_refused(["lighthouse", "--report", "lhr-1.json", "--config", "lighthouserc.yml"], tmp_path,
                        tmp_path / "lighthouserc.yml")
    assert_bomb_refused(["lighthouse", "--report", "lhr-1.json"], tmp_path, tmp_path / "lighthouserc.yml")


def test_an_alias_bomb_reached_through_ci_extends_stops_at_once(tmp_path):
    (tmp_path / "base.yml").write_text("ci:\n" + bomb("  assert:"))
    (tmp_path / "lighthouserc.json").write_text('{"ci": {"extends": "./base.yml"}}')
    shutil.copy(LHR, tmp_path / "lhr-1.json")
    assert_bomb_refused(["lighthouse", "--report", "lhr-1.json", "--config", "lighthouserc.json"], tmp_path,
                        tmp_path / "base.yml")


def test_an_alias_bomb_in_the_tollgate_config_stops_at_once(tmp_path):
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github/tollgate.yml").write_text("coverage:\n" + bomb("  min-file:"))
    (tmp_path / "lcov.info").write_text("SF:a.c\nDA:1,1\nend_of_record\n")
    assert_bomb_refused(["coverage", "--report", "lcov.info"], tmp_path, tmp_path / ".github/tollgate.yml")


def test_an_alias_bomb_in_a_probe_config_stops_at_once(tmp_path):
    (tmp_path / "probes.yml").write_text("analysis: {count: 1}\nprobes:\n  - url: http://127.0.0.1:9/\n"
                                         "    headers:\n" + bomb("      X-Bomb:", "        "))
    assert_bomb_refused(["probe", "--config", "probes.yml"], tmp_path, tmp_path / "probes.yml")


def test_an_alias_of_a_node_that_contains_it_is_refused(tmp_path):
    (tmp_path / "cycle.yml").write_text("coverage: &c\n  min-file: *c\n")
    status, err, _ = run_measured(["coverage", "--report", "x.info", "--config", "cycle.yml"], tmp_path)
    assert status == 2 and "cycle.yml:2:" in err and "cycle" in err, err


def coverage_with_config(tmp_path, config_text, config_name=".github/tollgate.yml"):
    path = tmp_path / config_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config_text)
    (tmp_path / "lcov.info").write_text("SF:a.c\nDA:1,1\nDA:2,0\nend_of_record\n")
    status, err, _ = run_measured(["coverage", "--report", "lcov.info"], tmp_path)
    return status, err


@pytest.mark.parametrize("config, where, message", [
    ("coverage:\n  min_line: 80\n", "tollgate.yml:2:3:", "unknown key 'min_line' in coverage; did you mean min-line?"),
    ("coverage:\n  min-lines: 80\n", "tollgate.yml:2:3:", "did you mean min-line?"),
    ("ignore:\n  - vendor/**\n", "tollgate.yml:1:1:", "unknown key 'ignore' at the top level"),
    ("tests:\n  fail-on: never\n", "tollgate.yml:1:1:", "unknown key 'tests' at the top level"),
    ("coverage:\n  min-line: 10\nprobes:\n  - url: https://x.example\n    max_latency: 2s\n", "tollgate.yml:5:5:",
     "did you mean max-latency?"),
    ("analysis:\n  intervall: 2s\n", "tollgate.yml:2:3:", "did you mean interval?"),
    ("coverage:\n  min-line: 10\n  min-line: 90\n", "tollgate.yml:3:3:", "duplicate key 'min-line' (first at line 2)"),
    ("coverage:\n  min-line: 10\n---\ncoverage: {}\n", "tollgate.yml:3:", "a second YAML document"),
])
def test_unknown_keys_in_the_tollgate_config_stop_the_run_with_their_line(tmp_path, config, where, message):
    status, err = coverage_with_config(tmp_path, config)
    assert status == 2, err
    assert where in err and message in err, err


def test_the_keys_commands_read_are_accepted(tmp_path):
    config = ("coverage:\n  min-line: 40\n  min-branch: 0\n  min-file: {'src/**': 10}\n  min-patch: 10\n"
              "  max-drop: 5\n  path-map: [/build/=]\n  exclude: [vendor/**]\n"
              "analysis: {interval: 1s, count: 2}\n"
              "probes:\n  - {name: a, url: 'https://x.example', expect-status: 200, count: 1, headers: {A: b}}\n"
              "lighthouse:\n  assertions: {categories:performance: off}\n")
    status, err = coverage_with_config(tmp_path, config)
    assert status == 0, err


@pytest.mark.parametrize("command, option", [
    (["deployment", "start", "--environment", "prod"], ["--report", "x.xml"]),
    (["deployment", "finish", "--environment", "prod"], ["--comment"]),
    (["deployment", "start", "--environment", "prod"], ["--matrix", "{}"]),
    (["rollback", "plan", "--environment", "prod"], ["--report=x.xml"]),
    (["rollback", "plan", "--environment", "prod"], ["--no-status"]),
    (["probe", "--url", "https://x.example"], ["--report", "x.xml"]),
    (["merge", "--report", "legs/*.json"], ["--matrix", "{}"]),
    (["tests", "--report", "x.xml"], ["--config", "tollgate.yml"]),
])
def test_a_command_refuses_the_common_options_it_does_not_use(tmp_path, command, option):
    status, err, _ = run_measured([*command, *option], tmp_path)
    assert status == 2, err
    name = option[0].split("=")[0]
    assert f"tollgate {command[0]}: unknown option {name}" in err, err
    help_text = subprocess.run([TOLLGATE, command[0], "--help"], stdout=subprocess.PIPE, text=True).stdout
    assert name not in help_text.split()
