"""Hostile input (issue 8): reports are written by pull-request code. Each case must end in a
clear error (exit 2 naming the file and line) or safe, escaped output: never a crash, a hang, an
unbounded allocation, a workflow command from report text, or an annotation outside the repo."""
import difflib
import json
import os
import resource
import re
import subprocess
import tempfile
import threading
import time

import pytest

from conftest import TOKEN, run_tollgate, runner_log
from support import markdown

SANITIZED = "asan" in os.environ.get("TOLLGATE_BIN", "")


def make_repo(workspace):
    workspace.write("src/mod.py", "".join(f"x{i} = {i}\n" for i in range(1, 50)))
    return workspace.commit("initial")


def run_local(workspace, *args, timeout=60):
    return run_tollgate(list(args), workspace, None, token="", timeout=timeout)


def assert_no_crash(proc):
    assert proc.returncode in (0, 1, 2), (proc.returncode, proc.stderr[-2000:])
    assert "AddressSanitizer" not in proc.stderr and "runtime error" not in proc.stderr
    assert "internal error" not in proc.stderr


def test_xml_external_entities_are_never_resolved(workspace, tmp_path):
    make_repo(workspace)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    for target in (f"file://{secret}", "http://127.0.0.1:9/x"):
        workspace.write("xxe.xml", f'<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY xxe SYSTEM "{target}">]>\n'
                                   '<testsuite name="s"><testcase classname="c" name="n"><failure message="&xxe;">&xxe;'
                                   '</failure></testcase></testsuite>\n')
        proc = run_local(workspace, "tests", "--report", "xxe.xml", "--json", "out.json")
        assert_no_crash(proc)
        out = proc.stdout + proc.stderr + ((workspace.path / "out.json").read_text()
                                           if (workspace.path / "out.json").exists() else "")
        assert "TOP-SECRET-CONTENT" not in out


def test_billion_laughs_does_not_expand(workspace):
    make_repo(workspace)
    ents = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                                      for i in range(1, 10)]
    workspace.write("laughs.xml", '<?xml version="1.0"?>\n<!DOCTYPE t [' + "".join(ents) + ']>\n'
                    '<testsuite name="s"><testcase classname="c" name="&lol9;"/></testsuite>\n')
    proc = run_local(workspace, "tests", "--report", "laughs.xml", "--json", "out.json", timeout=30)
    assert_no_crash(proc)
    if proc.returncode != 2:
        assert len((workspace.path / "out.json").read_text()) < 100_000


