"""`tollgate scan` (issue #16) against the emulator, on SARIF from real tools (tests/data/sarif,
README there): the official validator accepts the inputs; new/unchanged/fixed on a base and a head
scan of one project; annotations batched by 50 and never duplicated under faults; the fork
fallback within the runner's per-step caps; the title, outputs and summary; hostile SARIF; bad
input exits 2 naming the file and the line."""
import json
import math
import re
import shutil
import subprocess
import sys
from collections import Counter

import pytest

from conftest import ROOT, TOKEN, TOLLGATE, run_tollgate

sys.path.insert(0, str(ROOT / "tests"))
from support import markdown, runner_log  # noqa: E402

DATA = ROOT / "tests/data/sarif"
TOOLS = ROOT / "tests/sarif-tools/node_modules"
MULTITOOL = TOOLS / ".bin/sarif-multitool"
SCHEMA = TOOLS / "@microsoft/sarif-multitool-linux/sarif-2.1.0.json"

# Errors the official validator reports on files kept exactly as the tools wrote them; each is one
# of the messy cases the reader must take (issue #16 item 6). Any other error fails the test.
KNOWN_VALIDATOR_ERRORS = {
    # @microsoft/eslint-formatter-sarif 3.1.0 writes "$schema": ".../sarif-2.1.0-rtm.5".
    "eslint-shop-base.sarif": Counter({"SARIF1011": 1}),
    "eslint-shop-head.sarif": Counter({"SARIF1011": 1}),
    # ruleIndex 0 with an empty tool.driver.rules (the reader trusts ruleId).
    "third-party/codeql/fingerprinting.expected.sarif": Counter({"SARIF1009": 2}),
    # artifactLocation.uri "/some/path" starting with a slash, no uriBaseId.
    "third-party/grype/directory.sarif": Counter({"SARIF1004": 2}),
}


def sarif_inputs():
    return sorted(p for p in DATA.rglob("*.sarif") if "hostile" not in p.parts)


def validate(paths, tmp_path):
    """Runs `sarif-multitool validate` once over `paths` against the SARIF 2.1.0 schema it ships;
    returns {path: Counter(rule id of each error)}. The tool exits 0 whatever it finds: the
    verdict is in its output log (itself SARIF)."""
    log = tmp_path / "validation.sarif"
    proc = subprocess.run([str(MULTITOOL), "validate", "--json-schema", str(SCHEMA), "--log", "ForceOverwrite",
                           "--output", str(log), *map(str, paths)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=300)
    assert log.exists(), proc.stdout
    errors = {p: Counter() for p in paths}
    for result in json.loads(log.read_text())["runs"][0].get("results", []):
        if result.get("level", "warning") != "error":
            continue
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        [path] = [p for p in paths if p.resolve().as_uri() == uri]
        errors[path][result["ruleId"]] += 1
    return errors


needs_multitool = pytest.mark.skipif(not MULTITOOL.exists(),
                                     reason="@microsoft/sarif-multitool is not installed (scripts/setup --test)")


@needs_multitool
def test_inputs_pass_the_official_validator(tmp_path):
    inputs = sarif_inputs()
    assert len(inputs) >= 13
    found = validate(inputs, tmp_path)
    for path, errors in found.items():
        name = str(path.relative_to(DATA))
        assert errors == KNOWN_VALIDATOR_ERRORS.get(name, Counter()), f"{name}: {dict(errors)}"


@needs_multitool
def test_the_validator_finds_a_mistake_when_there_is_one(tmp_path):
    broken = tmp_path / "broken.sarif"
    doc = json.loads((DATA / "clang-analyze.sarif").read_text())
    del doc["runs"][0]["results"][0]["message"]  # a result must have a message
    broken.write_text(json.dumps(doc))
    assert validate([broken], tmp_path)[broken] == Counter({"JSON1002": 1})  # JSON1002: a required property is missing
