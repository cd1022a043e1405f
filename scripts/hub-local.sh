#!/usr/bin/env bash
# A hub and several shard processes against one external bot, on this machine: the local proof of
# "Beyond one machine" (README). The bot is the reference bot served by `loadgen serve`, its Graph API
# base URL pointed at the hub's stand-in; with --chaos its LLM goes through the hub's fault proxy (in
# front of the stand-in upstreams of a second `loadgen serve`). Every address is bound at port 0 and read
# from the processes' output. Then `loadgen merge` makes the whole run's report.
#
#   scripts/hub-local.sh [--shards N] [--out DIR] [--chaos SPEC] [-- MORE SCENARIO FLAGS]
#
#   --shards N     shard processes (default 3)
#   --out DIR      where the shards' reports and the merged one go (default reports/hub-local-<UTC time>):
#                  DIR/shard-I/, DIR/merged/, and each process's log DIR/*.log
#   --chaos SPEC   a chaos plan, given to the hub and every shard alike, e.g. ai-service-down=1@1s-
#   flags after -- go to the hub and every shard alike (default: --scenario generic --concurrency 6
#                  --duration 3s --think-time 0.2s-0.4s --seed 7)
#
# Environment: LOADGEN (default .build/debug/loadgen, built if missing). Exit code: the merge's (0 the
# merged run passed, 1 a criterion failed), or the first process that failed.
set -euo pipefail
cd "$(dirname "$0")/.."

shards=3
out="reports/hub-local-$(date -u +%Y%m%dT%H%M%SZ)"
chaos=""
flags=()
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --chaos) chaos="$2"; shift 2 ;;
    --) shift; flags+=("$@"); break ;;
    -h|--help) awk 'NR > 1 && /^set -euo/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "hub-local.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
done
[ ${#flags[@]} -gt 0 ] || flags=(--scenario generic --concurrency 6 --duration 3s --think-time 0.2s-0.4s --seed 7)
[ -z "$chaos" ] || flags+=(--chaos "$chaos")
loadgen="${LOADGEN:-.build/debug/loadgen}"
[ -x "$loadgen" ] || swift build --product loadgen >&2
mkdir -p "$out"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

# Waits (at most 30 s) for a line matching $2 in log $1, and prints the URL after "$3" on it (default: the first).
url_in() {
  for _ in $(seq 300); do
    line=$(grep -m1 -E "$2" "$1" 2>/dev/null || true)
    if [ -n "$line" ]; then grep -oE "${3:-}http://[0-9.]+:[0-9]+" <<<"$line" | head -1 | sed 's/^.*http/http/'; return; fi
    sleep 0.1
  done
  echo "hub-local.sh: no '$2' in $1 within 30 s:" >&2; cat "$1" >&2; exit 70
}

# The secrets the bot checks and the shards sign with: made up for this run, never on a command line.
export WHATSAPP_APP_SECRET="hub-local-$RANDOM$RANDOM" WHATSAPP_VERIFY_TOKEN="verify-$RANDOM" WHATSAPP_ACCESS_TOKEN="token-$RANDOM"

hub_flags=(--shards "$shards" --listen 127.0.0.1:0 --graph-listen 127.0.0.1:0)
bot_flags=()
if [ -n "$chaos" ]; then
  # The bot's "real" LLM: the stand-in upstreams of another `loadgen serve`, behind the hub's fault proxy.
  "$loadgen" serve --listen 127.0.0.1:0 --secrets-file "$out/upstreams-secrets.env" >"$out/upstreams.log" 2>&1 & pids+=($!)
  upstreams=$(url_in "$out/upstreams.log" 'stand-in upstreams')
  hub_flags+=(--upstream "llm=$upstreams@127.0.0.1:0")
fi
"$loadgen" hub "${hub_flags[@]}" "${flags[@]}" >"$out/hub.log" 2>&1 & hub=$!; pids+=($hub)
graph=$(url_in "$out/hub.log" 'stand-in Graph API listening')
hub_url=$(url_in "$out/hub.log" 'hub listening for')
[ -z "$chaos" ] || bot_flags+=(--llm-url "$(url_in "$out/hub.log" 'fault proxy for the bot.s llm' 'listening on ')")

"$loadgen" serve --listen 127.0.0.1:0 --graph-url "$graph/v20.0" --rate-limit 600 "${bot_flags[@]}" >"$out/bot.log" 2>&1 & pids+=($!)
webhook="$(url_in "$out/bot.log" 'reference bot: webhook')/webhook"

shard_pids=()
for i in $(seq 0 $((shards - 1))); do
  "$loadgen" run --hub "$hub_url" --shard "$i/$shards" --target "$webhook" "${flags[@]}" --report-dir "$out/shard-$i" --quiet \
    >"$out/shard-$i.log" 2>&1 & shard_pids+=($!)
done
status=0
for i in "${!shard_pids[@]}"; do wait "${shard_pids[$i]}" || { s=$?; [ $s -le 1 ] || { echo "shard $i/$shards exited $s (see $out/shard-$i.log)" >&2; status=$s; }; }; done
wait "$hub" || { s=$?; echo "the hub exited $s (see $out/hub.log)" >&2; [ $status -ne 0 ] || status=$s; }
[ $status -eq 0 ] || exit $status

shard_dirs=()
for i in $(seq 0 $((shards - 1))); do shard_dirs+=("$out/shard-$i"); done
"$loadgen" merge "${shard_dirs[@]}" -o "$out/merged"
