#!/usr/bin/env bash
# The nightly regression: every journey while the nine fallback patterns fire (scenario
# nightly-regression), judged by the staging gate and graceful >= 99 % per pattern, then compared with
# the last good run.
#
#   scripts/nightly-regression.sh [--out DIR] [--baseline FILE] [--update-baseline] [-- MORE LOADGEN FLAGS]
#
#   --out DIR          where the run's files go (default reports/nightly-<UTC time>): report.json,
#                      summary.md, junit.xml, report.html, and compare.md + compare.xml (JUnit) when a
#                      baseline exists.
#   --baseline FILE    the last good run (default reports/baseline/report.json). Missing: no comparison.
#   --update-baseline  after a run that passes with no regression, copy its report.json to the baseline.
#   --check-html       open report.html in headless Chromium (scripts/check-report-html.sh): fail on
#                      console errors or empty charts; saves DIR/report.png.
#   --compare-flags "…" tolerances for loadgen compare, e.g. "--relative 30% --absolute-ms 10" when the
#                      baseline was taken on another machine (see loadgen help compare).
#
# Exit code: 0 passed and no regression; 1 a criterion failed; 2 regression against the baseline;
# 70 when --check-html fails; anything else is loadgen's own error code (README "Exit codes").
# Refreshing the baseline by hand: cp reports/nightly-…/report.json reports/baseline/report.json and
# commit it (reports/baseline/ is the one folder under reports/ that git keeps).
set -euo pipefail
cd "$(dirname "$0")/.."

out="reports/nightly-$(date -u +%Y%m%dT%H%M%SZ)"
baseline="reports/baseline/report.json"
update=0
check_html=0
compare_flags=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    --update-baseline) update=1; shift ;;
    --check-html) check_html=1; shift ;;
    --compare-flags) compare_flags="$2"; shift 2 ;;
    --) shift; args+=("$@"); break ;;
    -h|--help) awk 'NR > 1 && /^set -euo/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "nightly-regression.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
done

swift build -c release --product loadgen >&2
loadgen=.build/release/loadgen

status=0
"$loadgen" run --scenario nightly-regression --format all --report-dir "$out" ${args[@]+"${args[@]}"} || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
  echo "nightly-regression.sh: loadgen run failed with exit code $status" >&2
  exit "$status"
fi

if [ "$check_html" -eq 1 ]; then
  scripts/check-report-html.sh "$out/report.html" "$out/report.png" || {
    code=$?
    echo "nightly-regression.sh: report.html failed its browser check (exit $code)" >&2
    exit 70
  }
fi

regression=0
if [ -f "$baseline" ]; then
  # shellcheck disable=SC2086  # the flags are words on purpose
  "$loadgen" compare "$baseline" "$out/report.json" --output "$out/compare.md" --junit "$out/compare.xml" $compare_flags || regression=$?
  if [ "$regression" -ne 0 ] && [ "$regression" -ne 2 ]; then
    echo "nightly-regression.sh: loadgen compare failed with exit code $regression" >&2
    exit "$regression"
  fi
else
  echo "nightly-regression.sh: no baseline at $baseline: nothing to compare with (see --update-baseline)" >&2
fi

if [ "$status" -eq 0 ] && [ "$regression" -eq 0 ] && [ "$update" -eq 1 ]; then
  mkdir -p "$(dirname "$baseline")"
  cp "$out/report.json" "$baseline.tmp" && mv "$baseline.tmp" "$baseline"
  echo "nightly-regression.sh: baseline updated: $baseline" >&2
fi

echo "nightly-regression.sh: reports in $out (junit.xml$([ -f "$out/compare.xml" ] && echo ", compare.xml"))" >&2
[ "$status" -ne 0 ] && exit "$status"
exit "$regression"
