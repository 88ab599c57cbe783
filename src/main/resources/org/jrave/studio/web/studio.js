// jrave studio's page: plain JavaScript, no build step. Everything the server is asked for is named
// by an id from a list the server sent.
'use strict';

const studio = {
  runs: { selected: null, shownValidations: new Set(), timer: null },
  play: { models: [], input: null, model: null },
  live: null,
};
window.studio = studio;

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
};

function say(text, error = false) {
  const m = $('#message');
  m.textContent = text;
  m.classList.toggle('error', error);
}

async function api(path, options = {}) {
  // The studio refuses changes without this header: other sites' pages cannot send it unasked.
  const headers = { 'X-Jrave-Studio': '1', ...(options.headers || {}) };
  const response = await fetch(path, { ...options, headers });
  const type = response.headers.get('content-type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    throw new Error(body && body.error ? body.error : `${response.status} ${response.statusText}`);
  }
  return body;
}

// ------------------------------------------------------------------ tabs

for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => {
    document.querySelectorAll('.tab').forEach((t) => t.classList.toggle('active', t === tab));
    document.querySelectorAll('.panel').forEach((p) => p.classList.toggle('active', p.id === 'panel-' + tab.dataset.panel));
  });
}

// ------------------------------------------------------------------ runs

function duration(seconds) {
  if (!(seconds >= 0)) return '?';
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = Math.round(seconds % 60);
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

function progressText(run) {
  const parts = [`step ${run.step}` + (run.maxSteps > 0 ? ` of ${run.maxSteps}` : '')];
  if (run.stepsPerSecond > 0) parts.push(`${run.stepsPerSecond.toFixed(2)} steps/s`);
  if (run.etaSeconds >= 0 && run.active) parts.push(`ETA ${duration(run.etaSeconds)}`);
  parts.push(run.step >= run.phase2From && run.phase2From >= 0 ? 'phase 2' : 'phase 1');
  parts.push(run.active ? 'training' : 'idle');
  if (run.problem) parts.push('⚠ ' + run.problem);
  return parts.join(' · ');
}

async function refreshRuns() {
  try {
    const runs = await api('/api/runs');
    const list = $('#run-list');
    list.replaceChildren(...runs.map((run) => el('li', {
      'data-run-id': run.id, class: run.id === studio.runs.selected ? 'selected' : '', onclick: () => selectRun(run.id),
    }, el('div', { class: 'name' }, (run.active ? '● ' : '') + run.name), el('div', { class: 'hint' }, progressText(run)))));
    list.querySelectorAll('li').forEach((li, i) => { if (runs[i].active) li.querySelector('.name').classList.add('active-dot'); });
    $('#no-runs').hidden = runs.length > 0;
  } catch (e) {
    say(e.message, true);
  }
}

function selectRun(id) {
  studio.runs.selected = id;
  studio.runs.shownValidations = new Set();
  $('#validations').replaceChildren();
  $('#run-detail').hidden = false;
  document.querySelectorAll('#run-list li').forEach((li) => li.classList.toggle('selected', li.dataset.runId === id));
  refreshRun();
}

async function refreshRun() {
  const id = studio.runs.selected;
  if (!id) return;
  try {
    const run = await api('/api/runs/' + encodeURIComponent(id));
    if (studio.runs.selected !== id) return;
    $('#run-title').textContent = run.name;
    $('#run-progress').textContent = progressText(run);
    $('#run-settings').textContent = JSON.stringify(run.settings, null, 2);
    drawCharts(run);
    $('#validation-count').textContent = `(${run.validations.length})`;
    const box = $('#validations');
    for (const v of run.validations) {
      if (studio.runs.shownValidations.has(v.step)) continue;
      studio.runs.shownValidations.add(v.step);
      box.prepend(validationView(v));
    }
  } catch (e) {
    say(e.message, true);
  }
}

function validationView(v) {
  const input = el('audio', { controls: '', preload: 'none', src: v.input, class: 'input' });
  const output = el('audio', { controls: '', preload: 'none', src: v.reconstruction, class: 'reconstruction' });
  const ab = el('button', { class: 'ab', title: 'switch between input and reconstruction at the same moment' }, 'A/B');
  ab.addEventListener('click', () => {
    const [from, to] = !input.paused ? [input, output] : [output, input];
    to.currentTime = from.currentTime;
    from.pause();
    to.play();
  });
  return el('div', { class: 'validation', 'data-step': v.step },
    el('div', {}, `step ${v.step}`),
    v.spectrogram ? el('img', { loading: 'lazy', src: v.spectrogram, alt: `spectrogram at step ${v.step}: input above, reconstruction below` }) : '',
    el('div', { class: 'players' },
      el('div', { class: 'player' }, el('span', {}, 'input'), input),
      el('div', { class: 'player' }, el('span', {}, 'reconstruction'), output), ab));
}

// The losses a musician watches first; bookkeeping curves (β, fidelity, memory) last.
const FIRST = ['validation', 'fullband_spectral_distance', 'multiband_spectral_distance', 'regularization',
  'adversarial', 'feature_matching', 'discriminator'];
const chartRank = (tag) => {
  const i = FIRST.findIndex((f) => tag.startsWith(f));
  return i >= 0 ? i : /^(beta|fidelity|memory)/.test(tag) ? 200 : 100;
};

function drawCharts(run) {
  const box = $('#run-charts');
  const tags = Object.keys(run.scalars).sort((a, b) => chartRank(a) - chartRank(b) || a.localeCompare(b));
  for (const tag of tags) {
    let chart = box.querySelector(`[data-tag="${CSS.escape(tag)}"]`);
    if (!chart) {
      chart = el('div', { class: 'chart', 'data-tag': tag }, el('div', { class: 'tag' }, tag), el('canvas', { width: 600, height: 260 }));
    }
    box.append(chart);   // (re)placed in order: phase 2 adds curves
    drawLine(chart.querySelector('canvas'), run.scalars[tag], run.phase2From);
  }
}

function drawLine(canvas, points, phase2) {
  const g = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, pad = 30, left = 90;
  g.clearRect(0, 0, w, h);
  if (points.length === 0) return;
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]).filter(Number.isFinite);
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  let y0 = Math.min(...ys), y1 = Math.max(...ys);
  if (y0 === y1) { y0 -= 1; y1 += 1; }
  const X = (x) => left + (w - left - pad) * (x - x0) / (x1 - x0);
  const Y = (y) => h - pad - (h - 2 * pad) * (y - y0) / (y1 - y0);
  g.strokeStyle = '#333840'; g.strokeRect(left, pad, w - left - pad, h - 2 * pad);
  g.fillStyle = '#9aa0a6'; g.font = '20px system-ui';
  g.textAlign = 'right';
  const label = (v) => (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) ? v.toExponential(2) : v.toPrecision(3));
  g.fillText(label(y1), left - 6, pad + 16); g.fillText(label(y0), left - 6, h - pad);
  g.fillText(`step ${x1}`, w - pad, h - 6);
  g.textAlign = 'left';
  g.fillText(String(x0), left, h - 6);
  if (phase2 >= x0 && phase2 <= x1) {
    g.setLineDash([8, 6]); g.strokeStyle = '#f2a33a';
    g.beginPath(); g.moveTo(X(phase2), pad); g.lineTo(X(phase2), h - pad); g.stroke(); g.setLineDash([]);
    g.fillStyle = '#f2a33a'; g.fillText('phase 2', X(phase2) + 6, pad + 18);
  }
  g.strokeStyle = '#6fb3ff'; g.lineWidth = 2; g.beginPath();
  points.forEach((p, i) => { if (Number.isFinite(p[1])) (i ? g.lineTo : g.moveTo).call(g, X(p[0]), Y(p[1])); });
  g.stroke(); g.lineWidth = 1;
}

