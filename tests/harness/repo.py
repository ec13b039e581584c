"""The GitHub side of a repository: the remote `actions/checkout` fetches from, the refs GitHub
makes for pull requests, and event payloads built from local git repositories as GitHub builds them.

    origin = Origin(source_repo, runner_root)   # a bare repository served by file://
    origin.sync()                               # branches and tags of the source, as pushed
    merge = origin.pull_request_refs(7, base_sha, head_sha)   # refs/pull/7/head and refs/pull/7/merge

The event builders take the local repository the test commits into and return (event_name, payload):
pull_request_event, push_event, merge_group_event, workflow_run_event, workflow_dispatch_event.
"""
import os
import subprocess
from pathlib import Path

# GitHub's test merge commit for a pull request: refs/pull/<n>/merge, a merge of the head into the
# base branch, first parent the base, second the head; GITHUB_SHA on pull_request is this commit
# (https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#pull_request).
_MERGE_IDENTITY = {"GIT_AUTHOR_NAME": "GitHub", "GIT_AUTHOR_EMAIL": "noreply@github.example",
                   "GIT_COMMITTER_NAME": "GitHub", "GIT_COMMITTER_EMAIL": "noreply@github.example"}


class RepoError(RuntimeError):
    pass


def git(cwd, *args, env=None, check=True):
    full = dict(os.environ, **(env or {}))
    full.pop("GIT_DIR", None)
    proc = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=cwd, env=full,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and proc.returncode != 0:
        raise RepoError(f"git {' '.join(args)} in {cwd}: {proc.stderr.strip()}")
    return proc.stdout.strip() if check else proc


def rev(repo, what):
    return git(repo, "rev-parse", "--verify", "-q", what + "^{commit}")


class Origin:
    """A bare copy of `source` (the repository the test commits into) standing in for the
    repository on GitHub."""

    def __init__(self, source, root, repository="octo/app"):
        self.source = Path(source).resolve()
        self.path = Path(root).resolve() / "remote" / (repository + ".git")
        if not (self.path / "HEAD").exists():
            self.path.mkdir(parents=True, exist_ok=True)
            git(self.path, "init", "-q", "--bare")
            # GitHub serves any commit reachable from a ref (refs/pull/* included) to `git fetch origin <sha>`.
            git(self.path, "config", "uploadpack.allowReachableSHA1InWant", "true")
            git(self.path, "config", "uploadpack.allowFilter", "true")
        self.url = self.path.as_uri()

    def sync(self, extra_sources=()):
        """Branches and tags of the source (and of forks' repositories) as pushed to GitHub."""
        git(self.path, "fetch", "-q", "--prune", "--force", str(self.source),
            "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*")
        head = git(self.source, "symbolic-ref", "-q", "HEAD", check=False).stdout.strip()
        if head:
            git(self.path, "symbolic-ref", "HEAD", head)
        for fork in extra_sources:
            git(self.path, "fetch", "-q", "--force", str(fork), "+refs/heads/*:refs/forks/heads/*")

    def pull_request_refs(self, number, base_sha, head_sha):
        """refs/pull/N/head and refs/pull/N/merge as GitHub keeps them; returns the merge commit.
        GitHub runs no pull_request workflow for a pull request that does not merge cleanly."""
        git(self.path, "update-ref", f"refs/pull/{number}/head", head_sha)
        proc = git(self.path, "merge-tree", "--write-tree", base_sha, head_sha, check=False)
        if proc.returncode != 0:
            raise RepoError(f"pull request #{number} has merge conflicts: GitHub creates no merge commit and "
                            f"runs no pull_request workflow for it")
        tree = proc.stdout.split("\n", 1)[0].strip()
        date = git(self.path, "log", "-1", "--format=%cI", head_sha)
        merge = git(self.path, "commit-tree", tree, "-p", base_sha, "-p", head_sha, "-m",
                    f"Merge {head_sha} into {base_sha}", env=dict(_MERGE_IDENTITY, GIT_AUTHOR_DATE=date,
                                                                  GIT_COMMITTER_DATE=date))
        git(self.path, "update-ref", f"refs/pull/{number}/merge", merge)
        return merge



# ---- event payloads ------------------------------------------------------------------------------
# Shapes from https://docs.github.com/en/webhooks/webhook-events-and-payloads (only the fields a
# workflow or Tollgate reads; every sha a real commit of the local repository).

def _repository(full_name, default_branch="main", fork=False):
    owner = full_name.split("/")[0]
    return {"full_name": full_name, "name": full_name.split("/")[1], "fork": fork, "default_branch": default_branch,
            "owner": {"login": owner, "type": "User"}, "html_url": f"https://github.example/{full_name}"}


def pull_request_event(repo, base, head, *, number=7, repository="octo/app", fork=None, action="synchronize",
                       head_ref="feature", base_ref="main", title="A change", user=None):
    """pull_request: `base` and `head` are revisions of `repo` (the head may come from a fork's branch:
    fork="someone/app" makes head.repo that fork, as GitHub reports it)."""
    base_sha, head_sha = rev(repo, base), rev(repo, head)
    head_repo = fork or repository
    login = user or head_repo.split("/")[0]
    pr = {"number": number, "title": title, "state": "open", "draft": False, "user": {"login": login},
          "head": {"sha": head_sha, "ref": head_ref, "label": f"{head_repo.split('/')[0]}:{head_ref}",
                   "repo": _repository(head_repo, fork=bool(fork)), "user": {"login": login}},
          "base": {"sha": base_sha, "ref": base_ref, "label": f"{repository.split('/')[0]}:{base_ref}",
                   "repo": _repository(repository)},
          "html_url": f"https://github.example/{repository}/pull/{number}"}
    return "pull_request", {"action": action, "number": number, "pull_request": pr,
                            "repository": _repository(repository), "sender": {"login": login}}


