"""Runs workflow jobs and composite actions the way the GitHub Actions runner does, on this
machine, so that Tollgate's actions and workflow templates are tested as users run them, with
GitHub's defaults (README.md lists them with their sources).

What the runner does and this does too:
- workflows and action.yml files read by GitHub's own parser (@actions/workflow-parser, gh.mjs): a
  file it refuses fails before any job starts (InvalidWorkflow); a workflow runs only when its
  `on:` filters match the event (triggers.py; otherwise NotTriggered);
- ${{ }} evaluated by GitHub's own evaluator (@actions/expressions) in the contexts GitHub offers
  there (github, inputs, env, steps, runner, matrix, strategy, needs, job, secrets, vars) — with one
  strictness more: an unknown input, step or matrix key of a Strict context is an error;
- each job of a workflow on a fresh runner: an empty workspace that actions/checkout fills from
  the Origin (stubs.py: depth 1, the merge commit on pull_request), GITHUB_SHA/GITHUB_REF as the
  event sets them;
- `run:` scripts run by the step's shell (`bash` means `bash --noprofile --norc -eo pipefail`; no
  shell means `bash -e`), in the workspace or the step's `working-directory`;
- the file commands GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH and GITHUB_STEP_SUMMARY, a fresh file per
  step, processed after it; workflow commands on stdout and stderr (tests/support/runner_log.py),
  annotations capped per step and per job as GitHub caps them;
- `if:` on steps and jobs (the parser's own success() && (...) wrapping), failing steps skipping
  the rest, `continue-on-error`;
- `uses:` of local actions (`./path`, resolved against the workspace as GitHub resolves them, even
  inside a composite action) and of aliased repositories (`tollgate/tollgate/actions/x@v1` → this
  checkout), recursively, with inputs checked against action.yml and defaults applied; composite
  steps get GITHUB_ACTION_PATH and their own `steps` context; outputs are mapped from `outputs:`;
- remote actions only through stubs the caller registers (stubs.py has the common ones); an
  action without a stub is an error, never silently skipped;
- jobs in `needs:` order with `needs.<job>.outputs` and results, `strategy.matrix` (lists,
  include, exclude) with fail-fast, job `outputs:`, `environment:` (deployments.py creates the
  Deployment GitHub creates), `workflow_dispatch` inputs with their defaults and types, run-name;
- a fork's pull request: a read-only GITHUB_TOKEN and no other secret.

What it does not do: containers and services, Node or Docker actions (stub them), reusable
workflows, cancellation of running work, concurrency groups (recorded only), permissions (recorded;
the template lint checks them), private-repository authentication (the Origin is served without
credentials, so persist-credentials: false does not stop a later fetch).
"""
import itertools
import json
import os
import subprocess
import tempfile
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import expressions as ex
from .gh import YamlError, parse_action, parse_workflow
from .errors import HarnessError, InvalidWorkflow, NotTriggered
from .cache import ActionsCache
from . import jobs
from .events import EventsMixin

__all__ = ["HarnessError", "InvalidWorkflow", "NotTriggered", "Harness", "StepResult", "JobResult", "WorkflowResult"]


def _source(value):
    """A template value as text for display (a step's default name)."""
    return "${{ " + value["$expr"] + " }}" if ex.is_expr(value) else str(value)


@dataclass
class StepResult:
    id: str
    name: str
    outcome: str = "skipped"         # success | failure | skipped
    conclusion: str = "skipped"      # outcome after continue-on-error
    outputs: dict = field(default_factory=dict)
    stdout: str = ""
    stderr: str = ""
    annotations: list = field(default_factory=list)  # (level, properties, message): every one the step printed
    shown: list = field(default_factory=list)        # top-level steps: those GitHub keeps (the caps below)
    dropped: list = field(default_factory=list)      # top-level steps: those it drops silently
    summary: str = ""
    steps: list = field(default_factory=list)        # a composite action's own steps
    env: dict = field(default_factory=dict)          # the environment a run step got

    def all_steps(self):
        yield self
        for s in self.steps:
            yield from s.all_steps()


@dataclass
class JobResult:
    job_id: str
    name: str
    matrix: dict = field(default_factory=dict)
    result: str = "skipped"          # success | failure | cancelled | skipped
    steps: list = field(default_factory=list)
    outputs: dict = field(default_factory=dict)
    summary: str = ""
    environment: str = ""
    annotations: list = field(default_factory=list)  # kept by GitHub, in print order (at most 50)
    dropped_annotations: list = field(default_factory=list)

    def step(self, step_id):
        for s in self.steps:
            for inner in s.all_steps():
                if inner.id == step_id:
                    return inner
        raise KeyError(f"no step {step_id!r} in job {self.name}")

    def log(self):
        return "".join(s.stdout + s.stderr for top in self.steps for s in top.all_steps())


@dataclass
class WorkflowResult:
    name: str
    run_name: str
    jobs: dict = field(default_factory=dict)  # job id → [JobResult per matrix leg]

    def job(self, job_id, **matrix):
        legs = [j for j in self.jobs[job_id] if all(j.matrix.get(k) == v for k, v in matrix.items())]
        if len(legs) != 1:
            raise KeyError(f"{len(legs)} legs of {job_id} match {matrix}")
        return legs[0]

    @property
    def conclusion(self):
        results = [j.result for legs in self.jobs.values() for j in legs]
        return "failure" if "failure" in results else "cancelled" if "cancelled" in results else "success"


