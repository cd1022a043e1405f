#!/usr/bin/env bash
# Generator throughput and memory, measured, not asserted in unit tests.
#
#   scripts/bench-vs-wrk.sh [--seconds N] [--rounds N] [--connections N] [--memory] [--soak SECONDS]
#                           [--scale USERS[:SECONDS]] [--open RATE[,RATE…]] [--capacity USERS[:SECONDS][,…]]
#
# 0. Builds loadgen as the Docker image does (the Swift runtime linked in) into .build-static/.
# 1. Starts nginx on loopback (one worker) with a trivial "200 ok" location.
# 2. Runs wrk (1 thread: the physical limit here), hey (Go) and loadgen --replies none against it,
#    alternately, for --rounds rounds (default 2), with the same connections and ~900-byte signed POSTs,
#    and prints for each run requests/s, its share of wrk's rate in the same round, and CPU µs per request
#    (user and system): ratios taken in one sitting, because these machines are shared and noisy; then,
#    over two rounds or more, the median and range of loadgen's rate over hey's and over wrk's and of its
#    user CPU a request (one round says little when the machine's pace moves by half within minutes).
# 3. With --memory: peak RSS of loadgen with 100 and with 10,000 users (think time 2s-5s), and the
#    memory per simulated user.
# 4. With --soak S: 1,000 users with think time for S seconds, RSS sampled every 30 s (is it flat?).
# 5. With --scale U[:S]: U users with think time 2s-5s for S seconds (default 60): RSS mid-run and at its
#    peak (the end, when every user wakes at once to stop), bytes per user over a 100-user run, turns/s,
#    how late users woke from their pauses (the send lag, p50/p99), the ack latency (p50/p99/max, from
#    each turn's start once its user woke to when loadgen read the answer: nginx answers in well under a
#    millisecond, so what is past that is time the generator held the request, waiting for a core or a
#    connection, or the answer, unread in its socket), how long answers waited once read for their turns
#    to go on (left out of the ack), how long the run took against its duration, its CPU a turn (the
#    machine's pace at the moment), and the `generator` and `connections` checks (how many requests
#    waited long for a connection: a wait the send lag leaves out). (--rounds 0 skips the rounds.)
# 6. With --open R1,R2,…: the open model at each arrival rate (conversations/s, no think time, 20 s each):
#    launched, dropped, and the launch lag p99 — the highest rate the machine holds, and where it drops.
# 7. With --capacity U[:S],…: U users at think time 1s-2s for S seconds (default 60) against the embedded
#    bot (every turn a reply: webhook, bot, stand-in Graph API, three status webhooks): turns/s, CPU per
#    turn, turns answered and not, the bot's per-user 429s, the `embedded bot`, `generator` and `connections` checks, and
#    how long the run took against its duration plus the reply timeout.
# Installs wrk, hey and nginx-light with apt-get when missing. Only ever targets 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=10
rounds=2
connections=100
memory=0
soak=0
scale=""
open_rates=""
capacity=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --memory) memory=1; shift ;;
    --soak) soak="$2"; shift 2 ;;
    --scale) scale="$2"; shift 2 ;;
    --open) open_rates="$2"; shift 2 ;;
    --capacity) capacity="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 64 ;;
  esac
done

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v hey >/dev/null || need+=(hey)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# loadgen as its Docker image builds it, with the Swift runtime linked in (--static-swift-stdlib), in a
# build folder of its own so that switching between this build and the usual one rebuilds neither. A
# plain `swift build -c release` (the runtime as shared libraries) costs more CPU a request (README,
# "Measured performance"): every retain, release and exclusivity check goes through the PLT and
# __tls_get_addr.
swift build -c release --product loadgen --static-swift-stdlib --scratch-path .build-static >/dev/null
LOADGEN=.build-static/release/loadgen

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
error_log $work/error.log;
pid $work/nginx.pid;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $work;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$port backlog=4096;
    location / { client_max_body_size 1m; return 200 "ok"; }
  }
}
CONF
"$NGINX" -c "$work/nginx.conf"
trap '"$NGINX" -c "$work/nginx.conf" -s stop 2>/dev/null || true; rm -rf "$work"' EXIT
target="http://127.0.0.1:$port/webhook"