def test_deep_xml_nesting_is_an_error_with_a_line(workspace):
    make_repo(workspace)
    depth = 100_000
    workspace.write("deep.xml", "<testsuites>\n" + "<testsuite>" * depth + "</testsuite>" * depth + "\n</testsuites>\n")
    proc = run_local(workspace, "tests", "--report", "deep.xml", timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert re.search(r"deep\.xml:\d+", proc.stderr)


def test_deep_json_nesting_in_the_event_payload_is_an_error(workspace):
    make_repo(workspace)
    workspace.write("ok.xml", '<testsuite name="s"><testcase classname="c" name="n"/></testsuite>')
    workspace.event.write_text("[" * 100_000 + "]" * 100_000)
    proc = run_tollgate(["tests", "--report", "ok.xml"], workspace, None, token="")
    assert proc.returncode == 2
    assert "nesting" in proc.stderr and str(workspace.event) in proc.stderr


def test_matrix_json_that_is_deep_or_broken_is_exit_2(workspace):
    make_repo(workspace)
    workspace.write("ok.xml", '<testsuite name="s"><testcase classname="c" name="n"/></testsuite>')
    for matrix in ("[" * 5000, '{"os": ', "42"):
        proc = run_local(workspace, "tests", "--report", "ok.xml", "--matrix", matrix)
        assert proc.returncode == 2, (matrix[:10], proc.stderr)


def test_invalid_utf8_and_nul_bytes_come_out_as_valid_text(workspace, emulator):
    make_repo(workspace)
    raw = (b'<?xml version="1.0" encoding="utf-8"?><testsuite name="s"><testcase classname="c" name="bad\xff\xfe name" '
           b'file="src/mod.py" line="3"><failure message="m\xc0\xafx">trace\x01</failure></testcase></testsuite>')
    (workspace.path / "bad.xml").write_bytes(raw)
    proc = run_tollgate(["tests", "--report", "bad.xml", "--json", "out.json"], workspace, emulator)
    assert_no_crash(proc)
    if proc.returncode != 2:
        json.loads((workspace.path / "out.json").read_text())  # valid JSON, hence valid UTF-8
        runs = emulator.state()["check_runs"]
        assert len(runs) == 1 and len(runs[0]["annotations"]) == 1


def test_nul_byte_in_a_report_is_handled(workspace):
    make_repo(workspace)
    (workspace.path / "nul.xml").write_bytes(b'<testsuite name="s">\x00<testcase classname="c" name="n"/></testsuite>')
    assert_no_crash(run_local(workspace, "tests", "--report", "nul.xml"))


@pytest.mark.parametrize("line", ["-5", "0", "99999999999999999999", "2147483648", "abc"])
def test_odd_line_numbers_never_become_bad_annotations(workspace, emulator, line):
    make_repo(workspace)
    workspace.write("odd.xml", f'<testsuite name="s"><testcase classname="c" name="n" file="src/mod.py" line="{line}">'
                               '<failure message="m">no frames here</failure></testcase></testsuite>')
    proc = run_tollgate(["tests", "--report", "odd.xml"], workspace, emulator)
    assert_no_crash(proc)
    for run in emulator.state().get("check_runs", []):
        for a in run["annotations"]:
            assert 1 <= a["start_line"] <= 2**31 - 1


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "src/../../outside.py", "/tmp/elsewhere/mod.py.x"])
def test_paths_outside_the_repository_are_never_annotated(workspace, emulator, path):
    make_repo(workspace)
    workspace.write("out.xml", f'<testsuite name="s"><testcase classname="zz" name="n" file="{path}" line="3">'
                               f'<failure message="m">at {path}:3</failure></testcase></testsuite>')
    proc = run_tollgate(["tests", "--report", "out.xml"], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    anns = [a for r in emulator.state()["check_runs"] for a in r["annotations"]]
    assert anns == []


def test_a_symlink_leaving_the_workspace_is_not_followed_into_annotations(workspace, emulator, tmp_path):
    make_repo(workspace)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("x = 1\n")
    os.symlink(outside, workspace.path / "link")
    workspace.write("sym.xml", '<testsuite name="s"><testcase classname="zz" name="n" file="link/secret.py" line="1">'
                               '<failure message="m"/></testcase></testsuite>')
    proc = run_tollgate(["tests", "--report", "sym.xml"], workspace, emulator)
    assert proc.returncode == 1
    anns = [a for r in emulator.state()["check_runs"] for a in r["annotations"]]
    assert all(a["path"] != "link/secret.py" for a in anns)


EVIL = ["::set-output name=passed::true", "::add-mask::x", "##[error]forged", "%0A::error::x", "line\n::error::x",
        "**bold** [link](http://e) <img src=x onerror=alert(1)>", "@octocat", "#123", "<!-- -->", "|pipe|"]


def outside_code_blocks(markdown):
    """Markdown with fenced code blocks (in list items too, indented) and code spans removed: inside
    them nothing renders as HTML or a link. Tollgate's own links to the run's repository on its
    server (the commit, the run, a failing line: built from GITHUB_SERVER_URL and
    GITHUB_REPOSITORY, never from a report; issue 15) are removed too."""
    markdown = re.sub(r"(?ms)^( *)(`{3,})[^\n]*\n.*?^\1\2[ \t]*$", "", markdown)
    markdown = re.sub(r"(?m)(`+)(?!`).*?(?<!`)\1(?!`)", "", markdown)
    return markdown.replace("](https://github.example/octo/app/", "](own link:")


def test_evil_names_and_messages_are_escaped_everywhere(workspace, emulator):
    make_repo(workspace)
    cases = "".join(f'<testcase classname="c{i}" name={json.dumps(e)} file="src/mod.py" line="{i + 1}">'
                    f'<failure message={json.dumps(e)}>{e.replace("<", "&lt;")}</failure></testcase>'
                    for i, e in enumerate(EVIL))
    cases = cases.replace("\n", "&#10;")
    workspace.write("evil.xml", f'<testsuite name="s">{cases}</testsuite>')
    for token in (TOKEN, None):
        if token is None:
            emulator.token(TOKEN, "read-only")
        proc = run_tollgate(["tests", "--report", "evil.xml", "--comment"], workspace, emulator,
                            event={"number": 1, "pull_request": {"number": 1, "head": {"sha": "c" * 40},
                                                                 "base": {"sha": "", "ref": "main"}}},
                            event_name="pull_request")
        assert proc.returncode == 1, proc.stderr
        for line in proc.stdout.splitlines():
            if line.startswith("::") or line.startswith("##["):
                assert re.match(r"^::(error|add-mask|stop-commands|[0-9a-f]{32})[: ]", line), line
        assert "##[error]forged" not in "\n".join(l for l in proc.stdout.splitlines() if not l.startswith("::error "))
        assert "set-output name=passed::true" not in workspace.output.read_text()
    outputs = workspace.outputs()
    assert outputs["passed"] == "false"
    summary = workspace.summary.read_text()
    assert "```" in summary  # the traces are there, fenced
    for bad in ("<img", "](http", "#123"):
        assert bad not in outside_code_blocks(summary), bad
    assert "@octocat" not in summary  # not even inside code

    comment = emulator.state()["comments"][0]["body"]
    for bad in ("<img", "#123"):
        assert bad not in outside_code_blocks(comment), bad
    assert "@octocat" not in comment


def test_a_summary_past_every_limit_is_truncated_visibly(workspace, emulator):
    make_repo(workspace)
    big = "x" * 60_000
    cases = "".join(f'<testcase classname="c" name="t{i}_{"n" * 200}" file="src/mod.py" line="2">'
                    f'<failure message="{big[:3000]}">{big}</failure></testcase>' for i in range(400))
    workspace.write("big.xml", f'<testsuite name="s">{cases}</testsuite>')
    workspace.summary.write_text("y" * (1024 * 1024 - 1000))  # earlier steps filled the job summary
    proc = run_tollgate(["tests", "--report", "big.xml", "--comment"], workspace, emulator,
                        event={"number": 2, "pull_request": {"number": 2, "head": {"sha": "d" * 40},
                                                             "base": {"sha": "", "ref": "main"}}},
                        event_name="pull_request")
    assert proc.returncode == 1, proc.stderr
    assert os.path.getsize(workspace.summary) <= 1024 * 1024
    run = emulator.state()["check_runs"][0]
    assert len(run["output"]["summary"]) <= 65535
    assert len(emulator.state()["comments"][0]["body"]) <= 65536


@pytest.mark.skipif(SANITIZED, reason="1 GB under AddressSanitizer needs several times the memory; the release tier runs it")
def test_a_one_gigabyte_single_line_report_is_handled(workspace, tmp_path):
    make_repo(workspace)
    path = workspace.path / "huge.xml"
    with open(path, "wb") as f:
        f.write(b'<testsuite name="s"><testcase classname="c" name="n"><failure message="')
        chunk = b"A" * (1 << 20)
        for _ in range(1024):
            f.write(chunk)
        f.write(b'"/></testcase></testsuite>')
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", os.environ.get("TOLLGATE_BIN", "build/tollgate"), "tests",
                           "--report", str(path), "--dry-run"], cwd=workspace.path, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, timeout=300)
    # Streamed (report/xml_stream.h): one tag past k_max_xml_markup (16 MiB) is an error where
    # it starts, found after reading 16 MiB of it, never the whole file.
    assert proc.returncode == 2, proc.stderr[-500:]
    assert "huge.xml:1:54: XML markup longer than 16 MiB" in proc.stderr, proc.stderr[-500:]
    peak_kb = int(proc.stderr.strip().splitlines()[-1])
    assert peak_kb < 200 * 1024, f"peak {peak_kb} kB"
    path.unlink()


