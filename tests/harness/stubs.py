"""Stand-ins for the remote actions Tollgate's actions and templates use. Each checks its inputs
against the real action's, does the part that matters on one machine (a cache and an artifact
store shared by the jobs of one Harness), and returns the real action's outputs.

    Harness(..., stubs=stubs.default_stubs())
"""
import base64
import fnmatch
import glob as globmod
import os
import shutil
import subprocess
from pathlib import Path

from .runner import HarnessError, StubFailure

CHECKOUT_INPUTS = {"repository", "ref", "token", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user",
                   "persist-credentials", "path", "clean", "filter", "sparse-checkout", "sparse-checkout-cone-mode",
                   "fetch-depth", "fetch-tags", "show-progress", "lfs", "submodules", "set-safe-directory",
                   "github-server-url"}
CACHE_INPUTS = {"path", "key", "restore-keys", "upload-chunk-size", "enableCrossOsArchive", "fail-on-cache-miss",
                "lookup-only", "save-always"}
UPLOAD_INPUTS = {"name", "path", "if-no-files-found", "retention-days", "compression-level", "overwrite",
                 "include-hidden-files"}
DOWNLOAD_INPUTS = {"name", "path", "pattern", "merge-multiple", "github-token", "repository", "run-id", "artifact-ids"}
SETUP_NODE_INPUTS = {"node-version", "node-version-file", "architecture", "check-latest", "registry-url", "scope",
                     "token", "cache", "cache-dependency-path", "mirror", "mirror-token"}
SETUP_PYTHON_INPUTS = {"python-version", "python-version-file", "cache", "architecture", "check-latest", "token",
                       "cache-dependency-path", "update-environment", "allow-prereleases", "freethreaded"}


def _lines(text):
    return [l.strip() for l in (text or "").splitlines() if l.strip()]


def _expand(base, path):
    return Path(os.path.expandvars(os.path.expanduser(path))) if os.path.isabs(os.path.expanduser(path)) else base / path