# A delivery of about the size loadgen sends (~900 bytes), with the same headers.
body=$(python3 -c 'print("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"x\":\"" + "a"*800 + "\"},\"field\":\"messages\"}]}]}")')
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = [[$body]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Hub-Signature-256"] = "sha256=0000000000000000000000000000000000000000000000000000000000000000"
wrk.headers["User-Agent"] = "facebookexternalua"
LUA

# One run of a generator: requests/s and CPU seconds (user, system), from its own output and /usr/bin/time.
run_wrk() {
  /usr/bin/time -f "%U %S" -o "$work/cpu" wrk -t1 -c"$connections" -d"${seconds}s" -s "$work/post.lua" "$target" > "$work/out"
  rate=$(awk '/Requests\/sec/ {print $2}' "$work/out"); total=$(awk '/requests in/ {print $1}' "$work/out")
}
run_hey() {
  /usr/bin/time -f "%U %S" -o "$work/cpu" hey -z "${seconds}s" -c "$connections" -m POST -T application/json \
    -H "X-Hub-Signature-256: sha256=0000000000000000000000000000000000000000000000000000000000000000" \
    -H "User-Agent: facebookexternalua" -d "$body" "$target" > "$work/out"
  rate=$(awk '/Requests\/sec/ {print $2}' "$work/out")
  total=$(awk '/\[200\]/ {print $2}' "$work/out")
}
run_loadgen() {
  WHATSAPP_APP_SECRET=bench /usr/bin/time -f "%U %S" -o "$work/cpu" "$LOADGEN" --target "$target" --replies none \
    --concurrency "$connections" --think-time 0 --duration "${seconds}s" --criteria "errorRate<0.01" --quiet \
    --report-dir "$work/report" >/dev/null 2>"$work/loadgen.err" || [ $? -eq 1 ] || { cat "$work/loadgen.err" >&2; exit 1; }  # 1: a criterion failed
  read -r rate total <<<"$(python3 -c "import json; t=json.load(open('$work/report/report.json'))['totals']; print(t['throughput'], t['turns'])")"
}

hey_rate=0
loadgen_rounds=()  # "rate hey-rate wrk-rate user-seconds requests" of loadgen's run in each round, for the summary
if [ "$rounds" -gt 0 ]; then
  echo "== $rounds rounds of wrk (1 thread), hey and loadgen --replies none; $connections connections, ${seconds}s each"
  printf '%-6s %-8s %12s %10s %8s %12s %12s\n' round tool "requests/s" "of wrk" "× hey" "user µs/req" "sys µs/req"
fi
for round in $(seq "$rounds"); do
  for tool in wrk hey loadgen; do
    "run_$tool"
    read -r user sys < "$work/cpu"
    [ "$tool" = wrk ] && wrk_rate=$rate
    [ "$tool" = hey ] && hey_rate=$rate
    # loadgen's rate over hey's in the same round (the issue's "2× hey"); nothing on the other rows.
    python3 -c "
vs = f'{float($rate)/float($hey_rate):.2f}×' if '$tool' == 'loadgen' else ''
print(f'{$round:<6} {\"$tool\":<8} {float($rate):12,.0f} {float($rate)/float($wrk_rate)*100:9.0f} % {vs:>8} {$user*1e6/$total:12.1f} {$sys*1e6/$total:12.1f}')"
    [ "$tool" = loadgen ] && loadgen_rounds+=("$rate $hey_rate $wrk_rate $user $total")
  done
done
# The sitting as a whole: each ratio's median over the rounds, and its range (one round says little on a
# machine whose pace moves by half within minutes).
if [ "$rounds" -gt 1 ]; then
  python3 - "${loadgen_rounds[@]}" <<'PY'
import statistics, sys
rounds = [tuple(map(float, r.split())) for r in sys.argv[1:]]
def line(name, values, fmt):
    print(f"   {name}: median {fmt(statistics.median(values))}, from {fmt(min(values))} to {fmt(max(values))}")
print(f"== over the {len(rounds)} rounds")
line("loadgen / hey", [rate / hey for rate, hey, _, _, _ in rounds], lambda v: f"{v:.2f}×")
line("loadgen / wrk", [rate / wrk for rate, _, wrk, _, _ in rounds], lambda v: f"{v * 100:.0f} %")
line("loadgen user CPU a request", [user * 1e6 / n for _, _, _, user, n in rounds], lambda v: f"{v:.1f} µs")
PY
fi

if [ "$memory" = 1 ]; then
  for users in 100 10000; do
    WHATSAPP_APP_SECRET=bench /usr/bin/time -v "$LOADGEN" --target "$target" --replies none --concurrency "$users" \
      --think-time 2s-5s --duration 30s --criteria "errorRate<0.01" --quiet --report-dir "$work/mem$users" \
      >/dev/null 2>"$work/time$users" || [ $? -eq 1 ] || { cat "$work/time$users" >&2; exit 1; }
    rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$work/time$users")
    turns=$(python3 -c "import json; print(json.load(open('$work/mem$users/report.json'))['totals']['turns'])")
    echo "== $users users (think 2s-5s, 30 s): peak RSS ${rss} KB, $turns turns"
    eval "rss_$users=$rss"
  done
  python3 -c "print(f'== memory per simulated user: {($rss_10000-$rss_100)*1024/9900:.0f} bytes')"
fi

if [ "$soak" -gt 0 ]; then
  echo "== soak: 1000 users (think 2s-5s) for ${soak}s; RSS every 30 s"
  WHATSAPP_APP_SECRET=bench "$LOADGEN" --target "$target" --replies none --concurrency 1000 --think-time 2s-5s \
    --duration "${soak}s" --criteria "errorRate<0.01" --quiet --report-dir "$work/soak" >/dev/null 2>&1 &
  lg=$!
  samples=()
  while kill -0 "$lg" 2>/dev/null; do
    rss=$(ps -o rss= -p "$lg" 2>/dev/null | tr -d ' ')
    [ -n "$rss" ] && samples+=("$rss")
    for _ in $(seq 30); do kill -0 "$lg" 2>/dev/null || break; sleep 1; done
  done
  wait "$lg"
  echo "RSS (KB) every 30 s: ${samples[*]}"
fi

# "PEAK STEADY" RSS (KB) of a closed run of $1 users, think 2s-5s, for $2 seconds (its report in
# $work/scale$1): the peak includes the run's end, when every thinking user wakes at once to stop; the
# steady figure is the median of the once-a-second samples over the middle third of the run.
closed_run() {
  WHATSAPP_APP_SECRET=bench /usr/bin/time -v "$LOADGEN" --target "$target" --replies none --concurrency "$1" \
    --think-time 2s-5s --duration "$2s" --criteria "errorRate<0.01" --quiet --report-dir "$work/scale$1" \
    >/dev/null 2>"$work/scaletime$1" &
  local timer=$! lg="" rss samples=()
  while kill -0 "$timer" 2>/dev/null; do
    [ -z "$lg" ] && lg=$(pgrep -P "$timer" | head -1)
    if [ -n "$lg" ]; then
      rss=$(ps -o rss= -p "$lg" 2>/dev/null | tr -d ' ')
      [ -n "$rss" ] && samples+=("$rss")
    fi
    sleep 1
  done
  wait "$timer" || [ $? -eq 1 ] || { cat "$work/scaletime$1" >&2; exit 1; }  # 1: a criterion failed
  local peak
  peak=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$work/scaletime$1")
  echo "$peak $(python3 -c "s = [int(x) for x in '${samples[*]}'.split()]; m = sorted(s[len(s) // 3:2 * len(s) // 3] or s or [0]); print(m[len(m) // 2])")"
}

if [ -n "$scale" ]; then
  users=${scale%%:*}; scale_seconds=60
  [ "$users" != "$scale" ] && scale_seconds=${scale#*:}
  base_rss=$(closed_run 100 10)
  start=$(date +%s.%N)
  rss=$(closed_run "$users" "$scale_seconds")
  took=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")
  python3 - "$work/scale$users/report.json" "$users" "$scale_seconds" "$rss" "$base_rss" "$took" "$work/scaletime$users" <<'PY'
import json, sys
path, users, seconds, took = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[6]
(peak, steady), (base_peak, base_steady) = (map(int, a.split()) for a in sys.argv[4:6])
r = json.load(open(path)); t = r["totals"]; w = r["latency"].get("wake") or {}; a = r["latency"].get("ack") or {}
aw = r["latency"].get("answerWait") or {}
times = dict(line.strip().split(": ", 1) for line in open(sys.argv[7]) if ": " in line)
user, system = (float(times.get(f"{k} time (seconds)", 0)) for k in ("User", "System"))
print(f"== {users:,} users, think 2s-5s, {seconds} s: {t['turns']:,} turns ({t['throughput']:,.0f}/s), errors {t['errors']}; "
      f"RSS mid-run {steady/1024:.0f} MB, {(steady - base_steady) * 1024 / (users - 100):,.0f} bytes per user over a 100-user run "
      f"(peak, with the end, {peak/1024:.0f} MB, {(peak - base_peak) * 1024 / (users - 100):,.0f} bytes); "
      f"send lag (wake) p50 {w.get('p50', 0)} ms, p99 {w.get('p99', 0)} ms, max {w.get('max', 0)} ms; "
      f"ack p50 {a.get('p50', 0)} ms, p99 {a.get('p99', 0)} ms, max {a.get('max', 0)} ms; "
      f"answers waited, once read, p50 {aw.get('p50', 0)} ms, p99 {aw.get('p99', 0)} ms, max {aw.get('max', 0)} ms; the run took {took} s")
# The machine's pace moves: the same turns took 14 to 24 s of user CPU in 25 s runs one after another, and
# the send lag's tail follows it. The CPU a turn says which kind of moment this run had.
if t["turns"]:
    print(f"   CPU a turn: user {user * 1e6 / t['turns']:.1f} us, system {system * 1e6 / t['turns']:.1f} us")
# Where the ack tail is: the first second (the users made, the first connections opened) against the rest,
# second by second from the report's timeline.
points = [p for p in r.get("timeline", {}).get("points", []) if p["ack"]["count"] > 0]
if len(points) > 1:
    first, rest = points[0], sorted(p["ack"]["p99"] for p in points[1:])
    print(f"   acks by second: the first ({first['ack']['count']:,} turns) p50 {first['ack']['p50']} ms, p99 {first['ack']['p99']} ms; "
          f"the other {len(rest)} seconds' p99 median {rest[len(rest) // 2]} ms, worst {rest[-1]} ms")
# The send lag is how late users woke; a turn then waits for one of the connections, and that wait is in
# the ack, not in the send lag: the `connections` check says how many waited long (the `generator` check
# judges the send lag and the answers' wait once read).
for c in r.get("checks", []):
    if c["name"] in ("generator", "connections"): print(f"   {c['name']}: {c['status']} ({c['detail']})")
PY
fi

if [ -n "$open_rates" ]; then
  printf '%-14s %10s %10s %10s %16s\n' "rate (conv/s)" launched dropped late "launch lag p99"
  for rate in ${open_rates//,/ }; do
    WHATSAPP_APP_SECRET=bench "$LOADGEN" --target "$target" --replies none --rate "$rate" --think-time 0 --duration 20s \
      --criteria "errorRate<0.01" --quiet --report-dir "$work/open$rate" >/dev/null 2>"$work/open$rate.err" || true
    python3 -c "
import json; a = json.load(open('$work/open$rate/report.json'))['arrivals']
print(f\"{'$rate':<14} {a['launched']:>10,} {a['dropped']:>10,} {a['late']:>10,} {a['lag']['p99']:>13} ms\")"
  done
fi

if [ -n "$capacity" ]; then
  for run in ${capacity//,/ }; do
    users=${run%%:*}; run_seconds=60
    [ "$users" != "$run" ] && run_seconds=${run#*:}
    start=$(date +%s.%N)
    /usr/bin/time -f "%U %S" -o "$work/cap$users.cpu" "$LOADGEN" --concurrency "$users" --think-time 1s-2s \
      --duration "${run_seconds}s" --quiet --report-dir "$work/cap$users" >/dev/null 2>"$work/cap$users.err" || true
    took=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")
    python3 - "$work/cap$users/report.json" "$work/cap$users.cpu" "$users" "$run_seconds" "$took" <<'PY'
import json, sys
path, cpu, users, seconds, took = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
r = json.load(open(path)); t = r["totals"]; e = r["errorsByClass"]
u, s = (float(x) for x in open(cpu).read().split()[-2:])
checks = {c["name"]: f"{c['status']} ({c['detail']})" for c in r.get("checks", []) if c["name"] in ("embedded bot", "generator", "connections")}
print(f"== {users:,} users, think 1s-2s, {seconds} s, embedded bot: {t['turns']:,} turns ({t['throughput']:,.0f}/s), "
      f"{t['replies']:,} answered, no_reply {e.get('no_reply', 0)}, http_429 {e.get('http_429', 0)} (the bot's 30 a minute), "
      f"other errors {t['errors'] - e.get('no_reply', 0) - e.get('http_429', 0)}; CPU {(u + s) * 1e6 / t['turns']:.0f} us a turn "
      f"(user {u * 1e6 / t['turns']:.0f}); reply p50 {r['latency']['reply']['p50']} ms, p95 {r['latency']['reply']['p95']} ms; "
      f"the run took {took} s")
for name, said in checks.items(): print(f"   {name}: {said}")
PY
  done
fi
