"""`tollgate probe` against real servers on 127.0.0.1 started here: plain HTTP and HTTPS (a CA and
certificates made with the openssl CLI), a server that turns unhealthy, a slow one, one that resets
connections, a refused port. Every loop and wait is bounded; nothing leaves the loopback."""
import json
import re
import socket
import ssl
import struct
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import TOKEN, run_tollgate


# ---- servers -------------------------------------------------------------------------------

class Server:
    """A ThreadingHTTPServer whose answers come from `respond(n, handler) -> (status, body, headers)`;
    n counts requests from 1. Records every request's path and headers."""

    def __init__(self, respond, tls_context=None):
        self.respond = respond
        self.requests = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave at once: no delayed-ACK stall in latencies

            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body_in = self.rfile.read(length) if length else b""
                with server.lock:
                    server.requests.append({"path": self.path, "method": self.command, "headers": dict(self.headers),
                                            "body": body_in.decode(errors="replace")})
                    n = len(server.requests)
                status, body, headers = server.respond(n, self)
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_HEAD = _answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls_context is not None:
            self.httpd.socket = tls_context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, path="/", host="127.0.0.1"):
        scheme = "https" if isinstance(self.httpd.socket, ssl.SSLSocket) else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class ResettingServer:
    """Accepts, reads the request, then closes with SO_LINGER 0: the client sees a reset."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.settimeout(1)
            try:
                conn.recv(4096)
            except OSError:
                pass
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def serve():
    servers = []

    def start(respond, tls_context=None):
        s = Server(respond, tls_context)
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.close()


def ok_json(body):
    return lambda n, h: (200, json.dumps(body), {"Content-Type": "application/json"})


def refused_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    return port


# ---- certificates --------------------------------------------------------------------------

def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA and three leaf certificates signed by it: good for 90 days, expiring in 3 days, and one
    for the wrong host name."""
    d = tmp_path_factory.mktemp("pki")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=Tollgate Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)
    for name, days, san in (("good", 90, "IP:127.0.0.1,DNS:localhost"), ("expiring", 3, "IP:127.0.0.1,DNS:localhost"),
                            ("wronghost", 90, "DNS:wrong.example")):
        (d / f"{name}.ext").write_text(f"subjectAltName={san}\nbasicConstraints=CA:FALSE\n"
                                       "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n")
        openssl("req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}", cwd=d)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", f"{name}.pem", "-days", str(days), "-extfile", f"{name}.ext", cwd=d)
    return d


def tls_context(pki, name):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(pki / f"{name}.pem"), str(pki / f"{name}.key"))
    return ctx


# ---- running -------------------------------------------------------------------------------

def probe(tmp_path, *args, extra_env=None, timeout=30):
    out = tmp_path / "result.json"
    proc = run_tollgate(["probe", *args, "--json", str(out)], extra_env=extra_env, timeout=timeout)
    result = json.loads(out.read_text()) if out.exists() else None
    return proc, result


def kinds(p):
    return [s["kind"] for s in p["sample_log"]]


FAST = ["--interval", "20ms", "--timeout", "2s"]


# ---- HTTP ----------------------------------------------------------------------------------

def test_a_healthy_server_passes_every_expectation(serve, tmp_path):
    s = serve(ok_json({"status": "ok", "version": "1.4.2", "checks": {"db": {"latency_ms": 12}}}))
    proc, r = probe(tmp_path, "--url", s.url("/health"), "--count", "5", *FAST, "--expect-status", "200",
                    "--expect-body", '"version"', "--expect-regex", r'"version":\s*"1\.\d+', "--expect-json",
                    '/status == "ok"', "--expect-json", "/checks/db/latency_ms < 50")
    assert proc.returncode == 0, proc.stderr
    [p] = r["probes"]
    assert (p["samples"], p["failures"], p["errors"], p["verdict"], p["passed"]) == (5, 0, 0, "passed", True)
    assert kinds(p) == ["success"] * 5
    assert len(s.requests) == 5
    assert 0 < p["p50_ms"] <= p["p95_ms"] <= p["p99_ms"] < 1000
    assert r["passed"] is True and r["rollback"]["dispatched"] is False
    # Progress is printed as samples arrive, one line each.
    lines = [l for l in proc.stderr.splitlines() if l.startswith("probe ")]
    assert len(lines) == 5 and "#5/5: 200 in" in lines[-1] and "→ passed" in lines[-1]