def _git(cwd, *args, env=None):
    proc = subprocess.run(["git", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=dict(os.environ, GIT_TERMINAL_PROMPT="0", **(env or {})))
    if proc.returncode != 0:
        raise StubFailure(f"git {' '.join(args)}: {proc.stderr.strip()}")
    return proc.stdout.strip()


def checkout(call):
    """actions/checkout@v4 as its README documents it (https://github.com/actions/checkout#usage):
    the ref/SHA that triggered the workflow (on pull_request the merge commit refs/pull/N/merge,
    detached), ONE commit deep unless fetch-depth says otherwise (0 = all history of all branches
    and tags), no tags at depth > 0, and, with persist-credentials (default true), the token left in
    the local git config as `http.<server>/.extraheader` so later git commands authenticate. The
    remote is the harness's Origin (a bare repository served by file://)."""
    w = call.inputs(CHECKOUT_INPUTS)
    harness, github = call.harness, call.github
    if w.get("repository") and w["repository"].lower() != github["repository"].lower():
        raise HarnessError(f"actions/checkout: repository {w['repository']!r}: only the workflow's own repository "
                           "is served by the harness")
    origin = harness.origin()
    target = (call.workspace / (w.get("path") or ".")).resolve()
    if target == harness.origin_source:
        raise HarnessError("actions/checkout would clone into the origin repository itself: run it in a workflow "
                           "(each job gets a fresh workspace) or pass Harness(origin=...)")
    depth_text = w.get("fetch-depth") or "1"
    if not depth_text.isdigit():
        raise HarnessError(f"actions/checkout: fetch-depth {depth_text!r} is not a number")
    depth = int(depth_text)
    ref, sha = github["ref"], github["sha"]
    if w.get("ref"):
        wanted = w["ref"]
        if len(wanted) == 40 and all(c in "0123456789abcdefABCDEF" for c in wanted):
            ref, sha = "", wanted.lower()
        else:
            for candidate in ([wanted] if wanted.startswith("refs/") else [f"refs/heads/{wanted}", f"refs/tags/{wanted}"]):
                found = subprocess.run(["git", "rev-parse", "-q", "--verify", candidate + "^{commit}"], cwd=origin.path,
                                       stdout=subprocess.PIPE, text=True).stdout.strip()
                if found:
                    ref, sha = candidate, found
                    break
            else:
                raise StubFailure(f"A branch or tag with the name '{wanted}' could not be found")
    # clean: true (the default) — the runner's workspace is this job's own, start from nothing.
    if target.exists():
        for child in target.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    target.mkdir(parents=True, exist_ok=True)
    _git(target, "init", "-q")
    _git(target, "remote", "add", "origin", origin.url)
    _git(target, "config", "--local", "gc.auto", "0")
    token = w.get("token") or github.get("token", "")
    if w.get("persist-credentials", "true") != "false":
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        _git(target, "config", "--local", f"http.{github['server_url'].rstrip('/')}/.extraheader",
             f"AUTHORIZATION: basic {basic}")
    if ref.startswith("refs/heads/"):
        local = "refs/remotes/origin/" + ref[len("refs/heads/"):]
    elif ref.startswith("refs/pull/"):
        local = "refs/remotes/pull/" + ref[len("refs/pull/"):]
    elif ref.startswith("refs/tags/"):
        local = ref
    else:
        local = ""
    refspec = f"+{sha}:{local}" if local else sha
    if depth == 0:
        _git(target, "fetch", "-q", "--prune", "--no-recurse-submodules", "origin",
             "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*")
        if not ref.startswith(("refs/heads/", "refs/tags/")):
            _git(target, "fetch", "-q", "--no-recurse-submodules", "origin", refspec)
    else:
        tags = [] if w.get("fetch-tags") == "true" else ["--no-tags"]
        _git(target, "fetch", "-q", *tags, "--prune", "--no-recurse-submodules", f"--depth={depth}", "origin", refspec)
    if ref.startswith("refs/heads/"):
        _git(target, "checkout", "-q", "--force", "-B", ref[len("refs/heads/"):], local)
    else:
        _git(target, "checkout", "-q", "--force", "--detach", sha)
    commit = _git(target, "rev-parse", "HEAD")
    call.log(f"checkout: {ref or sha} at {commit} ({'all history' if depth == 0 else f'depth {depth}'}) into {target}")
    return {"ref": ref, "commit": commit}


CACHE_SAVE_INPUTS = {"path", "key", "upload-chunk-size", "enableCrossOsArchive"}
CACHE_RESTORE_INPUTS = {"path", "key", "restore-keys", "enableCrossOsArchive", "fail-on-cache-miss", "lookup-only"}


def _cache_version(call, w):
    """What the entry's version stamps: the paths as written, and the cross-OS flag (cache.py). Every
    job of a GitHub-hosted runner has the same RUNNER_TEMP and workspace paths
    (https://docs.github.com/en/actions/reference/workflows-and-actions/variables), where the harness
    gives each job its own directories: those are written as the runner's here."""
    repo = call.github["repository"].split("/")[-1]
    same = {str(call.runner_temp): "/home/runner/work/_temp", str(call.workspace): f"/home/runner/work/{repo}/{repo}"}

    def as_hosted(path):
        for mine, hosted in same.items():
            if path == mine or path.startswith(mine + "/"):
                return hosted + path[len(mine):]
        return path

    return (tuple(as_hosted(p) for p in _lines(w["path"])), w.get("enableCrossOsArchive") == "true")


def _cache_restore(call, w, log_hit=True):
    """The restore half of actions/cache and actions/cache/restore (cache.py has the rules).
    Returns (outputs, exact hit, matched entry)."""
    cache = call.harness.cache
    key = w["key"]
    cache.check_key(key)
    restore_keys = _lines(w.get("restore-keys"))
    paths = [_expand(call.workspace, p) for p in _lines(w["path"])]
    scopes = cache.scopes(call.github)
    entry = cache.find(key, restore_keys, _cache_version(call, w), scopes)
    hit = entry is not None and entry.key == key
    cache.log.append(("restore", key, entry.key if entry else None, scopes[0]))
    if log_hit:
        call.harness.store.setdefault("cache_log", []).append(("restore", key, hit))
    if entry is None:
        if w.get("fail-on-cache-miss") == "true":
            raise StubFailure(f"Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: {key}")
        call.log(f"Cache not found for input keys: {', '.join([key, *restore_keys])}")
        # A miss leaves cache-hit unset, not 'false' (actions/cache restoreImpl.ts; actions/cache#1466).
        return {}, False, None
    if w.get("lookup-only") != "true":
        cache.restore(entry, paths)
    call.log(f"Cache restored from key: {entry.key} (scope {entry.scope})")
    return {"cache-hit": "true" if hit else "false"}, hit, entry


def cache(call):
    """actions/cache@v4: restore (cache.py's rules), and at the end of a successful job save under
    `key` in this run's scope unless the exact key was hit."""
    w = call.inputs(CACHE_INPUTS, required=("path", "key"))
    outputs, hit, _entry = _cache_restore(call, w)
    if not hit:
        paths = [_expand(call.workspace, p) for p in _lines(w["path"])]

        def save():
            saved, message = call.harness.cache.save(w["key"], _cache_version(call, w), call.github["ref"], paths)
            call.log(message)
            if saved:
                call.harness.store.setdefault("cache_log", []).append(("save", w["key"], True))

        call.post(save, "always" if w.get("save-always") == "true" else "success")
    return outputs


def cache_restore(call):
    """actions/cache/restore@v4: the restore half; outputs cache-hit (exact key only),
    cache-primary-key and cache-matched-key (https://github.com/actions/cache/blob/main/restore/README.md)."""
    w = call.inputs(CACHE_RESTORE_INPUTS, required=("path", "key"))
    outputs, _hit, entry = _cache_restore(call, w)
    outputs["cache-primary-key"] = w["key"]
    if entry is not None:
        outputs["cache-matched-key"] = entry.key
    return outputs


def cache_save(call):
    """actions/cache/save@v4: saves now, under `key` in this run's scope; an existing entry or no
    file to save is a warning, not a failure (https://github.com/actions/cache/blob/main/save/README.md)."""
    w = call.inputs(CACHE_SAVE_INPUTS, required=("path", "key"))
    paths = [_expand(call.workspace, p) for p in _lines(w["path"])]
    saved, message = call.harness.cache.save(w["key"], _cache_version(call, w), call.github["ref"], paths)
    call.log(message if saved else "::warning::" + message)
    if saved:
        call.harness.store.setdefault("cache_log", []).append(("save", w["key"], True))
    return {}


def _artifacts(call, run_id=None):
    """A run's artifacts (by default the run the step is in): upload-artifact writes its own run's;
    download-artifact reads another run's only with both `run-id` and `github-token` — without the
    token it reads the current run whatever `run-id` says
    (https://github.com/actions/download-artifact#download-artifacts-from-other-workflow-runs-or-repositories)."""
    return call.harness.store.setdefault("run_artifacts", {}).setdefault(str(run_id or call.github.get("run_id")), {})


def upload_artifact(call):
    """actions/upload-artifact@v4: files matched by `path` (globs, ! excludes), stored relative to
    their least common ancestor; a name can be uploaded once per run unless overwrite."""
    w = call.inputs(UPLOAD_INPUTS, required=("path",))
    name = w.get("name") or "artifact"
    store = _artifacts(call)
    if name in store and w.get("overwrite") != "true":
        raise StubFailure(f"an artifact named {name!r} already exists in this run")
    def matched(patterns):
        found = set()
        for pattern in patterns:
            pattern = os.path.expanduser(pattern)
            full = pattern if os.path.isabs(pattern) else str(call.workspace / pattern)
            for m in globmod.glob(full, recursive=True):
                p = Path(m)
                found.update(q.resolve() for q in (p.rglob("*") if p.is_dir() else [p]) if q.is_file())
        return found

    lines = _lines(w["path"])
    files = matched([l for l in lines if not l.startswith("!")]) - matched([l[1:] for l in lines if l.startswith("!")])
    if w.get("include-hidden-files") != "true":
        files = {f for f in files if not f.name.startswith(".")}
    files = sorted(files)
    if not files:
        mode = w.get("if-no-files-found") or "warn"
        if mode == "error":
            raise StubFailure(f"no files found for {w['path']!r}")
        call.log(f"upload-artifact: no files found for {w['path']!r} ({mode})")
        return {}
    root = Path(os.path.commonpath([str(f.parent) for f in files]))
    dest = call.harness.runner_root / "artifacts" / str(call.github.get("run_id")) / f"{len(store)}-{name}"
    for f in files:
        target = dest / f.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, target)
    store[name] = dest
    call.harness.store.setdefault("artifacts", {})[name] = dest  # the newest of each name, for tests to inspect
    call.log(f"upload-artifact: {name}: {len(files)} file(s)")
    return {"artifact-id": str(len(store)), "artifact-url": f"https://github.example/artifacts/{len(store)}"}