def write_repeated(path, head, block, tail, size):
    """A file of at least `size` bytes: head, block repeated, tail; written in large writes so a
    gigabyte takes a second or two."""
    count = -(-size // len(block))
    with open(path, "wb") as f:
        f.write(head)
        for _ in range(count):
            f.write(block)
        f.write(tail)
    return count


# Generous: a window of a few MiB and its document, the read buffers, the result, the binary.
# The whole-document reader needed several times the file (the issue measured 4–6 GB for 2 GB).
ONE_GB_XML_PEAK_KB = 256 * 1024


@pytest.mark.skipif(SANITIZED, reason="1 GB under AddressSanitizer is slow; the release tier runs it")
def test_a_one_gigabyte_junit_report_streams_in_bounded_memory(workspace):
    """JUnit streams (report/xml_stream.h): a 1 GB report of test cases with their captured output
    (a long, verbose CI run) is read in windows of a few MiB, every test counted."""
    make_repo(workspace)
    output = b"a line of captured output 0123456789 &amp; more\n" * 160
    cases = []
    for i in range(10):
        failure = b'<failure message="boom" type="AssertionError">trace</failure>' if i == 7 else b""
        cases.append(b'<testcase classname="pkg.C" name="t%d" time="0.01">%s<system-out>%s</system-out></testcase>\n'
                     % (i, failure, output))
    block = b'<testsuite name="pkg" tests="10" failures="1">\n' + b"".join(cases) + b"</testsuite>\n"
    count = write_repeated(workspace.path / "huge.xml", b'<?xml version="1.0"?>\n<testsuites>\n', block,
                           b"</testsuites>\n", 1 << 30)
    start = time.monotonic()
    proc, peak_kb = peak_kb_of(workspace, "tests", "--report", "huge.xml", "--json", "out.json", "--dry-run")
    elapsed = time.monotonic() - start
    (workspace.path / "huge.xml").unlink()
    assert proc.returncode == 1, proc.stderr[-500:]  # the failures fail the gate
    totals = json.loads((workspace.path / "out.json").read_text())["totals"]
    assert (totals["tests"], totals["failed"]) == (10 * count, count)
    assert peak_kb < ONE_GB_XML_PEAK_KB, f"peak {peak_kb} kB for a 1 GB file ({elapsed:.1f} s)"


@pytest.mark.skipif(SANITIZED, reason="1 GB under AddressSanitizer is slow; the release tier runs it")
def test_a_one_gigabyte_cobertura_report_streams_in_bounded_memory(workspace):
    """Cobertura streams: a 1 GB report (one file's classes repeated, as a report of many merged
    runs lists them) is read in windows, its lines summed, in memory far below the file's size."""
    make_repo(workspace)
    lines = b"".join(b'<line number="%d" hits="%d"/>\n' % (n, n % 2) for n in range(1, 50))
    block = b'<class name="mod" filename="src/mod.py" line-rate="0.5"><methods/><lines>\n' + lines + b"</lines></class>\n"
    write_repeated(workspace.path / "huge.xml", b'<?xml version="1.0"?>\n<coverage line-rate="0.5"><packages>'
                   b'<package name="p"><classes>\n', block * 64, b"</classes></package></packages></coverage>\n", 1 << 30)
    start = time.monotonic()
    proc, peak_kb = peak_kb_of(workspace, "coverage", "--report", "huge.xml", "--json", "out.json")
    elapsed = time.monotonic() - start
    (workspace.path / "huge.xml").unlink()
    assert proc.returncode == 0, proc.stderr[-500:]
    totals = json.loads((workspace.path / "out.json").read_text())["totals"]
    assert (totals["lines"], totals["lines_covered"]) == (49, 25)
    assert peak_kb < ONE_GB_XML_PEAK_KB, f"peak {peak_kb} kB for a 1 GB file ({elapsed:.1f} s)"


def peak_kb_of(workspace, *args):
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", os.environ.get("TOLLGATE_BIN", "build/tollgate"), *args],
                          cwd=workspace.path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300)
    return proc, int(proc.stderr.strip().splitlines()[-1])


@pytest.mark.skipif(SANITIZED, reason="1 GB under AddressSanitizer is slow; the release tier runs it")
def test_a_one_gigabyte_lcov_line_streams_in_bounded_memory(workspace):
    """LCOV streams through a fixed buffer: a 1 GB line that is not a record is skipped without
    being held, the records around it still count, and memory stays far below the file's size."""
    make_repo(workspace)
    path = workspace.path / "huge.info"
    with open(path, "wb") as f:
        f.write(b"TN:\nSF:src/mod.py\nDA:1,1\nFN:1," )
        chunk = b"f" * (1 << 20)
        for _ in range(1024):
            f.write(chunk)
        f.write(b"\nDA:2,0\nDA:3,4\nend_of_record\n")
    proc, peak_kb = peak_kb_of(workspace, "coverage", "--report", "huge.info", "--json", "out.json")
    path.unlink()
    assert proc.returncode == 0, proc.stderr[-500:]
    totals = json.loads((workspace.path / "out.json").read_text())["totals"]
    assert (totals["lines"], totals["lines_covered"]) == (3, 2)
    assert peak_kb < 64 * 1024, f"peak {peak_kb} kB for a 1 GB file"


