#!/bin/sh
# Regenerates the coverage reports in this folder with the real tools (no network needed once the
# JS tools are installed). Run from anywhere; paths are taken from the repository root.
#   tests/data/coverage/make.sh
# Tools: Debian's python3-coverage 6.5 (coverage.py), gcc 12 with lcov 1.16 and gcovr 5.2.
# The Istanbul reports need c8 from npm installed once into a folder outside the repository,
# given as JS_TOOLS (without it they are left as they are):
#   mkdir /tmp/covjs && cd /tmp/covjs && npm init -y && npm install c8@10
#   JS_TOOLS=/tmp/covjs tests/data/coverage/make.sh
# jacoco.xml, go-cover.out and the hostile-* files are written by hand from the formats'
# documentation (JaCoCo's report.dtd, `go help testflag` / golang.org/x/tools/cover).
set -eu
here=$(cd "$(dirname "$0")" && pwd)

# coverage.py with branch measurement: Cobertura XML, JSON and LCOV from one run. It runs inside
# py-sample, as a Python project in a subfolder would, so the reports hold paths relative to
# py-sample ("shop/pricing.py") and Cobertura's <sources> holds its absolute path.
(
  cd "$here/py-sample"
  rm -f .coverage
  PYTHONDONTWRITEBYTECODE=1 python3-coverage run --branch --source=shop run.py
  python3-coverage xml -o "$here/coveragepy-cobertura.xml"
  python3-coverage json -o "$here/coveragepy.json"
  python3-coverage lcov -o "$here/coveragepy.lcov"
  rm -f .coverage
)

# gcc --coverage on a tiny C program, captured by lcov (with branches) and by gcovr (Cobertura).
build=$(mktemp -d)
gcc --coverage -O0 -o "$build/sample" "$here/c-sample/sample.c"
"$build/sample" 5 -3 0 >/dev/null
lcov --quiet --capture --rc lcov_branch_coverage=1 --directory "$build" --base-directory "$here/c-sample" \
  --output-file "$here/gcc-lcov.info"
gcovr --root "$here/c-sample" --object-directory "$build" --xml "$here/gcovr-cobertura.xml" "$build" >/dev/null 2>&1 ||
  gcovr --root "$here/c-sample" --xml "$here/gcovr-cobertura.xml" "$build"
rm -rf "$build"

# c8 (V8 coverage through Istanbul's reporters): lcov, cobertura, json (coverage-final.json), clover.
if [ -n "${JS_TOOLS:-}" ]; then
  out=$(mktemp -d)
  (cd "$here/js-sample" && "$JS_TOOLS/node_modules/.bin/c8" --reports-dir "$out" --temp-directory "$out/tmp" \
    --reporter=lcovonly --reporter=cobertura --reporter=json --reporter=clover node run.js)
  cp "$out/lcov.info" "$here/c8-lcov.info"
  cp "$out/cobertura-coverage.xml" "$here/c8-cobertura.xml"
  cp "$out/coverage-final.json" "$here/c8-coverage-final.json"
  cp "$out/clover.xml" "$here/c8-clover.xml"
  rm -rf "$out"
fi