def test_a_server_that_turns_unhealthy_fails_past_the_failure_limit(serve, tmp_path):
    s = serve(lambda n, h: (200, '{"status":"ok"}', None) if n <= 3 else (503, "Service Unavailable", None))
    proc, r = probe(tmp_path, "--url", s.url("/health"), "--count", "10", *FAST, "--failure-limit", "1")
    assert proc.returncode == 1, proc.stderr
    [p] = r["probes"]
    assert kinds(p) == ["success"] * 3 + ["failure"] * 2  # stops at the second failure
    assert (p["samples"], p["failures"], p["errors"], p["verdict"]) == (5, 2, 0, "failed")
    assert p["reason"] == "2 failures > failure-limit 1"
    assert p["sample_log"][3]["status"] == 503 and p["sample_log"][3]["reason"] == "status 503 not in 2xx"
    assert len(s.requests) == 5
    # Samples start one interval apart (never earlier).
    starts = [x["started_ms"] for x in p["sample_log"]]
    assert all(b - a >= 19 for a, b in zip(starts, starts[1:]))


def test_json_and_body_expectations_give_their_reasons(serve, tmp_path):
    s = serve(ok_json({"status": "degraded", "checks": {"db": {"latency_ms": 180}}}))
    proc, r = probe(tmp_path, "--url", s.url(), "--count", "1", *FAST, "--expect-json", '/status == "ok"',
                    "--expect-json", "/checks/db/latency_ms < 50", "--expect-regex", "^ok$")
    assert proc.returncode == 1
    [p] = r["probes"]
    assert p["sample_log"][0]["reason"] == ('body does not match /^ok$/; /status is "degraded", expected == "ok"; '
                                            '/checks/db/latency_ms is 180, expected < 50')


def test_latency_percentiles_and_their_limits(serve, tmp_path):
    # Request n takes n × 15 ms: the nearest-rank p50 of ten is the 5th (75 ms), p95 and p99 the 10th (150 ms).
    s = serve(lambda n, h: (time.sleep(0.015 * n), (200, "ok", None))[1])
    proc, r = probe(tmp_path, "--url", s.url(), "--count", "10", "--interval", "0ms", "--max-p95", "120ms")
    assert proc.returncode == 1, proc.stderr
    [p] = r["probes"]
    assert (p["samples"], p["failures"], p["errors"]) == (10, 0, 0)
    assert 75 <= p["p50_ms"] < 75 + 50
    assert 150 <= p["p95_ms"] < 150 + 50 and p["p99_ms"] == p["p95_ms"]
    assert p["verdict"] == "failed" and re.fullmatch(r"p95 1\d\d ms > max-p95 120 ms", p["reason"])


def test_a_slow_server_hits_the_per_request_limits(serve, tmp_path):
    s = serve(lambda n, h: (time.sleep(0.4), (200, "ok", None))[1])
    proc, r = probe(tmp_path, "--url", s.url(), "--count", "3", *FAST[:2], "--timeout", "150ms",
                    "--consecutive-error-limit", "1")
    assert proc.returncode == 1
    [p] = r["probes"]
    assert kinds(p) == ["error", "error"]
    assert p["sample_log"][0]["reason"] == "timed out after 150 ms"
    assert 140 <= p["sample_log"][0]["latency_ms"] < 400
    assert p["reason"] == "2 consecutive errors > consecutive-error-limit 1"

    s2 = serve(lambda n, h: (time.sleep(0.12), (200, "ok", None))[1])
    proc, r = probe(tmp_path, "--url", s2.url(), "--count", "2", *FAST, "--max-latency", "50ms", "--failure-limit", "1")
    [p] = r["probes"]
    assert kinds(p) == ["failure", "failure"] and p["verdict"] == "failed"
    assert re.fullmatch(r"took 1\d\d ms > max-latency 50 ms", p["sample_log"][0]["reason"])


def test_connection_resets_are_errors_against_the_consecutive_error_limit(tmp_path):
    srv = ResettingServer()
    try:
        proc, r = probe(tmp_path, "--url", f"http://127.0.0.1:{srv.port}/", "--count", "6", *FAST,
                        "--consecutive-error-limit", "2")
    finally:
        srv.close()
    assert proc.returncode == 1
    [p] = r["probes"]
    assert (p["samples"], p["errors"], p["failures"], p["verdict"]) == (3, 3, 0, "failed")
    assert all(s["reason"].startswith("connection reset: ") for s in p["sample_log"]), p["sample_log"]
    assert srv.accepted == 3


def test_a_refused_port_is_inconclusive_which_fails_unless_allowed(tmp_path):
    url = f"http://127.0.0.1:{refused_port()}/"
    proc, r = probe(tmp_path, "--url", url, "--count", "3", *FAST)
    assert proc.returncode == 1
    [p] = r["probes"]
    assert (p["samples"], p["errors"], p["verdict"], p["passed"]) == (3, 3, "inconclusive", False)
    assert p["reason"] == "no sample of 3 succeeded (3 errors)"
    assert p["sample_log"][0]["reason"].startswith("connection failed: ")
    assert p["p50_ms"] is None

    proc, r = probe(tmp_path, "--url", url, "--count", "3", *FAST, "--inconclusive", "pass")
    assert proc.returncode == 0
    assert r["probes"][0]["verdict"] == "inconclusive" and r["probes"][0]["passed"] is True


