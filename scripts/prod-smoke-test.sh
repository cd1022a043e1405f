#!/usr/bin/env bash
# EasyMO's runbook step "run ./scripts/prod-smoke-test.sh after a deploy, before raising a rollout flag".
#
#   scripts/prod-smoke-test.sh [loadgen smoke options…]
#
# A thin wrapper around `loadgen smoke --env prod`: every argument is passed through, and loadgen's
# exit code is this script's (0 = raise the flag; anything else = do not). For example:
#
#   export WHATSAPP_APP_SECRET=… WHATSAPP_VERIFY_TOKEN=…          # never on the command line
#   scripts/prod-smoke-test.sh --target https://…/wa-webhook-core \
#       --health https://api.easymo.com/health/whatsapp-webhook-worker \
#       --test-numbers qa-numbers.txt --rollout-percent 1 --replies none
#
# Uses LOADGEN (a path to a loadgen binary) if set, else .build/release/loadgen if built, else
# `swift run -c release loadgen`. Pass --env staging to smoke-test staging instead (the last --env wins).
# Exit codes: 0 pass, 1 a check or criterion failed, 64 usage or caps exceeded, 65 bad test-numbers
# file, 66 missing file, 69 target unreachable, 78 missing secret (see README "The smoke test").
set -uo pipefail
cd "$(dirname "$0")/.."

for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
  esac
done

if [ -n "${LOADGEN:-}" ]; then
  exec "$LOADGEN" smoke --env prod "$@"
elif [ -x .build/release/loadgen ]; then
  exec .build/release/loadgen smoke --env prod "$@"
else
  exec swift run -c release loadgen smoke --env prod "$@"
fi
