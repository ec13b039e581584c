#!/usr/bin/env bash
# Makes the real LHRs under tests/data/lighthouse/ that the lighthouse tests and the benchmark read.
# Run it by hand when the test data should change; the tests never run it (nor need Chromium).
#
# Needs: Debian's chromium (apt-get install -y chromium), python3, and the pinned packages of
# tests/lighthouse (npm ci there). Lighthouse 12.6.1 is the version @lhci/cli 0.15.1 pins; one page is
# also measured with Lighthouse 13 (installed into a temporary directory) for the reader.
#
# What it runs, per page and run (two pages served by python3 -m http.server on 127.0.0.1):
#   CHROME_PATH=/usr/bin/chromium tests/lighthouse/node_modules/.bin/lighthouse URL --output=json \
#     --output-path=FILE --quiet --chrome-flags="--headless --no-sandbox --disable-gpu \
#     --disable-background-networking --disable-component-update --disable-sync --no-first-run"
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/tests/data/lighthouse
runs=${RUNS:-3}
lighthouse13=${LIGHTHOUSE13:-13.5.0}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"

[[ -x tests/lighthouse/node_modules/.bin/lighthouse ]] || (cd tests/lighthouse && npm ci --no-audit --no-fund --loglevel=error)

site=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$site"' EXIT
cp "$out"/site/*.html "$site"/
# The slow page's heavy assets are generated (deterministically) rather than kept in the repository.
python3 - "$site" <<'PY'
import sys
d = sys.argv[1]
css = "\n".join(f".unused-rule-{i} {{ color: #{i % 4096:03x}; margin: {i % 17}px; padding: {i % 13}px; }}" for i in range(3000))
open(f"{d}/big.css", "w").write("h1 { color: #333; }\n" + css + "\n")
js = "\n".join(f"function unusedFunction{i}(value) {{\n  // padding comment {i}\n  return value * {i} + {i % 7};\n}}" for i in range(2500))
open(f"{d}/app.js", "w").write("window.appStarted = Date.now();\n" + js + "\n")
svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200">' + "".join(
    f'<rect x="{(i*37)%1600}" y="{(i*53)%1200}" width="40" height="40" fill="#{(i*997)%4096:03x}"/>' for i in range(3000)) + "</svg>\n"
open(f"{d}/photo.svg", "w").write(svg)
PY

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$site" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done

measure() { # lighthouse-binary url output-file
  "$1" "$2" --output=json --output-path="$3" --quiet --chrome-flags="$flags"
  # The port is random: make the URLs stable so that configs can name them.
  python3 - "$3" "$port" <<'PY'
import sys
path, port = sys.argv[1], sys.argv[2]
text = open(path).read().replace(f"127.0.0.1:{port}", "127.0.0.1:8080")
open(path, "w").write(text)
PY
  echo "make_lhrs: $3" >&2
}

rm -f "$out"/lh12/*.json "$out"/lh13/*.json
mkdir -p "$out/lh12" "$out/lh13"
for i in $(seq "$runs"); do
  measure tests/lighthouse/node_modules/.bin/lighthouse "http://127.0.0.1:$port/" "$out/lh12/fast-$i.json"
  measure tests/lighthouse/node_modules/.bin/lighthouse "http://127.0.0.1:$port/slow.html" "$out/lh12/slow-$i.json"
done

lh13=$(mktemp -d)
(cd "$lh13" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "lighthouse@$lighthouse13" >/dev/null)
for i in 1 2; do
  measure "$lh13/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/slow.html" "$out/lh13/slow-$i.json"
done
rm -rf "$lh13"
