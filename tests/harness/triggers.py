"""Whether a workflow runs for an event, decided as GitHub decides it
(https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#onpushpull_requestpull_request_targetpathspaths-ignore
and the filter pattern cheat sheet,
https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#filter-pattern-cheat-sheet).

- push: `branches`/`branches-ignore` match the pushed branch, `tags`/`tags-ignore` the pushed tag;
  with only branch filters a tag push does not run it, and the other way round; `paths` /
  `paths-ignore` match the files changed by the push.
- pull_request / pull_request_target: the filters match the BASE branch; `types` default to
  opened, synchronize and reopened; paths: the files the pull request changes (base...head).
- workflow_run: `workflows` by name, `branches` match the run's head_branch, `types` default to all.
- merge_group: `types` (checks_requested); workflow_dispatch: always; schedule: when a cron is due
  (`on.schedule` is a list of crons without filters).
- `$default-branch` is a literal pattern: GitHub replaces it only in workflow templates offered by an
  organisation's .github repository
  (https://docs.github.com/en/actions/sharing-automations/creating-workflow-templates-for-your-organization),
  so a copied workflow with `branches: [$default-branch]` matches a branch named "$default-branch".
"""
import re
import subprocess

_DEFAULT_TYPES = {"pull_request": {"opened", "synchronize", "reopened"},
                  "pull_request_target": {"opened", "synchronize", "reopened"}}
_cache = {}


def pattern_regex(pattern):
    """A filter pattern as a regular expression: * any characters but /, ** any characters,
    ? zero or one and + one or more of the preceding character, [...] a class, \\ escapes."""
    if pattern in _cache:
        return _cache[pattern]
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            if pattern.startswith("**", i):
                out.append(".*")
                i += 2
                continue
            out.append("[^/]*")
        elif c in "?+":
            out.append(c)
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out.append(re.escape(c))
            else:
                out.append("[" + pattern[i + 1:end].replace("\\", "\\\\") + "]")
                i = end
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(c))
        i += 1
    _cache[pattern] = re.compile("".join(out) + r"\Z")
    return _cache[pattern]


def matches(patterns, value):
    """Patterns in order; a later `!pattern` excludes what earlier ones included, and a later
    positive pattern includes again."""
    included = False
    for p in patterns:
        if p.startswith("!"):
            if pattern_regex(p[1:]).match(value):
                included = False
        elif pattern_regex(p).match(value):
            included = True
    return included


def _list(value):
    return [value] if isinstance(value, str) else list(value or [])


def _filter(spec, positive, negative, value, what):
    if positive in spec and negative in spec:
        return False, f"both {positive} and {negative} (GitHub refuses the file)"
    if positive in spec and not matches(_list(spec[positive]), value):
        return False, f"{what} {value!r} matches no pattern of {positive}: {_list(spec[positive])}"
    if negative in spec and matches(_list(spec[negative]), value):
        return False, f"{what} {value!r} matches {negative}: {_list(spec[negative])}"
    return True, ""


def _paths(spec, changed):
    if "paths" not in spec and "paths-ignore" not in spec:
        return True, ""
    if changed is None:
        return False, "paths filters need the changed files"
    if "paths" in spec and not any(matches(_list(spec["paths"]), f) for f in changed):
        return False, f"no changed file matches paths: {_list(spec['paths'])}"
    if "paths-ignore" in spec and changed and all(matches(_list(spec["paths-ignore"]), f) for f in changed):
        return False, f"every changed file matches paths-ignore: {_list(spec['paths-ignore'])}"
    return True, ""


def changed_files(repo, event_name, event):
    """The files GitHub compares for paths filters: push before..after, pull request base...head."""
    if repo is None:
        return None
    if event_name == "push" and event.get("after"):
        before, after = event.get("before") or "0" * 40, event["after"]
        args = ["diff-tree", "--no-commit-id", "--root", "-r", "--name-only", after] if set(before) == {"0"} \
            else ["diff", "--name-only", before, after]
    elif event.get("pull_request"):
        pr = event["pull_request"]
        args = ["diff", "--name-only", f"{pr['base']['sha']}...{pr['head']['sha']}"]
    else:
        return None
    proc = subprocess.run(["git", *args], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc.stdout.split() if proc.returncode == 0 else None


def triggers(on, event_name, event, changed=None):
    """(runs, reason) for a workflow's `on:` and one event."""
    if isinstance(on, str):
        on = {on: None}
    elif isinstance(on, list):
        on = {name: None for name in on}
    if event_name not in on:
        return False, f"no trigger for {event_name} (on: {', '.join(on)})"
    if event_name == "schedule":  # a list of crons, no filters: the run the test asks for is due
        return True, ""
    spec = on[event_name] or {}
    event = event or {}
    action = event.get("action")
    types = _list(spec.get("types")) or _DEFAULT_TYPES.get(event_name)
    if types and action and action not in types:
        return False, f"activity type {action!r} is not in types: {sorted(types)}"
    if event_name == "push":
        ref = event.get("ref", "")
        if ref.startswith("refs/tags/"):
            if ("branches" in spec or "branches-ignore" in spec) and "tags" not in spec and "tags-ignore" not in spec:
                return False, "a tag push, and only branch filters are defined"
            ok, why = _filter(spec, "tags", "tags-ignore", ref[len("refs/tags/"):], "tag")
        else:
            if ("tags" in spec or "tags-ignore" in spec) and "branches" not in spec and "branches-ignore" not in spec:
                return False, "a branch push, and only tag filters are defined"
            ok, why = _filter(spec, "branches", "branches-ignore", ref[len("refs/heads/"):], "branch")
        return (ok, why) if not ok else _paths(spec, changed)
    if event_name in ("pull_request", "pull_request_target"):
        base = ((event.get("pull_request") or {}).get("base") or {}).get("ref", "")
        ok, why = _filter(spec, "branches", "branches-ignore", base, "base branch")
        return (ok, why) if not ok else _paths(spec, changed)
    if event_name == "workflow_run":
        run = event.get("workflow_run") or {}
        if "workflows" in spec and run.get("name") not in _list(spec["workflows"]):
            return False, f"workflow {run.get('name')!r} is not in workflows: {_list(spec['workflows'])}"
        return _filter(spec, "branches", "branches-ignore", run.get("head_branch") or "", "head branch")
    return True, ""


def from_org_template(text, default_branch="main"):
    """A workflow as a repository gets it when a user picks it from the organisation's workflow
    templates (the .github repository's workflow-templates/): GitHub replaces $default-branch with
    the repository's default branch then, and only then
    (https://docs.github.com/en/actions/sharing-automations/creating-workflow-templates-for-your-organization)."""
    return text.replace("$default-branch", default_branch)
