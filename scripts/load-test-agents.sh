#!/usr/bin/env bash
# The runbook's staging load test (reference/easymo.md §3): simulated WhatsApp users against the bot,
# judged by the staging gate (error rate < 2 %, reply p95 < 500 ms, scripted checks pass).
#
#   scripts/load-test-agents.sh [--concurrency N] [--duration SECONDS] [--target WEBHOOK_URL]
#                               [--report-dir DIR] [-- MORE LOADGEN FLAGS]
#
# Defaults: 100 users for 300 s against the embedded reference bot. With --target, the bot's app secret
# comes from WHATSAPP_APP_SECRET (and WHATSAPP_VERIFY_TOKEN for the handshake check): never from argv.
# Writes report.json, summary.md, junit.xml and report.html to --report-dir (default
# reports/<UTC time>-staging-load). Exit code: loadgen's (0 pass, 1 gate failed, see README "Exit codes").
set -euo pipefail
cd "$(dirname "$0")/.."

concurrency=100
duration=300
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --concurrency) concurrency="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --target|--report-dir|--health) args+=("$1" "$2"); shift 2 ;;
    --) shift; args+=("$@"); break ;;
    -h|--help) awk 'NR > 1 && /^set -euo/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "load-test-agents.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
done

swift build -c release --product loadgen >&2
exec .build/release/loadgen run --scenario staging-load --criteria staging \
  --concurrency "$concurrency" --duration "$duration" ${args[@]+"${args[@]}"}
