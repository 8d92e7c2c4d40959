/* Analysts' dashboard: small inline SVG charts from the analytics API, no chart library.
   An empty report shows "no data"; a report that fails (a busy or unreachable cluster
   answers 503) is asked again twice, then shows "could not be loaded" (data-state="error"),
   so an outage is never mistaken for a month without searches.
   Its words come from the page (data-no-data, data-failed, data-max-label: the gettext
   catalogues).
   Versioned file name: bump -vN when changing it. */
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var LABEL_KEYS = ['label', 'query', 'week', 'district', 'need', 'q', 'term', 'date', 'day', 'name', 'code', 'key'];
  var VALUE_KEYS = ['searches', 'count', 'value', 'total', 'n', 'doc_count'];

  function pick(obj, keys) {
    for (var i = 0; i < keys.length; i++) if (obj[keys[i]] !== undefined && obj[keys[i]] !== null) return obj[keys[i]];
    return undefined;
  }

  /* Accept [{label, count}], {items|results|data|buckets|series: [...]} or {label: count}. */
  function rows(data) {
    if (data && !Array.isArray(data)) {
      var inner = pick(data, ['rows', 'items', 'results', 'data', 'buckets', 'series']);
      if (Array.isArray(inner)) data = inner;
      else if (typeof data === 'object') {
        data = Object.keys(data).filter(function (k) { return typeof data[k] === 'number'; })
          .map(function (k) { return { label: k, count: data[k] }; });
      }
    }
    if (!Array.isArray(data)) return [];
    return data.map(function (row) {
      if (Array.isArray(row)) return { label: String(row[0]), value: Number(row[1]) };
      return { label: String(pick(row, LABEL_KEYS)), value: Number(pick(row, VALUE_KEYS)) };
    }).filter(function (row) { return row.label !== 'undefined' && isFinite(row.value); });
  }

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function bars(data, title) {
    data = data.slice(0, 10);
    var rowH = 22, labelW = 150, width = 420, max = Math.max.apply(null, data.map(function (d) { return d.value; })) || 1;
    var svg = el('svg', { viewBox: '0 0 ' + width + ' ' + (data.length * rowH + 4), role: 'img', 'aria-label': title });
    data.forEach(function (d, i) {
      var y = i * rowH + 2, w = Math.max(1, (width - labelW - 50) * d.value / max);
      svg.appendChild(el('text', { x: labelW - 6, y: y + 15, 'text-anchor': 'end', 'font-size': 12, fill: '#1b1f24' },
        d.label.length > 22 ? d.label.slice(0, 21) + '…' : d.label));
      svg.appendChild(el('rect', { x: labelW, y: y + 3, width: w, height: rowH - 6, fill: '#0b5cad' }));
      svg.appendChild(el('text', { x: labelW + w + 4, y: y + 15, 'font-size': 12, fill: '#1b1f24' }, String(d.value)));
    });
    return svg;
  }

  function line(data, title, maxLabel) {
    var width = 420, height = 160, pad = 28;
    var max = Math.max.apply(null, data.map(function (d) { return d.value; })) || 1;
    var step = data.length > 1 ? (width - 2 * pad) / (data.length - 1) : 0;
    var points = data.map(function (d, i) {
      return (pad + i * step).toFixed(1) + ',' + (height - pad - (height - 2 * pad) * d.value / max).toFixed(1);
    });
    var svg = el('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': title });
    svg.appendChild(el('line', { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, stroke: '#4a525c' }));
    svg.appendChild(el('polyline', { points: points.join(' '), fill: 'none', stroke: '#0b5cad', 'stroke-width': 2 }));
    svg.appendChild(el('text', { x: pad, y: 14, 'font-size': 12, fill: '#1b1f24' }, maxLabel + ' ' + max));
    svg.appendChild(el('text', { x: pad, y: height - 8, 'font-size': 11, fill: '#1b1f24' }, data[0].label));
    svg.appendChild(el('text', { x: width - pad, y: height - 8, 'font-size': 11, 'text-anchor': 'end', fill: '#1b1f24' },
      data[data.length - 1].label));
    return svg;
  }

  function table(data) {
    /* The numbers behind the chart, for screen readers and copying. */
    var details = document.createElement('details');
    var summary = document.createElement('summary');
    summary.textContent = '#';
    details.appendChild(summary);
    var tbl = document.createElement('table');
    data.forEach(function (d) {
      var tr = document.createElement('tr');
      var th = document.createElement('th'); th.scope = 'row'; th.textContent = d.label;
      var td = document.createElement('td'); td.textContent = String(d.value);
      tr.appendChild(th); tr.appendChild(td); tbl.appendChild(tr);
    });
    details.appendChild(tbl);
    return details;
  }

  function show(panel, node, state) {
    var chart = panel.querySelector('.chart');
    chart.textContent = '';
    chart.appendChild(node);
    panel.setAttribute('data-state', state);
  }

  function say(panel, text, state) {
    var p = document.createElement('p');
    p.className = 'nodata';
    p.textContent = text;
    show(panel, p, state);
  }

  /* Waits before asking again: Retry-After (seconds) where the server sent one, capped. */
  var RETRY_MS = [1000, 3000];

  function Failure(status, retryAfter) {
    this.status = status;
    this.retryAfter = retryAfter;
  }

  function load(url, attempt) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Failure(r.status, Number(r.headers.get('Retry-After')) || 0);
        return r.json();
      }, function () { throw new Failure(0, 0); })  /* network error: the server is away */
      .catch(function (failure) {
        var status = failure instanceof Failure ? failure.status : -1;
        /* 4xx (signed out, no permission, a bad parameter) will not mend by asking again. */
        var transient = status === 0 || status === 429 || status >= 500;
        if (!transient || attempt >= RETRY_MS.length) throw failure;
        var wait = Math.min(Math.max(RETRY_MS[attempt], failure.retryAfter * 1000), 10000);
        return new Promise(function (resolve) { setTimeout(resolve, wait); })
          .then(function () { return load(url, attempt + 1); });
      });
  }

  var panels = document.querySelectorAll('.panel[data-url]');
  Array.prototype.forEach.call(panels, function (panel) {
    var title = panel.querySelector('h2').textContent;
    load(panel.getAttribute('data-url'), 0)
      .then(function (data) {
        var list = rows(data);
        if (!list.length) return say(panel, panel.getAttribute('data-no-data'), 'empty');
        var wrap = document.createElement('div');
        wrap.appendChild(panel.getAttribute('data-kind') === 'line'
          ? line(list, title, panel.getAttribute('data-max-label') || '') : bars(list, title));
        wrap.appendChild(table(list));
        show(panel, wrap, 'drawn');
      }, function () { say(panel, panel.getAttribute('data-failed'), 'error'); });
  });
})();