def test_an_over_long_lcov_record_is_an_error_on_its_line(workspace):
    make_repo(workspace)
    (workspace.path / "long.info").write_bytes(b"TN:\nSF:src/mod.py\nDA:1,1\nend_of_record\nSF:"
                                               + b"p" * (8 << 20) + b"\nDA:1,1\nend_of_record\n")
    proc = run_local(workspace, "coverage", "--report", "long.info")
    assert proc.returncode == 2, proc.stderr
    assert "long.info:5:1: record longer than 1 MiB" in proc.stderr


# ---- issue 14: nothing untrusted can speak to the runner --------------------------------------
# tests/support/runner_log.py reads stdout and stderr as the runner does; conftest already fails
# every test whose tollgate run prints a command Tollgate did not issue. These cases reach the
# places that quote untrusted text: error messages, progress lines, skipped-file notes.

INJECTED = ("set-output", "add-mask", "stop-commands", "error", "warning", "notice", "echo", "save-state",
            "add-path", "set-env", "debug", "group")


def assert_runner_executes_nothing(proc, workspace=None):
    cmds = runner_log.commands(proc.stdout, proc.stderr)
    injected = [c for c in cmds if c.stream == "stderr" or c.form == "legacy" or c.key in ("set-output", "set-env")]
    assert injected == [], runner_log.describe(injected)
    if workspace is not None and workspace.output.exists():
        assert "passed=true" not in workspace.output.read_text()


@pytest.mark.parametrize("name", ["lhr-##[set-output name=passed;]true.json", "lhr-x\n::set-output name=passed::true.json",
                                  "lhr-\r::add-mask::x.json", "lhr- \u00a0::stop-commands::zz.json"])
def test_a_glob_matched_file_name_cannot_issue_a_command(workspace, name):
    make_repo(workspace)
    (workspace.path / ".lighthouseci").mkdir()
    (workspace.path / ".lighthouseci" / name).write_text("not json")
    proc = run_tollgate(["lighthouse", "--report", ".lighthouseci/lhr-*.json"], workspace, None, token="")
    assert proc.returncode == 2, proc.stderr
    assert "not a Lighthouse result" in proc.stderr  # the file is named, neutralised
    assert name.split("::")[-2 if "::" in name else 0].split("[")[-1].split(" ")[0] in proc.stderr
    assert_runner_executes_nothing(proc, workspace)


def test_a_coverage_py_files_key_cannot_issue_a_command(workspace):
    make_repo(workspace)
    key = "src/mod.py\n::set-output name=passed::true\n  ##[add-mask]x"
    workspace.write("coverage.json", json.dumps({"meta": {"version": "7.3"}, "files": {key: {"executed_lines": "x"}},
                                                 "totals": {}}))
    proc = run_tollgate(["coverage", "--report", "coverage.json"], workspace, None, token="")
    assert proc.returncode == 2 and "coverage.json" in proc.stderr, proc.stderr
    assert_runner_executes_nothing(proc, workspace)


def test_an_istanbul_file_key_cannot_issue_a_command(workspace):
    make_repo(workspace)
    key = "src/mod.js\n::set-output name=passed::true"
    workspace.write("coverage-final.json", json.dumps({key: {"path": key, "statementMap": 5}}))
    proc = run_tollgate(["coverage", "--report", "coverage-final.json"], workspace, None, token="")
    assert_no_crash(proc)
    assert_runner_executes_nothing(proc, workspace)


def test_a_cobertura_attribute_with_an_encoded_newline_cannot_issue_a_command(workspace):
    make_repo(workspace)
    workspace.write("cobertura.xml", '<?xml version="1.0"?><coverage line-rate="1" branch-rate="1" version="1" '
                    'timestamp="1"><packages><package name="p"><classes><class name="c" filename="src/mod.py"><lines>'
                    '<line number="1" hits="1" branch="true" condition-coverage="&#10;::set-output name=passed::true'
                    '&#13;##[set-output name=passed;]true"/></lines></class></classes></package></packages></coverage>')
    proc = run_tollgate(["coverage", "--report", "cobertura.xml"], workspace, None, token="")
    assert proc.returncode == 2 and "cobertura.xml:1:" in proc.stderr, proc.stderr
    assert_runner_executes_nothing(proc, workspace)


def test_a_probe_response_body_quoted_in_a_reason_cannot_issue_a_command(workspace):
    from test_probe import Server
    body = json.dumps({"status": "down\n::set-output name=passed::true\n##[error]forged\r::add-mask::x"})
    server = Server(lambda n, h: (200, body, {"Content-Type": "application/json"}))
    try:
        proc = run_tollgate(["probe", "--url", server.url(), "--count", "2", "--interval", "20ms", "--timeout", "2s",
                             "--expect-json", '/status == "ok"'], workspace, None, token="")
    finally:
        server.close()
    assert proc.returncode == 1, proc.stderr
    assert "forged" in proc.stderr  # the reason is shown, neutralised
    assert_runner_executes_nothing(proc, workspace)


def test_a_certificate_subject_cannot_issue_a_command(workspace, tmp_path):
    import ssl
    from test_probe import Server, openssl
    subject = "/CN=::set-output name=passed::true/O=##[set-output name=passed;]true"
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "k.pem",
            "-out", "c.pem", "-days", "2", "-subj", subject, "-addext", "subjectAltName=DNS:wrong.example", cwd=tmp_path)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(tmp_path / "c.pem"), str(tmp_path / "k.pem"))
    server = Server(lambda n, h: (200, "ok", None), ctx)
    try:
        proc = run_tollgate(["probe", "--url", server.url(), "--count", "1", "--interval", "20ms", "--timeout", "2s",
                             "--cacert", str(tmp_path / "c.pem")], workspace, None, token="")
    finally:
        server.close()
    assert proc.returncode == 1, proc.stderr
    assert_runner_executes_nothing(proc, workspace)