def test_the_consecutive_success_limit_stops_early_or_leaves_it_inconclusive(serve, tmp_path):
    s = serve(lambda n, h: (503, "", None) if n == 2 else (200, "ok", None))
    proc, r = probe(tmp_path, "--url", s.url(), "--count", "10", *FAST, "--failure-limit", "1",
                    "--consecutive-success-limit", "3")
    assert proc.returncode == 0, proc.stderr
    assert kinds(r["probes"][0]) == ["success", "failure", "success", "success", "success"]
    assert len(s.requests) == 5

    s2 = serve(lambda n, h: (503, "", None) if n % 2 == 0 else (200, "ok", None))
    proc, r = probe(tmp_path, "--url", s2.url(), "--count", "4", *FAST, "--failure-limit", "2",
                    "--consecutive-success-limit", "2")
    assert proc.returncode == 1
    assert r["probes"][0]["verdict"] == "inconclusive"
    assert r["probes"][0]["reason"] == "count 4 reached without 2 consecutive successes"


def test_probes_from_the_config_run_concurrently_with_headers_from_the_environment(serve, tmp_path):
    slow = lambda n, h: (time.sleep(0.25), (200, "ok", None))[1]
    a, b, c = serve(slow), serve(slow), serve(slow)
    config = tmp_path / "tollgate.yml"
    config.write_text(
        "analysis: {count: 3, interval: 0ms}\n"
        "probes:\n"
        f"  - {{name: alpha, url: '{a.url('/a')}', headers: {{X-Api-Key: '${{PROBE_SECRET}}'}}}}\n"
        f"  - {{name: beta, url: '{b.url('/b')}', method: POST, body: 'ping', expect-status: [200, 201]}}\n"
        f"  - {{name: gamma, url: '{c.url('/c')}', count: 2}}\n")
    started = time.monotonic()
    proc, r = probe(tmp_path, "--config", str(config), extra_env={"PROBE_SECRET": "hunter2-value"})
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert [(p["name"], p["samples"]) for p in r["probes"]] == [("alpha", 3), ("beta", 3), ("gamma", 2)]
    # 8 samples of 250 ms each: one after another that is 2 s; side by side, 0.75 s.
    assert elapsed < 1.6, elapsed
    assert a.requests[0]["headers"]["X-Api-Key"] == "hunter2-value"
    assert b.requests[0]["method"] == "POST" and b.requests[0]["body"] == "ping"
    for text in (proc.stdout, proc.stderr, json.dumps(r)):
        assert "hunter2-value" not in text


def test_bad_probe_options_are_usage_errors(tmp_path):
    proc, _ = probe(tmp_path, "--url", "http://127.0.0.1:1/", "--interval", "5")
    assert proc.returncode == 2 and "interval: '5' needs a unit: ms, s or m" in proc.stderr
    proc, _ = probe(tmp_path, "--url", "http://127.0.0.1:1/", "--header", "X: ${NOT_SET_ANYWHERE}")
    assert proc.returncode == 2 and "environment variable NOT_SET_ANYWHERE is not set" in proc.stderr
    proc, _ = probe(tmp_path, "--url", "http://127.0.0.1:1/", "--expect-json", "status == ok")
    assert proc.returncode == 2 and "a JSON pointer starts with '/'" in proc.stderr
    empty = tmp_path / "empty.yml"
    empty.write_text("")
    proc, _ = probe(tmp_path, "--config", str(empty))
    assert proc.returncode == 2 and "nothing to probe" in proc.stderr


# ---- redirects -----------------------------------------------------------------------------

def test_redirects_stay_within_the_origin_unless_allowed(serve, tmp_path):
    other = serve(lambda n, h: (200, "elsewhere", None))
    s = serve(lambda n, h: (302, "", {"Location": "/new"}) if h.path == "/old"
              else (301, "", {"Location": other.url("/x")}) if h.path == "/away" else (200, "here", None))
    proc, r = probe(tmp_path, "--url", s.url("/old"), "--count", "1", *FAST, "--expect-body", "here",
                    "--header", "X-Secret: s3")
    assert proc.returncode == 0, proc.stderr
    assert [q["path"] for q in s.requests] == ["/old", "/new"]
    assert s.requests[1]["headers"]["X-Secret"] == "s3"

    proc, r = probe(tmp_path, "--url", s.url("/away"), "--count", "1", *FAST, "--header", "X-Secret: s3")
    assert proc.returncode == 1
    assert r["probes"][0]["sample_log"][0]["reason"] == (
        f"redirected to another origin (http://127.0.0.1:{other.port}); not followed without allow-redirects")
    assert other.requests == []

    proc, r = probe(tmp_path, "--url", s.url("/away"), "--count", "1", *FAST, "--header", "X-Secret: s3",
                    "--allow-redirects", "--expect-body", "elsewhere")
    assert proc.returncode == 0, proc.stderr
    assert len(other.requests) == 1
    assert "X-Secret" not in other.requests[0]["headers"]  # the probe's headers stay with its origin


