"""The client of gh.mjs: GitHub's own workflow parser and expression evaluator (the npm packages
@actions/workflow-parser and @actions/expressions, installed by `scripts/setup --test` into
tests/harness/node_modules) in one long-lived Node process per Python process, JSON lines both ways.

    parse_workflow(path) / parse_action(path) → the template as JSON ({"$expr": e} for expressions);
        an invalid file raises InvalidWorkflow with the parser's messages (file, line, column).
    load(text) / load_file(path) → plain YAML data, read by the `yaml` package the parser uses.
    ask_eval(...) → one expression's value.
"""
import atexit
import copy
import hashlib
import json
import subprocess
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "gh.mjs"


class YamlError(ValueError):
    """A file GitHub would refuse: not YAML, or (as a workflow or action) not valid for its schema."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


class _Helper:
    def __init__(self):
        self.proc = None
        self.serial = 0
        self.lock = threading.Lock()

    def _start(self):
        if not (HERE / "node_modules/@actions/workflow-parser").is_dir():
            raise RuntimeError("tests/harness/node_modules is missing: run scripts/setup --test "
                               "(or npm ci in tests/harness)")
        self.proc = subprocess.Popen(["node", str(SCRIPT)], cwd=HERE, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, encoding="utf-8", bufsize=1)
        atexit.register(self.close)

    def close(self):
        if self.proc and self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)

    def ask(self, request, callback=None):
        """One request, one answer (matched by id, so a stray line can never answer the next
        request); a callback request is answered in between. Any failure on the way restarts the
        helper rather than leaving it waiting mid-conversation."""
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self._start()
            self.serial += 1
            try:
                self.proc.stdin.write(json.dumps(dict(request, id=self.serial)) + "\n")
                self.proc.stdin.flush()
                while True:
                    line = self.proc.stdout.readline()
                    if not line:
                        raise RuntimeError("the workflow-parser helper (gh.mjs) exited")
                    answer = json.loads(line)
                    if answer.get("id") != self.serial:
                        raise RuntimeError(f"gh.mjs answered out of turn: {line[:200]!r}")
                    if "callback" not in answer:
                        return answer
                    value = callback(answer["callback"], answer["args"]) if callback else ""
                    self.proc.stdin.write(json.dumps({"value": value}) + "\n")
                    self.proc.stdin.flush()
            except BaseException:
                self.proc.kill()
                self.proc.wait()
                self.proc = None
                raise


_helper = _Helper()
_cache = {}


def _parsed(op, name, content):
    key = (op, name, hashlib.sha256(content.encode()).hexdigest())
    if key not in _cache:
        _cache[key] = _helper.ask({"op": op, "name": name, "content": content})
    answer = _cache[key]
    if not answer["ok"]:
        raise YamlError(answer["errors"])
    return copy.deepcopy(answer["value"])  # callers may change what they get; the cache stays as parsed


def parse_workflow(path):
    path = Path(path)
    return _parsed("workflow", path.name, path.read_text())


def parse_action(path):
    path = Path(path)
    return _parsed("action", str(path), path.read_text())


def load(text, name="<text>"):
    return _parsed("yaml", name, text)


def load_file(path):
    path = Path(path)
    return _parsed("yaml", str(path), path.read_text())


def ask_eval(request, callback=None):
    return _helper.ask(dict(request, op="eval"), callback)