# What GitHub shows of a step's ::error/::warning/::notice commands: at most 10 of each level per
# step and 50 per job; the rest are dropped silently, in the order printed (actions/toolkit
# docs/problem-matchers.md "Limitations"). The per-step cap is the runner's: ExecutionContext.AddIssue
# (actions/runner src/Runner.Worker/ExecutionContext.cs) keeps an issue only while the step record's
# count of its type is below _maxIssueCount = 10, and a composite action's inner steps write to the
# composite step's record (CreateCompositeStep creates them with its record id), so they share its caps.
ANNOTATIONS_PER_LEVEL_PER_STEP = 10
ANNOTATIONS_PER_JOB = 50
_LEVELS = ("error", "warning", "notice")


def _parse_commands(stdout, stderr):
    """Workflow commands of both streams, by tests/support/runner_log.py (the runner-faithful parser)."""
    from support.runner_log import commands  # tests/ is on sys.path wherever `harness` imports
    return commands(stdout, stderr)
_STEP_KEYS = {"id", "name", "if", "uses", "with", "run", "shell", "env", "working-directory", "continue-on-error",
              "timeout-minutes"}
_JOB_KEYS = {"name", "needs", "if", "runs-on", "permissions", "environment", "concurrency", "outputs", "env",
             "defaults", "steps", "strategy", "timeout-minutes", "continue-on-error"}
_GITHUB_KEYS = ["action", "action_path", "action_ref", "action_repository", "actor", "actor_id", "api_url", "base_ref",
                "env", "event", "event_name", "event_path", "graphql_url", "head_ref", "job", "output", "path", "ref",
                "ref_name", "ref_type", "repository", "repository_id", "repository_owner", "retention_days",
                "run_attempt", "run_id", "run_number", "server_url", "sha", "step_summary", "token", "triggering_actor",
                "workflow", "workflow_ref", "workspace"]


class _Scope:
    """What one job (or one composite action inside it) sees."""

    def __init__(self, job, contexts, action_dir=None, action_repository=""):
        self.job = job
        self.contexts = contexts
        self.steps = ex.Strict("steps")
        contexts["steps"] = self.steps
        self.failed = False
        self.action_dir = action_dir
        self.action_repository = action_repository

    def functions(self):
        return {
            "success": lambda: not self.failed and not self.job.cancelled,
            "failure": lambda: self.failed,
            "always": lambda: True,
            "cancelled": lambda: self.job.cancelled,
            "hashfiles": lambda patterns: ex.hash_files(self.job.workspace, patterns),
        }


class _Job:
    """Mutable state of one running job."""

    def __init__(self, harness, result, env_context, base_env, workspace, github):
        self.harness = harness
        self.workspace = workspace      # GITHUB_WORKSPACE of this job
        self.github = github            # the github context's values for this job
        self.result = result
        self.env_context = env_context  # the `env` context: workflow + job env + GITHUB_ENV
        self.base_env = base_env        # process environment of every step
        self.path = []                  # GITHUB_PATH additions, first = highest priority
        self.cancelled = False
        self.post = []                  # (callable, condition) run after the steps, last first
        self.counter = itertools.count(1)


