"""Self-tests for the GitHub REST API emulator in tests/emulator/.

Run: /usr/bin/python3 -m pytest tests/integration/emulator_selftest.py
Needs node and `npm ci` (or `npm install`) done in tests/emulator/. Stdlib only.
"""

import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
EMU_DIR = ROOT / "tests" / "emulator"
SHA = "0123456789abcdef0123456789abcdef01234567"
SHA2 = "89abcdef0123456789abcdef0123456789abcdef"
REPO = "/repos/acme/widgets"


class Response:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw

    @property
    def json(self):
        return json.loads(self.raw) if self.raw else None


class Emulator:
    def __init__(self, base):
        self.base = base

    def request(self, method, path, body=None, token="test-token", headers=None, raw_body=None,
                api_version="2022-11-28", accept="application/vnd.github+json"):
        h = {"User-Agent": "tollgate-selftest"}
        if accept is not None:
            h["Accept"] = accept
        if api_version is not None:
            h["X-GitHub-Api-Version"] = api_version
        if token is not None:
            h["Authorization"] = "Bearer " + token
        data = raw_body
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        url = path if path.startswith("http") else self.base + path
        req = urllib.request.Request(url, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + "/_emulator/" + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def validation_errors(self):
        return self.control("GET", "validation-errors")["validation_errors"]

    def state(self):
        return self.control("GET", "state")["repos"].get("acme/widgets", {})


@pytest.fixture(scope="module")
def emulator():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed")
    if not (EMU_DIR / "node_modules" / "@octokit" / "openapi").is_dir():
        pytest.fail("run `npm ci` in tests/emulator first")
    tmp = tempfile.mkdtemp(prefix="emu-selftest-")
    port_file = os.path.join(tmp, "port")
    proc = subprocess.Popen([node, str(EMU_DIR / "server.js"), "--port-file", port_file, "--check-responses"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 10
        while not os.path.exists(port_file):
            if proc.poll() is not None:
                pytest.fail("emulator exited: " + proc.stderr.read().decode(errors="replace"))
            if time.time() > deadline:
                pytest.fail("emulator did not start within 10 s")
            time.sleep(0.02)
        port = int(open(port_file).read().strip())
        line = proc.stdout.readline().decode().strip()
        assert line == "emulator listening on http://127.0.0.1:%d" % port
        yield Emulator("http://127.0.0.1:%d" % port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def emu(emulator):
    emulator.control("POST", "reset")
    yield emulator
    # Every response the emulator produced must match GitHub's documented response schema.
    assert emulator.control("GET", "response-errors")["response_errors"] == []


def annotation(i=0, **kw):
    a = {"path": "src/a%d.cc" % i, "start_line": i + 1, "end_line": i + 1,
         "annotation_level": "warning", "message": "message %d" % i}
    a.update(kw)
    return a


def create_check_run(emu, **kw):
    body = {"name": "tollgate", "head_sha": SHA}
    body.update(kw)
    return emu.request("POST", REPO + "/check-runs", body)


def test_valid_check_run_create_passes(emu):
    r = create_check_run(emu, status="in_progress", external_id="ext-1",
                         output={"title": "T", "summary": "S", "annotations": [annotation(0)]})
    assert r.status == 201, r.raw
    cr = r.json
    assert cr["name"] == "tollgate" and cr["status"] == "in_progress" and cr["conclusion"] is None
    assert cr["output"]["annotations_count"] == 1
    assert cr["url"] == "%s%s/check-runs/%d" % (emu.base, REPO, cr["id"])
    assert int(r.headers["x-ratelimit-limit"]) == 5000
    for h in ("x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-used", "x-ratelimit-resource"):
        assert h in r.headers
    assert emu.validation_errors() == []
    got = emu.request("GET", "%s/check-runs/%d" % (REPO, cr["id"]))
    assert got.status == 200 and got.json["external_id"] == "ext-1"
    stored = emu.state()["check_runs"]
    assert [c["id"] for c in stored] == [cr["id"]] and stored[0]["annotations"][0]["message"] == "message 0"
    log = emu.control("GET", "requests")["requests"]
    assert log[0]["auth_header_present"] is True and "test-token" not in json.dumps(log)


@pytest.mark.parametrize("extra,needle", [
    ({"conclusion": "great"}, "conclusion"),
    ({"colour": "blue"}, "colour"),
    ({"status": 3}, "status"),
    ({"output": {"title": "t", "summary": "s", "annotations": [annotation(0, start_line="1")]}}, "start_line"),
])
def test_schema_violations_rejected_and_recorded(emu, extra, needle):
    r = create_check_run(emu, **extra)
    assert r.status == 422, r.raw
    assert r.json["message"].startswith("Validation Failed (emulator:")
    assert any(needle in (e.get("field", "") + e.get("message", "")) for e in r.json["errors"])
    errs = emu.validation_errors()
    assert len(errs) == 1 and errs[0]["operation_id"] == "checks/create"
    assert emu.state().get("check_runs", []) == []
    assert emu.control("GET", "requests")["requests"][0]["validation_error"]


def test_annotation_count_limit(emu):
    ok = create_check_run(emu, output={"title": "t", "summary": "s", "annotations": [annotation(i) for i in range(50)]})
    assert ok.status == 201
    r = create_check_run(emu, output={"title": "t", "summary": "s", "annotations": [annotation(i) for i in range(51)]})
    assert r.status == 422
    assert len(emu.validation_errors()) == 1


def test_annotation_field_limits(emu):
    big = "x" * 65537
    for a in (annotation(0, title="t" * 256), annotation(0, message=big), annotation(0, raw_details=big),
              annotation(0, start_line=1, end_line=2, start_column=3)):
        r = create_check_run(emu, output={"title": "t", "summary": "s", "annotations": [a]})
        assert r.status == 422, a.keys()
    ok = create_check_run(emu, output={"title": "t", "summary": "s", "annotations": [
        annotation(0, title="t" * 255, message="m" * 65536, raw_details="r" * 65536)]})
    assert ok.status == 201


def test_summary_and_text_limits(emu):
    assert create_check_run(emu, output={"title": "t", "summary": "s" * 65535, "text": "x" * 65535}).status == 201
    assert create_check_run(emu, output={"title": "t", "summary": "s" * 65536}).status == 422
    assert create_check_run(emu, output={"title": "t", "summary": "s", "text": "x" * 65536}).status == 422
    assert create_check_run(emu, output={"summary": "no title"}).status == 422
    assert len(emu.validation_errors()) == 3


def test_status_description_limit(emu):
    ok = emu.request("POST", REPO + "/statuses/" + SHA, {"state": "success", "context": "tollgate", "description": "d" * 140})
    assert ok.status == 201
    r = emu.request("POST", REPO + "/statuses/" + SHA, {"state": "success", "context": "tollgate", "description": "d" * 141})
    assert r.status == 422 and "140" in r.json["message"]
    assert len(emu.validation_errors()) == 1
    combined = emu.request("GET", REPO + "/commits/" + SHA + "/status")
    assert combined.status == 200 and combined.json["state"] == "success" and combined.json["total_count"] == 1


def test_comment_body_limit(emu):
    assert emu.request("POST", REPO + "/issues/7/comments", {"body": "b" * 65536}).status == 201
    assert emu.request("POST", REPO + "/issues/7/comments", {"body": "b" * 65537}).status == 422


def test_patch_appends_annotations(emu):
    cr = create_check_run(emu, output={"title": "t", "summary": "s", "annotations": [annotation(0), annotation(1)]}).json
    r = emu.request("PATCH", "%s/check-runs/%d" % (REPO, cr["id"]), {
        "status": "completed", "conclusion": "failure",
        "output": {"title": "t2", "summary": "s2", "annotations": [annotation(i) for i in range(2, 5)]}})
    assert r.status == 200, r.raw
    assert r.json["output"]["annotations_count"] == 5 and r.json["conclusion"] == "failure"
    assert r.json["output"]["title"] == "t2" and r.json["completed_at"]
    page = emu.request("GET", "%s/check-runs/%d/annotations?per_page=3" % (REPO, cr["id"]))
    assert [a["message"] for a in page.json] == ["message 0", "message 1", "message 2"]
    assert 'rel="next"' in page.headers["Link"]
    assert len(emu.state()["check_runs"][0]["annotations"]) == 5
    # status completed without a conclusion is rejected by the schema
    assert emu.request("PATCH", "%s/check-runs/%d" % (REPO, cr["id"]), {"status": "completed"}).status == 422


def parse_link(value):
    links = {}
    for part in value.split(","):
        url, rel = part.split(";")
        links[rel.strip().split("=")[1].strip('"')] = url.strip()[1:-1]
    return links


def test_link_header_pagination(emu):
    for i in range(5):
        assert emu.request("POST", REPO + "/issues/3/comments", {"body": "c%d" % i}).status == 201
    r = emu.request("GET", REPO + "/issues/3/comments?per_page=2")
    links = parse_link(r.headers["Link"])
    assert set(links) == {"next", "last"}
    assert "page=2" in links["next"] and "page=3" in links["last"] and "per_page=2" in links["next"]
    seen = [c["body"] for c in r.json]
    url = links["next"]
    while url:
        r = emu.request("GET", url)
        seen += [c["body"] for c in r.json]
        url = parse_link(r.headers["Link"]).get("next")
    assert seen == ["c0", "c1", "c2", "c3", "c4"]
    assert "prev" in parse_link(r.headers["Link"]) and "next" not in parse_link(r.headers["Link"])
    # check runs for a ref, filtered by name, paginated
    for i in range(3):
        create_check_run(emu, name="n%d" % i)
    create_check_run(emu, name="other", head_sha=SHA2)
    lst = emu.request("GET", REPO + "/commits/" + SHA + "/check-runs?per_page=2&page=2")
    assert lst.json["total_count"] == 3 and len(lst.json["check_runs"]) == 1
    assert set(parse_link(lst.headers["Link"])) == {"prev", "first"}
    one = emu.request("GET", REPO + "/commits/" + SHA + "/check-runs?check_name=n1&status=queued")
    assert one.json["total_count"] == 1 and one.json["check_runs"][0]["name"] == "n1"
    assert emu.request("GET", REPO + "/commits/" + SHA + "/check-runs?status=bogus").status == 422
    assert emu.request("GET", REPO + "/commits/" + SHA + "/check-runs?per_page=abc").status == 422
    assert emu.request("GET", REPO + "/commits/" + SHA + "/check-runs?nonsense=1").status == 422


def test_applied_502_applies_then_fails(emu):
    emu.control("POST", "faults/once", {"kind": "applied_502", "method": "POST", "path_regex": "/comments$"})
    r = emu.request("POST", REPO + "/issues/1/comments", {"body": "hello"})
    assert r.status == 502 and b"502" in r.raw
    assert [c["body"] for c in emu.state()["comments"]] == ["hello"]
    assert emu.control("GET", "requests")["requests"][-1]["fault"] == "applied_502"


def test_non_applied_faults(emu):
    emu.control("POST", "settings", {"retry_after_s": 7})
    emu.control("POST", "faults/once", [{"kind": "503"}, {"kind": "secondary_rate_limit"},
                                        {"kind": "rate_limit_429"}, {"kind": "primary_rate_limit"}])
    body = {"body": "x"}
    assert emu.request("POST", REPO + "/issues/1/comments", body).status == 503
    r = emu.request("POST", REPO + "/issues/1/comments", body)
    assert r.status == 403 and r.headers["retry-after"] == "7" and "secondary rate limit" in r.json["message"]
    r = emu.request("POST", REPO + "/issues/1/comments", body)
    assert r.status == 429 and r.headers["retry-after"] == "7"
    r = emu.request("POST", REPO + "/issues/1/comments", body)
    assert r.status == 403 and r.headers["x-ratelimit-remaining"] == "0"
    assert int(r.headers["x-ratelimit-reset"]) <= int(time.time()) + 2
    assert emu.state().get("comments", []) == []
    emu.control("POST", "faults/once", {"kind": "reset"})
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        emu.request("POST", REPO + "/issues/1/comments", body)
    assert emu.request("POST", REPO + "/issues/1/comments", body).status == 201
    assert len(emu.state()["comments"]) == 1
    # control paths are never faulted
    emu.control("POST", "faults", {"rate": 1, "kinds": ["500"], "seed": 1})
    assert emu.control("GET", "health")["ok"] is True
    assert emu.request("GET", REPO + "/issues/1/comments").status == 500


def test_seeded_faults_are_reproducible(emu):
    def run():
        emu.control("POST", "reset")
        emu.control("POST", "faults", {"rate": 0.5, "kinds": ["500", "503"], "seed": 42, "only_methods": ["POST"]})
        codes = [emu.request("POST", REPO + "/issues/2/comments", {"body": "x"}).status for _ in range(12)]
        assert emu.request("GET", REPO + "/issues/2/comments").status == 200  # GET not faulted
        return codes
    first = run()
    assert first == run()
    assert 201 in first and (500 in first or 503 in first)


def test_tokens(emu):
    emu.control("POST", "tokens", {"token": "ro", "mode": "read-only"})
    emu.control("POST", "tokens", {"token": "nope", "mode": "bad"})
    r = emu.request("POST", REPO + "/statuses/" + SHA, {"state": "pending"}, token="ro")
    assert r.status == 403 and r.json["message"] == "Resource not accessible by integration"
    assert emu.request("GET", REPO + "/commits/" + SHA + "/statuses", token="ro").status == 200
    r = emu.request("GET", REPO + "/commits/" + SHA + "/statuses", token="nope")
    assert r.status == 401 and r.json["message"] == "Bad credentials"
    assert emu.request("POST", REPO + "/statuses/" + SHA, {"state": "pending"}, token=None).status == 401
    assert emu.request("GET", REPO + "/commits/" + SHA + "/statuses", token=None).status == 200
    assert emu.state().get("statuses", []) == []
    log = emu.control("GET", "requests")["requests"]
    assert [x["token_match"] for x in log[:2]] == ["configured", "configured"]
    assert "ro" not in [v for x in log for v in x.values() if isinstance(v, str) and v == "ro"]


def test_dispatch_modes(emu):
    wf = REPO + "/actions/workflows/rollback.yml/dispatches"
    inputs = {"environment": "prod", "to_ref": "", "dedupe_key": "k-1"}
    r = emu.request("POST", wf, {"ref": "main", "inputs": inputs, "return_run_details": True})
    assert r.status == 200, r.raw
    run_id = r.json["workflow_run_id"]
    assert r.json["run_url"].endswith("/actions/runs/%d" % run_id)
    run = emu.request("GET", "%s/actions/runs/%d" % (REPO, run_id)).json
    assert run["display_title"] == "Rollback prod to last good (k-1)" and run["event"] == "workflow_dispatch"
    runs = emu.request("GET", REPO + "/actions/workflows/rollback.yml/runs?event=workflow_dispatch&branch=main&created=%3E%3D2000-01-01")
    assert runs.status == 200 and [x["id"] for x in runs.json["workflow_runs"]] == [run_id]
    future = emu.request("GET", REPO + "/actions/workflows/rollback.yml/runs?created=%3E2999-01-01T00:00:00Z")
    assert future.json["total_count"] == 0

    emu.control("POST", "settings", {"dispatch_mode": "legacy"})
    r = emu.request("POST", wf, {"ref": "main", "inputs": inputs, "return_run_details": True})
    assert r.status == 422
    assert r.json["message"] == 'Invalid request.\n\n"return_run_details" is not a permitted key.'
    r = emu.request("POST", wf, {"ref": "main", "inputs": {"environment": "prod", "to_ref": "v1", "dedupe_key": "k-2"}})
    assert r.status == 204 and r.raw == b""
    st = emu.state()
    assert len(st["dispatches"]) == 2 and st["dispatches"][1]["return_run_details"] is None
    assert st["workflow_runs"][-1]["display_title"] == "Rollback prod to v1 (k-2)"


def test_required_headers(emu):
    r = emu.request("GET", REPO + "/commits/" + SHA + "/statuses", api_version=None)
    assert r.status == 422 and "X-GitHub-Api-Version" in r.json["message"]
    assert emu.request("GET", REPO + "/commits/" + SHA + "/statuses", api_version="2021-01-01").status == 422
    assert emu.request("GET", REPO + "/commits/" + SHA + "/statuses", accept="text/html").status == 422
    assert emu.request("GET", REPO + "/commits/" + SHA + "/statuses", accept="application/json").status == 200
    assert [e["status"] for e in emu.validation_errors()] == [422, 422, 422]


def test_unknown_route_and_bad_json(emu):
    assert emu.request("GET", REPO + "/check-runz/1").status == 404
    assert emu.request("PUT", REPO + "/check-runs/1", {"name": "x"}).status == 404
    r = emu.request("POST", REPO + "/check-runs", raw_body=b"{not json")
    assert r.status == 400 and r.json["message"].startswith("Problems parsing JSON")
    kinds = [e["kind"] for e in emu.validation_errors()]
    assert kinds == ["unknown_path", "unknown_method", "json"]
    assert emu.request("GET", REPO + "/check-runs/12").status == 404  # valid but absent: not a violation
    assert len(emu.validation_errors()) == 3


def test_jobs_deployments_and_shapes(emu):
    seeded = emu.control("POST", "jobs", {"repo": "acme/widgets", "run_id": 777, "run_attempt": 1, "head_sha": SHA,
                                          "jobs": [{"name": "build", "runner_name": "r1"}, {"name": "test"}]})
    job = seeded["jobs"][0]
    assert job["check_run_url"].startswith(emu.base)
    cr = emu.request("GET", urllib.parse.urlsplit(job["check_run_url"]).path)
    assert cr.status == 200 and cr.json["status"] == "in_progress" and cr.json["name"] == "build"
    assert emu.request("PATCH", urllib.parse.urlsplit(job["check_run_url"]).path,
                       {"output": {"title": "t", "summary": "s", "annotations": [annotation(0)]}}).status == 200
    jobs = emu.request("GET", REPO + "/actions/runs/777/jobs").json
    assert [j["name"] for j in jobs["jobs"]] == ["build", "test"] and jobs["jobs"][0]["runner_name"] == "r1"
    assert emu.request("GET", REPO + "/actions/runs/777/attempts/1/jobs").json["total_count"] == 2
    assert emu.request("GET", "%s/actions/jobs/%d" % (REPO, job["id"])).json["run_id"] == 777
    assert emu.request("GET", REPO + "/actions/runs/777").json["id"] == 777

    d1 = emu.control("POST", "deployments", {"repo": "acme/widgets", "environment": "prod", "sha": SHA, "ref": "main",
                                             "statuses": [{"state": "success"}]})
    d2 = emu.request("POST", REPO + "/deployments", {"ref": SHA2, "environment": "prod", "required_contexts": [],
                                                     "payload": {"k": 1}, "auto_merge": False})
    assert d2.status == 201, d2.raw
    listing = emu.request("GET", REPO + "/deployments?environment=prod")
    assert [d["id"] for d in listing.json] == [d2.json["id"], d1["id"]]
    assert emu.request("GET", REPO + "/deployments?sha=" + SHA).json[0]["id"] == d1["id"]
    s = emu.request("POST", "%s/deployments/%d/statuses" % (REPO, d2.json["id"]),
                    {"state": "success", "log_url": "http://ci.example/1", "environment_url": "http://prod.example"})
    assert s.status == 201
    assert emu.request("POST", "%s/deployments/%d/statuses" % (REPO, d2.json["id"]),
                       {"state": "failure", "description": "x" * 141}).status == 422
    sts = emu.request("GET", "%s/deployments/%d/statuses" % (REPO, d1["id"])).json
    # documented auto_inactive: "prod" is not a production environment by default
    assert [x["state"] for x in sts] == ["inactive", "success"]
    assert emu.request("GET", "%s/deployments/%d" % (REPO, d2.json["id"])).json["payload"] == {"k": 1}
    # statuses list + comment update/delete + repo
    emu.request("POST", REPO + "/statuses/" + SHA, {"state": "failure", "context": "a", "target_url": None})
    assert emu.request("GET", REPO + "/commits/" + SHA + "/status").json["state"] == "failure"
    c = emu.request("POST", REPO + "/issues/9/comments", {"body": "one"}).json
    assert emu.request("PATCH", "%s/issues/comments/%d" % (REPO, c["id"]), {"body": "two"}).json["body"] == "two"
    assert emu.request("DELETE", "%s/issues/comments/%d" % (REPO, c["id"])).status == 204
    assert emu.request("GET", REPO + "/issues/9/comments").json == []
    assert emu.request("GET", REPO).json["full_name"] == "acme/widgets"
    assert emu.request("GET", "/rate_limit").status == 200
    assert emu.validation_errors() == [v for v in emu.validation_errors() if v["operation_id"] == "repos/create-deployment-status"]