// ------------------------------------------------------------------ play

async function loadModels() {
  try {
    const models = await api('/api/models');
    studio.play.models = models;
    const options = () => models.map((m) => el('option', { value: m.id }, m.label));
    $('#model-select').replaceChildren(...options());
    $('#transfer-select').replaceChildren(...options());
    if (models.length > 1) $('#transfer-select').selectedIndex = 1;
    if (models.length) await chooseModel(models[0].id);
    else $('#model-info').textContent = 'No model: start the studio with --model M or a run that saved one.';
  } catch (e) {
    say(e.message, true);
  }
}

async function chooseModel(id) {
  stopLive();
  say('loading the model…');
  try {
    const model = await api('/api/models/' + encodeURIComponent(id));
    studio.play.model = model;
    $('#model-info').textContent = `${model.sampleRate} Hz, ${model.channels} channel(s), ${model.ratio} samples per latent frame`
      + (model.live ? `, ${model.fidelity.length} latent dimensions` : ' (TorchScript: no latent sliders)');
    const priors = model.priors || [];
    $('#prior-select').replaceChildren(...priors.map((p) => el('option', { value: p.id }, p.label)));
    $('#prior-row').hidden = priors.length === 0;
    drawFidelity(model.fidelity || []);
    buildSliders(model.live ? model.fidelity.length : 0);
    say('ready');
  } catch (e) {
    say(e.message, true);
  }
  updateButtons();
}

function updateButtons() {
  const ready = !!studio.play.input && !!studio.play.model;
  $('#reconstruct').disabled = !ready;
  $('#transfer').disabled = !ready || studio.play.models.length === 0;
  $('#live-start').disabled = !ready || !studio.play.model.live || !!studio.live;
  $('#live-stop').disabled = !studio.live;
  $('#live-reset').disabled = !studio.live;
}

