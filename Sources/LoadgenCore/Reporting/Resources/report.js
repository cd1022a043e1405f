(function () {
  'use strict';
  var SVGNS = 'http://www.w3.org/2000/svg';
  var app = document.getElementById('app');
  var status = { rendered: 'pending', charts: {}, failures: [] };

  // ---------- DOM helpers (text only: data never goes through innerHTML) ----------
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    setAttrs(e, attrs);
    append(e, children);
    return e;
  }
  function svg(tag, attrs, children) {
    var e = document.createElementNS(SVGNS, tag);
    setAttrs(e, attrs);
    append(e, children);
    return e;
  }
  function setAttrs(e, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') e.textContent = String(v);
      else e.setAttribute(k, String(v));
    });
  }
  function append(e, children) {
    if (children === null || children === undefined) return;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    });
  }
  function tip(node, text) { node.appendChild(svg('title', { text: text })); return node; }

  // ---------- value helpers ----------
  function isObj(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function obj(v) { return isObj(v) ? v : {}; }
  function arr(v) { return Array.isArray(v) ? v : []; }
  function num(v) { return (typeof v === 'number' && isFinite(v)) ? v : null; }
  function str(v) { return (v === null || v === undefined) ? '' : String(v); }
  function sumOf(list) { var s = 0; list.forEach(function (v) { s += num(v) || 0; }); return s; }

  // ---------- number formatting ----------
  var DASH = '\u2013';
  function fmtInt(v) {
    v = num(v);
    if (v === null) return DASH;
    return Math.round(v).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }
  function fmtFixed(v, d) {
    var s = v.toFixed(d);
    var parts = s.split('.');
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return parts.join('.');
  }
  function fmtMs(v) {
    v = num(v);
    if (v === null) return DASH;
    if (Number.isInteger(v)) return fmtInt(v) + ' ms';
    var a = Math.abs(v);
    if (a < 0.1) return fmtFixed(v, 3) + ' ms';
    if (a < 100) return fmtFixed(v, 2) + ' ms';
    if (a < 1000) return fmtFixed(v, 1) + ' ms';
    return fmtFixed(v, 0) + ' ms';
  }
  function fmtMsShort(v) { return fmtMs(v).replace(' ms', ''); }
  function fmtPct(f) {
    f = num(f);
    if (f === null) return DASH;
    var p = f * 100;
    if (p === 0) return '0 %';
    if (Math.abs(p) >= 99.995 && Math.abs(p) < 100) return '99.99 %';
    if (Math.abs(p) < 0.01) return p.toPrecision(2) + ' %';
    return fmtFixed(p, 2).replace(/\.00$/, '') + ' %';
  }
  function fmtNum(v) {
    v = num(v);
    if (v === null) return DASH;
    if (Number.isInteger(v)) return fmtInt(v);
    var a = Math.abs(v);
    return fmtFixed(v, a >= 100 ? 1 : a >= 1 ? 2 : 4).replace(/0+$/, '').replace(/\.$/, '');
  }
  function fmtSeconds(v) {
    v = num(v);
    if (v === null) return DASH;
    if (v < 120) return fmtNum(Math.round(v * 100) / 100) + ' s';
    var h = Math.floor(v / 3600), m = Math.floor((v % 3600) / 60), s = Math.round(v % 60);
    if (s === 60) { s = 0; m += 1; }
    return ((h ? h + ' h ' : '') + (m ? m + ' min ' : '') + (s ? s + ' s' : '')).trim() || '0 s';
  }
  function fmtValue(v) {
    if (v === null || v === undefined) return DASH;
    if (typeof v === 'number') return fmtNum(v);
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (Array.isArray(v)) return v.map(fmtValue).join(', ');
    if (isObj(v)) return Object.keys(v).map(function (k) { return k + ': ' + fmtValue(v[k]); }).join(', ');
    return String(v);
  }
  // A criterion's measured value in its unit, by metric name (reply.p95 → ms, errorRate → %).
  function fmtMetric(name, v) {
    if (v === null || v === undefined) return DASH;
    if (typeof v !== 'number') return fmtValue(v);
    name = str(name);
    if (/^(reply|ack)\.(p\d+|max|mean)$/.test(name) || /^chaos\.activation/.test(name) || /latency|\.lag/i.test(name)) return fmtMs(v);
    if (name === 'health') return v >= 1 ? 'ok' : 'not ok';
    if (/rate$/i.test(name) || /over1s$/.test(name)) return fmtPct(v) + '  (' + fmtNum(v) + ')';
    return fmtNum(v);
  }

  // ---------- layout helpers ----------
  function section(title, id) {
    var s = el('section', { id: id });
    s.appendChild(el('h2', { text: title }));
    app.appendChild(s);
    return s;
  }
  function statusBadge(s) {
    s = str(s).toLowerCase();
    var cls = s === 'pass' || s === 'fail' || s === 'skipped' || s === 'rollback' ? s : 'unknown';
    return el('span', { 'class': 'badge ' + cls, text: s || '?' });
  }
  // columns: [{label, value: row → string|Node, num: bool}]
  function table(columns, rows, rowClass) {
    var t = el('table');
    var head = el('tr');
    columns.forEach(function (c) { head.appendChild(el('th', { 'class': c.num ? 'num' : null, text: c.label, title: c.title || null })); });
    t.appendChild(el('thead', null, head));
    var body = el('tbody');
    rows.forEach(function (r, i) {
      var tr = el('tr', { 'class': rowClass ? rowClass(r, i) : null });
      columns.forEach(function (c) {
        var v;
        try { v = c.value(r, i); } catch (e) { v = DASH; }
        var td = el('td', { 'class': c.num ? 'num' : null });
        if (v !== null && typeof v === 'object') td.appendChild(v); else td.textContent = (v === null || v === undefined || v === '') ? DASH : String(v);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return el('div', { 'class': 'tablewrap' }, t);
  }
  function kvTable(o) {
    var rows = [];
    (function walk(prefix, v) {
      if (isObj(v) && Object.keys(v).length) Object.keys(v).forEach(function (k) { walk(prefix ? prefix + '.' + k : k, v[k]); });
      else rows.push([prefix, v]);
    })('', o);
    return table([{ label: 'Field', value: function (r) { return r[0]; } },
                  { label: 'Value', value: function (r) { return fmtValue(r[1]); }, num: false }], rows);
  }
  function pCols(prefix, key, which) {
    return (which || ['p50', 'p95', 'p99']).map(function (q) {
      return { label: prefix + ' ' + q, num: true, value: function (r) { return fmtMs(obj(r[key])[q]); } };
    });
  }

  // ---------- scales and ticks ----------
  // integer: counts (no 2.5 steps, no step below 1).
  function niceStep(range, target, integer) {
    if (!(range > 0)) return 1;
    var raw = range / target, mag = Math.pow(10, Math.floor(Math.log10(raw))), n = raw / mag;
    var step = (n <= 1 ? 1 : n <= 2 ? 2 : (n <= 2.5 && !integer) ? 2.5 : n <= 5 ? 5 : 10) * mag;
    return integer ? Math.max(1, Math.round(step)) : step;
  }
  function niceMax(max, target, integer) {
    if (!(max > 0)) return integer ? { max: 1, step: 1 } : { max: 1, step: 0.25 };
    var step = niceStep(max, target, integer);
    var top = Math.ceil(max / step) * step;
    if (top < max * 1.02) top += step;
    return { max: top, step: step };
  }
  // A second axis with the same number of divisions as the first, so both share the grid lines.
  function alignedMax(max, divisions, integer) {
    if (!(max > 0)) return { max: divisions, step: 1 };
    var raw = max * 1.04 / divisions, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    if (integer && mag < 1) mag = 1;
    var cands = integer && mag === 1 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
    for (var i = 0; i < cands.length; i++) if (cands[i] * mag >= raw) return { max: cands[i] * mag * divisions, step: cands[i] * mag };
    return { max: 10 * mag * divisions, step: 10 * mag };
  }
  function timeStep(range, target) {
    var steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
    for (var i = 0; i < steps.length; i++) if (range / steps[i] <= target) return steps[i];
    return niceStep(range, target);
  }
  function tickLabel(v, step) {
    var d = 0;
    while (d < 6 && Math.abs(step * Math.pow(10, d) - Math.round(step * Math.pow(10, d))) > 1e-6) d++;
    return fmtFixed(Math.abs(v) < step * 1e-6 ? 0 : v, d);
  }
  // unit: 's' (plain seconds), 'min' (m:ss) or 'h' (h:mm).
  function timeLabel(t, unit) {
    if (unit === 's') return tickLabel(t, t % 1 === 0 ? 1 : 0.1);
    if (unit === 'h') {
      var h = Math.floor(t / 3600), mm = Math.round((t % 3600) / 60);
      return mm ? h + ':' + (mm < 10 ? '0' : '') + mm : h + ' h';
    }
    var m = Math.floor(t / 60), s = Math.round(t % 60);
    return s ? m + ':' + (s < 10 ? '0' : '') + s : m + ' min';
  }
  // Long timelines: consecutive intervals merged so that at most `limit` points are drawn. Counts add up;
  // latency percentiles take the highest of the group (an upper bound, like merged shards in report.json).
  function groupPoints(pts, interval, limit) {
    var k = Math.ceil(pts.length / limit);
    if (k <= 1) return { k: 1, points: pts };
    var out = [];
    for (var i = 0; i < pts.length; i += k) {
      var grp = pts.slice(i, i + k), last = grp[grp.length - 1];
      var g = { t: last.t, _t0: i === 0 ? Math.max(0, pts[0].t - interval) : pts[i - 1].t, activeUsers: last.activeUsers,
                turns: 0, errors: 0, replies: 0, fallbacks: 0, errorsByClass: {}, faultsOpen: [], ack: null, reply: null };
      grp.forEach(function (p) {
        ['turns', 'errors', 'replies', 'fallbacks'].forEach(function (key) { g[key] += num(p[key]) || 0; });
        var e = obj(p.errorsByClass);
        Object.keys(e).forEach(function (c) { g.errorsByClass[c] = (g.errorsByClass[c] || 0) + (num(e[c]) || 0); });
        arr(p.faultsOpen).forEach(function (f) { if (g.faultsOpen.indexOf(f) < 0) g.faultsOpen.push(f); });
        ['ack', 'reply'].forEach(function (key) {
          var w = obj(p[key]);
          if (!(num(w.count) > 0)) return;
          var a = g[key] || (g[key] = { count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
          a.count += w.count;
          ['p50', 'p95', 'p99', 'max'].forEach(function (q) { a[q] = Math.max(a[q], num(w[q]) || 0); });
        });
      });
      ['ack', 'reply'].forEach(function (key) { if (!g[key]) g[key] = { count: 0 }; });
      out.push(g);
    }
    return { k: k, points: out };
  }

  // ---------- charts ----------
  var W = 1000, M = { l: 64, r: 64, t: 34, b: 44 };
  var COLORS = { p50: '#2b7bb9', p95: '#e08a00', p99: '#c2185b', max: '#7b3fa0', throughput: '#2b7bb9', users: '#6e7781',
                 fallbacks: '#8e44ad', reply: '#2b7bb9', ack: '#2e9e6b' };
  var CLASS_COLORS = { connect: '#6e40c9', timeout: '#e36209', io: '#8250df', http_2xx_not_200: '#bf8700', http_3xx: '#9a6700',
                       http_429: '#d4a72c', http_4xx: '#fb8f44', http_5xx: '#cf222e', no_reply: '#57606a', bad_reply: '#e85aad',
                       no_choice: '#1b7c83', bad_template: '#0969da', hub_lost: '#8250df' };
  var EXTRA_COLORS = ['#a40e26', '#116329', '#953800', '#0550ae', '#6639ba', '#3d444d'];
  function classColor(c, i) { return CLASS_COLORS[c] || EXTRA_COLORS[i % EXTRA_COLORS.length]; }

  // A frame: figure + svg + scales. opts: {id, title, note, height, xMin, xMax, yMax, y2Max, yTitle, y2Title, xTitle,
  //   xTicks: [{v, label}], yFmt, y2Fmt}
  function frame(opts) {
    var H = opts.height || 270;
    var pw = W - M.l - M.r, ph = H - M.t - M.b;
    var fig = el('figure', { 'class': 'chart', 'data-chart': opts.id, id: 'chart-' + opts.id });
    var cap = el('figcaption', null, [opts.title, opts.note ? el('span', { 'class': 'note', text: opts.note }) : null]);
    fig.appendChild(cap);
    var root = svg('svg', { 'class': 'plot', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': opts.title,
                            preserveAspectRatio: 'xMidYMid meet' });
    fig.appendChild(root);
    var xMin = opts.xMin || 0, xMax = opts.xMax > xMin ? opts.xMax : xMin + 1;
    var f = {
      fig: fig, root: root, H: H, pw: pw, ph: ph,
      x: function (v) { return M.l + (v - xMin) / (xMax - xMin) * pw; },
      y: function (v) { return M.t + ph - v / opts.yMax * ph; },
      y2: function (v) { return M.t + ph - v / (opts.y2Max || 1) * ph; },
      layer: function (name) { var g = svg('g', { 'class': name }); root.appendChild(g); return g; }
    };
    var grid = f.layer('grid');
    // y grid + ticks
    for (var v = 0; v <= opts.yMax + opts.yStep * 1e-6; v += opts.yStep) {
      var yy = f.y(v);
      grid.appendChild(svg('line', { 'class': 'gridline', x1: M.l, x2: M.l + pw, y1: yy, y2: yy }));
      grid.appendChild(svg('text', { x: M.l - 6, y: yy + 4, 'text-anchor': 'end', text: (opts.yFmt || tickLabel)(v, opts.yStep) }));
    }
    if (opts.y2Max) {
      for (var v2 = 0; v2 <= opts.y2Max + opts.y2Step * 1e-6; v2 += opts.y2Step) {
        grid.appendChild(svg('text', { x: M.l + pw + 6, y: f.y2(v2) + 4, 'text-anchor': 'start', text: tickLabel(v2, opts.y2Step) }));
      }
    }
    // x ticks
    opts.xTicks.forEach(function (t) {
      var xx = f.x(t.v);
      grid.appendChild(svg('line', { 'class': 'gridline', x1: xx, x2: xx, y1: M.t, y2: M.t + ph }));
      grid.appendChild(svg('line', { 'class': 'axis', x1: xx, x2: xx, y1: M.t + ph, y2: M.t + ph + 4 }));
      grid.appendChild(svg('text', { x: xx, y: M.t + ph + 17, 'text-anchor': 'middle', text: t.label }));
    });
    grid.appendChild(svg('line', { 'class': 'axis', x1: M.l, x2: M.l + pw, y1: M.t + ph, y2: M.t + ph }));
    grid.appendChild(svg('line', { 'class': 'axis', x1: M.l, x2: M.l, y1: M.t, y2: M.t + ph }));
    if (opts.y2Max) grid.appendChild(svg('line', { 'class': 'axis', x1: M.l + pw, x2: M.l + pw, y1: M.t, y2: M.t + ph }));
    if (opts.xTitle) grid.appendChild(svg('text', { 'class': 'axis-title', x: M.l + pw / 2, y: H - 6, 'text-anchor': 'middle', text: opts.xTitle }));
    if (opts.yTitle) grid.appendChild(svg('text', { 'class': 'axis-title', x: 14, y: M.t + ph / 2, 'text-anchor': 'middle',
                                                     transform: 'rotate(-90 14 ' + (M.t + ph / 2) + ')', text: opts.yTitle }));
    if (opts.y2Title) grid.appendChild(svg('text', { 'class': 'axis-title', x: W - 12, y: M.t + ph / 2, 'text-anchor': 'middle',
                                                      transform: 'rotate(90 ' + (W - 12) + ' ' + (M.t + ph / 2) + ')', text: opts.y2Title }));
    return f;
  }
  // legend items: [{label, color, kind: 'line'|'dash'|'box'|'fault'}]
  function legend(f, items) {
    var g = f.layer('legend');
    var x = M.l;
    items.forEach(function (it) {
      var y = 14;
      if (it.kind === 'box' || it.kind === 'fault') {
        g.appendChild(svg('rect', { x: x, y: y - 8, width: 14, height: 10, fill: it.color,
                                    'fill-opacity': it.kind === 'fault' ? 0.25 : 0.9, stroke: it.kind === 'fault' ? it.color : 'none' }));
      } else {
        g.appendChild(svg('line', { x1: x, x2: x + 18, y1: y - 3, y2: y - 3, stroke: it.color, 'stroke-width': 2.2,
                                    'stroke-dasharray': it.kind === 'dash' ? '5 3' : null }));
      }
      var t = svg('text', { x: x + 23, y: y + 1, text: it.label });
      g.appendChild(t);
      x += 23 + it.label.length * 6.6 + 18;
    });
  }
  // Shaded chaos fault windows with the pattern name.
  function faultWindows(f, windows, xMin, xMax) {
    if (!windows.length) return 0;
    var g = f.layer('fault');
    var drawn = 0, labels = [];
    windows.forEach(function (w) {
      var s = num(w.startSeconds), e = num(w.endSeconds);
      if (s === null) return;
      if (e === null) e = xMax;
      s = Math.max(s, xMin); e = Math.min(e, xMax);
      if (!(e > s) && !(e === s && s < xMax)) return;
      var x1 = f.x(s), x2 = Math.max(f.x(e), x1 + 1.5);
      var r = svg('rect', { 'class': 'win', x: x1, y: M.t, width: x2 - x1, height: f.ph });
      var label = str(w.pattern) + (num(w.rate) !== null ? ' (' + fmtPct(w.rate) + ')' : '');
      tip(r, 'fault window: ' + label + '\n' + fmtNum(num(w.startSeconds)) + ' s \u2192 ' +
             (num(w.endSeconds) === null ? 'end of run' : fmtNum(num(w.endSeconds)) + ' s'));
      g.appendChild(r);
      g.appendChild(svg('line', { x1: x1, x2: x1, y1: M.t, y2: M.t + f.ph }));
      g.appendChild(svg('line', { x1: x2, x2: x2, y1: M.t, y2: M.t + f.ph }));
      var t = svg('text', { x: x1 + 3, y: M.t + 4, transform: 'rotate(90 ' + (x1 + 3) + ' ' + (M.t + 4) + ')', text: str(w.pattern) });
      if (x2 - x1 > 160) t = svg('text', { x: x1 + 4, y: M.t + 12, text: label });
      labels.push(t);
      drawn++;
    });
    // The names go on top of the data (with a halo), once the series are drawn.
    f.faultLabels = function () { var lg = f.layer('fault'); labels.forEach(function (t) { lg.appendChild(t); }); };
    return drawn;
  }
  function faultLabels(f) { if (f.faultLabels) f.faultLabels(); }
  // Lines with gaps: values = [[x, y|null], …]; returns the number of vertices drawn.
  function line(f, g, values, color, opts) {
    opts = opts || {};
    var d = '', pen = false, n = 0, isolated = [];
    var yf = opts.y2 ? f.y2 : f.y;
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (v[1] === null) { pen = false; continue; }
      var px = f.x(v[0]).toFixed(2), py = yf(v[1]).toFixed(2);
      d += (pen ? 'L' : 'M') + px + ' ' + py;
      var prevGap = i === 0 || values[i - 1][1] === null, nextGap = i === values.length - 1 || values[i + 1][1] === null;
      if (prevGap && nextGap) isolated.push([px, py]);
      pen = true;
      n++;
    }
    if (d) g.appendChild(svg('path', { 'class': 'series', d: d, stroke: color, 'stroke-dasharray': opts.dash ? '6 4' : null }));
    if (opts.dots || isolated.length) {
      (opts.dots ? values.filter(function (v) { return v[1] !== null; }).map(function (v) { return [f.x(v[0]), yf(v[1])]; }) : isolated)
        .forEach(function (p) { g.appendChild(svg('circle', { cx: p[0], cy: p[1], r: 3, fill: color })); });
    }
    return n;
  }

  // ---------- the data ----------
  var report = null;
  function loadReport() {
    var node = document.getElementById('report-data');
    var raw = node ? node.textContent : '';
    if (raw.trim().charAt(0) !== '{') throw new Error('no report JSON in the page (the placeholder was not filled in)');
    var r = JSON.parse(raw);
    if (!isObj(r)) throw new Error('the report JSON is not an object');
    return r;
  }

  // ---------- sections ----------
  function renderHeader(r) {
    var run = obj(r.run), verdict = str(r.verdict).toLowerCase() || 'unknown';
    var vcls = ['pass', 'fail', 'rollback'].indexOf(verdict) >= 0 ? verdict : 'unknown';
    document.title = 'loadgen ' + verdict.toUpperCase() + ' \u2013 ' + (str(run.scenario) || 'report');
    var h = el('header', { 'class': 'top' });
    h.appendChild(el('div', { 'class': 'verdict ' + vcls, id: 'verdict', 'data-verdict': verdict, text: verdict.toUpperCase() }));
    var tb = el('div', { 'class': 'titleblock' });
    var h1 = el('h1', null, [str(run.scenario) || 'loadgen run']);
    if (r.partial === true) h1.appendChild(el('span', { 'class': 'partial', text: 'partial run', title: 'stopped early: the numbers cover what ran' }));
    tb.appendChild(h1);
    var users = run.model === 'open'
      ? (num(run.ratePerSecond) !== null ? fmtNum(run.ratePerSecond) + ' conversations/s' : 'open') + (num(run.concurrency) !== null ? ', cap ' + fmtInt(run.concurrency) : '')
      : fmtInt(run.concurrency) + ' users';
    var think = arr(run.thinkTimeSeconds);
    var items = [
      ['target', str(run.target) + (run.embeddedBot === true ? ' (embedded bot)' : '')],
      ['model', str(run.model) || DASH],
      [run.model === 'open' ? 'rate' : 'users', users],
      ['duration', fmtSeconds(run.durationSeconds) + ' planned, ' + fmtSeconds(run.elapsedSeconds) + ' elapsed'],
      ['started', str(run.startedAt) || DASH],
      ['loadgen', str(run.loadgenVersion) || DASH],
      ['think time', think.length ? think.map(function (t) { return fmtNum(t); }).join('\u2013') + ' s' : DASH],
      ['reply timeout', fmtSeconds(run.replyTimeoutSeconds)],
      ['replies', str(run.replies) || DASH],
      ['criteria', arr(run.criteria).map(str).join(', ') || DASH],
      ['seed', run.seed === undefined ? DASH : str(run.seed)],
      ['Graph API', str(run.graphAPI) || DASH]
    ];
    var meta = el('div', { 'class': 'meta' });
    items.forEach(function (it) { meta.appendChild(el('div', null, [el('b', { text: it[0] }), it[1]])); });
    tb.appendChild(meta);
    h.appendChild(tb);
    app.appendChild(h);
  }

  function renderKeyNumbers(r) {
    var s = section('Key numbers', 'key-numbers');
    var t = obj(r.totals), lat = obj(r.latency);
    var cards = el('div', { 'class': 'cards' });
    function card(label, value, sub) {
      cards.appendChild(el('div', { 'class': 'card' }, [el('div', { 'class': 'label', text: label }), el('div', { 'class': 'value', text: value }),
                                                         sub ? el('div', { 'class': 'sub', text: sub }) : null]));
    }
    function trio(label, p) {
      p = obj(p);
      var row = el('div', { 'class': 'trio' });
      ['p50', 'p95', 'p99'].forEach(function (q) { row.appendChild(el('span', null, [el('small', { text: q }), fmtMs(p[q])])); });
      cards.appendChild(el('div', { 'class': 'card wide' }, [el('div', { 'class': 'label', text: label }), row,
        el('div', { 'class': 'sub', text: fmtInt(p.count) + ' measured, max ' + fmtMs(p.max) + ', mean ' + fmtMs(p.mean) })]));
    }
    card('Turns', fmtInt(t.turns), fmtInt(t.errors) + ' errors');
    card('Throughput', num(t.throughput) === null ? DASH : fmtNum(Math.round(t.throughput * 100) / 100) + ' /s', 'turns per second');
    card('Error rate', fmtPct(t.errorRate), fmtInt(t.errors) + ' of ' + fmtInt(t.turns) + ' turns');
    card('Fallback rate', fmtPct(t.fallbackRate), fmtInt(t.fallbackReplies) + ' of ' + fmtInt(t.replies) + ' replies');
    card('Success rate', fmtPct(t.successRate), fmtInt(t.journeysSucceeded) + ' of ' + fmtInt(t.journeys) + ' journeys' +
         (num(t.journeysIncomplete) ? ', ' + fmtInt(t.journeysIncomplete) + ' incomplete' : ''));
    trio('Reply latency', lat.reply);
    trio('Ack latency', lat.ack);
    s.appendChild(cards);
  }

  function renderCriteria(r) {
    var s = section('Criteria and checks', 'criteria');
    var crit = arr(r.criteria).filter(isObj);
    s.appendChild(el('h3', { text: 'Pass/fail criteria' }));
    if (!crit.length) s.appendChild(el('p', { 'class': 'empty', text: 'no criteria evaluated' }));
    else {
      var known = ['name', 'metric', 'preset', 'status', 'passed', 'actual', 'threshold', 'comparison', 'note'];
      var extra = [];
      crit.forEach(function (c) { Object.keys(c).forEach(function (k) { if (known.indexOf(k) < 0 && extra.indexOf(k) < 0) extra.push(k); }); });
      var cols = [
        { label: 'Result', value: function (c) { return statusBadge(c.status || (c.passed === true ? 'pass' : c.passed === false ? 'fail' : '')); } },
        { label: 'Criterion', value: function (c) { return el('code', { text: str(c.name || c.metric) }); } },
        { label: 'Preset', value: function (c) { return str(c.preset); } },
        { label: 'Actual', num: true, value: function (c) { return fmtMetric(c.metric || c.name, c.actual); } },
        { label: 'Threshold', value: function (c) {
          var th = c.threshold;
          if (typeof th === 'number') th = (c.comparison ? str(c.comparison) + ' ' : '') + fmtMetric(c.metric || c.name, th);
          return str(th); } },
        { label: 'Note', value: function (c) { return str(c.note); } }
      ];
      extra.forEach(function (k) { cols.push({ label: k, value: function (c) { return fmtValue(c[k]); } }); });
      s.appendChild(table(cols, crit, function (c) {
        var st = str(c.status).toLowerCase();
        return st === 'fail' || (c.passed === false && st !== 'skipped') ? 'bad' : null;
      }));
    }
    var checks = arr(r.checks).filter(isObj);
    s.appendChild(el('h3', { text: 'Scripted checks' }));
    if (!checks.length) s.appendChild(el('p', { 'class': 'empty', text: 'no scripted checks ran' }));
    else s.appendChild(table([
      { label: 'Result', value: function (c) { return statusBadge(c.status); } },
      { label: 'Check', value: function (c) { return str(c.name); } },
      { label: 'Detail', value: function (c) { return str(c.detail); } }
    ], checks, function (c) { return str(c.status).toLowerCase() === 'fail' ? 'bad' : null; }));
  }

  // The timeline, made safe: points sorted by t, with numeric fields.
  function timelinePoints(r) {
    var tl = obj(r.timeline);
    var pts = arr(tl.points).filter(function (p) { return isObj(p) && num(p.t) !== null; });
    pts.sort(function (a, b) { return a.t - b.t; });
    return { interval: num(tl.intervalSeconds) > 0 ? tl.intervalSeconds : 1, points: pts };
  }

  function recordChart(id, f, points, expected, extra) {
    f.fig.setAttribute('data-points', String(points));
    f.fig.setAttribute('data-expected', String(expected));
    status.charts[id] = { points: points, expected: expected };
    if (extra) Object.keys(extra).forEach(function (k) { status.charts[id][k] = extra[k]; f.fig.setAttribute('data-' + k, String(extra[k])); });
  }

  function renderTimeline(r) {
    var s = section('Over time', 'timeline');
    var tl = timelinePoints(r), pts = tl.points;
    var windows = arr(r.chaosWindows).filter(isObj);
    if (!pts.length) {
      s.appendChild(el('p', { 'class': 'empty', id: 'no-timeline', text: 'no timeline recorded' +
        (windows.length ? ' (' + windows.length + ' fault window' + (windows.length > 1 ? 's' : '') + ' configured)' : '') }));
      document.body.setAttribute('data-timeline-points', '0');
      return;
    }
    document.body.setAttribute('data-timeline-points', String(pts.length));
    var run = obj(r.run);
    var first = pts[0], last = pts[pts.length - 1];
    var xMin = Math.max(0, first.t - tl.interval);
    var xMax = last.t;
    windows.forEach(function (w) { var e = num(w.endSeconds), st = num(w.startSeconds);
      if (e !== null && e <= (num(run.elapsedSeconds) || last.t) * 1.001) xMax = Math.max(xMax, e);
      if (st !== null && st < (num(run.elapsedSeconds) || last.t)) xMax = Math.max(xMax, st); });
    if (xMax <= xMin) xMax = xMin + tl.interval;
    var unit = xMax - xMin > 3 * 3600 ? 'h' : xMax - xMin > 1200 ? 'min' : 's';
    var grouped = groupPoints(pts, tl.interval, 1000);
    pts = grouped.points;
    var groupNote = grouped.k > 1 ? 'each point: ' + grouped.k + ' intervals of ' + fmtNum(tl.interval) + ' s' : null;
    var tstep = timeStep(xMax - xMin, 12);
    var xTicks = [];
    for (var tv = Math.ceil(xMin / tstep) * tstep; tv <= xMax + 1e-9; tv += tstep) xTicks.push({ v: tv, label: timeLabel(Math.round(tv * 1000) / 1000, unit) });
    var xTitle = unit === 'h' ? 'time since start (h:mm)' : unit === 'min' ? 'time since start (min:s)' : 'seconds since start';
    var faultLegend = windows.length ? [{ label: 'fault window', color: getFaultColor(), kind: 'fault' }] : [];
    var times = pts.map(function (p) { return p.t; });
    function prevT(i) { return pts[i]._t0 !== undefined ? pts[i]._t0 : i === 0 ? Math.max(0, pts[0].t - tl.interval) : pts[i - 1].t; }

    function hover(f, describe) {
      var g = f.layer('hover');
      pts.forEach(function (p, i) {
        var x1 = f.x(prevT(i)), x2 = f.x(p.t);
        g.appendChild(tip(svg('rect', { x: x1, y: M.t, width: Math.max(0.5, x2 - x1), height: f.ph }),
                          't = ' + (p._t0 !== undefined ? fmtNum(p._t0) + '\u2013' : '') + fmtNum(p.t) + ' s' + (arr(p.faultsOpen).length ? '  [fault: ' + arr(p.faultsOpen).map(str).join(', ') + ']' : '') + '\n' + describe(p, i)));
      });
    }

    // (a), (b): latency percentiles per interval.
    function latencyChart(id, key, title) {
      var qs = ['p50', 'p95', 'p99'];
      var series = qs.map(function (q) {
        return pts.map(function (p) { var w = obj(p[key]); return [p.t, (num(w.count) || 0) > 0 && num(w[q]) !== null ? w[q] : null]; });
      });
      var expected = 0, maxV = 0;
      series.forEach(function (sv) { sv.forEach(function (v) { if (v[1] !== null) { expected++; maxV = Math.max(maxV, v[1]); } }); });
      var y = niceMax(maxV, 5);
      var f = frame({ id: id, title: title, note: expected ? (groupNote ? groupNote + ', the highest of each' : null) : 'no ' + key + ' measured in any interval', xMin: xMin, xMax: xMax,
                      yMax: y.max, yStep: y.step, xTicks: xTicks, xTitle: xTitle, yTitle: 'milliseconds' });
      faultWindows(f, windows, xMin, xMax);
      var g = f.layer('lines');
      var drawn = 0;
      var dots = pts.length <= 40;
      series.forEach(function (sv, i) { drawn += line(f, g, sv, COLORS[qs[i]], { dots: dots }); });
      faultLabels(f);
      if (!expected) f.root.appendChild(svg('text', { 'class': 'nodata', x: M.l + f.pw / 2, y: M.t + f.ph / 2, 'text-anchor': 'middle', text: 'no ' + key + ' latencies recorded' }));
      legend(f, qs.map(function (q) { return { label: q, color: COLORS[q] }; }).concat(faultLegend));
      hover(f, function (p) { var w = obj(p[key]);
        return (num(w.count) ? fmtInt(w.count) + ' measured\np50 ' + fmtMs(w.p50) + '\np95 ' + fmtMs(w.p95) + '\np99 ' + fmtMs(w.p99) + '\nmax ' + fmtMs(w.max) : 'none measured'); });
      recordChart(id, f, drawn, expected, { grouped: grouped.k });
      s.appendChild(f.fig);
    }
    latencyChart('reply-latency', 'reply', 'Reply latency per interval (send \u2192 bot reply)');
    latencyChart('ack-latency', 'ack', 'Ack latency per interval (webhook POST \u2192 HTTP response)');

    // (c) throughput and active users.
    (function () {
      var rate = pts.map(function (p, i) { var dt = p.t - prevT(i); if (!(dt > 1e-6)) dt = tl.interval;
        return [p.t, num(p.turns) !== null ? p.turns / dt : null]; });
      var users = pts.map(function (p) { return [p.t, num(p.activeUsers)]; });
      var maxR = 0, maxU = 0, expected = 0;
      rate.forEach(function (v) { if (v[1] !== null) { expected++; maxR = Math.max(maxR, v[1]); } });
      users.forEach(function (v) { if (v[1] !== null) { expected++; maxU = Math.max(maxU, v[1]); } });
      var y = niceMax(maxR, 5), y2 = alignedMax(maxU, Math.round(y.max / y.step), true);
      var f = frame({ id: 'throughput', title: 'Throughput and active users', note: groupNote ? groupNote + ', averaged' : null, xMin: xMin, xMax: xMax, yMax: y.max, yStep: y.step,
                      y2Max: y2.max, y2Step: y2.step, xTicks: xTicks, xTitle: xTitle, yTitle: 'turns per second', y2Title: 'active users' });
      faultWindows(f, windows, xMin, xMax);
      var g = f.layer('lines');
      var dots = pts.length <= 40;
      var drawn = line(f, g, users, COLORS.users, { y2: true, dash: true, dots: dots }) + line(f, g, rate, COLORS.throughput, { dots: dots });
      faultLabels(f);
      legend(f, [{ label: 'turns/s (left axis)', color: COLORS.throughput }, { label: 'active users (right axis)', color: COLORS.users, kind: 'dash' }].concat(faultLegend));
      hover(f, function (p, i) { return fmtNum(Math.round(rate[i][1] * 100) / 100) + ' turns/s (' + fmtInt(p.turns) + ' turns)\n' +
        fmtInt(p.activeUsers) + ' active users\n' + fmtInt(p.replies) + ' replies'; });
      recordChart('throughput', f, drawn, expected, { grouped: grouped.k });
      s.appendChild(f.fig);
    })();

    // (d) errors by class, stacked bars (intervals merged into at most 600 bars).
    function barChart(id, title, classesOf, colorOf, yTitle, emptyText) {
      var classes = [];
      pts.forEach(function (p) { Object.keys(classesOf(p)).forEach(function (c) { if (classes.indexOf(c) < 0) classes.push(c); }); });
      classes.sort();
      var per = Math.max(1, Math.ceil(pts.length / 600));
      var buckets = [];
      for (var i = 0; i < pts.length; i += per) {
        var b = { t0: prevT(i), t1: pts[Math.min(pts.length, i + per) - 1].t, counts: {}, total: 0 };
        for (var j = i; j < Math.min(pts.length, i + per); j++) {
          var cs = classesOf(pts[j]);
          Object.keys(cs).forEach(function (c) { var n = num(cs[c]) || 0; if (n > 0) { b.counts[c] = (b.counts[c] || 0) + n; b.total += n; } });
        }
        buckets.push(b);
      }
      var expected = 0, maxT = 0;
      pts.forEach(function (p) { var cs = classesOf(p); if (sumOf(Object.keys(cs).map(function (k) { return cs[k]; })) > 0) expected++; });
      buckets.forEach(function (b) { maxT = Math.max(maxT, b.total); });
      var y = niceMax(maxT, 5, true);
      var f = frame({ id: id, title: title, note: per * grouped.k > 1 ? per * grouped.k + ' intervals per bar' : null, xMin: xMin, xMax: xMax, yMax: y.max, yStep: y.step,
                      xTicks: xTicks, xTitle: xTitle, yTitle: yTitle, yFmt: function (v, st) { return tickLabel(v, st); } });
      faultWindows(f, windows, xMin, xMax);
      var g = f.layer('bars');
      var drawn = 0;
      buckets.forEach(function (b) {
        if (!b.total) return;
        var x1 = f.x(b.t0), x2 = f.x(b.t1);
        var w = Math.max(1, (x2 - x1) * 0.86), x = x1 + (x2 - x1 - w) / 2;
        var acc = 0;
        classes.forEach(function (c, ci) {
          var n = b.counts[c];
          if (!n) return;
          var yTop = f.y(acc + n), yBot = f.y(acc);
          g.appendChild(tip(svg('rect', { x: x.toFixed(2), y: yTop.toFixed(2), width: w.toFixed(2), height: Math.max(0.8, yBot - yTop).toFixed(2), fill: colorOf(c, ci) }),
            fmtNum(b.t0) + '\u2013' + fmtNum(b.t1) + ' s: ' + fmtInt(n) + ' ' + c));
          acc += n;
          drawn++;
        });
      });
      faultLabels(f);
      if (!expected) f.root.appendChild(svg('text', { 'class': 'nodata', x: M.l + f.pw / 2, y: M.t + f.ph / 2, 'text-anchor': 'middle', text: emptyText }));
      legend(f, classes.map(function (c, ci) { return { label: c, color: colorOf(c, ci), kind: 'box' }; }).concat(faultLegend));
      recordChart(id, f, drawn, expected, { series: classes.length, grouped: grouped.k * per });
      s.appendChild(f.fig);
      return expected;
    }
    barChart('errors', 'Errors per interval, by class', function (p) { return obj(p.errorsByClass); }, classColor, 'errors', 'no errors in any interval');

    // (e) fallbacks, when there are any.
    var anyFallbacks = pts.some(function (p) { return (num(p.fallbacks) || 0) > 0; });
    if (anyFallbacks) {
      barChart('fallbacks', 'Fallback replies per interval', function (p) { return { fallbacks: num(p.fallbacks) || 0 }; },
               function () { return COLORS.fallbacks; }, 'fallback replies', 'no fallback replies');
    } else {
      s.appendChild(el('p', { 'class': 'muted', id: 'no-fallbacks', text: 'No fallback replies in any interval.' }));
    }
    if (windows.length) {
      s.appendChild(el('p', { 'class': 'note', text: 'Shaded: chaos fault windows (' + windows.map(function (w) {
        return str(w.pattern) + ' ' + fmtNum(num(w.startSeconds)) + '\u2013' + (num(w.endSeconds) === null ? 'end' : fmtNum(num(w.endSeconds))) + ' s';
      }).join(', ') + ').' }));
    }
  }
  function getFaultColor() { return '#e67e22'; }

  // HDR percentile plot: x = log10(1 / (1 - p)).
  function renderDistribution(r) {
    var dist = obj(obj(r.latency).distribution);
    var keys = ['reply', 'ack'].filter(function (k) { return arr(dist[k]).length; });
    var s = section('Latency distribution', 'distribution');
    if (!keys.length) {
      s.appendChild(el('p', { 'class': 'empty', id: 'no-distribution', text: 'no latency distribution recorded' }));
      return;
    }
    var series = {}, maxX = 0, maxY = 0, expected = 0;
    keys.forEach(function (k) {
      var pts = arr(dist[k]).filter(function (pt) { return Array.isArray(pt) && num(pt[0]) !== null && num(pt[1]) !== null && pt[0] >= 0 && pt[0] <= 100; })
        .sort(function (a, b) { return a[0] - b[0]; });
      var lastFinite = 0, out = [];
      pts.forEach(function (pt) {
        if (pt[0] < 100) { var x = Math.log10(1 / (1 - pt[0] / 100)); lastFinite = Math.max(lastFinite, x); out.push({ x: x, y: pt[1], p: pt[0] }); }
      });
      pts.forEach(function (pt) {
        // p = 100 (the max) sits one halving beyond the last finite tick.
        if (pt[0] >= 100) out.push({ x: lastFinite + Math.log10(2), y: pt[1], p: 100 });
      });
      out.sort(function (a, b) { return a.x - b.x; });
      out.forEach(function (o) { maxX = Math.max(maxX, o.x); maxY = Math.max(maxY, o.y); });
      expected += out.length;
      series[k] = out;
    });
    var decades = Math.max(2, Math.ceil(maxX - 1e-9));
    var xTicks = [];
    for (var d = 0; d <= decades; d++) {
      var label = d === 0 ? '0%' : (100 - Math.pow(10, 2 - d)).toFixed(Math.max(0, d - 2)) + '%';
      xTicks.push({ v: d, label: label });
    }
    var y = niceMax(maxY, 5);
    var f = frame({ id: 'latency-distribution', title: 'Latency by percentile (HDR)', note: 'x: percentile on a log scale of 1/(1\u2212p); the last point is the max',
                    xMin: 0, xMax: decades, yMax: y.max, yStep: y.step, xTicks: xTicks, xTitle: 'percentile', yTitle: 'milliseconds', height: 300 });
    var g = f.layer('lines');
    var drawn = 0;
    keys.forEach(function (k) {
      drawn += line(f, g, series[k].map(function (o) { return [o.x, o.y]; }), COLORS[k]);
      series[k].forEach(function (o) {
        g.appendChild(tip(svg('circle', { cx: f.x(o.x).toFixed(2), cy: f.y(o.y).toFixed(2), r: 2.6, fill: COLORS[k] }),
          k + ' ' + (o.p >= 100 ? 'max' : 'p' + fmtNum(Math.round(o.p * 10000) / 10000)) + ': ' + fmtMs(o.y)));
      });
    });
    legend(f, keys.map(function (k) { return { label: k, color: COLORS[k] }; }));
    recordChart('latency-distribution', f, drawn, expected);
    s.appendChild(f.fig);
  }

  function patternFailing(p) {
    var gr = num(p.gracefulRate);
    return (gr !== null && gr < 0.99) || (num(p.wrong) || 0) > 0 || (num(p.silent) || 0) > 0 || (num(p.errored) || 0) > 0;
  }
  function renderPatterns(r) {
    var pats = arr(r.patterns).filter(isObj);
    var windows = arr(r.chaosWindows).filter(isObj);
    if (!pats.length && !windows.length) return;
    var s = section('Chaos: failure patterns', 'patterns');
    if (!pats.length) { s.appendChild(el('p', { 'class': 'empty', text: 'no fault was injected' })); return; }
    function windowOf(p) {
      var ws = windows.filter(function (w) { return w.pattern === p.pattern; });
      return ws.map(function (w) { return fmtNum(num(w.startSeconds)) + '\u2013' + (num(w.endSeconds) === null ? 'end' : fmtNum(num(w.endSeconds))) + ' s' +
        (num(w.rate) !== null ? ', rate ' + fmtPct(w.rate) : ''); }).join('; ');
    }
    var cols = [
      { label: 'Pattern', value: function (p) { var w = windowOf(p);
        return el('span', null, [el('code', { text: str(p.pattern) }), w ? el('span', { 'class': 'sub', text: w }) : null]); } },
      { label: 'Injected', num: true, value: function (p) { return fmtInt(p.injected); } },
      { label: 'Graceful', num: true, value: function (p) { return fmtInt(p.graceful); } },
      { label: 'Absorbed', num: true, value: function (p) { return fmtInt(p.absorbed); } },
      { label: 'Wrong', num: true, value: function (p) { return fmtInt(p.wrong); } },
      { label: 'Silent', num: true, value: function (p) { return fmtInt(p.silent); } },
      { label: 'Errored', num: true, value: function (p) { return fmtInt(p.errored); } },
      { label: 'Graceful rate', num: true, value: function (p) { return fmtPct(p.gracefulRate); } },
      { label: 'Activation p50 / p95 / p99', num: true, value: function (p) { var a = obj(p.activation);
        return num(a.count) === 0 ? DASH : [a.p50, a.p95, a.p99].map(fmtMsShort).join(' / ') + ' ms'; } },
      { label: 'Recovery', num: true, value: function (p) { return num(p.recoverySeconds) === null ? (windowOf(p).indexOf('end') < 0 && windowOf(p) ? 'not recovered' : DASH) : fmtNum(Math.round(p.recoverySeconds * 100) / 100) + ' s'; } }
    ];
    if (pats.some(function (p) { return (num(p.untraced) || 0) > 0; })) {
      cols.push({ label: 'Untraced', num: true, value: function (p) { return fmtInt(p.untraced || 0); } });
    }
    s.appendChild(table(cols, pats, function (p) { return patternFailing(p) ? 'bad' : null; }));
    var bad = pats.filter(patternFailing).length;
    s.appendChild(el('p', { 'class': 'note', text: (bad ? bad + ' of ' + pats.length + ' patterns highlighted' : 'All patterns handled gracefully') +
      ' (highlighted: graceful rate below 99 %, or any wrong, silent or errored turn). Recovery: seconds from the end of the fault window to the first clean turn.' }));
  }

  function renderPhases(r) {
    var ph = obj(r.phases);
    var names = Object.keys(ph).filter(function (k) { return isObj(ph[k]); });
    if (!names.length) return;
    var order = ['baseline', 'fault', 'recovery'];
    names.sort(function (a, b) { var ia = order.indexOf(a), ib = order.indexOf(b); return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : 1); });
    var s = section('Phases', 'phases');
    var rows = names.map(function (n) { var o = ph[n]; return { name: n, turns: o.turns, errors: o.errors, errorRate: o.errorRate, fallbacks: o.fallbacks, ack: o.ack, reply: o.reply,
      seconds: o.seconds, throughput: o.throughput, errorsByClass: obj(o.errorsByClass) }; });
    s.appendChild(table([
      { label: 'Phase', value: function (p) { return p.name; } },
      { label: 'Seconds', num: true, value: function (p) { return num(p.seconds) === null ? DASH : fmtNum(p.seconds); } },
      { label: 'Turns', num: true, value: function (p) { return fmtInt(p.turns); } },
      { label: 'Turns/s', num: true, value: function (p) { return num(p.throughput) === null ? DASH : fmtNum(p.throughput); } },
      { label: 'Errors', num: true, value: function (p) { return fmtInt(p.errors); } },
      { label: 'Error rate', num: true, value: function (p) { return fmtPct(p.errorRate); } },
      { label: 'Error classes', value: function (p) { var k = Object.keys(p.errorsByClass).sort();
        return k.length ? k.map(function (c) { return c + ' ' + fmtInt(p.errorsByClass[c]); }).join(', ') : DASH; } },
      { label: 'Fallbacks', num: true, value: function (p) { return fmtInt(p.fallbacks); } }
    ].concat(pCols('Ack', 'ack')).concat(pCols('Reply', 'reply')), rows));
  }

  function renderErrors(r) {
    var s = section('Errors by class', 'errors-by-class');
    var e = obj(r.errorsByClass), t = obj(r.totals), samples = obj(r.errorSamples);
    var classes = Object.keys(e);
    var nonzero = classes.filter(function (c) { return (num(e[c]) || 0) > 0; }).sort(function (a, b) { return e[b] - e[a] || (a < b ? -1 : 1); });
    var zero = classes.filter(function (c) { return !((num(e[c]) || 0) > 0); }).sort();
    var totalErr = sumOf(nonzero.map(function (c) { return e[c]; }));
    if (!nonzero.length) s.appendChild(el('p', { 'class': 'empty', text: 'no errors' }));
    else s.appendChild(table([
      { label: 'Class', value: function (c) { return el('code', { text: c }); } },
      { label: 'Count', num: true, value: function (c) { return fmtInt(e[c]); } },
      { label: 'Share of turns', num: true, value: function (c) { return num(t.turns) ? fmtPct(e[c] / t.turns) : DASH; } },
      { label: 'Share of errors', num: true, value: function (c) { return totalErr ? fmtPct(e[c] / totalErr) : DASH; } },
      { label: 'What the target said', value: function (c) {
        var said = Array.isArray(samples[c]) ? samples[c] : [];
        if (!said.length) return DASH;
        var box = el('div', {});
        said.forEach(function (t) { box.appendChild(el('code', { 'class': 'said', text: str(t) })); });
        return box;
      } }
    ], nonzero));
    if (zero.length) s.appendChild(el('p', { 'class': 'note', text: 'Zero: ' + zero.join(', ') + '.' }));
  }

  // Only runs with --graph-limits carry graphLimits: how often the bot hit each of Meta's limits.
  function renderGraphLimits(r) {
    if (!isObj(r.graphLimits)) return;
    var g = r.graphLimits;
    var s = section("Meta's limits (--graph-limits)", 'graph-limits');
    s.appendChild(table([
      { label: 'Limit', value: function (row) { return row[0]; } },
      { label: 'Code', value: function (row) { return el('code', { text: row[1] }); } },
      { label: 'Hits', num: true, value: function (row) { return fmtInt(row[2]); } },
      { label: 'How the bot heard', value: function (row) { return row[3]; } }
    ], [['Pair rate', '131056', g.pairRate, 'refused: HTTP 429 error envelope'],
        ['Pair rate, just past the bucket', '131056', g.pairRateFailed, 'accepted, then a failed status webhook'],
        ['Throughput', '130429', g.throughput, 'refused: HTTP 429 error envelope'],
        ['24-hour window', '131047', g.window, 'accepted, then a failed status webhook']]));
  }

  function breakdownCols(withStep) {
    var cols = [{ label: 'Persona', value: function (b) { return str(b.persona); } }];
    if (withStep) cols.push({ label: 'Step', value: function (b) { return str(b.step); } });
    return cols.concat([
      { label: 'Turns', num: true, value: function (b) { return fmtInt(b.turns); } },
      { label: 'Errors', num: true, value: function (b) { return fmtInt(b.errors); } },
      { label: 'Error rate', num: true, value: function (b) { return fmtPct(b.errorRate); } },
      { label: 'Replies', num: true, value: function (b) { return fmtInt(obj(b.reply).count); } }
    ]).concat(pCols('Reply', 'reply', ['p50', 'p90', 'p95', 'p99', 'max']));
  }
  function renderBreakdowns(r) {
    var personas = arr(r.personas).filter(isObj), steps = arr(r.steps).filter(isObj);
    if (!personas.length && !steps.length) return;
    var s = section('Personas and steps', 'breakdowns');
    if (personas.length) {
      s.appendChild(el('h3', { text: 'Per persona' }));
      s.appendChild(table(breakdownCols(false), personas));
    }
    if (steps.length) {
      var d = el('details', { id: 'steps' });
      d.appendChild(el('summary', { text: 'Per step (' + steps.length + ' rows)' }));
      d.appendChild(table(breakdownCols(true), steps));
      s.appendChild(d);
    }
  }

  function renderDetails(r) {
    var s = section('Run details', 'details');
    var parts = [
      ['Delivery (Meta at-least-once behaviour)', r.delivery],
      ['Reply correlation', r.replies],
      ['Open-model arrivals', r.arrivals],
      ['WhatsApp business identity', obj(r.run).business]
    ];
    parts.forEach(function (p) {
      if (!isObj(p[1])) return;
      var d = el('details');
      d.appendChild(el('summary', { text: p[0] }));
      var o = p[1];
      if (p[0] === 'Open-model arrivals' && isObj(o.lag)) {
        o = JSON.parse(JSON.stringify(o));
        ['p50', 'p90', 'p95', 'p99', 'max', 'mean'].forEach(function (q) { if (num(o.lag[q]) !== null) o.lag[q] = fmtMs(o.lag[q]); });
      }
      d.appendChild(kvTable(o));
      s.appendChild(d);
    });
    s.appendChild(el('p', { 'class': 'note', text: 'Report schema version ' + fmtValue(r.schemaVersion) + '. The full data, histograms included, is in report.json next to this page.' }));
  }

  // ---------- main ----------
  function guarded(name, fn, arg) {
    try { fn(arg); }
    catch (e) {
      status.failures.push(name + ': ' + (e && e.message ? e.message : String(e)));
      console.error('loadgen report: rendering "' + name + '" failed: ' + (e && e.stack ? e.stack : String(e)));
      app.appendChild(el('p', { 'class': 'errorbox', text: 'Could not render ' + name + ': ' + (e && e.message ? e.message : String(e)) }));
    }
  }
  function finish() {
    var charts = Object.keys(status.charts);
    status.rendered = status.failures.length ? 'error' : 'ok';
    document.body.setAttribute('data-charts', String(charts.length));
    document.body.setAttribute('data-rendered', status.rendered);
    document.getElementById('render-status').textContent = JSON.stringify(status);
  }
  try {
    report = loadReport();
  } catch (e) {
    status.failures.push('data: ' + e.message);
    console.error('loadgen report: cannot read the report data: ' + e.message);
    app.appendChild(el('p', { 'class': 'errorbox', text: 'Cannot read the report data: ' + e.message }));
    finish();
    return;
  }
  guarded('header', renderHeader, report);
  guarded('key numbers', renderKeyNumbers, report);
  guarded('criteria', renderCriteria, report);
  guarded('timeline charts', renderTimeline, report);
  guarded('latency distribution', renderDistribution, report);
  guarded('failure patterns', renderPatterns, report);
  guarded('phases', renderPhases, report);
  guarded('errors by class', renderErrors, report);
  guarded("Meta's limits", renderGraphLimits, report);
  guarded('personas and steps', renderBreakdowns, report);
  guarded('run details', renderDetails, report);
  app.appendChild(el('footer', { text: 'loadgen ' + str(obj(report.run).loadgenVersion) + ' \u00b7 single-file report, no network access needed \u00b7 hover a chart for details' }));
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.setAttribute('open', ''); });
  });
  finish();
})();