# ---- HTTPS ---------------------------------------------------------------------------------

def test_https_with_a_custom_ca_and_enough_validity_passes(serve, pki, tmp_path):
    s = serve(lambda n, h: (200, "secure", None), tls_context(pki, "good"))
    proc, r = probe(tmp_path, "--url", s.url(), "--count", "3", *FAST, "--cacert", str(pki / "ca.pem"),
                    "--tls-min-days", "30", "--expect-body", "secure")
    assert proc.returncode == 0, proc.stderr
    assert kinds(r["probes"][0]) == ["success"] * 3

    # Without the CA the chain cannot be verified: a TLS error, never a silent pass.
    proc, r = probe(tmp_path, "--url", s.url(), "--count", "1", *FAST)
    assert proc.returncode == 1
    assert r["probes"][0]["sample_log"][0]["reason"].startswith("TLS: ")


def test_a_certificate_expiring_in_three_days_trips_tls_min_days(serve, pki, tmp_path):
    s = serve(lambda n, h: (200, "ok", None), tls_context(pki, "expiring"))
    proc, r = probe(tmp_path, "--url", s.url(), "--count", "3", *FAST, "--cacert", str(pki / "ca.pem"),
                    "--tls-min-days", "14", "--failure-limit", "1")
    assert proc.returncode == 1
    [p] = r["probes"]
    assert kinds(p) == ["failure", "failure"]
    # Later samples reuse the connection (no new handshake): the expiry is remembered per origin.
    for sample in p["sample_log"]:
        assert re.fullmatch(r"certificate expires in [23]\.\d days < tls-min-days 14", sample["reason"]), sample

    proc, r = probe(tmp_path, "--url", s.url(), "--count", "1", *FAST, "--cacert", str(pki / "ca.pem"),
                    "--tls-min-days", "2")
    assert proc.returncode == 0, proc.stderr


def test_a_certificate_for_another_host_name_is_a_tls_error(serve, pki, tmp_path):
    s = serve(lambda n, h: (200, "ok", None), tls_context(pki, "wronghost"))
    proc, r = probe(tmp_path, "--url", s.url(), "--count", "2", *FAST, "--cacert", str(pki / "ca.pem"),
                    "--consecutive-error-limit", "1")
    assert proc.returncode == 1
    [p] = r["probes"]
    assert (p["errors"], p["verdict"]) == (2, "failed")
    assert p["sample_log"][0]["reason"].startswith("TLS: ")
    assert "127.0.0.1" in p["sample_log"][0]["reason"]
    assert s.requests == []  # no request went out over the unverified connection


# ---- in Actions ----------------------------------------------------------------------------

def test_in_actions_the_check_run_shows_the_probes_and_the_token_stays_home(serve, emulator, workspace, tmp_path):
    workspace.write("README", "x")
    workspace.commit()
    hostile = "::warning::pwned @octocat"
    s = serve(lambda n, h: (200, json.dumps({"status": hostile}), None) if n <= 1 else (500, "<b>down</b>", None))
    proc = run_tollgate(["probe", "--url", s.url("/health"), "--count", "4", *FAST, "--failure-limit", "1",
                         "--expect-json", '/status == "ok"', "--json", str(tmp_path / "r.json")], workspace, emulator)
    assert proc.returncode == 1, proc.stderr
    [run] = emulator.state()["check_runs"]
    assert run["name"] == "Probes" and run["conclusion"] == "failure"
    summary = run["output"]["summary"]
    # 2 samples: no p95 or p99 column (issue 15: percentiles only where the samples support them).
    assert "| Probe | Samples | Failures | Errors | p50 | Verdict |" in summary
    assert "| 2 | 2 | 0 |" in summary and "failed — 2 failures &gt; failure-limit 1" in summary
    assert "status 500 not in 2xx" in summary
    assert "@octocat" not in summary  # mentions are broken
    assert emulator.state().get("statuses", []) == []  # the check run says it; no commit status
    for line in (proc.stdout + proc.stderr).splitlines():
        assert not line.lstrip().startswith("::warning"), line
    assert workspace.outputs()["failed-probes"] == s.url("/health")
    for q in s.requests:
        assert "Authorization" not in q["headers"]
        assert TOKEN not in json.dumps(q)

    proc = run_tollgate(["probe", "--url", s.url("/"), "--header", "Authorization: Bearer ${GITHUB_TOKEN}"],
                        workspace, emulator)
    assert proc.returncode == 2 and "would send the GitHub token to its target" in proc.stderr
