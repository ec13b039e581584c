#!/bin/sh
# Regenerates the test reports in this folder with the real tools; no network needed.
#   tests/data/tests/make.sh             (run from anywhere; it works from the repository root)
# Tools: Debian's /usr/bin/python3 -m pytest (7.x), node 20 (built-in test runner), cmake + ctest
# with doctest-dev. The jest-junit and mocha-junit-reporter reports need those packages installed
# once into a folder outside the repository, given as JS_TOOLS:
#   mkdir /tmp/jsgen && cd /tmp/jsgen && npm init -y &&
#   npm install jest@29 jest-junit@16 mocha@10 mocha-junit-reporter@2
#   JS_TOOLS=/tmp/jsgen tests/data/tests/make.sh
# Without JS_TOOLS those two reports are left as they are.
# The samples run from the repository root so that reports carry repository-relative paths
# (tests/data/tests/...), as they would on a runner. The other *.xml / *.trx files here are
# written by hand from the formats' documentation (see README.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
rel=tests/data/tests

# pytest: one passing test, a failing assert (line 14), an erroring fixture, a skip, an xfail and
# a failing method in a class. xunit1 has file/line attributes (line is 0-based); xunit2 has not.
for family in xunit1 xunit2; do
  PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m pytest -q -p no:cacheprovider --rootdir=. \
    -o junit_family=$family --junitxml=$rel/pytest-$family.xml $rel/pytest-sample >/dev/null || true
done

# node --test: testcases directly under <testsuites>, one <testsuite> for a describe block.
node --test --test-reporter=junit --test-reporter-destination=$rel/node-junit.xml \
  $rel/node-sample/sample.test.mjs >/dev/null 2>&1 || true

# ctest --output-junit with a doctest executable: the failure text is only in <system-out>.
build=$(mktemp -d)
cmake -S $rel/ctest-sample -B "$build" -G Ninja >/dev/null
cmake --build "$build" >/dev/null
(cd "$build" && ctest --output-junit "$root/$rel/ctest-junit.xml" >/dev/null 2>&1) || true
rm -rf "$build"

if [ -n "${JS_TOOLS:-}" ]; then
  JEST_JUNIT_OUTPUT_FILE=$rel/jest-junit.xml JEST_JUNIT_ADD_FILE_ATTRIBUTE=true \
    "$JS_TOOLS/node_modules/.bin/jest" --ci --config "{\"rootDir\":\"$rel/jest-sample\"}" \
    --reporters=default --reporters="$JS_TOOLS/node_modules/jest-junit" >/dev/null 2>&1 || true
  MOCHA_FILE=$rel/mocha-junit.xml "$JS_TOOLS/node_modules/.bin/mocha" \
    --reporter "$JS_TOOLS/node_modules/mocha-junit-reporter" $rel/mocha-sample/sample.spec.js \
    >/dev/null 2>&1 || true
fi
echo "regenerated reports in $rel"
