"""The repository's Actions cache as GitHub keeps it, for the actions/cache stubs (stubs.py).

One `ActionsCache` stands for one repository's cache: pass the same object to every Harness that
plays a run of that repository (`Harness(..., cache=shared)`) and a pull request's run sees what
the default branch's run saved. Each rule is GitHub's, with its source:

- An entry is (key, version, scope). The version stamps the paths the entry was saved with (and the
  compression, the same here): a restore with other paths does not see it
  (https://docs.github.com/en/actions/reference/workflows-and-actions/dependency-caching#cache-version).
- The scope is the ref of the run that saved it: `refs/heads/<branch>` for a push, the merge ref
  `refs/pull/<n>/merge` for a pull request — so a pull request's cache is seen only by re-runs of
  that pull request. A run restores from its own scope, then (a pull request) its base branch, then
  the default branch; never from a sibling or child branch, never from another pull request
  (https://docs.github.com/en/actions/reference/workflows-and-actions/dependency-caching#restrictions-for-accessing-a-cache).
- In each scope, in that order: the exact `key`, then a prefix match of `key`, then each
  `restore-keys` prefix in the order given; of several prefix matches the most recently created
  wins (https://docs.github.com/en/actions/reference/workflows-and-actions/dependency-caching#cache-key-matching).
- `cache-hit` is true only for the exact key; a restore-keys match is a miss that restored
  something (https://github.com/actions/cache/blob/main/restore/README.md#outputs).
- Entries are immutable: saving a (key, version, scope) that exists does not change it; the save
  step warns "Failed to save: Unable to reserve cache with key …" and does not fail
  (https://docs.github.com/en/actions/reference/workflows-and-actions/dependency-caching#cache-action-usage:
  "You cannot change the contents of an existing cache"; the warning: actions/cache#1139).
- A key is at most 512 characters and holds no comma; a longer key fails the action
  (the docs above, "Input parameters for the cache action"; the comma: actions/toolkit,
  packages/cache/src/cache.ts, checkKey).
- Not modelled (no clock here): entries not accessed for 7 days are evicted, and past 10 GB per
  repository the oldest go first
  (https://docs.github.com/en/actions/reference/workflows-and-actions/dependency-caching#usage-limits-and-eviction-policy).
  A workflow must therefore treat a missing cache as normal: the first run, or one evicted.
"""
import itertools
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .errors import HarnessError

MAX_KEY_LENGTH = 512  # dependency-caching docs, "Input parameters for the cache action"


@dataclass
class CacheEntry:
    key: str
    version: tuple
    scope: str
    created: int
    saved: list = field(default_factory=list)  # per path: the stored copy, or None when it did not exist


class ActionsCache:
    def __init__(self, root=None):
        import tempfile
        self.root = Path(root or tempfile.mkdtemp(prefix="harness-cache-"))
        self.entries = []
        self.log = []  # ("restore", key, matched key or None, scope searched first) / ("save", key, scope, saved?)
        self._serial = itertools.count(1)

    @staticmethod
    def check_key(key):
        if len(key) > MAX_KEY_LENGTH:
            raise HarnessError(f"actions/cache: key is longer than {MAX_KEY_LENGTH} characters: {key[:40]}…")
        if "," in key:
            raise HarnessError(f"actions/cache: Key Validation Error: {key} cannot contain commas.")

    @staticmethod
    def scopes(github):
        """The scopes a run may restore from, in search order."""
        event = github.get("event") or {}
        default = ((event.get("repository") or {}).get("default_branch")) or github.get("default_branch") or "main"
        found = [github["ref"]]
        pr = event.get("pull_request") if github.get("event_name") in ("pull_request", "pull_request_target") else None
        if pr and (pr.get("base") or {}).get("ref"):
            found.append("refs/heads/" + pr["base"]["ref"])
        found.append("refs/heads/" + default)
        return list(dict.fromkeys(found))

    def find(self, key, restore_keys, version, scopes):
        """The entry a restore gets (or None)."""
        for scope in scopes:
            mine = [e for e in self.entries if e.scope == scope and e.version == version]
            exact = [e for e in mine if e.key == key]
            if exact:
                return exact[0]
            for prefix in [key, *restore_keys]:
                matches = [e for e in mine if e.key.startswith(prefix)]
                if matches:
                    return max(matches, key=lambda e: e.created)
        return None

    def restore(self, entry, paths):
        for path, saved in zip(paths, entry.saved):
            if saved is None:
                continue
            if path.exists() or path.is_symlink():
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(saved, path, symlinks=True) if saved.is_dir() else shutil.copy2(saved, path)

    def save(self, key, version, scope, paths):
        """Returns (saved, message). Nothing to save, or an existing entry, saves nothing."""
        self.check_key(key)
        if any(e.key == key and e.version == version and e.scope == scope for e in self.entries):
            self.log.append(("save", key, scope, False))
            return False, (f"Failed to save: Unable to reserve cache with key {key}, another job may be creating "
                           f"this cache. More details: Cache already exists. Scope: {scope}, Key: {key}")
        if not any(p.exists() for p in paths):
            self.log.append(("save", key, scope, False))
            return False, "Path Validation Error: Path(s) specified in the action for caching do(es) not exist, " \
                          "hence no cache is being saved."
        serial = next(self._serial)
        saved = []
        for i, path in enumerate(paths):
            if path.exists():
                dest = self.root / str(serial) / str(i)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copytree(path, dest, symlinks=True) if path.is_dir() else shutil.copy2(path, dest)
                saved.append(dest)
            else:
                saved.append(None)
        self.entries.append(CacheEntry(key, version, scope, serial, saved))
        self.log.append(("save", key, scope, True))
        return True, f"Cache saved with key: {key}"

    def keys(self, scope=None):
        return [e.key for e in self.entries if scope is None or e.scope == scope]


__all__ = ["ActionsCache", "CacheEntry", "MAX_KEY_LENGTH"]
