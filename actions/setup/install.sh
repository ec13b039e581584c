#!/usr/bin/env bash
# Installs a prebuilt tollgate release for this runner: downloads the archive over HTTPS, checks
# its SHA-256 against the release's checksum list (or TOLLGATE_SHA256), unpacks it into DEST.
#   install.sh VERSION DEST
# Environment: RUNNER_OS / RUNNER_ARCH (else uname), TOLLGATE_RELEASE_URL (the base that holds
# v<VERSION>/…; default GitHub's releases of tollgate/tollgate), TOLLGATE_SHA256 (the archive's
# expected digest; overrides the list). curl honours CURL_CA_BUNDLE for private CAs.
# Exit status: 0 installed; 10 no release for this version and platform (missing, or the host is
# unreachable): the caller may build from source instead; 1 anything else, above all a checksum
# that does not match (never fall back from that: the download is not what was published).
set -euo pipefail

version=${1:?usage: install.sh VERSION DEST}
dest=${2:?usage: install.sh VERSION DEST}
base=${TOLLGATE_RELEASE_URL:-https://github.com/tollgate/tollgate/releases/download}
base=${base%/}

fatal() { echo "::error title=tollgate setup::$*" >&2; exit 1; }
unavailable() { echo "tollgate setup: $*" >&2; exit 10; }

[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([.-][0-9A-Za-z.-]+)?$ ]] || fatal "'$version' is not a release version"
[[ $base == https://* ]] || fatal "the release URL must use HTTPS: $base"

case ${RUNNER_OS:-$(uname -s)} in
  Linux) os=linux ;;
  macOS | Darwin) os=macos ;;
  *) unavailable "no prebuilt tollgate for ${RUNNER_OS:-$(uname -s)}" ;;
esac
case ${RUNNER_ARCH:-$(uname -m)} in
  X64 | x86_64 | amd64) arch=x64 ;;
  ARM64 | aarch64 | arm64) arch=arm64 ;;
  *) unavailable "no prebuilt tollgate for ${RUNNER_ARCH:-$(uname -m)}" ;;
esac
asset=tollgate-$version-$os-$arch.tar.gz

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# HTTPS only, redirects included (GitHub answers release downloads with a redirect).
fetch() { # url file → 0, or 10 when absent or unreachable
  local code rc=0
  code=$(curl --proto '=https' --proto-redir '=https' --tlsv1.2 --silent --show-error --location \
    --retry 3 --retry-delay 1 --connect-timeout 20 --max-time 300 \
    --write-out '%{http_code}' --output "$2" "$1") || rc=$?
  case $rc in
    0) ;;
    6 | 7 | 28) unavailable "cannot reach $1 (curl exit $rc)" ;;
    *) fatal "downloading $1 failed (curl exit $rc)" ;;
  esac
  case $code in
    200) ;;
    404) unavailable "no release asset at $1" ;;
    *) fatal "downloading $1 answered HTTP $code" ;;
  esac
}

fetch "$base/v$version/$asset" "$work/$asset"
expected=${TOLLGATE_SHA256:-}
if [[ -z $expected ]]; then
  fetch "$base/v$version/SHA256SUMS" "$work/SHA256SUMS"
  # Lines as sha256sum writes them: "<hex>  <name>" (or " *<name>" in binary mode).
  expected=$(awk -v name="$asset" '($2 == name || $2 == "*" name) { print $1; exit }' "$work/SHA256SUMS")
  [[ -n $expected ]] || fatal "SHA256SUMS of v$version lists no $asset"
fi
expected=${expected,,}
[[ $expected =~ ^[0-9a-f]{64}$ ]] || fatal "the expected SHA-256 of $asset is not 64 hex digits"
actual=$(sha256sum "$work/$asset" | cut -d' ' -f1)
[[ $actual == "$expected" ]] || fatal "checksum mismatch for $asset: expected $expected, got $actual; nothing was installed"

# Only relative paths inside tollgate/: a crafted archive cannot write elsewhere.
listing=$(tar -tzf "$work/$asset") || fatal "$asset is not a gzip'd tar archive"
while IFS= read -r entry; do
  if [[ ($entry != tollgate/* && $entry != tollgate) || $entry == *..* ]]; then fatal "$asset holds an unexpected path: $entry"; fi
done <<<"$listing"
mkdir "$work/unpacked"
tar -xzf "$work/$asset" -C "$work/unpacked" --no-same-owner --no-same-permissions
[[ -x $work/unpacked/tollgate/bin/tollgate ]] || fatal "$asset has no tollgate/bin/tollgate"
reported=$("$work/unpacked/tollgate/bin/tollgate" --version) || fatal "the tollgate of $asset does not run on this runner"
[[ $reported == "tollgate $version" ]] || fatal "$asset holds '$reported', not tollgate $version"

mkdir -p "$(dirname "$dest")"
rm -rf "$dest"
mv "$work/unpacked/tollgate" "$dest"
echo "$actual  $asset" >"$dest/.verified"
echo "tollgate setup: installed $asset (sha256 $actual) into $dest"