def download_artifact(call):
    """actions/download-artifact@v4: by name into path, or every artifact (pattern) into
    path/<name>/ unless merge-multiple."""
    w = call.inputs(DOWNLOAD_INPUTS)
    if w.get("repository") and w["repository"].lower() != call.github["repository"].lower():
        raise HarnessError("actions/download-artifact: another repository's artifacts are not modelled")
    store = _artifacts(call, w.get("run-id") if w.get("github-token") else None)
    dest = _expand(call.workspace, w.get("path") or ".")
    if w.get("name"):
        if w["name"] not in store:
            raise StubFailure(f"no artifact named {w['name']!r} (artifacts: {', '.join(store) or 'none'})")
        chosen, single = {w["name"]: store[w["name"]]}, True
    else:
        pattern = w.get("pattern") or "*"
        chosen, single = {n: p for n, p in store.items() if fnmatch.fnmatch(n, pattern)}, False
    for name, src in chosen.items():
        target = dest if single or w.get("merge-multiple") == "true" else dest / name
        shutil.copytree(src, target, dirs_exist_ok=True)
    call.log(f"download-artifact: {', '.join(chosen) or 'nothing'} into {dest}")
    return {"download-path": str(dest)}


def setup_node(call):
    call.inputs(SETUP_NODE_INPUTS)
    return {"node-version": "v20", "cache-hit": "false"}


def setup_python(call):
    call.inputs(SETUP_PYTHON_INPUTS)
    return {"python-version": "3.11", "cache-hit": "false"}


def default_stubs():
    return {
        "actions/checkout": checkout,
        "actions/cache": cache,
        "actions/cache/restore": cache_restore,
        "actions/cache/save": cache_save,
        "actions/upload-artifact": upload_artifact,
        "actions/download-artifact": download_artifact,
        "actions/setup-node": setup_node,
        "actions/setup-python": setup_python,
    }


__all__ = ["default_stubs", "checkout", "cache", "cache_restore", "cache_save", "upload_artifact", "download_artifact", "setup_node",
           "setup_python", "HarnessError", "StubFailure"]
