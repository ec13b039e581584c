#!/bin/sh
# Regenerates the SARIF files in this folder that real tools make here; no network needed once the
# pinned npm packages are installed (scripts/setup --test, or `npm ci` in tests/sarif-tools).
#   tests/data/sarif/make.sh           (run from anywhere)
# Tools: ESLint 8.57.1 + @microsoft/eslint-formatter-sarif 3.1.0 (tests/sarif-tools, pinned in its
# lock file); Debian's clang 14 (`clang --analyze`) and clang-tools 14 (`scan-build -sarif`).
# GCC's SARIF output (-fdiagnostics-format=sarif-file) needs GCC 13; Debian 12 ships GCC 12, so no
# GCC file is made (see README.md).
#
# Each project is copied to a fresh temporary folder and scanned there, as a runner scans its
# checkout: the files hold absolute file:// URIs of a machine that is not the one reading them,
# which Tollgate resolves against `git ls-files` by suffix. Base and head of eslint-shop are
# scanned at the same path, as two runs of one workflow would.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tools=$(cd "$here/../../sarif-tools" && pwd)/node_modules
[ -x "$tools/.bin/eslint" ] || (cd "$tools/.." && npm ci --no-audit --no-fund --loglevel=error)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ESLint exits 1 when it reports errors: that is the point here.
eslint_sarif() { # project-folder output-file
  rm -rf "$work/shop"
  cp -R "$1" "$work/shop"
  (cd "$work/shop" && ESLINT_USE_FLAT_CONFIG=false "$tools/.bin/eslint" --no-eslintrc -c .eslintrc.json \
    -f "$tools/@microsoft/eslint-formatter-sarif/sarif.js" -o "$2" src) || [ $? -eq 1 ]
}
eslint_sarif "$here/eslint-shop/base" "$here/eslint-shop-base.sarif"
eslint_sarif "$here/eslint-shop/head" "$here/eslint-shop-head.sarif"

# The clang static analyzer, one SARIF file per translation unit; results carry no `level` (a
# reader takes SARIF's default, warning) and the driver's rules carry no defaultConfiguration.
rm -rf "$work/native" && cp -R "$here/clang-sample" "$work/native"
(cd "$work/native" && clang --analyze -Xclang -analyzer-output=sarif -o "$here/clang-analyze.sarif" parse.c) 2>/dev/null
# scan-build -sarif around a compiler run writes report-*.sarif into a dated folder.
(cd "$work/native" && scan-build -sarif -o "$work/scan-build" clang -c parse.c -o parse.o) >/dev/null 2>&1
cp "$(find "$work/scan-build" -name '*.sarif' | head -n 1)" "$here/scan-build.sarif"
echo "regenerated SARIF files in $here"