def push_event(repo, before, after, *, ref="refs/heads/main", repository="octo/app", forced=False):
    """push: before is the ref's previous tip (forty zeros for a new branch), after the new one;
    commits lists those pushed (GitHub lists at most 20, oldest first)."""
    before_sha = "0" * 40 if before is None else rev(repo, before)
    after_sha = rev(repo, after)
    span = after_sha if before is None else f"{before_sha}..{after_sha}"
    shas = git(repo, "rev-list", "--reverse", span).split() if span else []
    commits = [{"id": s, "message": git(repo, "log", "-1", "--format=%B", s), "distinct": True} for s in shas[-20:]]
    return "push", {"ref": ref, "before": before_sha, "after": after_sha, "created": before is None, "deleted": False,
                    "forced": forced, "base_ref": None, "commits": commits,
                    "head_commit": commits[-1] if commits else None, "repository": _repository(repository),
                    "pusher": {"name": repository.split("/")[0]}, "sender": {"login": repository.split("/")[0]}}


def merge_group_event(repo, base, head, *, number=7, base_ref="refs/heads/main", repository="octo/app"):
    """merge_group (checks_requested) for pull request `number` whose head is `head`, queued on
    `base`: like GitHub's merge queue this makes the queue's merge commit (parents: base, head) on
    the temporary branch gh-readonly-queue/<base branch>/pr-<n>-<base sha> of `repo`; head_sha is that
    commit, base_sha the base
    (https://docs.github.com/en/webhooks/webhook-events-and-payloads#merge_group)."""
    base_sha, pr_head = rev(repo, base), rev(repo, head)
    branch = base_ref.split("/", 2)[-1]
    head_ref = f"refs/heads/gh-readonly-queue/{branch}/pr-{number}-{base_sha}"
    proc = git(repo, "merge-tree", "--write-tree", base_sha, pr_head, check=False)
    if proc.returncode != 0:
        raise RepoError(f"pull request #{number} does not merge into {base}: the queue would remove it")
    head_sha = git(repo, "commit-tree", proc.stdout.split("\n", 1)[0].strip(), "-p", base_sha, "-p", pr_head, "-m",
                   f"Merge pull request #{number}", env=_MERGE_IDENTITY)
    git(repo, "update-ref", head_ref, head_sha)
    commit = {"id": head_sha, "tree_id": git(repo, "rev-parse", head_sha + "^{tree}"),
              "message": f"Merge pull request #{number}"}
    return "merge_group", {"action": "checks_requested", "merge_group": {
        "head_sha": head_sha, "head_ref": head_ref, "base_sha": base_sha, "base_ref": base_ref, "head_commit": commit},
        "repository": _repository(repository), "sender": {"login": repository.split("/")[0]}}


def workflow_run_event(repo, head, *, workflow="CI", conclusion="success", run_id=2001, event="pull_request",
                       head_branch="feature", repository="octo/app", head_repository=None, pull_requests=None,
                       action="completed"):
    """workflow_run: the run that finished. For a run from a fork's pull request GitHub lists no
    pull requests: `pull_requests` is empty and head_repository is the fork
    (https://docs.github.com/en/webhooks/webhook-events-and-payloads#workflow_run)."""
    head_sha = rev(repo, head)
    head_repo = head_repository or repository
    prs = [] if head_repo != repository else list(pull_requests or [])  # a fork's: always empty
    run = {"id": run_id, "name": workflow, "event": event, "status": "completed", "conclusion": conclusion,
           "head_sha": head_sha, "head_branch": head_branch, "run_attempt": 1, "run_number": 1,
           "pull_requests": list(prs), "repository": _repository(repository),
           "head_repository": _repository(head_repo, fork=head_repo != repository),
           "html_url": f"https://github.example/{repository}/actions/runs/{run_id}",
           "artifacts_url": f"https://api.github.example/repos/{repository}/actions/runs/{run_id}/artifacts"}
    return "workflow_run", {"action": action, "workflow_run": run, "workflow": {"name": workflow},
                            "repository": _repository(repository), "sender": {"login": head_repo.split("/")[0]}}


def workflow_dispatch_event(inputs=None, *, ref="refs/heads/main", repository="octo/app"):
    """workflow_dispatch: inputs as strings (booleans 'true'/'false') as GitHub sends them."""
    given = {k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in (inputs or {}).items()}
    return "workflow_dispatch", {"inputs": given, "ref": ref, "repository": _repository(repository),
                                 "sender": {"login": repository.split("/")[0]}}


def pull_request_pr_entry(number, base, head, repo, *, repository="octo/app", base_ref="main", head_ref="feature"):
    """One entry of workflow_run.pull_requests (same-repository pull requests only)."""
    return {"number": number, "head": {"sha": rev(repo, head), "ref": head_ref, "repo": {"name": repository.split("/")[1]}},
            "base": {"sha": rev(repo, base), "ref": base_ref, "repo": {"name": repository.split("/")[1]}}}
