// The status page of model-feedback: polls this endpoint's JSON (GET with Accept: application/json,
// and ?history for the chart) every few seconds and draws each model version. Every value from the
// server is inserted as text (textContent, setAttribute), never as HTML. The page judges nothing
// itself: the verdict, its reasons and their order are the server's. A model with declared classes
// (its JSON has "classes") shows its averaged metrics, its K×K confusion matrix and a table per class
// instead of a binary model's four metrics and 2×2 matrix. A model with scored feedback (its lifetime
// "scores" has n > 0) also shows the score metrics of each window and a reliability diagram.
'use strict';

(() => {
  const REFRESH_MS = 5000;
  const METRICS = [['accuracy', 'Accuracy'], ['precision', 'Precision'], ['recall', 'Recall'], ['f1', 'F1']];
  /** The averaged metrics of a model with declared classes, in the server's names. */
  const CLASS_METRICS = [['accuracy', 'Accuracy'], ['balanced_accuracy', 'Balanced accuracy'],
    ['macro_precision', 'Macro precision'], ['macro_recall', 'Macro recall'], ['macro_f1', 'Macro F1'],
    ['weighted_f1', 'Weighted F1'], ['cohen_kappa', 'Cohen\u2019s kappa'], ['mcc', 'MCC']];
  /** From this many classes the matrix's column labels run upwards; from COMPACT_CLASSES on its cells are small. */
  const VERTICAL_CLASSES = 5;
  const COMPACT_CLASSES = 11;
  /** The shades of the matrix's cells at a row share of 1: right (the diagonal) and wrong. */
  const RIGHT_RGB = [26, 127, 55];
  const WRONG_RGB = [207, 34, 46];
  const WINDOW_LABELS = { lifetime: 'Lifetime' };
  /** The metrics of scored feedback in each window's "scores": [key, label, the key of its interval]. */
  const SCORE_METRICS = [['roc_auc', 'ROC AUC', 'roc_auc_interval'], ['average_precision', 'Average precision'],
    ['log_loss', 'Log loss'], ['brier', 'Brier score'], ['ece', 'Calibration error (ECE)']];
  /** For a model with declared classes, the ranking metrics are macro averages over its classes. */
  const CLASS_SCORE_LABELS = { roc_auc: 'Macro ROC AUC', average_precision: 'Macro average precision' };

  // The server's verdict states: the level (the card's colour) and the words in its header. The
  // state is the first reason's, and the reasons come in the server's order, which the page keeps:
  //   1. below_baseline: a window's metric significantly below its baseline, for each window in the
  //      configured order, then each metric (accuracy, precision, recall);
  //   2. drift_detected: a detector in drift, or one that signalled a drift within the longest
  //      window, each detector in order (its own state may be back to STABLE);
  //   3. drift_warning: a detector in its warning zone, each detector in order.
  // Without a reason the state is healthy, or no_feedback if none arrived within the longest window.
  const STATES = {
    healthy: { level: 'ok', text: 'Healthy' },
    no_feedback: { level: 'idle', text: 'No feedback yet' },
    below_baseline: { level: 'alarm', text: 'Below baseline' },
    drift_detected: { level: 'alarm', text: 'Drift detected' },
    drift_warning: { level: 'warning', text: 'Drift warning' },
  };

  const endpoint = location.pathname;
  const list = document.getElementById('models');
  const updated = document.getElementById('updated');
  const banner = document.getElementById('connection');
  const cards = new Map();
  const groups = new Map();
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

  const isNumber = (x) => typeof x === 'number' && Number.isFinite(x);
  const fixed3 = (x) => isNumber(x) ? x.toFixed(3) : 'n/a';
  const count = (n) => isNumber(n) ? n.toLocaleString('en-US') : 'n/a';
  const share = (n, total) => total === 0 ? '' : (100 * n / total).toFixed(1) + '%';
  const total = (c) => c.true_positives + c.true_negatives + c.false_positives + c.false_negatives;
  const sum = (values) => values.reduce((a, b) => a + (isNumber(b) ? b : 0), 0);
  const hasClasses = (model) => Array.isArray(model.classes);
  /** The feedback counted in a window: its 2×2 counts, or its K×K matrix. */
  const windowTotal = (w) => w.counts ? total(w.counts) : sum((w.confusion || []).map(sum));
  /** An own property of an object from JSON (a class's label may be any string, "__proto__" too). */
  const own = (object, key) => object && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
  const windowLabel = (name) => WINDOW_LABELS[name] || 'Last ' + name;
  /** The lifetime's scored feedback, if the model has any: what decides whether scores are shown. */
  const lifetimeScores = (model) => {
    const scores = model.windows && model.windows.lifetime && model.windows.lifetime.scores;
    return scores && isNumber(scores.n) && scores.n > 0 ? scores : null;
  };
  const span = (window) => window === 'lifetime' ? 'lifetime' : 'last ' + window;
  const pad = (n) => String(n).padStart(2, '0');

  /** 24-hour local time, HH:mm:ss, the same everywhere on the page (never am/pm). */
  const clock = (date) => pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds());
  const day = (date) => date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate());

  /** A server instant as the local clock time, with its date if it is not on the same day as now. */
  function when(iso, now) {
    const date = new Date(iso);
    return day(date) === day(new Date(now)) ? clock(date) : day(date) + ' ' + clock(date);
  }

  /** How long before now an instant was, in whole units: 20 s ago, 4 min ago, 3 h ago, 2 d ago. */
  function ago(iso, now) {
    const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
    if (seconds < 60) return seconds + ' s ago';
    if (seconds < 3600) return Math.floor(seconds / 60) + ' min ago';
    if (seconds < 48 * 3600) return Math.floor(seconds / 3600) + ' h ago';
    return Math.floor(seconds / 86400) + ' d ago';
  }

  /** A duration in the unit that suits it, one decimal at most: 0.4 s, 42 s, 3.5 min, 2.1 h, 1.5 d. */
  function duration(seconds) {
    if (!isNumber(seconds)) return 'n/a';
    const one = (x) => String(Math.round(x * 10) / 10);
    if (seconds < 9.95) return one(seconds) + ' s';
    if (seconds < 59.5) return Math.round(seconds) + ' s';
    if (seconds < 3570) return one(seconds / 60) + ' min';
    if (seconds < 86100) return one(seconds / 3600) + ' h';
    return one(seconds / 86400) + ' d';
  }

  /**
   * The server's time when it answered: the end of its windows (they end now). Times are shown
   * relative to it, so that "20 s ago" holds whatever the browser's clock says.
   */
  function serverNow(model) {
    const ends = Object.values(model.windows || {}).map((w) => Date.parse(w.end)).filter(Number.isFinite);
    return ends.length > 0 ? Math.max(...ends) : Date.now();
  }

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

  /**
   * One card per model version, in the server's order (by name, then versions as declared); the
   * versions of one name share a group, side by side where the screen is wide enough.
   */
  function render(models, histories) {
    const wanted = new Map();
    for (const model of models) {
      const key = model.model + '@' + model.model_version;
      let card = cards.get(key);
      if (!card) {
        card = createCard(model);
        cards.set(key, card);
      }
      if (!wanted.has(model.model)) wanted.set(model.model, []);
      wanted.get(model.model).push({ key, card });
      const history = histories.find((h) => h.model === model.model && h.model_version === model.model_version);
      fill(card, model, history);
    }
    const keep = new Set([...wanted.values()].flat().map((entry) => entry.key));
    for (const [key, card] of cards) {
      if (!keep.has(key)) {
        if (card.plot) card.plot.destroy();
        if (card.resize) card.resize.disconnect();
        clearReliability(card);
        card.root.remove();
        cards.delete(key);
      }
    }
    for (const [name, group] of groups) {
      if (!wanted.has(name)) {
        group.remove();
        groups.delete(name);
      }
    }
    let position = 0;
    for (const [name, entries] of wanted) {
      let group = groups.get(name);
      if (!group) {
        group = el('div', { class: 'model-group', 'data-model-group': name });
        groups.set(name, group);
      }
      placeAt(list, group, position++);
      entries.forEach((entry, i) => placeAt(group, entry.card.root, i));
      group.classList.toggle('versions', entries.length > 1);
    }
    // The list's own notice, not an element of a card that happens to have the class.
    const empty = list.querySelector(':scope > .empty');
    if (models.length === 0 && !empty) {
      list.append(el('p', { class: 'empty muted' }, 'This server serves no models yet.'));
    } else if (models.length > 0 && empty) {
      empty.remove();
    }
  }

  /** Moves a node to a position among its parent's children, only if it is not there already. */
  function placeAt(parent, node, index) {
    if (parent.children[index] !== node) parent.insertBefore(node, parent.children[index] || null);
  }

  function createCard(model) {
    const health = el('span', { class: 'health' });
    const reasons = el('ul', { class: 'reasons' });
    const body = el('div');
    const chart = el('div', { class: 'chart' });
    const reliability = el('div', { class: 'reliability-box', 'data-reliability': '', hidden: true });
    const root = el('section', { class: 'model', 'data-model': model.model, 'data-version': model.model_version },
      el('header', {},
        el('h2', {}, model.model),
        el('span', { class: 'version', title: 'model version' }, model.model_version),
        health, reasons),
      body, chart, reliability);
    return { root, health, reasons, body, chart, plot: null, plotKey: null, resize: null, xRange: null,
      reliability, reliabilityPlot: null, reliabilityResize: null, reliabilityKey: null };
  }

  function fill(card, model, history) {
    const now = serverNow(model);
    const verdict = model.verdict || { state: 'no_feedback', reasons: [] };
    const reasons = verdict.reasons || [];
    const state = STATES[verdict.state] || { level: 'idle', text: String(verdict.state) };
    card.root.className = 'model ' + state.level;
    card.root.setAttribute('data-state', verdict.state);
    card.health.className = 'health ' + state.level;
    card.health.textContent = state.text;
    card.reasons.replaceChildren(...reasons.map((reason) => reasonItem(reason, now)));
    if (hasClasses(model)) {
      card.body.replaceChildren(
        metricsTable(model),
        classesSection(model),
        el('div', { class: 'grid' }, driftList(model.drift, reasons, now), joins(model, now)));
    } else {
      card.body.replaceChildren(
        metricsTable(model),
        el('div', { class: 'grid' }, confusionTable(model.counts), driftList(model.drift, reasons, now), joins(model, now)));
    }
    drawChart(card, model, history);
    drawReliability(card, model);
  }

  /** One reason of the verdict: a short line built from its fields, the server's message as its tooltip. */
  function reasonItem(reason, now) {
    const level = (STATES[reason.kind] || { level: 'idle' }).level;
    const attributes = { class: level, 'data-kind': reason.kind, title: reason.message };
    let text;
    if (reason.kind === 'below_baseline') {
      Object.assign(attributes, { 'data-window': reason.window, 'data-metric': reason.metric });
      const interval = reason.interval || [];
      text = reason.metric + ', ' + span(reason.window) + ': ' + fixed3(reason.value) + ' (95% interval '
        + fixed3(interval[0]) + ' to ' + fixed3(interval[1]) + '), under the baseline ' + fixed3(reason.baseline);
    } else if (reason.kind === 'drift_detected') {
      text = reason.detector + ' detected a drift at ' + when(reason.at, now) + ' (' + ago(reason.at, now)
        + '), at feedback ' + count(reason.feedback);
    } else if (reason.kind === 'drift_warning') {
      text = reason.detector + ' is in its warning zone: the error rate may be rising';
    } else {
      text = reason.message || reason.kind;
    }
    return el('li', attributes, text);
  }

  function metricsTable(model) {
    const windows = Object.entries(model.windows);
    const hasBaseline = model.baseline !== undefined;
    const head = el('tr', {}, el('th', { scope: 'col' }, 'Metric'),
      windows.map(([name, w]) => el('th', { scope: 'col', 'data-window': name }, windowLabel(name),
        el('small', {}, 'n = ' + count(windowTotal(w))))),
      hasBaseline ? el('th', { scope: 'col' }, 'Baseline') : null);
    const rows = (hasClasses(model) ? CLASS_METRICS : METRICS).map(([key, label]) => el('tr', { 'data-metric': key },
      el('th', { scope: 'row' }, label),
      windows.map(([name, w]) => metricCell(name, key, w)),
      hasBaseline ? baselineCell(model, key) : null));
    return el('div', { class: 'scroll' },
      el('table', { class: 'metrics' }, el('thead', {}, head), el('tbody', {}, rows),
        lifetimeScores(model) ? scoreRows(model, windows, hasBaseline) : null));
  }

  const baselineCell = (model, key) => el('td', { 'data-baseline': key },
    key in model.baseline ? fixed3(model.baseline[key]) : '–');

  /**
   * The score metrics of each window, under the matrix's: ROC AUC with its 95% interval (DeLong's;
   * for a model with classes, the mean of the classes' bounds), average precision, log loss, Brier
   * score, expected calibration error and how many items carried scores; n/a where undefined, as in
   * a window without scored feedback.
   */
  function scoreRows(model, windows, hasBaseline) {
    const classes = hasClasses(model);
    const rows = SCORE_METRICS.map(([key, label, intervalKey]) => el('tr', { 'data-metric': key },
      el('th', { scope: 'row' }, (classes && CLASS_SCORE_LABELS[key]) || label),
      windows.map(([name, w]) => scoreCell(name, own(w.scores, key), intervalKey ? own(w.scores, intervalKey) : null)),
      hasBaseline ? baselineCell(model, key) : null));
    rows.push(el('tr', { 'data-metric': 'scored' }, el('th', { scope: 'row' }, 'Scored feedback'),
      windows.map(([name, w]) => el('td', { 'data-window': name }, el('span', { class: 'value' }, count(own(w.scores, 'n'))))),
      hasBaseline ? el('td', {}, '–') : null));
    return el('tbody', { class: 'scores' },
      el('tr', { class: 'section' },
        el('th', { scope: 'rowgroup', colspan: 1 + windows.length + (hasBaseline ? 1 : 0) }, 'Scores')),
      rows);
  }

  function scoreCell(windowName, value, interval) {
    return el('td', { 'data-window': windowName },
      el('span', { class: 'value' }, fixed3(value)),
      Array.isArray(interval) ? el('span', { class: 'interval' }, fixed3(interval[0]) + ' – ' + fixed3(interval[1])) : null);
  }

  function metricCell(windowName, metric, window) {
    const interval = own(window.intervals, metric);
    const below = window.below_baseline && window.below_baseline[metric] === true;
    return el('td', { 'data-window': windowName, class: below ? 'below' : null },
      el('span', { class: 'value' }, fixed3(window.metrics[metric])),
      interval ? el('span', { class: 'interval' }, fixed3(interval[0]) + ' – ' + fixed3(interval[1])) : null,
      below ? el('span', { class: 'below-mark' }, 'below baseline') : null);
  }

  function confusionTable(counts) {
    const n = total(counts);
    const cell = (name, right) => el('td', { 'data-cell': name, class: right ? 'right' : 'wrong' },
      el('span', { class: 'count' }, count(counts[name])), el('span', { class: 'share' }, share(counts[name], n)));
    return el('div', {}, el('h3', {}, 'Confusion matrix (lifetime)'),
      el('div', { class: 'scroll' }, el('table', { class: 'confusion' },
        el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', { scope: 'col' }, 'Predicted 1'), el('th', { scope: 'col' }, 'Predicted 0'))),
        el('tbody', {},
          el('tr', {}, el('th', { scope: 'row' }, 'Actual 1'), cell('true_positives', true), cell('false_negatives', false)),
          el('tr', {}, el('th', { scope: 'row' }, 'Actual 0'), cell('false_positives', false), cell('true_negatives', true))))));
  }

  /**
   * A model with declared classes: its lifetime confusion matrix (as a binary model's 2×2 one) and
   * its classes' precision, recall (with its interval), F1 and support, side by side where they fit.
   */
  function classesSection(model) {
    const labels = model.classes;
    const lifetime = (model.windows && model.windows.lifetime) || {};
    const perClass = lifetime.per_class || model.per_class || {};
    const scores = lifetimeScores(model);
    return el('div', { class: 'classes' }, classMatrix(labels, model.confusion || []),
      classTable(labels, perClass, labels.length >= COMPACT_CLASSES, scores ? scores.per_class || {} : null));
  }

  /** A cell's colour for a share of its row above 0: from a light tint (a sliver) to the full shade (all of it), as CSS. */
  function shade(rgb, share) {
    const level = 0.1 + 0.9 * share;
    return 'rgb(' + rgb.map((c) => Math.round(255 - (255 - c) * level)).join(', ') + ')';
  }

  /**
   * The K×K matrix: rows are actual classes, columns predicted ones, in declared order. Each cell
   * shows its count and is shaded by its share of its row (green on the diagonal, red off it; a cell
   * of 0, and so every cell of a row without feedback, is unshaded). Past a few classes the column labels run upwards, and past ten the
   * cells are compact; the table scrolls sideways in its card where it is still too wide, its row
   * labels staying in view. A long label is cut with an ellipsis and shown whole as its tooltip.
   */
  function classMatrix(labels, confusion) {
    const k = labels.length;
    const longest = Math.max(...labels.map((label) => label.length));
    const classes = ['class-matrix'];
    if (k >= VERTICAL_CLASSES || longest > 10) classes.push('vertical');
    if (k >= COMPACT_CLASSES) classes.push('compact');
    const head = el('tr', {},
      el('th', { class: 'corner', scope: 'col' },
        el('span', { class: 'axis predicted' }, 'predicted \u2192'), el('span', { class: 'axis actual' }, 'actual \u2193')),
      labels.map((label, p) => el('th', { scope: 'col', 'data-predicted': p, title: 'predicted ' + label },
        el('span', { class: 'label' }, label))));
    const rows = labels.map((label, a) => {
      const row = confusion[a] || [];
      const n = sum(row);
      return el('tr', { 'data-actual': a },
        el('th', { scope: 'row', title: 'actual ' + label }, el('span', { class: 'label' }, label)),
        labels.map((predicted, p) => {
          const value = isNumber(row[p]) ? row[p] : 0;
          const right = a === p;
          const cell = el('td', {
            'data-actual': a, 'data-predicted': p,
            class: (right ? 'diag' : 'off') + (value === 0 ? ' zero' : ''),
            title: 'actual ' + label + ', predicted ' + predicted + ': ' + count(value)
              + (n > 0 ? ' of ' + count(n) + ' (' + share(value, n) + ' of the row)' : ''),
          }, count(value));
          if (n > 0 && value > 0) {
            const rowShare = value / n;
            cell.style.backgroundColor = shade(right ? RIGHT_RGB : WRONG_RGB, rowShare);
            if (0.1 + 0.9 * rowShare > 0.55) cell.classList.add('dark');
          }
          return cell;
        }));
    });
    return el('div', { class: 'matrix-box', 'data-classes': k }, el('h3', {}, 'Confusion matrix (lifetime)'),
      el('div', { class: 'scroll' }, el('table', { class: classes.join(' ') }, el('thead', {}, head), el('tbody', {}, rows))),
      el('p', { class: 'note muted' }, 'Rows: actual class; columns: predicted. Shade: the share of its row.'));
  }

  /** A value with its interval below it (beside it, in a compact table), n/a where undefined. */
  function withInterval(value, interval, compact) {
    return [el('span', { class: 'value' }, fixed3(value)),
      Array.isArray(interval) && compact ? ' ' : null,
      Array.isArray(interval) ? el('span', { class: 'interval' }, fixed3(interval[0]) + ' – ' + fixed3(interval[1])) : null];
  }

  /**
   * Per class: precision, recall with its 95% interval where it has one, F1 and support; n/a where
   * undefined; with scored feedback, each class's ROC AUC against the rest (with its interval) and
   * average precision. With as many classes as make the matrix compact, a row is one line, the
   * interval beside its value.
   */
  function classTable(labels, perClass, compact, scoresPerClass) {
    const names = ['Class', 'Precision', 'Recall', 'F1', 'Support']
      .concat(scoresPerClass ? ['ROC AUC', 'Average precision'] : []);
    const head = el('tr', {}, names.map((name) => el('th', { scope: 'col' }, name)));
    const rows = labels.map((label, c) => {
      const values = own(perClass, label) || {};
      const interval = values.recall_interval;
      const scores = scoresPerClass ? own(scoresPerClass, label) || {} : null;
      return el('tr', { 'data-class': c },
        el('th', { scope: 'row', title: label }, el('span', { class: 'label' }, label)),
        el('td', { 'data-value': 'precision' }, el('span', { class: 'value' }, fixed3(values.precision))),
        el('td', { 'data-value': 'recall' }, withInterval(values.recall, interval, compact)),
        el('td', { 'data-value': 'f1' }, el('span', { class: 'value' }, fixed3(values.f1))),
        el('td', { 'data-value': 'support' }, count(values.support)),
        scores ? el('td', { 'data-value': 'roc_auc' }, withInterval(scores.roc_auc, scores.roc_auc_interval, compact)) : null,
        scores ? el('td', { 'data-value': 'average_precision' },
          el('span', { class: 'value' }, fixed3(scores.average_precision))) : null);
    });
    return el('div', { class: 'per-class-box' }, el('h3', {}, 'Per class (lifetime)'),
      el('div', { class: 'scroll' }, el('table', { class: compact ? 'per-class compact' : 'per-class' },
        el('thead', {}, head), el('tbody', {}, rows))));
  }

  /**
   * One row per detector. A detector with a drift_detected reason shows as "drift detected" (with
   * when and at which feedback) even if its own state is back to STABLE, as detectors reset after
   * signalling; one in its warning zone says so.
   */
  function driftList(drift, reasons, now) {
    const detectors = Object.entries(drift);
    if (detectors.length === 0) return el('div', {}, el('h3', {}, 'Drift detectors'), el('p', { class: 'muted' }, 'None configured.'));
    const detected = new Map(reasons.filter((r) => r.kind === 'drift_detected').map((r) => [r.detector, r]));
    const warned = new Set(reasons.filter((r) => r.kind === 'drift_warning').map((r) => r.detector));
    return el('div', {}, el('h3', {}, 'Drift detectors'), el('ul', { class: 'plain' }, detectors.map(([name, d]) => {
      const drifted = detected.get(name);
      const warning = warned.has(name) || d.state === 'WARNING';
      const [level, label] = drifted ? ['drift', 'drift detected']
        : warning ? ['warning', 'warning']
          : d.state === 'DRIFT' ? ['drift', 'drift'] : ['stable', 'stable'];
      const at = drifted ? drifted.at : d.last_drift_at;
      const feedback = drifted ? drifted.feedback : d.last_drift_feedback;
      const details = [];
      if (warning) details.push('in its warning zone');
      details.push(at
        ? (drifted ? '' : 'last drift ') + when(at, now) + ' (' + ago(at, now) + '), at feedback ' + count(feedback)
          + '; ' + count(d.detected) + ' in all'
        : 'no drift detected');
      return el('li', { 'data-detector': name },
        el('span', { class: 'state ' + level }, label), ' ',
        el('span', { class: 'detector' }, name), ' ',
        el('span', { class: drifted ? 'drift-note' : 'muted' }, details.join('; ')));
    })));
  }

  /**
   * Where predictions are joined to actual values by id: how long labels took (joins, median, 90th
   * percentile, the last join), pending predictions and unmatched feedback.
   */
  function joins(model, now) {
    const unmatched = model.unmatched || { unknown: 0, expired: 0, evicted: 0 };
    const delay = model.label_delay || { joined: 0, median_seconds: null, p90_seconds: null, last_join_at: null };
    const inUse = (model.pending || 0) + unmatched.unknown + unmatched.expired + unmatched.evicted + (delay.joined || 0) > 0;
    if (!inUse) return null;
    return el('div', { 'data-joins': '' }, el('h3', {}, 'Delayed labels'), el('ul', { class: 'plain' },
      el('li', {}, 'Joined: ', el('strong', { 'data-joined': '' }, count(delay.joined || 0))),
      el('li', {}, 'Label delay, median: ', el('strong', { 'data-delay': 'median' }, duration(delay.median_seconds)),
        '; 90th percentile: ', el('strong', { 'data-delay': 'p90' }, duration(delay.p90_seconds))),
      el('li', {}, 'Last join: ', el('strong', { 'data-last-join': '' },
        delay.last_join_at ? when(delay.last_join_at, now) + ' (' + ago(delay.last_join_at, now) + ')' : 'none yet')),
      el('li', {}, 'Pending predictions: ', el('strong', { 'data-pending': '' }, count(model.pending || 0))),
      ['unknown', 'expired', 'evicted'].map((reason) => el('li', { 'data-unmatched': reason },
        'Unmatched, ' + reason + ': ', el('strong', {}, count(unmatched[reason]))))));
  }

  /**
   * The window to chart: the shortest whose buckets reach back to the first bucket with feedback in
   * the longest window (a model a few minutes old charts its 5-minute window), else the longest.
   */
  function chartWindow(history) {
    const windows = ((history && history.windows) || []).filter((w) => w.buckets && w.buckets.length > 0);
    if (windows.length === 0) return null;
    const longest = windows.reduce((a, b) => b.window_seconds > a.window_seconds ? b : a);
    const first = longest.buckets.find((b) => b.feedbacks > 0);
    if (!first) return longest;
    const since = Date.parse(first.start);
    const reaching = windows.filter((w) => Date.parse(w.buckets[0].start) <= since)
      .sort((a, b) => a.window_seconds - b.window_seconds);
    return reaching.length > 0 ? reaching[0] : longest;
  }

  /** The time axis's steps, in seconds: whole seconds to 30 days, never a fraction of a second. */
  const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
    172800, 604800, 1209600, 2592000];

  const bucketWidth = (seconds) => seconds % 3600 === 0 ? seconds / 3600 + '-hour'
    : seconds % 60 === 0 ? seconds / 60 + '-minute' : seconds + '-second';

  /** A time axis label: HH:mm:ss where ticks are seconds apart, HH:mm otherwise, the date at midnight. */
  function tick(seconds, increment) {
    const date = new Date(seconds * 1000);
    if (increment >= 86400 || (increment >= 3600 && date.getHours() === 0 && date.getMinutes() === 0)) {
      return pad(date.getMonth() + 1) + '-' + pad(date.getDate());
    }
    const time = pad(date.getHours()) + ':' + pad(date.getMinutes());
    return increment < 60 ? time + ':' + pad(date.getSeconds()) : time;
  }

  /** The newest point with an accuracy (the last one if none has): what the legend shows unhovered. */
  function latestIndex(data) {
    for (let i = data[1].length - 1; i >= 0; i--) {
      if (data[1][i] !== null && data[1][i] !== undefined) return i;
    }
    return data[0].length > 0 ? data[0].length - 1 : null;
  }

  /** While the cursor is off the chart, the legend shows the latest point instead of blanks. */
  function legendOnLatest(u) {
    if (u.cursor.idx !== null && u.cursor.idx !== undefined) return;
    const i = latestIndex(u.data);
    if (i !== null && u.legend.idx !== i) u.setLegend({ idx: i }, false);
  }

  /**
   * Accuracy per bucket of the chosen window, its 95% interval as a band, the baseline as a line.
   * The x axis spans the data: from the first bucket with feedback (or the first bucket) to the end
   * of the last; each point sits at its bucket's end.
   */
  function drawChart(card, model, history) {
    const chosen = chartWindow(history);
    if (!chosen || typeof uPlot === 'undefined') {
      if (card.plot) card.plot.destroy();
      if (card.resize) card.resize.disconnect();
      card.plot = null;
      card.resize = null;
      card.plotKey = null;
      card.chart.replaceChildren(el('p', { class: 'note muted' }, 'No time window to chart.'));
      return;
    }
    const firstWithFeedback = chosen.buckets.findIndex((b) => b.feedbacks > 0);
    const buckets = chosen.buckets.slice(Math.max(0, firstWithFeedback));
    const baseline = model.baseline && isNumber(model.baseline.accuracy) ? model.baseline.accuracy : null;
    const start = Date.parse(buckets[0].start) / 1000;
    // At least one bucket wide, so that feedback that all came at one instant still has an axis.
    const end = Math.max(Date.parse(buckets[buckets.length - 1].end) / 1000, start + chosen.bucket_seconds);
    // A first point at the start, with no accuracy, carries the baseline across the whole width.
    const first = Date.parse(buckets[0].end) / 1000 > start ? [start] : [];
    const data = [
      first.concat(buckets.map((b) => Date.parse(b.end) / 1000)),
      first.map(() => null).concat(buckets.map((b) => b.accuracy)),
      first.map(() => null).concat(buckets.map((b) => b.interval ? b.interval[0] : null)),
      first.map(() => null).concat(buckets.map((b) => b.interval ? b.interval[1] : null)),
    ];
    if (baseline !== null) data.push(first.map(() => baseline).concat(buckets.map(() => baseline)));
    card.xRange = [start, end];
    const key = chosen.window + ' ' + chosen.bucket_seconds + ' ' + (baseline !== null);
    if (card.plot && card.plotKey === key) {
      card.plot.setData(data);
      legendOnLatest(card.plot);
      return;
    }
    if (card.plot) card.plot.destroy();
    if (card.resize) card.resize.disconnect();
    const title = 'Accuracy per ' + bucketWidth(chosen.bucket_seconds) + ' bucket, last ' + chosen.window
      + ' (band: 95% interval' + (baseline === null ? '' : '; dashed: baseline') + ')';
    card.chart.replaceChildren();
    card.plotKey = key;
    card.plot = new uPlot({
      title,
      width: Math.max(260, card.chart.clientWidth),
      height: 240,
      scales: { x: { time: true, range: () => card.xRange }, y: { range: (u, min, max) => [Math.max(0, Math.floor((min ?? 0) * 10 - 0.5) / 10), Math.min(1, Math.ceil((max ?? 1) * 10 + 0.5) / 10)] } },
      series: [
        { label: 'Time', value: (u, v) => isNumber(v) ? clock(new Date(v * 1000)) : '--' },
        { label: 'Accuracy', stroke: '#0969da', width: 2, points: { show: true, size: 5 }, value: (u, v) => fixed3(v) },
        { label: '95% low', stroke: 'rgba(9,105,218,0.35)', width: 1, points: { show: false }, value: (u, v) => fixed3(v) },
        { label: '95% high', stroke: 'rgba(9,105,218,0.35)', width: 1, points: { show: false }, value: (u, v) => fixed3(v) },
      ].concat(baseline === null ? [] : [
        { label: 'Baseline', stroke: '#cf222e', width: 1.5, dash: [6, 4], points: { show: false }, value: (u, v) => fixed3(v) },
      ]),
      bands: [{ series: [3, 2], fill: 'rgba(9,105,218,0.12)' }],
      axes: [
        { space: 70, incrs: TIME_STEPS, values: (u, splits, axis, space, increment) => splits.map((s) => tick(s, increment)) },
        { values: (u, values) => values.map((v) => v.toFixed(2)) },
      ],
      hooks: { ready: [legendOnLatest], setLegend: [legendOnLatest] },
    }, data, card.chart);
    card.resize = new ResizeObserver(() => {
      const width = Math.max(260, card.chart.clientWidth);
      if (card.plot && Math.abs(card.plot.width - width) > 2) card.plot.setSize({ width, height: 240 });
    });
    card.resize.observe(card.chart);
  }

  function clearReliability(card) {
    if (card.reliabilityPlot) card.reliabilityPlot.destroy();
    if (card.reliabilityResize) card.reliabilityResize.disconnect();
    card.reliabilityPlot = null;
    card.reliabilityResize = null;
    card.reliabilityKey = null;
  }

  /** A bin's bounds as the table shows them: 0.3–0.4. */
  const binRange = (bin) => (isNumber(bin.lower) ? bin.lower.toFixed(1) : '?') + '–'
    + (isNumber(bin.upper) ? bin.upper.toFixed(1) : '?');

  /**
   * The reliability diagram of a model with scored feedback, and its bins as a table beside it: per
   * calibration bin, the observed rate (binary: the share of actual 1; with declared classes: the
   * share of right predictions) against the mean score (binary: of class 1; with classes: the
   * predicted class's probability), with the diagonal where a calibrated model's points lie. Over
   * the lifetime, not a window: a bin needs many items before its rate means anything, and a
   * window's few would draw noise; the table's ECE per window shows a recent change.
   */
  function drawReliability(card, model) {
    const scores = lifetimeScores(model);
    if (!scores || typeof uPlot === 'undefined') {
      clearReliability(card);
      card.reliability.replaceChildren();
      card.reliability.hidden = true;
      return;
    }
    card.reliability.hidden = false;
    const bins = Array.isArray(scores.reliability) ? scores.reliability : [];
    const filled = bins.filter((b) => b.n > 0 && isNumber(b.mean_score) && isNumber(b.observed));
    // The x values: each filled bin's mean score, ascending as the bins are, between 0 and 1, so
    // that the diagonal crosses the whole chart; observed rates only at the bins.
    const x = [];
    const observed = [];
    if (filled.length === 0 || filled[0].mean_score > 0) { x.push(0); observed.push(null); }
    for (const bin of filled) { x.push(bin.mean_score); observed.push(bin.observed); }
    if (filled.length === 0 || filled[filled.length - 1].mean_score < 1) { x.push(1); observed.push(null); }
    const data = [x, observed, x.slice()];
    const classes = hasClasses(model);
    const table = reliabilityTable(bins);
    const key = classes ? 'classes' : 'binary';
    if (card.reliabilityPlot && card.reliabilityKey === key) {
      card.reliabilityPlot.setData(data);
      card.reliability.querySelector('table.reliability').replaceWith(table);
      return;
    }
    clearReliability(card);
    const chart = el('div', { class: 'reliability-chart' });
    card.reliability.replaceChildren(chart, el('div', { class: 'reliability-bins' }, table));
    const title = classes
      ? 'Reliability, lifetime: right predictions by the predicted class\u2019s mean probability, per bin (dashed: calibrated)'
      : 'Reliability, lifetime: share of actual 1 by mean score, per bin (dashed: calibrated)';
    const tenths = (u, values) => values.map((v) => v.toFixed(1));
    // Only a bin's own point has a value to show; between them the legend stays blank.
    const atBin = (u, idx) => idx !== null && idx !== undefined && u.data[1][idx] !== null && u.data[1][idx] !== undefined;
    card.reliabilityKey = key;
    card.reliabilityPlot = new uPlot({
      title,
      width: Math.max(260, chart.clientWidth),
      height: 260,
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
      series: [
        { label: 'Mean score', value: (u, v, s, idx) => atBin(u, idx) ? fixed3(v) : '' },
        { label: 'Observed', stroke: '#0969da', width: 1.5, points: { show: true, size: 7, fill: '#0969da' },
          value: (u, v) => isNumber(v) ? fixed3(v) : '' },
        { label: 'Calibrated', stroke: '#59636e', width: 1, dash: [6, 4], points: { show: false }, value: () => '' },
      ],
      axes: [
        { label: classes ? 'mean probability of the predicted class' : 'mean score', values: tenths },
        { label: classes ? 'share right' : 'share of actual 1', values: tenths },
      ],
    }, data, chart);
    card.reliabilityResize = new ResizeObserver(() => {
      const width = Math.max(260, chart.clientWidth);
      if (card.reliabilityPlot && Math.abs(card.reliabilityPlot.width - width) > 2) {
        card.reliabilityPlot.setSize({ width, height: 260 });
      }
    });
    card.reliabilityResize.observe(chart);
  }

  /** Every calibration bin: its bounds, how many items, their mean score and the observed rate (– for an empty bin). */
  function reliabilityTable(bins) {
    return el('table', { class: 'reliability' },
      el('thead', {}, el('tr', {}, ['Score bin', 'n', 'Mean score', 'Observed'].map((name) => el('th', { scope: 'col' }, name)))),
      el('tbody', {}, bins.map((bin, b) => el('tr', { 'data-bin': b, class: bin.n > 0 ? null : 'no-items' },
        el('th', { scope: 'row' }, binRange(bin)),
        el('td', { 'data-value': 'n' }, count(bin.n)),
        el('td', { 'data-value': 'mean_score' }, bin.n > 0 ? fixed3(bin.mean_score) : '–'),
        el('td', { 'data-value': 'observed' }, bin.n > 0 ? fixed3(bin.observed) : '–')))));
  }

  refresh();
})();
