// The status page of model-feedback: polls this endpoint's JSON (GET with Accept: application/json,
// and ?history for the chart) every few seconds and draws each model. Every value from the server
// is inserted as text (textContent, setAttribute), never as HTML.
'use strict';

(() => {
  const REFRESH_MS = 5000;
  const RECENT_DRIFT_MS = 15 * 60 * 1000;
  const METRICS = [['accuracy', 'Accuracy'], ['precision', 'Precision'], ['recall', 'Recall'], ['f1', 'F1']];
  const WINDOW_LABELS = { lifetime: 'Lifetime' };

  const endpoint = location.pathname;
  const list = document.getElementById('models');
  const updated = document.getElementById('updated');
  const banner = document.getElementById('connection');
  const cards = new Map();
  let lastSuccess = null;

  /** An element with attributes and children; strings become text nodes. */
  function el(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') element.className = value;
      else element.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) element.append(child);
    }
    return element;
  }

  const fixed3 = (x) => (x === null || x === undefined) ? 'n/a' : x.toFixed(3);
  const share = (n, total) => total === 0 ? '' : (100 * n / total).toFixed(1) + '%';
  const clock = (date) => date.toLocaleTimeString([], { hour12: false });
  const total = (c) => c.true_positives + c.true_negatives + c.false_positives + c.false_negatives;
  const windowLabel = (name) => WINDOW_LABELS[name] || 'Last ' + name;

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.json();
  }

  async function refresh() {
    try {
      const [status, history] = await Promise.all([getJson(endpoint), getJson(endpoint + '?history')]);
      render(status.models, history.models);
      lastSuccess = new Date();
      banner.hidden = true;
      document.body.classList.remove('stale');
      updated.textContent = 'Updated ' + clock(lastSuccess) + '; refreshing every ' + REFRESH_MS / 1000 + ' s';
    } catch (error) {
      banner.textContent = 'Could not reach the server (' + error.message + ') at ' + clock(new Date())
        + (lastSuccess ? '; showing what it said at ' + clock(lastSuccess) : '')
        + '. Trying again every ' + REFRESH_MS / 1000 + ' s.';
      banner.hidden = false;
      document.body.classList.add('stale');
    } finally {
      setTimeout(refresh, REFRESH_MS);
    }
  }

  function render(models, histories) {
    const seen = new Set();
    for (const model of models) {
      const key = model.model + '@' + model.model_version;
      seen.add(key);
      let card = cards.get(key);
      if (!card) {
        card = createCard(model);
        cards.set(key, card);
        list.append(card.root);
      }
      const history = histories.find((h) => h.model === model.model && h.model_version === model.model_version);
      fill(card, model, history);
    }
    for (const [key, card] of cards) {
      if (!seen.has(key)) {
        if (card.plot) card.plot.destroy();
        if (card.resize) card.resize.disconnect();
        card.root.remove();
        cards.delete(key);
      }
    }
    if (models.length === 0 && !list.querySelector('.empty')) {
      list.append(el('p', { class: 'empty muted' }, 'This server serves no models yet.'));
    }
  }

  function createCard(model) {
    const health = el('span', { class: 'health' });
    const body = el('div');
    const chart = el('div', { class: 'chart' });
    const root = el('section', { class: 'model', 'data-model': model.model, 'data-version': model.model_version },
      el('header', {}, el('h2', {}, model.model), el('span', { class: 'version' }, model.model_version), health),
      body, chart);
    return { root, health, body, chart, plot: null, resize: null, xRange: null };
  }

  function fill(card, model, history) {
    const verdict = health(model);
    card.root.className = 'model ' + verdict.level;
    card.health.className = 'health ' + verdict.level;
    card.health.textContent = verdict.text;
    card.body.replaceChildren(
      metricsTable(model),
      el('div', { class: 'grid' }, confusionTable(model.counts), driftList(model.drift), joins(model)));
    drawChart(card, model, history);
  }

  /** The model's state in a word: no feedback, below its baseline, drifting, warned, or healthy. */
  function health(model) {
    if (total(model.counts) === 0) return { level: 'idle', text: 'No feedback yet' };
    const below = new Set();
    for (const window of Object.values(model.windows)) {
      for (const [metric, isBelow] of Object.entries(window.below_baseline || {})) {
        if (isBelow) below.add(metric);
      }
    }
    if (below.size > 0) return { level: 'alarm', text: 'Below baseline: ' + [...below].join(', ') };
    const detectors = Object.entries(model.drift);
    const drifting = detectors.filter(([, d]) => d.state === 'DRIFT'
      || (d.last_drift_at && Date.now() - Date.parse(d.last_drift_at) < RECENT_DRIFT_MS));
    if (drifting.length > 0) return { level: 'alarm', text: 'Drift detected by ' + drifting.map(([n]) => n).join(', ') };
    const warned = detectors.filter(([, d]) => d.state === 'WARNING');
    if (warned.length > 0) return { level: 'warning', text: 'Drift warning from ' + warned.map(([n]) => n).join(', ') };
    return { level: 'ok', text: 'Healthy' };
  }

  function metricsTable(model) {
    const windows = Object.entries(model.windows);
    const hasBaseline = model.baseline !== undefined;
    const head = el('tr', {}, el('th', { scope: 'col' }, 'Metric'),
      windows.map(([name, w]) => el('th', { scope: 'col', 'data-window': name }, windowLabel(name),
        el('small', {}, 'n = ' + total(w.counts).toLocaleString('en-US')))),
      hasBaseline ? el('th', { scope: 'col' }, 'Baseline') : null);
    const rows = METRICS.map(([key, label]) => el('tr', { 'data-metric': key },
      el('th', { scope: 'row' }, label),
      windows.map(([name, w]) => metricCell(name, key, w)),
      hasBaseline ? el('td', { 'data-baseline': key }, key in model.baseline ? fixed3(model.baseline[key]) : '–') : null));
    return el('div', { class: 'scroll' },
      el('table', { class: 'metrics' }, el('thead', {}, head), el('tbody', {}, rows)));
  }

  function metricCell(windowName, metric, window) {
    const interval = window.intervals[metric];
    const below = window.below_baseline && window.below_baseline[metric] === true;
    return el('td', { 'data-window': windowName, class: below ? 'below' : null },
      el('span', { class: 'value' }, fixed3(window.metrics[metric])),
      interval ? el('span', { class: 'interval' }, fixed3(interval[0]) + ' – ' + fixed3(interval[1])) : null,
      below ? el('span', { class: 'below-mark' }, 'below baseline') : null);
  }

  function confusionTable(counts) {
    const n = total(counts);
    const cell = (name, right) => el('td', { 'data-cell': name, class: right ? 'right' : 'wrong' },
      el('span', { class: 'count' }, counts[name].toLocaleString('en-US')), el('span', { class: 'share' }, share(counts[name], n)));
    return el('div', {}, el('h3', {}, 'Confusion matrix (lifetime)'),
      el('div', { class: 'scroll' }, el('table', { class: 'confusion' },
        el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', { scope: 'col' }, 'Predicted 1'), el('th', { scope: 'col' }, 'Predicted 0'))),
        el('tbody', {},
          el('tr', {}, el('th', { scope: 'row' }, 'Actual 1'), cell('true_positives', true), cell('false_negatives', false)),
          el('tr', {}, el('th', { scope: 'row' }, 'Actual 0'), cell('false_positives', false), cell('true_negatives', true))))));
  }

  function driftList(drift) {
    const detectors = Object.entries(drift);
    if (detectors.length === 0) return el('div', {}, el('h3', {}, 'Drift detectors'), el('p', { class: 'muted' }, 'None configured.'));
    return el('div', {}, el('h3', {}, 'Drift detectors'), el('ul', { class: 'plain' }, detectors.map(([name, d]) =>
      el('li', { 'data-detector': name },
        el('span', { class: 'state ' + d.state.toLowerCase() }, d.state.toLowerCase()), ' ',
        el('span', { class: 'detector' }, name), ' ',
        d.last_drift_at
          ? el('span', { class: 'muted' }, 'last drift ' + clock(new Date(d.last_drift_at)) + ' (feedback '
            + d.last_drift_feedback.toLocaleString('en-US') + '); ' + d.detected + ' in all')
          : el('span', { class: 'muted' }, 'no drift detected')))));
  }

  /** Pending predictions and unmatched feedback, where predictions are joined to actuals by id. */
  function joins(model) {
    const unmatched = model.unmatched || { unknown: 0, expired: 0, evicted: 0 };
    const inUse = (model.pending || 0) + unmatched.unknown + unmatched.expired + unmatched.evicted > 0;
    if (!inUse) return null;
    return el('div', { 'data-joins': '' }, el('h3', {}, 'Delayed labels'), el('ul', { class: 'plain' },
      el('li', {}, 'Pending predictions: ', el('strong', { 'data-pending': '' }, model.pending.toLocaleString('en-US'))),
      ['unknown', 'expired', 'evicted'].map((reason) => el('li', { 'data-unmatched': reason },
        'Unmatched, ' + reason + ': ', el('strong', {}, unmatched[reason].toLocaleString('en-US'))))));
  }

  /** Accuracy per bucket of the longest window, its 95% interval as a band, the baseline as a line. */
  function drawChart(card, model, history) {
    if (!history || !history.window || history.buckets.length === 0 || typeof uPlot === 'undefined') {
      if (card.plot) card.plot.destroy();
      card.plot = null;
      card.chart.replaceChildren(el('p', { class: 'note muted' }, 'No time window to chart.'));
      return;
    }
    const buckets = history.buckets;
    const baseline = model.baseline && model.baseline.accuracy !== undefined ? model.baseline.accuracy : null;
    // The x axis spans the whole window, ending at the newest bucket; a first point at the window's
    // start, with no accuracy, carries the baseline across the whole width.
    const end = Date.parse(buckets[buckets.length - 1].end) / 1000;
    const start = end - history.window_seconds;
    const first = Date.parse(buckets[0].end) / 1000 > start ? [start] : [];
    const data = [
      first.concat(buckets.map((b) => Date.parse(b.end) / 1000)),
      first.map(() => null).concat(buckets.map((b) => b.accuracy)),
      first.map(() => null).concat(buckets.map((b) => b.interval ? b.interval[0] : null)),
      first.map(() => null).concat(buckets.map((b) => b.interval ? b.interval[1] : null)),
      first.map(() => baseline).concat(buckets.map(() => baseline)),
    ];
    card.xRange = [start, end];
    if (card.plot) {
      card.plot.setData(data);
      return;
    }
    const title = 'Accuracy per ' + Math.round(history.bucket_seconds / 60 * 10) / 10 + '-minute bucket, last '
      + history.window + ' (band: 95% interval' + (baseline === null ? '' : '; dashed: baseline') + ')';
    card.chart.replaceChildren();
    card.plot = new uPlot({
      title,
      width: Math.max(280, card.chart.clientWidth),
      height: 240,
      scales: { x: { time: true, range: () => card.xRange }, y: { range: (u, min, max) => [Math.max(0, Math.floor((min ?? 0) * 10 - 0.5) / 10), Math.min(1, Math.ceil((max ?? 1) * 10 + 0.5) / 10)] } },
      series: [
        {},
        { label: 'Accuracy', stroke: '#0969da', width: 2, points: { show: true, size: 5 }, value: (u, v) => fixed3(v) },
        { label: '95% low', stroke: 'rgba(9,105,218,0.35)', width: 1, points: { show: false }, value: (u, v) => fixed3(v) },
        { label: '95% high', stroke: 'rgba(9,105,218,0.35)', width: 1, points: { show: false }, value: (u, v) => fixed3(v) },
        { label: 'Baseline', stroke: '#cf222e', width: 1.5, dash: [6, 4], points: { show: false }, show: baseline !== null,
          value: (u, v) => fixed3(v) },
      ],
      bands: [{ series: [3, 2], fill: 'rgba(9,105,218,0.12)' }],
      axes: [{}, { values: (u, values) => values.map((v) => v.toFixed(2)) }],
    }, data, card.chart);
    card.resize = new ResizeObserver(() => {
      const width = Math.max(280, card.chart.clientWidth);
      if (card.plot && Math.abs(card.plot.width - width) > 2) card.plot.setSize({ width, height: 240 });
    });
    card.resize.observe(card.chart);
  }

  refresh();
})();
