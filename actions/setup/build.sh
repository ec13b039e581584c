#!/usr/bin/env bash
# Step 3 of putting tollgate on PATH, when no release applied: the bundle that actions/cache
# restored into TOLLGATE_CACHE_PATH, or else a build from source bundled there (and saved by
# actions/cache at the end of the job, so only the first run of a version compiles).
# TOLLGATE_BUILD_DIR names a directory that already holds a built tollgate (for example the
# repository's own CI, which has just built it); otherwise scripts/setup installs the build
# packages (Debian/Ubuntu) and builds.
# Step outputs: path, source (cache|build).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
fatal() { echo "::error title=tollgate setup::$*" >&2; exit 1; }

cache_path=${TOLLGATE_CACHE_PATH:?the cache path from the prepare step}
source=cache
if [[ ! -x $cache_path/bin/tollgate ]]; then
  source=build
  if [[ -n ${TOLLGATE_BUILD_DIR:-} ]]; then
    binary=$(realpath -m "$TOLLGATE_BUILD_DIR")/tollgate
    [[ -x $binary ]] || fatal "build-dir $TOLLGATE_BUILD_DIR holds no built tollgate"
  else
    [[ ${RUNNER_OS:-Linux} == Linux && -r /etc/debian_version ]] ||
      fatal "building tollgate from source needs a Debian or Ubuntu runner (this is ${RUNNER_OS:-$(uname -s)})"
    echo "::group::Building tollgate from source (scripts/setup)"
    "$root/scripts/setup"
    echo "::endgroup::"
    binary=$root/build/tollgate
  fi
  "$here/bundle.sh" "$binary" "$cache_path"
fi
"$cache_path/bin/tollgate" --version >/dev/null || fatal "$cache_path/bin/tollgate does not run"
echo "$cache_path/bin" >>"${GITHUB_PATH:-/dev/null}"
echo "path=$cache_path/bin/tollgate" >>"${GITHUB_OUTPUT:-/dev/null}"
echo "source=$source" >>"${GITHUB_OUTPUT:-/dev/null}"
echo "tollgate setup: $("$cache_path/bin/tollgate" --version) from $source ($cache_path/bin/tollgate)"