def test_a_leg_result_version_cannot_issue_a_command(workspace):
    make_repo(workspace)
    leg = {"command": "coverage", "passed": True, "coverage_data": {"version": "##[set-output name=passed;]true\n::x::"}}
    workspace.write("leg.json", json.dumps(leg))
    proc = run_tollgate(["merge", "--report", "leg.json"], workspace, None, token="")
    assert proc.returncode in (1, 2), proc.stderr
    assert_runner_executes_nothing(proc, workspace)


# ---- issue 14: Markdown and HTML by construction -----------------------------------------------
# Every document Tollgate writes (job summary, check-run summary and text, sticky comment) is
# rendered with cmark-gfm (tests/support/markdown.py); from a hostile report its structure must be
# that of the same report with plain names, and nothing in it may link, mention or show an image.

HOSTILE_NAMES = [
    "fence\n\n```\n</summary></details>\n\n# Injected",
    "<img src=https://tracker.example/p.png>",
    "<!-- everything after this is hidden",
    "fixes #4242 and GH-12",
    "ping @user and @org/team",
    "https://github.com/o/r/issues/1 https://github.com/o/r/pull/1 www.example.com",
    "## ✅ 42 tests, all passed\n\n- [x] reviewed",
    "| a | b |\n|---|---|\n| x | y |",
    "    indented\n> quoted\n1. listed\n---",
]
HOSTILE_TRACE = "```\n</details>\n<img src=x>\n@user #1 GH-2\n~~~\n````` \n<!--"


def junit_of(names, trace):
    cases = "".join(f'<testcase classname="suite.{i}" name={json.dumps(n)} file="src/mod.py" line="{i + 2}">'
                    f'<failure message={json.dumps(n + " failed")}>{trace.replace("&", "&amp;").replace("<", "&lt;")}'
                    f'</failure></testcase>' for i, n in enumerate(names))
    return f'<testsuite name="s">{cases.replace(chr(10), "&#10;")}</testsuite>'


PR_EVENT = {"number": 7, "pull_request": {"number": 7, "head": {"sha": "e" * 40}, "base": {"sha": "", "ref": "main"}}}


def documents(tmp_path, emulator, name, files, args):
    """Runs tollgate in a fresh workspace; returns {document name: Markdown}."""
    from conftest import Workspace
    emulator.reset()
    ws = Workspace(tmp_path / name)
    make_repo(ws)
    for rel, text in files.items():
        ws.write(rel, text)
    ws.commit("reports")
    proc = run_tollgate([*args, "--comment"], ws, emulator, event=PR_EVENT, event_name="pull_request")
    assert proc.returncode in (0, 1), proc.stderr
    [run] = emulator.state()["check_runs"]
    docs = {"job summary": ws.summary.read_text(), "check summary": run["output"]["summary"],
            "check text": run["output"].get("text") or "", "comment": emulator.state()["comments"][0]["body"]}
    return docs


def assert_same_structure(benign, hostile):
    for doc in benign:
        b, h = markdown.structure(benign[doc]), markdown.structure(hostile[doc])
        diff = "\n".join(difflib.unified_diff(markdown.flat(b), markdown.flat(h), "benign", "hostile", lineterm="", n=8))
        assert not diff, f"{doc}:\n{diff}\n{hostile[doc]}"
        assert markdown.live_references(hostile[doc]) == markdown.live_references(benign[doc]), \
            f"{doc}: {markdown.live_references(hostile[doc])}\n{hostile[doc]}"


def test_hostile_test_names_change_no_document_structure(tmp_path, emulator):
    plain = [f"plain name {i}" for i in range(len(HOSTILE_NAMES))]
    benign = documents(tmp_path, emulator, "benign", {"r.xml": junit_of(plain, "trace line")},
                       ["tests", "--report", "r.xml"])
    hostile = documents(tmp_path, emulator, "hostile", {"r.xml": junit_of(HOSTILE_NAMES, HOSTILE_TRACE)},
                        ["tests", "--report", "r.xml"])
    assert "<details>" in benign["job summary"]  # the failures are there, in details blocks
    assert_same_structure(benign, hostile)


def test_hostile_coverage_paths_change_no_document_structure(tmp_path, emulator):
    def lcov(paths):
        return "".join(f"SF:{p}\nDA:1,1\nDA:2,0\nend_of_record\n" for p in ["src/mod.py", *paths])
    plain = [f"elsewhere/plain{i}.py" for i in range(len(HOSTILE_NAMES))]
    hostile_paths = [n.replace("\n", " ") for n in HOSTILE_NAMES]
    benign = documents(tmp_path, emulator, "benign", {"lcov.info": lcov(plain)}, ["coverage", "--report", "lcov.info"])
    hostile = documents(tmp_path, emulator, "hostile", {"lcov.info": lcov(hostile_paths)},
                        ["coverage", "--report", "lcov.info"])
    assert_same_structure(benign, hostile)


def test_hostile_leg_results_change_no_merged_document_structure(tmp_path, emulator):
    def legs(names):
        files = {}
        for i, n in enumerate(names[:4]):
            files[f"legs/{i}/r.xml"] = junit_of([n, "other"], "trace")
        return files

    def run(name, names):
        from conftest import Workspace
        emulator.reset()
        ws = Workspace(tmp_path / name)
        make_repo(ws)
        for rel, text in legs(names).items():
            ws.write(rel, text)
        ws.commit("legs")
        (ws.path / "results").mkdir()
        for i in range(4):
            proc = run_tollgate(["tests", "--report", f"legs/{i}/r.xml", "--matrix", json.dumps({"leg": names[i]}),
                                 "--check-run", "none", "--no-status", "--json", f"results/{i}.json"], ws)
            assert proc.returncode == 1, proc.stderr
        emulator.reset()
        proc = run_tollgate(["merge", "--report", "results/*.json", "--comment"], ws, emulator, event=PR_EVENT,
                            event_name="pull_request")
        assert proc.returncode == 1, proc.stderr
        [check] = emulator.state()["check_runs"]
        return {"job summary": ws.summary.read_text(), "check summary": check["output"]["summary"],
                "comment": emulator.state()["comments"][0]["body"]}

    plain = [f"plain {i}" for i in range(4)]
    assert_same_structure(run("benign", plain), run("hostile", HOSTILE_NAMES[:4]))