async function upload(file) {
  say(`decoding ${file.name}…`);
  try {
    const sound = await api('/api/sounds', { method: 'POST', body: file, headers: { 'X-File-Name': encodeURIComponent(file.name) } });
    studio.play.input = sound;
    const box = $('#input-sound');
    box.replaceChildren(...soundView(sound, 'input'));
    box.hidden = false;
    say(`${sound.label}: ${sound.seconds.toFixed(2)} s at ${sound.sampleRate} Hz`);
  } catch (e) {
    say(e.message, true);
  }
  updateButtons();
}

function soundView(sound, kind) {
  return [
    el('div', {}, sound.label, ' ', el('a', { href: sound.download, download: '', class: 'download' }, 'download WAV')),
    el('img', { src: sound.spectrogram, alt: 'spectrogram of ' + sound.label }),
    el('audio', { controls: '', src: sound.audio, class: kind + '-audio', preload: 'auto' }),
  ];
}

async function render(modelId) {
  await showRender(`/api/renders?model=${encodeURIComponent(modelId)}&sound=${encodeURIComponent(studio.play.input.id)}`);
}

async function samplePrior() {
  const q = new URLSearchParams({
    model: studio.play.model.id, prior: $('#prior-select').value,
    seconds: $('#prior-seconds').value, temperature: $('#prior-temperature').value,
  });
  await showRender('/api/samples?' + q);
}

async function showRender(request) {
  say('rendering…');
  try {
    const sound = await api(request, { method: 'POST' });
    $('#renders').prepend(el('div', { class: 'sound render', 'data-sound-id': sound.id }, ...soundView(sound, 'render')));
    say('rendered: ' + sound.label);
  } catch (e) {
    say(e.message, true);
  }
}

function drawFidelity(fidelity) {
  const canvas = $('#fidelity'), g = canvas.getContext('2d'), w = canvas.width, h = canvas.height, pad = 24;
  g.clearRect(0, 0, w, h);
  g.strokeStyle = '#333840'; g.strokeRect(pad, 8, w - pad - 8, h - pad - 8);
  if (!fidelity.length) return;
  g.fillStyle = '#9aa0a6'; g.font = '11px system-ui'; g.fillText('1', 8, 14); g.fillText('0', 8, h - pad);
  g.fillText('dimensions →', w - 90, h - 6);
  const X = (i) => pad + (w - pad - 8) * (i + 1) / fidelity.length, Y = (f) => h - pad - (h - pad - 8) * f;
  g.strokeStyle = '#f2a33a'; g.beginPath(); g.moveTo(pad, Y(0));
  fidelity.forEach((f, i) => g.lineTo(X(i), Y(f))); g.stroke();
}

function buildSliders(dimensions) {
  const box = $('#sliders');
  box.replaceChildren(el('span', { class: 'dim' }, 'dim'), el('span', { class: 'dim' }, 'bias'), el('span', { class: 'dim' }, 'scale'));
  for (let d = 0; d < dimensions; d++) {
    const bias = el('input', { type: 'range', min: -4, max: 4, step: 0.1, value: 0, class: 'bias', 'data-dim': d });
    const scale = el('input', { type: 'range', min: 0, max: 3, step: 0.05, value: 1, class: 'scale', 'data-dim': d });
    const send = () => sendLatent(d, Number(bias.value), Number(scale.value));
    bias.addEventListener('input', send);
    scale.addEventListener('input', send);
    box.append(el('span', { class: 'dim' }, String(d)), bias, scale);
  }
}

// ------------------------------------------------------------------ live

