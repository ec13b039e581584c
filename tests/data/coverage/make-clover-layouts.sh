#!/bin/sh
# Regenerates the Clover files of older and nested Istanbul layouts from js-nested-sample (the
# js-sample code plus lib/discount.js and lib/deep/round.js), with the real tools from npm
# installed once into a folder outside the repository, given as JS_TOOLS:
#   mkdir /tmp/covtools && cd /tmp/covtools && npm init -y && npm install istanbul@0.4.5 nyc@17
#   JS_TOOLS=/tmp/covtools tests/data/coverage/make-clover-layouts.sh
# istanbul-0.4-clover.xml: the old `istanbul cover` (0.4.5): project/metrics, one package a folder.
# nyc-nested-clover.xml: nyc 17's run written by istanbul-reports' clover reporter with
#   istanbul-lib-report's 'nested' summarizer: files under the project, packages inside packages.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
cd "$here/js-nested-sample"
"$JS_TOOLS/node_modules/.bin/istanbul" cover --report clover --dir "$out/old" run.js >/dev/null
cp "$out/old/clover.xml" "$here/istanbul-0.4-clover.xml"
"$JS_TOOLS/node_modules/.bin/nyc" --reporter=text --temp-dir "$out/nyc" --report-dir "$out/nyc-report" node run.js
NODE_PATH="$JS_TOOLS/node_modules" node nested-clover.js "$out/nyc" "$out/nested"
cp "$out/nested/clover.xml" "$here/nyc-nested-clover.xml"
rm -rf "$out"