# ---- issue 14: paths and bounded reads -----------------------------------------------------------

def test_a_report_glob_does_not_follow_a_link_out_of_the_workspace(workspace, emulator, tmp_path):
    make_repo(workspace)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "junit.xml").write_text('<testsuite name="s"><testcase classname="c" name="OUTSIDE-SECRET">'
                                       '<failure message="m"/></testcase></testsuite>')
    (workspace.path / "reports").mkdir()
    (workspace.path / "reports" / "own.xml").write_text('<testsuite name="s"><testcase classname="c" name="own"/>'
                                                        '</testsuite>')
    os.symlink(outside / "junit.xml", workspace.path / "reports" / "planted.xml")
    proc = run_tollgate(["tests", "--report", "reports/*.xml"], workspace, emulator)
    assert proc.returncode == 2, proc.stderr
    assert "reports/planted.xml" in proc.stderr and "outside the workspace" in proc.stderr
    state = emulator.state()
    assert state.get("check_runs", []) == []
    assert "OUTSIDE-SECRET" not in (workspace.summary.read_text() if workspace.summary.exists() else "")
    # A directory link out of the workspace, named plainly, is refused the same way.
    os.symlink(outside, workspace.path / "linked")
    proc = run_tollgate(["tests", "--report", "linked/junit.xml"], workspace, emulator)
    assert proc.returncode == 2 and "symbolic link" in proc.stderr, proc.stderr
    assert emulator.state().get("check_runs", []) == []


def test_a_link_inside_the_workspace_is_followed(workspace):
    make_repo(workspace)
    workspace.write("real/junit.xml", '<testsuite name="s"><testcase classname="c" name="own"/></testsuite>')
    os.symlink(workspace.path / "real", workspace.path / "alias")
    proc = run_local(workspace, "tests", "--report", "alias/*.xml")
    assert proc.returncode == 0, proc.stderr


@pytest.mark.skipif(SANITIZED, reason="the sanitizers' shadow memory inflates peak RSS")
@pytest.mark.parametrize("command,name", [("tests", "huge.xml"), ("coverage", "huge.json"), ("merge", "huge.json"),
                                          ("lighthouse", "huge.json")])
def test_a_two_gigabyte_sparse_report_is_exit_2_in_bounded_memory_and_time(workspace, command, name):
    make_repo(workspace)
    path = workspace.path / name
    with open(path, "wb") as f:
        f.truncate(2 << 30)  # sparse: costs nothing on disk, 2 GiB to whoever reads it whole
    start = time.monotonic()
    proc, peak_kb = peak_kb_of(workspace, command, "--report", name)
    elapsed = time.monotonic() - start
    path.unlink()
    assert proc.returncode == 2, proc.stderr[-500:]
    assert name in proc.stderr and "512 MiB" in proc.stderr, proc.stderr[-500:]
    assert peak_kb < 200 * 1024, f"peak {peak_kb} kB"
    assert elapsed < 10, f"{elapsed:.1f} s"


FIFO_REPORTS = {
    "junit.xml": '<testsuite name="s" tests="1"><testcase classname="c" name="t"/></testsuite>',
    "lcov.info": "SF:src/mod.py\nDA:1,1\nDA:2,0\nend_of_record\n",
    "coverage-final.json": '{"src/mod.py":{"path":"src/mod.py","statementMap":{"0":{"start":{"line":1,"column":0},'
                           '"end":{"line":1,"column":1}}},"s":{"0":1},"branchMap":{},"b":{},"fnMap":{},"f":{}}}',
    "coverage.xml": '<?xml version="1.0"?><coverage line-rate="1" branch-rate="0" version="1"><packages><package name="p">'
                    '<classes><class name="m" filename="src/mod.py"><lines><line number="1" hits="1"/></lines></class>'
                    '</classes></package></packages></coverage>',
    "results.sarif": '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[]}]}',
}


@pytest.mark.parametrize("command,name", [(["tests"], "junit.xml"), (["coverage"], "lcov.info"),
                                          (["coverage"], "coverage-final.json"), (["coverage"], "coverage.xml"),
                                          (["scan", "--all"], "results.sarif"), (["merge"], "leg.json")])
def test_a_report_from_a_named_pipe_is_opened_once(workspace, command, name):
    """A report can come through a FIFO (`mkfifo`, its writer started beside the step). Opened to
    look at and then again to read, its writer's bytes went to the first opening and the second
    waited for a writer that was gone: the step hung until the job's timeout."""
    make_repo(workspace)
    if name == "leg.json":
        workspace.write("junit.xml", FIFO_REPORTS["junit.xml"])
        proc = run_local(workspace, "tests", "--report", "junit.xml", "--json", "leg-file.json")
        assert proc.returncode == 0, proc.stderr
        content = (workspace.path / "leg-file.json").read_text()
    else:
        content = FIFO_REPORTS[name]
    fifo = workspace.path / "in" / name
    fifo.parent.mkdir()
    os.mkfifo(fifo)

    def write():
        with open(fifo, "w") as f:  # waits for the reader's opening, as a writer beside a step does
            f.write(content)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        proc = run_local(workspace, *command, "--report", f"in/{name}", timeout=30)
    finally:
        if writer.is_alive():  # the reader never opened it: release the writer
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        writer.join(5)
    assert proc.returncode in (0, 1), proc.stderr[-500:]
    assert "in/" + name not in proc.stderr, proc.stderr[-500:]