async function startLive() {
  const model = studio.play.model, input = studio.play.input;
  if (!window.isSecureContext || !window.AudioWorkletNode) {
    throw new Error('the browser allows live audio only on a secure page: open the studio as http://127.0.0.1 '
      + '(from another machine, through an SSH tunnel: ssh -L 8080:127.0.0.1:8080 HOST)');
  }
  const context = new AudioContext({ sampleRate: model.sampleRate, latencyHint: 'interactive' });
  await context.audioWorklet.addModule('/assets/player-worklet.js');
  const node = new AudioWorkletNode(context, 'jrave-stream-player', { outputChannelCount: [2] });
  node.connect(context.destination);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/ws/live?model=${encodeURIComponent(model.id)}&sound=${encodeURIComponent(input.id)}`);
  socket.binaryType = 'arraybuffer';
  const live = studio.live = {
    context, node, socket, version: 0, moves: new Map(), heardMs: [], recent: [], received: 0, stats: {}, player: {},
  };
  node.port.onmessage = (e) => {
    const m = e.data;
    if (m.type === 'heard') {
      const t0 = live.moves.get(m.version);
      if (t0 !== undefined) {
        live.heardMs.push(performance.now() - t0 + 1000 * (context.outputLatency || 0));
        live.moves.delete(m.version);
      }
    } else if (m.type === 'player') {
      live.player = m;
    }
    showLiveStats();
  };
  socket.onmessage = (e) => {
    if (typeof e.data === 'string') {
      const m = JSON.parse(e.data);
      if (m.type === 'error') say(m.message, true);
      else if (m.type === 'started') {
        live.block = m.block;
        node.port.postMessage({ type: 'config', prebuffer: m.block, maxBuffered: 4 * m.block });
        say('live');
      } else if (m.type === 'stats') { live.stats = m; showLiveStats(); }
      return;
    }
    const header = new DataView(e.data, 0, 12);
    const block = { seq: header.getInt32(0, true), version: header.getInt32(4, true), samples: new Float32Array(e.data, 12) };
    let sum = 0;
    for (const s of block.samples) sum += s * s;
    live.recent.push({ seq: block.seq, version: block.version, rms: Math.sqrt(sum / block.samples.length), at: performance.now() });
    if (live.recent.length > 400) live.recent.shift();
    live.received++;
    node.port.postMessage({ type: 'block', version: block.version, samples: block.samples }, [block.samples.buffer]);
  };
  live.keepAlive = setInterval(() => { if (socket.readyState === WebSocket.OPEN) socket.send('{"type":"ping"}'); }, 5000);
  socket.onclose = (e) => { if (studio.live === live) { if (e.reason) say(e.reason, true); stopLive(); } };
  await context.resume();
  updateButtons();
}

function sendLatent(dim, bias, scale) {
  const live = studio.live;
  if (!live || live.socket.readyState !== WebSocket.OPEN) return;
  live.version++;
  live.moves.set(live.version, performance.now());
  live.socket.send(JSON.stringify({ type: 'latent', dim, bias, scale, version: live.version }));
}

function resetSliders() {
  document.querySelectorAll('#sliders .bias').forEach((s) => { s.value = 0; });
  document.querySelectorAll('#sliders .scale').forEach((s) => { s.value = 1; });
  const live = studio.live;
  if (live && live.socket.readyState === WebSocket.OPEN) {
    live.version++;
    live.moves.set(live.version, performance.now());
    live.socket.send(JSON.stringify({ type: 'reset', version: live.version }));
  }
}

function stopLive() {
  const live = studio.live;
  if (!live) return;
  studio.live = null;
  clearInterval(live.keepAlive);
  live.socket.close();
  live.context.close();
  updateButtons();
}

function showLiveStats() {
  const live = studio.live;
  if (!live) return;
  const s = live.stats, p = live.player;
  const heard = live.heardMs.length ? live.heardMs[live.heardMs.length - 1].toFixed(0) + ' ms' : '–';
  const sr = studio.play.model.sampleRate;
  const browserMs = p.buffered !== undefined ? (1000 * p.buffered / sr).toFixed(0) : '?';
  $('#live-stats').textContent = [
    `block            ${fmt(s.blockMs)} ms`,
    `engine latency   ${fmt(s.engineLatencyMs)} ms (input block + model ahead + model + output block)`,
    `browser buffer   ${browserMs} ms`,
    `slider → heard   ${heard}`,
    `model per block  ${fmt(s.modelMsMedian)} ms median, ${fmt(s.modelMsP99)} ms p99`,
    `dropouts         ${s.dropouts ?? 0} (engine)  ${s.networkDrops ?? 0} (network)  ${p.underruns ?? 0} (browser)`,
    `blocks received  ${live.received}`,
  ].join('\n');
}
const fmt = (x) => (x === undefined ? '?' : Number(x).toFixed(1));

// ------------------------------------------------------------------ wiring

$('#model-select').addEventListener('change', (e) => chooseModel(e.target.value));
$('#file-input').addEventListener('change', (e) => { if (e.target.files[0]) upload(e.target.files[0]); });
const drop = $('#drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer.files[0]) upload(e.dataTransfer.files[0]);
});
$('#reconstruct').addEventListener('click', () => render(studio.play.model.id));
$('#transfer').addEventListener('click', () => render($('#transfer-select').value));
$('#live-start').addEventListener('click', () => startLive().catch((e) => { say('live: ' + e.message, true); stopLive(); }));
$('#live-stop').addEventListener('click', stopLive);
$('#prior-sample').addEventListener('click', samplePrior);
$('#live-reset').addEventListener('click', resetSliders);

refreshRuns();
loadModels();
// A link to one run: #run=ID opens it.
const linked = /run=(\w+)/.exec(location.hash);
if (linked) selectRun(linked[1]);
setInterval(refreshRuns, 3000);
setInterval(refreshRun, 2000);
document.body.dataset.ready = 'true';
