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
ours=("$TOLLGATE_BIN" tests --report "$xml" --dry-run --json "$dir/out.json")
elementtree=(python3 -c "import sys, xml.etree.ElementTree as E; print(sum(1 for _ in E.parse(sys.argv[1]).iter('testcase')))" "$xml")
{ read -r tc; read -r rc; } < <(cpu_rounds 3 ours elementtree)
tests=$(python3 -c "import json; print(json.load(open('$dir/out.json'))['totals']['tests'])")
agree=$([[ $tests == 100000 ]] && echo "yes (100000 tests)" || echo "NO ($tests)")
fs=$(floor "$xml")
target=$(verdict "$rc / ($tc > 0 ? $tc : 0.01) >= 10" "≥10× ElementTree in CPU time, $tc s vs $rc s")
echo "junit 100k cases ($(du -m --apparent-size "$xml" | cut -f1) MB)|$ts|$tm|python ElementTree|$rs|$rm|$agree|$target|$fs"

# A second shape: 2,000 cases, every one failing with a long trace and captured output (few
# elements, most bytes in text): ~50 MB.
xml=$dir/junit-traces.xml
[[ -f $xml ]] || python3 - "$xml" <<'PY'
import sys
trace = "".join(f"\tat com.acme.deep.Layer{k}.call(Layer{k}.java:{k + 1})\n" for k in range(200))
out = "log line with some text &amp; an entity\n" * 400
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0"?>\n<testsuites>\n')
    for s in range(20):
        f.write(f'<testsuite name="com.acme.Suite{s}" tests="100">\n')
        for t in range(100):
            f.write(f'<testcase classname="com.acme.Suite{s}" name="test_{t}" time="1.5">'
                    f'<failure message="boom {t}" type="java.lang.AssertionError">java.lang.AssertionError: boom\n{trace}</failure>'
                    f'<system-out>{out}</system-out></testcase>\n')
        f.write('</testsuite>\n')
    f.write('</testsuites>\n')
PY
read -r ts tm < <(measure_best 3 "$TOLLGATE_BIN" tests --report "$xml" --dry-run --json "$dir/out-traces.json")
read -r rs rm < <(measure_best 3 python3 -c "import sys, xml.etree.ElementTree as E; print(sum(1 for _ in E.parse(sys.argv[1]).iter('testcase')))" "$xml")
# Five rounds: the kernel's zeroing of the memory the kept traces fill moves a run by 0.02–0.12 s
# from minute to minute on this machine (docs/xml-streaming.md), around a 0.1 s run.
ours=("$TOLLGATE_BIN" tests --report "$xml" --dry-run --json "$dir/out-traces.json")
elementtree=(python3 -c "import sys, xml.etree.ElementTree as E; print(sum(1 for _ in E.parse(sys.argv[1]).iter('testcase')))" "$xml")
{ read -r tc; read -r rc; } < <(cpu_rounds 5 ours elementtree)
read -r tests failed < <(python3 -c "import json; t = json.load(open('$dir/out-traces.json'))['totals']; print(t['tests'], t['failed'])")
agree=$([[ $tests == 2000 && $failed == 2000 ]] && echo "yes (2000 tests, 2000 failed)" || echo "NO ($tests tests, $failed failed)")
fs=$(floor "$xml")
target=$(verdict "$rc / ($tc > 0 ? $tc : 0.01) >= 10" "≥10× ElementTree in CPU time, $tc s vs $rc s")
echo "junit 2k failures with traces ($(du -m --apparent-size "$xml" | cut -f1) MB)|$ts|$tm|python ElementTree|$rs|$rm|$agree|$target|$fs"