@pytest.mark.parametrize("threshold", ["nan", "inf", "-inf", "1e999"])
def test_every_json_result_is_json_whatever_the_threshold(workspace, threshold):
    """Issue 13 item 10: a non-finite threshold was written as '"threshold":,'."""
    make_repo(workspace)
    workspace.write("lcov.info", "SF:src/mod.py\nDA:1,1\nDA:2,0\nend_of_record\n")
    proc = run_local(workspace, "coverage", "--report", "lcov.info", "--min-line", threshold, "--json", "out.json")
    assert_no_crash(proc)
    if (workspace.path / "out.json").exists():
        result = json.loads((workspace.path / "out.json").read_text())
        assert all(g["threshold"] is None or isinstance(g["threshold"], (int, float)) for g in result["gates"])


ESCAPES = ["\x1b]52;c;ZXZpbA==\x07", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "\x1b[8mhidden\x1b[0m",
           "\u009b31mcsi"]


@pytest.mark.parametrize("in_actions", [True, False])
def test_escape_sequences_in_a_report_never_reach_the_terminal(workspace, tmp_path, in_actions):
    # A failure message and a test name carrying OSC 52 (clipboard write), OSC 8 (hyperlink), SGR
    # (hidden text) and a C1 CSI: no ESC, BEL or C1 byte is printed, inside Actions or outside.
    make_repo(workspace)
    cases = "".join(f'<testcase classname="suite" name="t{i} {escape(e)}" file="src/mod.py" line="{i + 2}"><failure message="m {escape(e)}">'
                    f'trace {escape(e)}</failure></testcase>' for i, e in enumerate(ESCAPES))
    report = tmp_path / "junit.xml"
    report.write_text(f'<testsuite name="s">{cases}</testsuite>', encoding="utf-8")
    if in_actions:
        proc = run_local(workspace, "tests", "--report", str(report))
    else:
        proc = run_tollgate(["tests", "--report", str(report)], None, None, token="")
    assert proc.returncode == 1, proc.stderr
    assert "t0 ^[]52;c;ZXZpbA==^G" in proc.stdout + proc.stderr  # the test is named, its controls shown
    for stream in (proc.stdout, proc.stderr):
        assert not any(c in stream for c in ("\x1b", "\x07", "\u009b")), repr(stream[-2000:])


def escape(text):
    """Controls as numeric character references (&#27;), which the XML reader decodes: a
    hand-made file, since XML 1.0 forbids ESC and the report writers differ in how they write it."""
    return "".join(f"&#{ord(c)};" if ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f else c for c in text) \
        .replace('"', "&quot;")


def test_stack_frame_resolution_is_bounded_by_distinct_paths(workspace, tmp_path):
    # 20,000 failures × 50 frames of one path whose basename 2,000 tracked files share: resolved
    # once, not once per frame (which took hours at this scale's upper end: 170k × 200 frames).
    for i in range(2000):
        p = workspace.path / f"pkg{i}" / "__init__.py"
        p.parent.mkdir()
        p.write_text("")
    workspace.commit("packages")
    frames = "".join(f'  File "/build/vendor/site/pkg/__init__.py", line 1, in f{k}\n' for k in range(50))
    case = f'<testcase classname="tests.t" name="t{{}}"><failure message="boom">Traceback:\n{frames}</failure></testcase>'
    report = tmp_path / "junit.xml"
    report.write_text('<testsuite name="s">' + "".join(case.format(i) for i in range(20000)) + "</testsuite>")
    # CPU time of the run and its children (git), not wall time: tests run on every core at once
    # (scripts/test), and a loaded machine stretches wall time without any work being repeated.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = run_local(workspace, "tests", "--report", str(report), timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "20000 tests, 20000 failed" in workspace.summary.read_text(), workspace.summary.read_text()[:500]
    assert cpu < 10, cpu
    print(f"20,000 failures × 50 frames: {cpu:.1f} s CPU")



def huge_pages_offered():
    try:
        return "[never]" not in open("/sys/kernel/mm/transparent_hugepage/enabled").read()
    except OSError:
        return False


