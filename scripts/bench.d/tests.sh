#!/usr/bin/env bash
# 100,000 generated JUnit test cases (1% failing with Java traces): tollgate tests (parse, locate,
# decide, summarise; --dry-run posts nothing) beside Python's ElementTree merely counting them, as
# the Python-based reporters start from.
set -euo pipefail
source "$(dirname "$0")/measure.bash"
dir=$BENCH_DIR/tests; mkdir -p "$dir"
xml=$dir/junit-100k.xml
[[ -f $xml ]] || python3 - "$xml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0"?>\n<testsuites>\n')
    for s in range(100):
        f.write(f'<testsuite name="com.acme.Suite{s}" tests="1000">\n')
        for t in range(1000):
            f.write(f'<testcase classname="com.acme.Suite{s}" name="test_{t}" time="0.{t % 97:03d}"')
            if t % 100 == 0:
                f.write(f'><failure message="expected {t} but was {t + 1}">java.lang.AssertionError: expected {t}\n'
                        f'\tat com.acme.Suite{s}.test_{t}(Suite{s}.java:{t + 10})\n</failure></testcase>\n')
            else:
                f.write('/>\n')
        f.write('</testsuite>\n')
    f.write('</testsuites>\n')
PY
read -r ts tm < <(measure_best 3 "$TOLLGATE_BIN" tests --report "$xml" --dry-run --json "$dir/out.json")
read -r rs rm < <(measure_best 3 python3 -c "import sys, xml.etree.ElementTree as E; print(sum(1 for _ in E.parse(sys.argv[1]).iter('testcase')))" "$xml")
tests=$(python3 -c "import json; print(json.load(open('$dir/out.json'))['totals']['tests'])")
agree=$([[ $tests == 100000 ]] && echo "yes (100000 tests)" || echo "NO ($tests)")
echo "junit 100k cases ($(du -m --apparent-size "$xml" | cut -f1) MB)|$ts|$tm|python ElementTree|$rs|$rm|$agree|—"
