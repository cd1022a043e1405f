#!/usr/bin/env bash
# Opens a report.html in headless Chromium (no network) and checks that it renders.
#
#   scripts/check-report-html.sh [--timeout SECONDS] REPORT_HTML [SCREENSHOT_PNG]
#
# --timeout: how long the page may take to render (default 30 s).
#
# Fails (exit 1, with the reason) on any console.error / console.assert, uncaught exception or
# unhandled promise rejection, browser-side error log entry, or network request other than file:/data:;
# when the page does not finish rendering (body[data-rendered] must become "ok"); and when a chart that
# the embedded report JSON has data for drew nothing: every figure[data-chart] carries data-points (marks
# drawn) and data-expected (values the data offers), and the checker also derives from the JSON itself
# which charts must exist with data-points > 0. Saves a full-page screenshot, by default report.png next
# to the HTML. Installs Chromium with apt-get when it is missing and we are root (set CHROMIUM to use
# another binary). Talks to Chromium over the DevTools protocol on --remote-debugging-pipe: python3's
# standard library only. Exit codes: 0 ok, 1 check failed, 2 usage or environment problem.
set -euo pipefail

timeout=30
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --timeout) timeout="${2:?--timeout needs seconds}"; shift 2 ;;
    --) shift; args+=("$@"); break ;;
    -*) echo "check-report-html: unknown option: $1 (see --help)" >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ ${#args[@]} -lt 1 ] || [ ${#args[@]} -gt 2 ]; then
  echo "usage: scripts/check-report-html.sh [--timeout SECONDS] REPORT_HTML [SCREENSHOT_PNG] (see --help)" >&2
  exit 2
fi
html="${args[0]}"
[ -f "$html" ] || { echo "check-report-html: no such file: $html" >&2; exit 2; }
html="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
png="${args[1]:-$(dirname "$html")/report.png}"
command -v python3 >/dev/null || { echo "check-report-html: python3 is needed" >&2; exit 2; }

if [ -n "${CHROMIUM:-}" ] && ! command -v "$CHROMIUM" >/dev/null 2>&1; then
  echo "check-report-html: CHROMIUM=$CHROMIUM is not an executable" >&2
  exit 2
fi
find_chromium() {
  if [ -n "${CHROMIUM:-}" ]; then command -v "$CHROMIUM"; return; fi
  local c
  for c in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return; fi
  done
}
chrome="$(find_chromium)"
if [ -z "$chrome" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "check-report-html: installing chromium (apt-get)" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    chrome="$(find_chromium)"
  fi
  if [ -z "$chrome" ]; then
    echo "check-report-html: Chromium not found. Install it (Debian: sudo apt-get install chromium)" \
         "or point CHROMIUM at a Chromium/Chrome binary." >&2
    exit 2
  fi
fi

exec python3 - "$chrome" "$html" "$png" "$timeout" <<'PY'
import base64, json, os, re, select, shutil, subprocess, sys, tempfile, time

chrome, html, png, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
problems, notes = [], []


def fail_env(msg):
    print("check-report-html: " + msg, file=sys.stderr)
    sys.exit(2)


# What the page must show, derived from the JSON embedded in the page (not from what the page says).
# A page without usable data is reported, and still opened, so its console errors show too.
src = open(html, encoding="utf-8", errors="replace").read()
m = re.search(r'<script id="report-data" type="application/json">(.*?)</script>', src, re.S)
report = {}
if not m:
    problems.append('no <script id="report-data" type="application/json"> element in the page')
else:
    try:
        report = json.loads(m.group(1))
    except ValueError as e:
        problems.append("the embedded report JSON does not parse: %s" % e)
    if not isinstance(report, dict):
        problems.append("the embedded report JSON is not an object")
        report = {}


def d(v):
    return v if isinstance(v, dict) else {}


def n(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else 0


points = [p for p in (d(report.get("timeline")).get("points") or []) if isinstance(p, dict)]
required = {}  # chart id -> whether it must have drawn something
if points:
    required["reply-latency"] = any(n(d(p.get("reply")).get("count")) > 0 for p in points)
    required["ack-latency"] = any(n(d(p.get("ack")).get("count")) > 0 for p in points)
    required["throughput"] = True
    required["errors"] = any(n(p.get("errors")) > 0 or any(n(v) > 0 for v in d(p.get("errorsByClass")).values()) for p in points)
    if any(n(p.get("fallbacks")) > 0 for p in points):
        required["fallbacks"] = True
dist = d(d(report.get("latency")).get("distribution"))
if any(isinstance(dist.get(k), list) and dist.get(k) for k in ("reply", "ack")):
    required["latency-distribution"] = True

# Chromium, driven over the DevTools protocol on fds 3 (our commands) and 4 (its answers and events).
profile = tempfile.mkdtemp(prefix="check-report-html-")
cmd_r, cmd_w = os.pipe()
ev_r, ev_w = os.pipe()


def child_fds():
    os.dup2(cmd_r, 3)
    os.dup2(ev_w, 4)


flags = [
    "--headless=new", "--disable-gpu", "--no-sandbox", "--remote-debugging-pipe", "--user-data-dir=" + profile,
    "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND", "--force-device-scale-factor=1", "--window-size=1280,900",
    "about:blank",
]
log_path = os.path.join(profile, "chromium-stderr.log")
log = open(log_path, "wb")
try:
    proc = subprocess.Popen([chrome] + flags, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                            preexec_fn=child_fds, pass_fds=(3, 4))
except OSError as e:
    fail_env("cannot start %s: %s" % (chrome, e))
os.close(cmd_r)
os.close(ev_w)

buf = b""
events = []
answers = {}
next_id = 0


def pump(wait):
    global buf
    r, _, _ = select.select([ev_r], [], [], wait)
    if not r:
        return
    chunk = os.read(ev_r, 1 << 22)
    if not chunk:
        raise EOFError("Chromium exited")
    buf += chunk
    while b"\0" in buf:
        raw, buf = buf.split(b"\0", 1)
        msg = json.loads(raw)
        if "id" in msg:
            answers[msg["id"]] = msg
        else:
            events.append(msg)


def call(method, params=None, session=None, wait=None):
    global next_id
    next_id += 1
    msg = {"id": next_id, "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    os.write(cmd_w, json.dumps(msg).encode() + b"\0")
    end = time.time() + (wait or 30)
    while next_id not in answers:
        if time.time() > end:
            raise TimeoutError(method + " got no answer")
        pump(0.05)
    ans = answers.pop(next_id)
    if "error" in ans:
        raise RuntimeError("%s: %s" % (method, ans["error"].get("message")))
    return ans.get("result", {})


def evaluate(session, expr):
    res = call("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session)
    return res.get("result", {}).get("value")


def describe_args(args):
    out = []
    for a in args:
        if "value" in a:
            out.append(a["value"] if isinstance(a["value"], str) else json.dumps(a["value"]))
        else:
            out.append(a.get("description") or a.get("type", "?"))
    return " ".join(str(x) for x in out)


def where(frames):
    if not frames:
        return ""
    f = frames[0]
    return " (%s:%s)" % (os.path.basename(f.get("url", "")) or "?", f.get("lineNumber", 0) + 1)


def collect(msgs):
    for ev in msgs:
        method, p = ev.get("method"), ev.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = describe_args(p.get("args", [])) + where(p.get("stackTrace", {}).get("callFrames"))
            if p.get("type") in ("error", "assert"):
                problems.append("console.%s: %s" % (p.get("type"), text))
            elif p.get("type") == "warning":
                notes.append("console.warn: " + text)
        elif method == "Runtime.exceptionThrown":
            ex = p.get("exceptionDetails", {})
            desc = ex.get("exception", {}).get("description") or ex.get("text", "")
            problems.append("uncaught exception: %s %s%s" % (ex.get("text", ""), desc.splitlines()[0] if desc else "",
                                                            where(ex.get("stackTrace", {}).get("callFrames"))))
        elif method == "Log.entryAdded":
            e = p.get("entry", {})
            if e.get("level") == "error":
                problems.append("browser error (%s): %s %s" % (e.get("source"), e.get("text", ""), e.get("url", "")))
        elif method == "Network.requestWillBeSent":
            url = p.get("request", {}).get("url", "")
            if not re.match(r"^(file|data|about|blob):", url):
                problems.append("network request (the report must be self-contained): " + url[:200])


exit_code = 1
try:
    try:
        target = call("Target.createTarget", {"url": "about:blank"}, wait=20)["targetId"]
        session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime.enable", "Log.enable", "Page.enable", "Network.enable"):
            call(domain, session=session)
        call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session)
        call("Page.navigate", {"url": "file://" + html}, session)
        # Wait for the script to say it is done (or for the time limit), then a little more for late errors.
        rendered, deadline = None, time.time() + timeout
        while time.time() < deadline:
            pump(0.1)
            rendered = evaluate(session, "document.body ? (document.body.dataset.rendered || '') : ''")
            if rendered:
                break
        if not rendered:
            problems.append("the page did not finish rendering within %g s (body[data-rendered] never set)" % timeout)
        settle = time.time() + 0.7
        while time.time() < settle:
            pump(0.05)
        state = evaluate(session, """(function () {
          var charts = Array.prototype.map.call(document.querySelectorAll('figure[data-chart]'), function (f) {
            return { id: f.dataset.chart, points: Number(f.dataset.points), expected: Number(f.dataset.expected) };
          });
          var v = document.getElementById('verdict');
          return { rendered: document.body.dataset.rendered || '', charts: charts,
                   noTimeline: !!document.getElementById('no-timeline'), verdict: v ? v.dataset.verdict : null,
                   title: document.title };
        })()""")
    except (EOFError, TimeoutError, RuntimeError) as e:
        problems.append("could not drive Chromium: %s (its log: %s)" % (e, log_path))
        state = None

    collect(events)
    events.clear()
    if state is not None:
        if state["rendered"] and state["rendered"] != "ok":
            problems.append("the page did not finish rendering: body[data-rendered] = %r (expected \"ok\")" % state["rendered"])
        charts = {c["id"]: c for c in state["charts"]}
        for c in state["charts"]:
            if c["expected"] > 0 and not c["points"] > 0:
                problems.append("chart %s drew no points although the data has %d" % (c["id"], c["expected"]))
        for cid, must_draw in required.items():
            if cid not in charts:
                problems.append("chart %s is missing although the report has data for it" % cid)
            elif must_draw and not charts[cid]["points"] > 0:
                problems.append("chart %s drew nothing although the report has data for it" % cid)
        if report and not points and not state["noTimeline"]:
            problems.append("the report has no timeline, but the page does not say \"no timeline recorded\"")
        want = str(report.get("verdict", "")).lower()
        if want and state["verdict"] != want:
            problems.append("verdict badge says %r, the report says %r" % (state["verdict"], want))
        # Full-page screenshot: the viewport grows to the document's height.
        try:
            metrics = call("Page.getLayoutMetrics", session=session)
            size = metrics.get("cssContentSize") or metrics.get("contentSize")
            height = int(min(max(900, size["height"]), 16000))
            call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
            shot = call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session, wait=60)
            os.makedirs(os.path.dirname(os.path.abspath(png)), exist_ok=True)
            with open(png, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            notes.append("screenshot: %s (1280x%d)" % (png, height))
        except (EOFError, TimeoutError, RuntimeError, KeyError) as e:
            problems.append("screenshot failed: %s" % e)
        collect(events)
        summary = ", ".join("%s %d/%d" % (c["id"], c["points"], c["expected"]) for c in state["charts"]) or "none"
        notes.insert(0, "%s: rendered=%s, charts (points/expected): %s%s" % (
            os.path.basename(html), state["rendered"], summary, "; no timeline" if state["noTimeline"] else ""))
    exit_code = 1 if problems else 0
finally:
    try:
        call("Browser.close", wait=5)
    except Exception:
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()
    if not any(p.startswith("could not drive Chromium") for p in problems):
        shutil.rmtree(profile, ignore_errors=True)  # kept (with Chromium's log) only when driving it failed

for line in notes:
    print(line)
if problems:
    print("FAIL: %d problem(s) in %s" % (len(problems), html))
    for p in problems:
        print("  - " + p)
    sys.exit(1)
print("OK: no console errors, no exceptions, no network, every chart drew its data")
PY
