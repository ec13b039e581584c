#!/usr/bin/env bash
# Step 1 of putting tollgate on PATH (every Tollgate action runs it; see actions/setup/action.yml).
# In order: a tollgate of the right version already on PATH (an earlier step of this job); the
# runner's tool cache (a release verified by an earlier job on a self-hosted runner); a prebuilt
# release, downloaded and verified by install.sh. When none applies it prepares the build from
# source: the key and path for actions/cache, which the next steps use.
# Environment (the action's inputs): TOLLGATE_VERSION (default: the version of this action's own
# checkout, so the binary always matches the action), TOLLGATE_SOURCE auto|release|build,
# TOLLGATE_RELEASE_URL and TOLLGATE_SHA256 (see install.sh).
# Step outputs: ready (true when tollgate is on PATH now), path, version, source
# (path|tool-cache|release), and otherwise source-hash and cache-path.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

fatal() { echo "::error title=tollgate setup::$*" >&2; exit 1; }
output() { echo "$1=$2" >>"${GITHUB_OUTPUT:-/dev/null}"; }
ready() { # bin-dir source
  if [[ $(command -v tollgate || true) != "$1/tollgate" ]]; then echo "$1" >>"${GITHUB_PATH:-/dev/null}"; fi
  output ready true
  output path "$1/tollgate"
  output version "$version"
  output source "$2"
  echo "tollgate setup: tollgate $version from $2 ($1/tollgate)"
  exit 0
}

version=${TOLLGATE_VERSION:-}
if [[ -z $version ]]; then
  version=$(sed -n 's/^project(tollgate VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
  [[ -n $version ]] || fatal "cannot read the version from $root/CMakeLists.txt"
fi
mode=${TOLLGATE_SOURCE:-auto}
[[ $mode == auto || $mode == release || $mode == build ]] || fatal "source must be auto, release or build, not '$mode'"

if current=$(command -v tollgate) && [[ $("$current" --version 2>/dev/null || true) == "tollgate $version" ]]; then
  ready "$(dirname "$current")" path
fi

if [[ $mode != build ]]; then
  platform=${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}
  dest=${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/tollgate/$version/${platform,,}
  if [[ -f $dest/.verified && -x $dest/bin/tollgate ]]; then
    ready "$dest/bin" tool-cache
  fi
  rc=0
  "$here/install.sh" "$version" "$dest" || rc=$?
  case $rc in
    0) ready "$dest/bin" release ;;
    10) [[ $mode == release ]] && fatal "no prebuilt tollgate $version for this runner (source: release)"
        echo "tollgate setup: no prebuilt tollgate $version for this runner; building it from source" ;;
    *) exit "$rc" ;;
  esac
fi

# The key for actions/cache: the sources that make the binary, and the distribution it links
# against (ubuntu-22.04 and ubuntu-24.04 runners both say Linux/X64). hashFiles() cannot do this:
# it sees only files under GITHUB_WORKSPACE, and a used action lives elsewhere.
hash=$( (
  cd "$root"
  find CMakeLists.txt agent scripts/setup -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
  cat /etc/os-release 2>/dev/null || true
) | sha256sum | cut -c1-32)
output ready false
output version "$version"
output source-hash "$hash"
output cache-path "${RUNNER_TEMP:-/tmp}/tollgate-build-$hash"