def run_measured(workspace, *args):
    """One local run: its exit code, its resource usage (os.wait4: page faults, CPU time) and its
    stderr (in a file, so that a long one cannot fill a pipe nobody reads)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([os.environ["TOLLGATE_BIN"], *args], cwd=workspace.path, env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), usage, err.read().decode(errors="replace")


@pytest.mark.skipif(SANITIZED, reason="the sanitizers' allocator is not glibc's heap")
@pytest.mark.skipif(not huge_pages_offered(), reason="the kernel offers no transparent huge pages")
def test_what_a_large_report_keeps_is_faulted_in_on_huge_pages(workspace):
    """Issue 18: the failures' messages, traces and output a report keeps are filled in at once.
    On 4 KiB pages each page is a fault (about 6 µs on a virtual machine: half the CPU time of the
    bench's 2,000 failures with traces). This 11 MB report keeps ~11 MB (2,650 pages); measured
    here: 4,700 faults for the whole run before, 570 after (the executable's own included)."""
    make_repo(workspace)
    trace = "".join(f"\tat com.acme.deep.Layer{k}.call(Layer{k}.java:{k + 1})\n" for k in range(200))
    out = "log line with some text &amp; an entity\n" * 200
    cases = "".join(f'<testcase classname="com.acme.Suite" name="test_{t}" time="1.5">'
                    f'<failure message="boom {t}" type="java.lang.AssertionError">AssertionError: boom\n{trace}'
                    f'</failure><system-out>{out}</system-out></testcase>\n' for t in range(600))
    workspace.write("junit.xml", f'<testsuite name="s">\n{cases}</testsuite>\n')
    code, usage, stderr = run_measured(workspace, "tests", "--report", "junit.xml", "--dry-run", "--json", "out.json")
    assert code == 1, stderr
    assert json.loads((workspace.path / "out.json").read_text())["totals"]["failed"] == 600
    kept_pages = (11 << 20) // 4096
    assert usage.ru_minflt < kept_pages / 2, f"{usage.ru_minflt} page faults"


@pytest.mark.skipif(SANITIZED, reason="the sanitizers' allocator is not glibc's heap")
@pytest.mark.skipif(not huge_pages_offered(), reason="the kernel offers no transparent huge pages")
def test_a_large_cobertura_reports_model_is_faulted_in_on_huge_pages(workspace):
    """Issue 18: every line's hits (600,000 lines: 4.7 MB of model, 1,170 pages of 4 KiB) are
    filled in at once. Measured here for the whole run: 2,700 page faults before, 570 after."""
    for i in range(600):
        workspace.write(f"src/m{i}.py", "pass\n")
    workspace.commit("600 modules")
    lines = "".join(f'<line number="{n}" hits="{n % 3}"/>\n' for n in range(1, 1001))
    classes = "".join(f'<class name="m{i}.py" filename="src/m{i}.py"><methods/><lines>\n{lines}</lines></class>\n'
                      for i in range(600))
    workspace.write("coverage.xml", f'<?xml version="1.0" ?>\n<coverage version="7.4"><packages><package name="src">'
                                    f'<classes>\n{classes}</classes></package></packages></coverage>\n')
    code, usage, stderr = run_measured(workspace, "coverage", "--report", "coverage.xml", "--dry-run", "--json",
                                       "out.json")
    assert code == 0, stderr
    assert json.loads((workspace.path / "out.json").read_text())["totals"]["lines"] == 600_000
    model_pages = 600_000 * 8 // 4096
    assert usage.ru_minflt < model_pages, f"{usage.ru_minflt} page faults"


def cpu_seconds(argv, cwd, env):
    """User plus system CPU time of one run, its reaped children (git) included: on a loaded
    machine far steadier than wall time, which waits for the other jobs' turns."""
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return usage.ru_utime + usage.ru_stime


# Issue 18: start-up within a few milliseconds. Not a benchmark (scripts/bench.d/startup.sh times
# it): a coarse bound against /bin/true measured in the same run, interleaved with it, as CPU time
# (the fastest of 30 runs each), so that a loaded two-core CI machine slows all alike. Measured
# here under load: /bin/true 3.3 ms; --version 21–28 ms before (40 shared libraries to map and
# relocate, libcurl's among them), 8–10 ms after (docs/performance.md).
STARTUP_FACTOR = 4
STARTUP_SLACK_S = 0.004
# What a one-case dry run may add to --version: reading the report, deciding, printing the plan
# (measured: about 1 ms CPU; it starts no process).
STARTUP_DRY_RUN_S = 0.003


@pytest.mark.skipif(SANITIZED, reason="the sanitizer runtime's own start-up is not the agent's")
def test_start_up_stays_within_a_bound_of_bin_true(workspace):
    make_repo(workspace)
    workspace.write("junit.xml", '<testsuite name="s"><testcase classname="m" name="t"/></testsuite>\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    tollgate = os.environ.get("TOLLGATE_BIN", "build/tollgate")
    commands = {"true": ["/bin/true"], "version": [tollgate, "--version"],
                "dry-run": [tollgate, "tests", "--report", "junit.xml", "--dry-run"]}
    best = {name: float("inf") for name in commands}
    for _ in range(30):
        for name, argv in commands.items():
            best[name] = min(best[name], cpu_seconds(argv, workspace.path, env))
    bound = STARTUP_FACTOR * best["true"] + STARTUP_SLACK_S
    timings = ", ".join(f"{name} {seconds * 1000:.1f} ms" for name, seconds in best.items())
    assert best["version"] < bound, f"--version over {bound * 1000:.1f} ms CPU: {timings}"
    # The dry run reads the report and writes the plan; it starts no git (below).
    assert best["dry-run"] < bound + STARTUP_DRY_RUN_S, \
        f"--dry-run over {(bound + STARTUP_DRY_RUN_S) * 1000:.1f} ms CPU: {timings}"


def test_git_starts_only_when_a_failure_needs_the_repository_files(workspace, tmp_path):
    """Start-up (issue 18): `git ls-files` (a process of its own, several milliseconds) runs only
    when a report path must be matched to the repository's files: here, a failure's location. A
    `git` ahead on PATH records each start and hands over to the real one."""
    make_repo(workspace)
    log = tmp_path / "git-starts.log"
    shim = tmp_path / "bin"
    shim.mkdir()
    real_git = subprocess.run(["sh", "-c", "command -v git"], stdout=subprocess.PIPE, text=True).stdout.strip()
    (shim / "git").write_text(f'#!/bin/sh\necho "$*" >>{log}\nexec {real_git} "$@"\n')
    (shim / "git").chmod(0o755)
    env = {"PATH": f"{shim}:{os.environ['PATH']}"}
    workspace.write("pass.xml", '<testsuite name="s"><testcase classname="m" name="t" file="src/mod.py"/></testsuite>\n')
    workspace.write("fail.xml", '<testsuite name="s"><testcase classname="m" name="t" file="src/mod.py">'
                                '<failure message="boom">src/mod.py:3: boom</failure></testcase></testsuite>\n')
    passed = run_tollgate(["tests", "--report", "pass.xml", "--dry-run"], workspace, None, token="", extra_env=env)
    assert passed.returncode == 0, passed.stderr
    assert not log.exists(), log.read_text()
    failed = run_tollgate(["tests", "--report", "fail.xml", "--dry-run"], workspace, None, token="", extra_env=env)
    assert failed.returncode == 1, failed.stderr
    assert "ls-files" in log.read_text()
    # The failure is located in the tracked file (the list was read, not skipped).
    assert "src/mod.py" in failed.stdout
