"""Command line of the harness, for the demo and for trying a workflow by hand:

    PYTHONPATH=tests python3 -m harness workflow FILE --workspace DIR [options]
    PYTHONPATH=tests python3 -m harness action USES --workspace DIR [--with NAME=VALUE ...] [options]

Options: --origin DIR (what actions/checkout fetches; default the workspace's repository),
--event NAME, --event-file JSON, --input NAME=VALUE (workflow_dispatch), --sha, --ref,
--repo OWNER/NAME, --api URL, --token T, --run-id N, --var NAME=VALUE, --env-var ENV:NAME=VALUE,
--secret NAME=VALUE, --env NAME=VALUE (process environment), --path DIR (prepended to PATH),
--alias OWNER/REPO=DIR (default tollgate/tollgate=this checkout), --override JOB/STEP=FILE (the
step's run: script replaced by FILE's text), --deployments (create the Deployments GitHub creates
for jobs with environment:), --log steps|full, --json FILE (the results).
Exit status: 0 when every job succeeded, 1 otherwise, 2 on a harness error.
"""
import argparse
import json
import os
import sys
from pathlib import Path

from . import deployments
from .expressions import ExpressionError
from .runner import Harness, HarnessError
from .stubs import default_stubs

ROOT = Path(__file__).resolve().parents[2]
ICONS = {"success": "✓", "failure": "✗", "skipped": "⤼", "cancelled": "⊘"}


def pairs(values, what):
    out = {}
    for v in values or []:
        if "=" not in v:
            raise SystemExit(f"harness: {what} '{v}' is not NAME=VALUE")
        k, val = v.split("=", 1)
        out[k] = val
    return out


def print_job(job, log):
    matrix = f" {json.dumps(job.matrix)}" if job.matrix else ""
    print(f"  {ICONS.get(job.result, '?')} job {job.name}{matrix if job.name == job.job_id else ''}: {job.result}")
    for top in job.steps:
        for depth, step in walk(top, 0):
            if depth > 1 and log != "full":
                continue
            print(f"  {'   ' * (depth + 1)}{ICONS.get(step.outcome, '?')} {step.name}")
            text = (step.stdout + step.stderr).splitlines()
            for line in text:
                if log == "full" or line.startswith(("::error", "::warning", "::notice")) or \
                        (step.name == "Run tollgate" and not line.startswith("::add-mask::")):
                    print(f"  {'   ' * (depth + 2)}│ {line}")


def walk(step, depth):
    yield depth, step
    for inner in step.steps:
        yield from walk(inner, depth + 1)


def main(argv=None):
    p = argparse.ArgumentParser(prog="harness", description=__doc__.splitlines()[0])
    p.add_argument("what", choices=["workflow", "action"])
    p.add_argument("target")
    p.add_argument("--workspace", required=True)
    p.add_argument("--origin", help="the repository actions/checkout fetches from (default: the workspace)")
    p.add_argument("--event", default="push")
    p.add_argument("--event-file")
    p.add_argument("--input", action="append")
    p.add_argument("--with", dest="with_", action="append")
    p.add_argument("--sha", default="0" * 40)
    p.add_argument("--ref", default="refs/heads/main")
    p.add_argument("--repo", default="octo/app")
    p.add_argument("--api", default="https://api.github.example")
    p.add_argument("--token", default="")
    p.add_argument("--run-id", default="1001")
    p.add_argument("--var", action="append")
    p.add_argument("--env-var", action="append")
    p.add_argument("--secret", action="append")
    p.add_argument("--env", action="append")
    p.add_argument("--path", action="append")
    p.add_argument("--alias", action="append")
    p.add_argument("--override", action="append")
    p.add_argument("--deployments", action="store_true")
    p.add_argument("--log", choices=["steps", "full"], default="steps")
    p.add_argument("--json")
    a = p.parse_args(argv)

    event = json.loads(Path(a.event_file).read_text()) if a.event_file else {}
    env = pairs(a.env, "--env")
    if a.path:
        env["PATH"] = os.pathsep.join([*a.path, env.get("PATH", os.environ.get("PATH", os.defpath))])
    aliases = {"tollgate/tollgate": ROOT}
    aliases.update({k: Path(v) for k, v in pairs(a.alias, "--alias").items()})
    environment_vars = {}
    for item in a.env_var or []:
        environment, _, rest = item.partition(":")
        environment_vars.setdefault(environment, {}).update(pairs([rest], "--env-var"))
    overrides = {}
    for key, file in pairs(a.override, "--override").items():
        job, _, step = key.partition("/")
        overrides[(job, step)] = Path(file).read_text()
    hooks = deployments.hooks(a.api, a.token) if a.deployments else (None, None)
    harness = Harness(a.workspace, github={
        "repository": a.repo, "sha": a.sha, "ref": a.ref, "event_name": a.event, "event": event, "api_url": a.api,
        "token": a.token, "server_url": "https://github.example", "run_id": a.run_id,
    }, aliases=aliases, stubs=default_stubs(), env=env, secrets=pairs(a.secret, "--secret"),
        vars=pairs(a.var, "--var"), environment_vars=environment_vars, step_overrides=overrides,
        on_job_start=hooks[0], on_job_end=hooks[1], origin=a.origin)
    try:
        if a.what == "workflow":
            result = harness.run_workflow(a.target, event_name=a.event, event=event, inputs=pairs(a.input, "--input"))
            print(f"▶ {result.run_name}")
            jobs = [j for legs in result.jobs.values() for j in legs]
        else:
            job = harness.run_action(a.target, pairs(a.with_, "--with"), step_id="action")
            jobs = [job]
    except (HarnessError, ExpressionError) as e:
        print(f"harness: error: {e}", file=sys.stderr)
        return 2
    for job in jobs:
        print_job(job, a.log)
    if a.json:
        Path(a.json).write_text(json.dumps([{"job": j.job_id, "name": j.name, "matrix": j.matrix, "result": j.result,
                                             "outputs": j.outputs,
                                             "steps": {s.id: s.outputs for top in j.steps for s in top.all_steps()}}
                                            for j in jobs], indent=2, default=str))
    return 0 if all(j.result in ("success", "skipped") for j in jobs) else 1


if __name__ == "__main__":
    sys.exit(main())