class Harness(EventsMixin):
    """One repository checkout (`workspace`) and the runner around it.

    github: the github context's values (repository, sha, ref, event_name, event, server_url,
        api_url, token, run_id, actor, ...); unspecified ones get defaults.
    aliases: {"owner/repo": Path} — `uses: owner/repo[/path]@ref` runs that local directory.
    stubs: {"owner/repo[/path]": callable(StepCall) -> outputs dict} for remote actions.
    cache: the repository's ActionsCache (cache.py; default: a new, empty one) — share one between
        Harnesses that play runs of the same repository.
    env: extra process environment for every step (on top of this process's, minus GITHUB_*).
    secrets, vars: the secrets and vars contexts; environment_vars: {environment: {name: value}}, the
        variables an environment adds for the jobs that use it.
    step_overrides: {(job_id, step_id): script} replaces a `run:` step of a workflow (the user's own
        build or deploy commands in a template) — the step's env, if and shell stay.
    on_job_start / on_job_end: callables(job_result, environment_name, contexts) — e.g. creating
        the Deployment GitHub creates for a job with `environment:`.
    job_hooks: (start, end), callables(job_result, contexts) around every job that runs. By default
        a workflow's jobs get the check run GitHub Actions creates for each job (jobs.hooks) when the
        API is the emulator on this machine; False: none.
    """

    def __init__(self, workspace, *, github=None, aliases=None, stubs=None, env=None, secrets=None, vars=None,
                 environment_vars=None, step_overrides=None, on_job_start=None, on_job_end=None, runner_root=None, job_hooks=None,
                 verbose=False, timeout=600, origin=None, forks=None, cache=None):
        self.workspace = Path(workspace).resolve()
        # The repository on "GitHub" that actions/checkout fetches from: `origin`, or the workspace
        # when it is a git repository (the test commits there; checkout never clones into it).
        source = Path(origin).resolve() if origin else self.workspace if (self.workspace / ".git").exists() else None
        self.origin_source = source
        self.forks = {k: Path(v).resolve() for k, v in (forks or {}).items()}  # fork full_name → its local repo
        self._origin = None
        self._job_serial = itertools.count(1)
        self.aliases = {k.lower(): Path(v).resolve() for k, v in (aliases or {}).items()}
        self.stubs = {k.lower(): v for k, v in (stubs or {}).items()}
        self.extra_env = dict(env or {})
        self.secrets = dict(secrets or {})
        self.vars = dict(vars or {})
        self.environment_vars = {k: dict(v) for k, v in (environment_vars or {}).items()}
        self.step_overrides = dict(step_overrides or {})
        self.on_job_start = on_job_start
        self.on_job_end = on_job_end
        self.job_hooks = job_hooks
        self.verbose = verbose
        self.timeout = timeout
        self.runner_root = Path(runner_root or tempfile.mkdtemp(prefix="harness-runner-"))
        self.runner_root.mkdir(parents=True, exist_ok=True)
        self.tool_cache = self.runner_root / "tool-cache"
        self.tool_cache.mkdir(exist_ok=True)
        self.store = {}  # shared by stubs across jobs (artifacts by run id, logs)
        # The repository's Actions cache (cache.py): pass one ActionsCache to several Harnesses
        # that play runs of the same repository (a push to main, then a pull request).
        self.cache = cache if cache is not None else ActionsCache(self.runner_root / "cache-store")
        g = {
            "repository": "octo/app", "sha": "0" * 40, "ref": "refs/heads/main", "event_name": "push", "event": {},
            "server_url": "https://github.example", "api_url": "https://api.github.example",
            "graphql_url": "https://api.github.example/graphql", "token": "", "run_id": "1001", "run_number": "1",
            "run_attempt": "1", "actor": "octocat", "actor_id": "1", "triggering_actor": "octocat",
            "workflow": "harness", "head_ref": "", "base_ref": "", "retention_days": "90", "repository_id": "1",
        }
        g.update(github or {})
        g.setdefault("repository_owner", g["repository"].split("/")[0])
        g.setdefault("ref_name", g["ref"].rsplit("/", 1)[-1] if g["ref"].startswith("refs/heads/") or
                     g["ref"].startswith("refs/tags/") else g["ref"])
        g.setdefault("ref_type", "tag" if g["ref"].startswith("refs/tags/") else "branch")
        g.setdefault("workflow_ref", f"{g['repository']}/.github/workflows/harness.yml@{g['ref']}")
        self.github = g

    # ---- entry points ----------------------------------------------------------------------------

    def run_action(self, uses, with_=None, *, env=None, matrix=None, job_id="job", step_id="action"):
        """One job with one step `uses: <uses>` (and `with:`); returns the JobResult."""
        step = {"id": step_id, "uses": uses}
        if with_:
            step["with"] = {k: v for k, v in with_.items()}
        if env:
            step["env"] = dict(env)
        job = {"steps": [step]}
        return self.run_job(job_id, job, matrix=matrix)

    def run_steps(self, steps, *, job_id="job", env=None, matrix=None):
        return self.run_job(job_id, {"steps": steps, **({"env": env} if env else {})}, matrix=matrix)

    def run_workflow(self, path, event_name=None, event=None, *, inputs=None, only_jobs=None):
        """Every job of a workflow file, in `needs` order; `inputs` for workflow_dispatch."""
        path = Path(path)
        try:
            wf = parse_workflow(path)
        except YamlError as e:
            raise InvalidWorkflow(path, e.messages) from None
        if not isinstance(wf, dict) or "jobs" not in wf:
            raise HarnessError(f"{path}: not a workflow")
        event_name = event_name or self.github["event_name"]
        on = wf.get("on")
        event = dict(event if event is not None else self.github.get("event") or {})
        runs, why = self.would_trigger(path, event_name, event, wf=wf)
        if not runs:
            raise NotTriggered(f"{path}: does not run on {event_name}: {why}")
        # Declared workflow_dispatch inputs are null on other events (GitHub's inputs context is empty
        # there); an undeclared name is still an error.
        dispatch = (on or {}).get("workflow_dispatch") if isinstance(on, dict) else None
        inputs_ctx = ex.Strict("inputs", known=list(((dispatch or {}).get("inputs") or {})))
        if event_name == "workflow_dispatch":
            declared = ((on or {}).get("workflow_dispatch") or {}).get("inputs") or {} if isinstance(on, dict) else {}
            given = dict(inputs if inputs is not None else event.get("inputs") or {})
            for name in given:
                if name not in declared:
                    raise HarnessError(f"{path}: workflow_dispatch has no input {name!r}")
            for name, spec in declared.items():
                spec = spec or {}
                value = given.get(name, spec.get("default", ""))
                if spec.get("required") and (value is None or str(value) == ""):
                    raise HarnessError(f"{path}: input {name!r} is required")
                kind = spec.get("type", "string")
                if kind == "boolean":
                    inputs_ctx[name] = value if isinstance(value, bool) else str(value).lower() == "true"
                elif kind == "number":
                    inputs_ctx[name] = float(value) if str(value) != "" else None
                else:
                    if kind == "choice" and str(value) not in [str(o) for o in spec.get("options", [])]:
                        raise HarnessError(f"{path}: {value!r} is not an option of input {name!r}")
                    inputs_ctx[name] = "" if value is None else str(value)
            event.setdefault("inputs", {k: (str(v).lower() if isinstance(v, bool) else ex.to_string(v)) for k, v in inputs_ctx.items()})
        github = self._for_event(dict(self.github, event_name=event_name, event=event, workflow=wf.get("name") or path.name))
        github["workflow_ref"] = f"{github['repository']}/{path.as_posix()}@{github['ref']}"
        contexts = {"github": self._github_context(github), "inputs": inputs_ctx, "vars": dict(self.vars)}
        run_name = ex.to_string(ex.interpolate(wf.get("run-name") or (wf.get("name") or path.name), contexts, where="run-name"))
        result = WorkflowResult(wf.get("name") or path.name, run_name)
        wf_env = wf.get("env") or {}
        jobs = wf["jobs"]
        order = self._job_order(jobs, path)
        for job_id in order:
            if only_jobs is not None and job_id not in only_jobs:
                continue
            spec = jobs[job_id]
            unknown = set(spec) - _JOB_KEYS
            if unknown:
                raise HarnessError(f"{path}: job {job_id} has keys the harness does not run: {', '.join(sorted(unknown))}")
            needs = [spec["needs"]] if isinstance(spec.get("needs"), str) else list(spec.get("needs") or [])
            needs_ctx = ex.Strict("needs")
            for n in needs:
                legs = result.jobs.get(n, [])
                status = ("failure" if any(j.result == "failure" for j in legs) else
                          "cancelled" if any(j.result == "cancelled" for j in legs) else
                          "skipped" if not legs or all(j.result == "skipped" for j in legs) else "success")
                outputs = {}
                for leg in legs:
                    outputs.update({k: v for k, v in leg.outputs.items() if v != ""})
                needs_ctx[n] = ex.Strict(f"needs.{n}", {"result": status, "outputs": outputs})
            result.jobs[job_id] = self._run_matrix(job_id, spec, github, inputs_ctx, needs_ctx, wf_env,
                                                   wf.get("defaults") or {}, path)
        return result

    # ---- jobs --------------------------------------------------------------------------------------

    def _job_hooks(self, github):
        """The given job_hooks, else (for a workflow's jobs) the job check runs of jobs.hooks when
        the API is the emulator on this machine."""
        if self.job_hooks is not None:
            return self.job_hooks or None
        if urllib.parse.urlsplit(github["api_url"]).hostname not in ("127.0.0.1", "localhost", "::1"):
            return None
        if getattr(self, "_default_job_hooks", None) is None:
            self._default_job_hooks = jobs.hooks(github["api_url"])
        return self._default_job_hooks

    @staticmethod
    def _job_order(jobs, path):
        order, visiting = [], set()

        def visit(j):
            if j in order:
                return
            if j in visiting:
                raise HarnessError(f"{path}: jobs need each other in a cycle at {j}")
            if j not in jobs:
                raise HarnessError(f"{path}: needs an unknown job {j!r}")
            visiting.add(j)
            needs = jobs[j].get("needs") or []
            for n in [needs] if isinstance(needs, str) else needs:
                visit(n)
            order.append(j)

        for j in jobs:
            visit(j)
        return order

    def _run_matrix(self, job_id, spec, github, inputs_ctx, needs_ctx, wf_env, wf_defaults, path):
        strategy = spec.get("strategy") or {}
        base = {"github": self._github_context(github), "inputs": inputs_ctx, "needs": needs_ctx,
                "vars": dict(self.vars)}
        matrix_spec = strategy.get("matrix")
        if matrix_spec is not None:
            matrix_spec = ex.interpolate(matrix_spec, base, where="strategy.matrix")
        legs = self._expand_matrix(matrix_spec, path, job_id) if matrix_spec else [{}]
        fail_fast = ex.truthy(ex.interpolate(strategy.get("fail-fast", True), base, where="strategy.fail-fast"))
        results, failed = [], False
        all_keys = {k for leg in legs for k in leg}
        for index, matrix in enumerate(legs):
            m = ex.Strict("matrix", matrix, known=all_keys)
            strategy_ctx = ex.Strict("strategy", {"fail-fast": fail_fast, "job-index": index, "job-total": len(legs),
                                                  "max-parallel": strategy.get("max-parallel", len(legs))})
            name = spec.get("name") or job_id
            if matrix and "name" not in spec:
                name = f"{job_id} ({', '.join(ex.to_string(v) if not isinstance(v, (dict, list)) else json.dumps(v) for v in matrix.values())})"
            elif "name" in spec:
                name = ex.to_string(ex.interpolate(spec["name"], dict(base, matrix=m, strategy=strategy_ctx), where="job name"))
            if failed and fail_fast:
                results.append(JobResult(job_id, name, matrix, "cancelled"))
                continue
            job_result = self.run_job(job_id, spec, matrix=m, name=name, github=github, inputs=inputs_ctx,
                                      needs=needs_ctx, wf_env=wf_env, wf_defaults=wf_defaults, strategy=strategy_ctx,
                                      fresh_workspace=True)
            failed = failed or job_result.result == "failure"
            results.append(job_result)
        return results

    @staticmethod
    def _expand_matrix(spec, path, job_id):
        if not isinstance(spec, dict):
            raise HarnessError(f"{path}: jobs.{job_id}.strategy.matrix must be a mapping")
        axes = {k: v for k, v in spec.items() if k not in ("include", "exclude")}
        for k, v in axes.items():
            if not isinstance(v, list):
                raise HarnessError(f"{path}: matrix axis {k} must be a list")
        legs = [dict(zip(axes, combo)) for combo in itertools.product(*axes.values())] if axes else []
        for ex_item in spec.get("exclude") or []:
            legs = [leg for leg in legs if not all(leg.get(k) == v for k, v in ex_item.items())]
        for inc in spec.get("include") or []:
            matched = False
            for leg in legs:
                original = {k: leg[k] for k in axes if k in leg}
                if all(original.get(k) == v for k, v in inc.items() if k in axes):
                    if all(k not in axes or leg.get(k) == v for k, v in inc.items()):
                        leg.update({k: v for k, v in inc.items() if k not in axes})
                        matched = True
            if not matched:
                legs.append(dict(inc))
        return legs

    def _github_context(self, g):
        ctx = ex.Strict("github", {k: g.get(k, "") for k in _GITHUB_KEYS})
        ctx.update({k: v for k, v in g.items() if k in _GITHUB_KEYS})
        return ctx

    def run_job(self, job_id, spec, *, matrix=None, name=None, github=None, inputs=None, needs=None, wf_env=None,
                wf_defaults=None, strategy=None, fresh_workspace=False):
        github = dict(github or self._for_event(dict(self.github)))
        github["job"] = job_id
        # A workflow's job starts on a fresh runner: an empty workspace that actions/checkout fills.
        # A job run by run_action/run_steps is a step of a job whose earlier steps prepared `workspace`.
        workspace = self.workspace
        if fresh_workspace:
            repo_name = github["repository"].split("/")[-1]
            workspace = self.runner_root / f"job-{next(self._job_serial)}" / "work" / repo_name / repo_name
            workspace.mkdir(parents=True)
        result = JobResult(job_id, name or spec.get("name") or job_id, dict(matrix or {}))
        temp = self.runner_root / f"temp-{uuid.uuid4().hex[:8]}"
        temp.mkdir(parents=True)
        event_path = temp / "event.json"
        event_path.write_text(json.dumps(github.get("event") or {}))
        github.update({"workspace": str(workspace), "event_path": str(event_path)})
        base_env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_", "ACTIONS_", "STATE_"))}
        base_env.update({
            "CI": "true", "GITHUB_ACTIONS": "true",
            "GITHUB_REPOSITORY": github["repository"], "GITHUB_REPOSITORY_OWNER": github["repository_owner"],
            "GITHUB_SHA": github["sha"], "GITHUB_REF": github["ref"], "GITHUB_REF_NAME": github["ref_name"],
            "GITHUB_REF_TYPE": github["ref_type"], "GITHUB_HEAD_REF": github["head_ref"], "GITHUB_BASE_REF": github["base_ref"],
            "GITHUB_EVENT_NAME": github["event_name"], "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_WORKSPACE": str(workspace), "GITHUB_RUN_ID": str(github["run_id"]),
            "GITHUB_RUN_NUMBER": str(github["run_number"]), "GITHUB_RUN_ATTEMPT": str(github["run_attempt"]),
            "GITHUB_JOB": job_id, "GITHUB_API_URL": github["api_url"], "GITHUB_SERVER_URL": github["server_url"],
            "GITHUB_GRAPHQL_URL": github["graphql_url"], "GITHUB_ACTOR": github["actor"],
            "GITHUB_WORKFLOW": github["workflow"], "GITHUB_WORKFLOW_REF": github["workflow_ref"],
            "GITHUB_RETENTION_DAYS": "90",
            "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "RUNNER_NAME": "harness-runner",
            "RUNNER_TEMP": str(temp), "RUNNER_TOOL_CACHE": str(self.tool_cache), "RUNNER_ENVIRONMENT": "self-hosted",
        })
        base_env.update(self.extra_env)
        runner_ctx = ex.Strict("runner", {"os": "Linux", "arch": "X64", "name": "harness-runner", "temp": str(temp),
                                          "tool_cache": str(self.tool_cache), "debug": "", "environment": "self-hosted"})
        contexts = {
            "github": self._github_context(github), "inputs": inputs if inputs is not None else ex.Strict("inputs"),
            "needs": needs if needs is not None else ex.Strict("needs"), "vars": dict(self.vars),
            "matrix": matrix if isinstance(matrix, ex.Strict) else ex.Strict("matrix", matrix or {}), "runner": runner_ctx,
            "strategy": strategy if strategy is not None else ex.Strict("strategy", {"fail-fast": True, "job-index": 0, "job-total": 1, "max-parallel": 1}),
            # A fork's pull request gets no secret but GITHUB_TOKEN (see _fork_pull_request).
            "secrets": dict({"GITHUB_TOKEN": github.get("token", "")}, **({} if github.get("_fork") else self.secrets)),
            "job": ex.Strict("job", {"status": "success", "container": {}, "services": {}}),
        }
        if_contexts = {k: contexts[k] for k in ("github", "inputs", "needs", "vars")}
        job_if = spec.get("if")
        if job_if is not None:
            job_functions = {"success": lambda: all(n["result"] == "success" for n in contexts["needs"].values()),
                             "failure": lambda: any(n["result"] == "failure" for n in contexts["needs"].values()),
                             "always": lambda: True, "cancelled": lambda: False}
            if not ex.condition(job_if, if_contexts, job_functions):
                result.result = "skipped"
                return result
        elif any(n["result"] != "success" for n in contexts["needs"].values()):
            result.result = "skipped"
            return result

        env_context = {}
        for layer, where in ((wf_env or {}, "env"), (spec.get("env") or {}, f"jobs.{job_id}.env")):
            env_ctx_contexts = dict(contexts, env=dict(env_context))
            env_ctx_contexts.pop("job", None)
            for k, v in layer.items():
                env_context[k] = ex.to_string(ex.interpolate(v, env_ctx_contexts, where=where), where)
        job = _Job(self, result, env_context, base_env, workspace, github)
        environment = spec.get("environment")
        env_name, env_url, deploys = "", "", True
        if environment is not None:
            env_contexts = {k: contexts[k] for k in ("github", "inputs", "needs", "vars", "matrix", "strategy")}
            if isinstance(environment, dict) and not ex.is_expr(environment):
                env_name = ex.to_string(ex.interpolate(environment.get("name", ""), env_contexts, where="environment.name"))
                env_url = environment.get("url", "")
                # `deployment: false` uses the environment's secrets and rules without a deployment record
                # (https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idenvironment).
                deploys = environment.get("deployment", True) is not False
            else:
                env_name = ex.to_string(ex.interpolate(environment, env_contexts, where="environment"))
            result.environment = env_name
            contexts["vars"] = dict(self.vars, **self.environment_vars.get(env_name, {}))
        defaults = dict((wf_defaults or {}).get("run") or {})
        defaults.update(((spec.get("defaults") or {}).get("run")) or {})
        job_hooks = self._job_hooks(github) if fresh_workspace or self.job_hooks else None
        if job_hooks:
            job_hooks[0](result, contexts)
        if self.on_job_start and env_name and deploys:
            self.on_job_start(result, env_name, contexts)
        scope = _Scope(job, contexts)
        steps = spec.get("steps") or []
        if not steps:
            raise HarnessError(f"job {job_id} has no steps")
        for index, step in enumerate(steps):
            step_result = self._run_step(scope, step, index, defaults, override_key=job_id)
            self._cap_annotations(result, step_result)
            result.steps.append(step_result)
        for fn, cond in reversed(job.post):
            if cond == "always" or (cond == "success" and not scope.failed):
                fn()
        result.result = "failure" if scope.failed else "success"
        contexts["job"]["status"] = result.result
        out_contexts = dict(contexts, env=dict(env_context))
        for k, v in (spec.get("outputs") or {}).items():
            result.outputs[k] = ex.to_string(ex.interpolate(v, out_contexts, where=f"jobs.{job_id}.outputs.{k}"))
        if env_url:
            env_url = ex.to_string(ex.interpolate(env_url, out_contexts, where="environment.url"))
        if self.on_job_end and env_name and deploys:
            self.on_job_end(result, env_name, dict(contexts, environment_url=env_url))
        if job_hooks:
            job_hooks[1](result, contexts)
        return result

    # ---- steps -------------------------------------------------------------------------------------

    def _contexts_for_step(self, scope):
        contexts = dict(scope.contexts)
        contexts["env"] = dict(scope.job.env_context)
        return contexts

    def _run_step(self, scope, step, index, defaults, override_key=None):
        if not isinstance(step, dict):
            raise HarnessError(f"step {index + 1} is not a mapping")
        unknown = set(step) - _STEP_KEYS
        if unknown:
            raise HarnessError(f"step {step.get('id') or index + 1}: unknown keys {', '.join(sorted(unknown))}")
        if ("run" in step) == ("uses" in step):
            raise HarnessError(f"step {step.get('id') or index + 1}: needs exactly one of run: and uses:")
        step_id = step.get("id") or f"__{index + 1}"
        if step_id in scope.steps:
            raise HarnessError(f"two steps have the id {step_id!r}")
        contexts = self._contexts_for_step(scope)
        if step.get("name"):
            name = ex.to_string(ex.interpolate(step["name"], contexts, scope.functions(), where="name"))
        else:
            name = step.get("uses") or "Run " + _source(step.get("run", "")).strip().split("\n")[0]
        result = StepResult(step_id, name)
        step_ctx = ex.Strict(f"steps.{step_id}", {"outputs": {}, "outcome": "skipped", "conclusion": "skipped"})
        if not ex.condition(step.get("if"), contexts, scope.functions()):
            scope.steps[step_id] = step_ctx
            self._say(f"  ⤼ {name} (skipped)")
            return result
        # The step's env: job env + step env, each value evaluated with what came before it.
        env = dict(scope.job.env_context)
        for k, v in (step.get("env") or {}).items():
            env[k] = ex.to_string(ex.interpolate(v, dict(contexts, env=dict(env)), scope.functions(), where=f"env.{k}"),
                                  f"env.{k}")
        contexts = dict(contexts, env=dict(env))
        continue_on_error = step.get("continue-on-error", False)
        continue_on_error = ex.truthy(ex.interpolate(continue_on_error, contexts, where="continue-on-error"))
        self._say(f"  ▶ {name}")
        if "run" in step:
            script = step["run"]
            if override_key is not None and (override_key, step.get("id")) in self.step_overrides:
                script = self.step_overrides[(override_key, step.get("id"))]
            self._run_script(scope, step, script, env, contexts, defaults, result)
        else:
            self._run_uses(scope, step, env, contexts, result)
        result.conclusion = "success" if result.outcome == "success" or continue_on_error else "failure"
        if result.conclusion == "failure":
            scope.failed = True
        step_ctx.update({"outputs": dict(result.outputs), "outcome": result.outcome, "conclusion": result.conclusion})
        scope.steps[step_id] = step_ctx
        if result.outcome == "failure":
            self._say(f"    ✗ {name} failed")
        return result

    def _process_env(self, scope, env, extra):
        penv = dict(scope.job.base_env)
        penv.update(env)
        penv.update(extra)
        if scope.job.path:
            penv["PATH"] = os.pathsep.join(scope.job.path + [penv.get("PATH", os.defpath)])
        if scope.action_dir is not None:
            penv["GITHUB_ACTION_PATH"] = str(scope.action_dir)
            penv["GITHUB_ACTION_REPOSITORY"] = scope.action_repository
        return penv

    def _run_script(self, scope, step, script, env, contexts, defaults, result):
        if scope.action_dir is not None and "shell" not in step:
            raise HarnessError(f"step {result.id}: a composite action's run step needs shell:")
        shell = step.get("shell") or defaults.get("shell")
        script = ex.to_string(ex.interpolate(script, contexts, scope.functions(), where=f"step {result.id} run"))
        job = scope.job
        files_dir = self.runner_root / "_file_commands" / uuid.uuid4().hex[:12]
        files_dir.mkdir(parents=True)
        files = {name: files_dir / name.lower() for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH",
                                                              "GITHUB_STEP_SUMMARY", "GITHUB_STATE")}
        for f in files.values():
            f.touch()
        script_path = files_dir / "script.sh"
        script_path.write_text(script)
        if shell in (None, "bash") or shell == "bash -e {0}":
            argv = ["bash", "-e", str(script_path)] if shell is None else \
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_path)]
        elif shell == "sh":
            argv = ["sh", "-e", str(script_path)]
        elif shell == "python":
            argv = ["python3", str(script_path)]
        else:
            raise HarnessError(f"step {result.id}: shell {shell!r} is not supported by the harness")
        workdir = step.get("working-directory") or defaults.get("working-directory")
        cwd = job.workspace
        if workdir:
            workdir = ex.to_string(ex.interpolate(workdir, contexts, scope.functions(), where="working-directory"))
            cwd = (job.workspace / workdir).resolve()
        extra = {k: str(v) for k, v in files.items()}
        penv = self._process_env(scope, env, extra)
        result.env = penv
        timeout = float(ex.interpolate(step.get("timeout-minutes", self.timeout / 60), contexts, where="timeout-minutes")) * 60
        try:
            proc = subprocess.run(argv, cwd=cwd, env=penv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, timeout=timeout)
            code = proc.returncode
            result.stdout, result.stderr = proc.stdout, proc.stderr
        except subprocess.TimeoutExpired as e:
            code = 124
            result.stdout = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
            result.stderr = f"harness: step timed out after {timeout:.0f} s\n"
        if self.verbose:
            for line in (result.stdout + result.stderr).splitlines():
                self._say("    │ " + line)
        self._collect_commands(result)
        result.outcome = "success" if code == 0 else "failure"
        if code != 0:
            result.stderr += f"harness: exit status {code}\n"
        self._apply_file_commands(job, files, result)

    def _collect_commands(self, result):
        for cmd in _parse_commands(result.stdout, result.stderr):
            if cmd.key in _LEVELS:
                props = ",".join(f"{k}={v}" for k, v in cmd.properties.items())
                result.annotations.append((cmd.key, props, cmd.data))

    @staticmethod
    def _cap_annotations(job_result, step_result):
        """The caps, applied to one top-level step (a composite action counts as one step)."""
        counts = {}
        for inner in step_result.all_steps():
            for annotation in inner.annotations:
                level = annotation[0]
                counts[level] = counts.get(level, 0) + 1
                if counts[level] > ANNOTATIONS_PER_LEVEL_PER_STEP or len(job_result.annotations) >= ANNOTATIONS_PER_JOB:
                    step_result.dropped.append(annotation)
                    job_result.dropped_annotations.append(annotation)
                else:
                    step_result.shown.append(annotation)
                    job_result.annotations.append(annotation)

    @staticmethod
    def _read_key_values(path, what):
        """name=value lines and name<<DELIMITER blocks, as the runner reads them."""
        values, lines, i = {}, path.read_text().split("\n"), 0
        if lines and lines[-1] == "":
            lines.pop()
        while i < len(lines):
            line = lines[i]
            if line == "":
                i += 1
                continue
            heredoc = line.find("<<")
            equals = line.find("=")
            if heredoc > 0 and (equals < 0 or heredoc < equals):
                name, delimiter = line[:heredoc], line[heredoc + 2:]
                try:
                    end = lines.index(delimiter, i + 1)
                except ValueError:
                    raise HarnessError(f"{what}: no closing delimiter {delimiter!r} for {name}") from None
                values[name] = "\n".join(lines[i + 1:end])
                i = end + 1
            elif equals > 0:
                values[line[:equals]] = line[equals + 1:]
                i += 1
            else:
                raise HarnessError(f"{what}: invalid line {line!r}")
        return values

    def _apply_file_commands(self, job, files, result):
        result.outputs.update(self._read_key_values(files["GITHUB_OUTPUT"], f"GITHUB_OUTPUT of step {result.id}"))
        for k, v in self._read_key_values(files["GITHUB_ENV"], f"GITHUB_ENV of step {result.id}").items():
            if k.upper() in ("NODE_OPTIONS",):
                raise HarnessError(f"step {result.id}: {k} cannot be set through GITHUB_ENV")
            job.env_context[k] = v
        for line in files["GITHUB_PATH"].read_text().splitlines():
            if line.strip():
                job.path.insert(0, line.strip())
        summary = files["GITHUB_STEP_SUMMARY"].read_text()
        if len(summary.encode()) > 1024 * 1024:
            raise HarnessError(f"step {result.id}: the job summary of a step is limited to 1 MiB")
        result.summary = summary
        job.result.summary += summary

    # ---- uses: -------------------------------------------------------------------------------------

    def _resolve(self, uses, scope):
        """('local', dir, repository) or ('stub', callable, key)."""
        if uses.startswith("docker://"):
            raise HarnessError(f"{uses}: container actions are not supported")
        if uses.startswith("./") or uses == ".":
            return "local", (scope.job.workspace / uses).resolve(), self.github["repository"]
        if "@" not in uses:
            raise HarnessError(f"{uses}: a remote action needs @ref")
        name, _ref = uses.split("@", 1)
        parts = name.split("/")
        if len(parts) < 2:
            raise HarnessError(f"{uses}: not owner/repo[/path]@ref")
        repo = "/".join(parts[:2]).lower()
        if repo in self.aliases:
            return "local", self.aliases[repo].joinpath(*parts[2:]), "/".join(parts[:2])
        for key in (name.lower(), repo):
            if key in self.stubs:
                return "stub", self.stubs[key], key
        raise HarnessError(f"{uses}: a remote action without a stub (stubs: {', '.join(sorted(self.stubs)) or 'none'})")

    def _run_uses(self, scope, step, env, contexts, result):
        uses = step["uses"]
        kind, target, key = self._resolve(uses, scope)
        with_ = {}
        for k, v in (step.get("with") or {}).items():
            value = ex.interpolate(v, contexts, scope.functions(), where=f"with.{k}")
            with_[k] = value if isinstance(value, str) else ex.to_string(value, f"with.{k}")
        if kind == "stub":
            call = StepCall(self, scope.job, step, with_, env, result)
            try:
                outputs = target(call) or {}
                result.outcome = "success"
            except StubFailure as e:
                outputs = {}
                result.stderr += f"{key}: {e}\n"
                result.outcome = "failure"
            result.outputs.update({k: ex.to_string(v) for k, v in outputs.items()})
            return
        self._run_composite(scope, target, key, with_, env, result, uses)

    def _run_composite(self, scope, action_dir, repository, with_, env, result, uses):
        for name in ("action.yml", "action.yaml"):
            if (action_dir / name).is_file():
                try:
                    meta = parse_action(action_dir / name)
                except YamlError as e:
                    raise InvalidWorkflow(action_dir / name, e.messages) from None
                break
        else:
            raise HarnessError(f"{uses}: no action.yml in {action_dir}")
        runs = meta.get("runs") or {}
        if runs.get("using") != "composite":
            raise HarnessError(f"{uses}: runs.using {runs.get('using')!r} is not composite (stub it instead)")
        declared = meta.get("inputs") or {}
        for k in with_:
            if k not in declared:
                raise HarnessError(f"{uses}: unexpected input {k!r} (inputs: {', '.join(declared)})")
        inputs = ex.Strict(f"inputs of {uses}")
        default_contexts = {"github": scope.contexts["github"], "runner": scope.contexts["runner"],
                            "env": dict(scope.job.env_context)}
        for k, spec in declared.items():
            spec = spec or {}
            if k in with_:
                inputs[k] = with_[k]
            elif "default" in spec:
                inputs[k] = ex.to_string(ex.interpolate(spec["default"], default_contexts, where=f"{uses} inputs.{k}.default"))
            else:
                if spec.get("required"):
                    raise HarnessError(f"{uses}: required input {k!r} is missing")
                inputs[k] = ""
        github = dict(scope.contexts["github"])
        github.update({"action_path": str(action_dir), "action_repository": repository})
        contexts = {k: v for k, v in scope.contexts.items() if k in ("runner", "secrets", "vars", "job", "strategy", "matrix")}
        contexts.update({"github": ex.Strict("github", github), "inputs": inputs})
        # The composite's steps see the calling step's env as their base.
        saved_env = scope.job.env_context
        scope.job.env_context = dict(env)
        inner = _Scope(scope.job, contexts, action_dir=action_dir, action_repository=repository)
        try:
            for index, step in enumerate(runs.get("steps") or []):
                result.steps.append(self._run_step(inner, step, index, {}))
        finally:
            added = {k: v for k, v in scope.job.env_context.items() if k not in env or env[k] != v}
            scope.job.env_context = saved_env
            scope.job.env_context.update(added)
        out_contexts = dict(inner.contexts, env=dict(env))
        for k, spec in (meta.get("outputs") or {}).items():
            result.outputs[k] = ex.to_string(ex.interpolate((spec or {}).get("value", ""), out_contexts,
                                                            inner.functions(), where=f"{uses} outputs.{k}"))
        result.outcome = "failure" if inner.failed else "success"
        result.summary = "".join(s.summary for s in result.steps)

    def _say(self, text):
        if self.verbose:
            print(text, flush=True)


class StubFailure(Exception):
    """Raised by a stub to fail its step (the message goes to the step's log)."""


class StepCall:
    """What a stub gets: the harness, the job, the step, its evaluated `with:` and env."""

    def __init__(self, harness, job, step, with_, env, result):
        self.harness = harness
        self._job = job
        self.step = step
        self.with_ = with_
        self.env = env
        self.result = result

    @property
    def workspace(self):
        return self._job.workspace

    @property
    def github(self):
        return self._job.github

    @property
    def runner_temp(self):
        return Path(self._job.base_env["RUNNER_TEMP"])

    def inputs(self, allowed, required=()):
        unknown = set(self.with_) - set(allowed)
        if unknown:
            raise HarnessError(f"{self.step['uses']}: unexpected inputs {', '.join(sorted(unknown))}")
        for r in required:
            if not self.with_.get(r):
                raise HarnessError(f"{self.step['uses']}: input {r!r} is required")
        return self.with_

    def post(self, fn, condition="success"):
        """Runs fn after the job's steps (a post step); condition success or always."""
        self._job.post.append((fn, condition))

    def log(self, text):
        self.result.stdout += text + "\n"
