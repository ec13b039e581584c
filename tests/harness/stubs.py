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


def _cache_store(call):
    return call.harness.store.setdefault("cache", {})


def cache(call):
    """actions/cache: restore the exact key (or a restore-keys prefix), save at the end of a
    successful job when the key missed."""
    w = call.inputs(CACHE_INPUTS, required=("path", "key"))
    paths = [_expand(call.workspace, p) for p in _lines(w["path"])]
    store = _cache_store(call)
    key = w["key"]
    hit = key in store
    restored = key if hit else next((k for prefix in _lines(w.get("restore-keys")) for k in sorted(store, reverse=True)
                                     if k.startswith(prefix)), None)
    if restored:
        for path, saved in zip(paths, store[restored]):
            if saved is None:
                continue
            if path.exists():
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(saved, path, symlinks=True) if saved.is_dir() else shutil.copy2(saved, path)
        call.log(f"cache: restored {restored}")
    elif w.get("fail-on-cache-miss") == "true":
        raise StubFailure(f"no cache for {key}")
    call.harness.store.setdefault("cache_log", []).append(("restore", key, bool(hit)))

    if not hit:
        def save():
            if key in store:
                return
            root = call.harness.runner_root / "cache-store" / str(len(store))
            saved = []
            for i, path in enumerate(paths):
                if path.exists():
                    dest = root / str(i)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copytree(path, dest, symlinks=True) if path.is_dir() else shutil.copy2(path, dest)
                    saved.append(dest)
                else:
                    saved.append(None)
            if any(s is not None for s in saved):
                store[key] = saved
                call.harness.store.setdefault("cache_log", []).append(("save", key, True))

        call.post(save, "always" if w.get("save-always") == "true" else "success")
    return {"cache-hit": "true" if hit else "false"}


def _artifacts(call):
    return call.harness.store.setdefault("artifacts", {})


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
    dest = call.harness.runner_root / "artifacts" / f"{len(store)}-{name}"
    for f in files:
        target = dest / f.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, target)
    store[name] = dest
    call.log(f"upload-artifact: {name}: {len(files)} file(s)")
    return {"artifact-id": str(len(store)), "artifact-url": f"https://github.example/artifacts/{len(store)}"}


def download_artifact(call):
    """actions/download-artifact@v4: by name into path, or every artifact (pattern) into
    path/<name>/ unless merge-multiple."""
    w = call.inputs(DOWNLOAD_INPUTS)
    store = _artifacts(call)
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
        "actions/upload-artifact": upload_artifact,
        "actions/download-artifact": download_artifact,
        "actions/setup-node": setup_node,
        "actions/setup-python": setup_python,
    }


__all__ = ["default_stubs", "checkout", "cache", "upload_artifact", "download_artifact", "setup_node",
           "setup_python", "HarnessError", "StubFailure"]
