"""The event side of the harness: whether a workflow runs for an event, the repository on GitHub
(the Origin actions/checkout fetches from), GITHUB_SHA and GITHUB_REF as the event sets them, and
what a fork's pull request is denied. Mixed into Harness."""
import json
import subprocess
import urllib.parse
import urllib.request
import uuid

from .errors import HarnessError
from .gh import parse_workflow
from .repo import Origin, RepoError
from .triggers import changed_files, triggers

# Events whose runs for a fork's pull request get a read-only token and no secrets
# (pull_request_target and workflow_run run in the base repository's context and get both).
_FORK_RESTRICTED = {"pull_request", "pull_request_review", "pull_request_review_comment"}


class EventsMixin:
    def would_trigger(self, path, event_name, event=None, *, wf=None):
        """(runs, reason): whether GitHub starts this workflow for the event (triggers.py)."""
        wf = wf if wf is not None else parse_workflow(path)
        event = event if event is not None else self.github.get("event") or {}
        if event_name == "push" and "ref" not in event:
            event = dict(event, ref=self.github["ref"])  # a push payload always names its ref
        on = wf.get("on")
        spec = on.get(event_name) if isinstance(on, dict) else None
        needs_paths = isinstance(spec, dict) and ("paths" in spec or "paths-ignore" in spec)
        changed = changed_files(self.origin_source, event_name, event) if needs_paths else None
        return triggers(on, event_name, event, changed)

    # ---- the repository on GitHub and the event ----------------------------------------------------

    def origin(self):
        """The Origin (a bare repository served by file://) synchronised with origin_source."""
        if self.origin_source is None:
            raise HarnessError("actions/checkout: no repository to check out (the workspace is not a git "
                               "repository; pass origin=)")
        if self._origin is None:
            self._origin = Origin(self.origin_source, self.runner_root, self.github["repository"])
        self._origin.sync(self.forks.values())
        return self._origin

    @staticmethod
    def _is_fork(pr, github):
        head_repo = ((pr.get("head") or {}).get("repo") or {}).get("full_name")
        return bool(head_repo) and head_repo.lower() != github["repository"].lower()

    def _fork_pull_request(self, github):
        """A workflow run for a pull request from a fork: GITHUB_TOKEN is read-only and no other
        secret reaches the runner
        (https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token
        and https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions#using-secrets-in-a-workflow).
        The run gets its own token, registered read-only with the API emulator when the API is
        on this machine (tests/emulator: POST /_emulator/tokens)."""
        github["_fork"] = True
        token = f"ghs_fork{github['run_id']}readonly{uuid.uuid5(uuid.NAMESPACE_URL, github['token']).hex[:12]}"
        github["token"] = token
        api = urllib.parse.urlsplit(github["api_url"])
        if api.hostname in ("127.0.0.1", "localhost", "::1"):
            req = urllib.request.Request(github["api_url"] + "/_emulator/tokens", method="POST",
                                         data=json.dumps({"token": token, "mode": "read-only"}).encode(),
                                         headers={"Content-Type": "application/json"})
            urllib.request.urlopen(req, timeout=30).read()

    def _for_event(self, github):
        """GITHUB_SHA and GITHUB_REF as GitHub sets them for the event
        (https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows):
        pull_request → the test merge commit on refs/pull/N/merge; pull_request_target → the base
        branch; push → `after` on `ref`; merge_group → the queue's head_sha on its head_ref;
        workflow_dispatch → the tip of the dispatched ref; workflow_run, schedule → the default branch's tip."""
        event, name = github.get("event") or {}, github.get("event_name")
        pr = event.get("pull_request") if isinstance(event, dict) else None
        if pr and name in _FORK_RESTRICTED and self._is_fork(pr, github):
            self._fork_pull_request(github)
        if name == "pull_request" and pr and self.origin_source is not None:
            number = pr.get("number") or event.get("number")
            try:
                merge = self.origin().pull_request_refs(number, pr["base"]["sha"], pr["head"]["sha"])
            except RepoError as e:
                raise HarnessError(str(e)) from None
            github.update(sha=merge, ref=f"refs/pull/{number}/merge", head_ref=pr["head"].get("ref", ""),
                          base_ref=pr["base"].get("ref", ""))
            if self.origin_source == self.workspace:
                # run_action/run_steps work in the test's own repository: the merge commit must resolve there too.
                subprocess.run(["git", "fetch", "-q", self._origin.url, f"+refs/pull/{number}/*:refs/pull/{number}/*"],
                               cwd=self.workspace, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elif name == "pull_request_target" and pr:
            github.update(sha=pr["base"]["sha"], ref="refs/heads/" + pr["base"]["ref"],
                          head_ref=pr["head"].get("ref", ""), base_ref=pr["base"].get("ref", ""))
        elif name == "push" and event.get("after"):
            github.update(sha=event["after"], ref=event.get("ref", github["ref"]))
        elif name == "merge_group" and event.get("merge_group"):
            group = event["merge_group"]
            github.update(sha=group["head_sha"], ref=group["head_ref"])
        elif name in ("workflow_dispatch", "workflow_run", "schedule") and self.origin_source is not None:
            # The tip of the dispatched ref; for workflow_run and schedule the default branch's tip.
            ref = event.get("ref") if name == "workflow_dispatch" and event.get("ref") else \
                "refs/heads/" + ((event.get("repository") or {}).get("default_branch") or "main")
            origin = self.origin()
            found = subprocess.run(["git", "rev-parse", "-q", "--verify", ref + "^{commit}"], cwd=origin.path,
                                   stdout=subprocess.PIPE, text=True).stdout.strip()
            if not found:
                raise HarnessError(f"{name}: {ref} does not exist in the repository")
            github.update(sha=found, ref=ref)
        else:
            return github
        ref = github["ref"]
        github["ref_name"] = ref.split("/", 2)[-1] if ref.startswith(("refs/heads/", "refs/tags/")) else \
            ref[len("refs/pull/"):] if ref.startswith("refs/pull/") else ref
        github["ref_type"] = "tag" if ref.startswith("refs/tags/") else "branch"
        return github
