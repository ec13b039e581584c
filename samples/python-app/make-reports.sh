#!/usr/bin/env bash
# Regenerates the demo's reports with the real tool (Debian's python3-pytest):
#   samples/python-app/make-reports.sh
set -euo pipefail
cd "$(dirname "$0")"
/usr/bin/python3 -m pytest -p no:cacheprovider -o junit_family=xunit1 --junitxml=reports/junit.xml tests >/dev/null || true
