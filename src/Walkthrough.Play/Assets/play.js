// The playground page: standard DOM and fetch, nothing downloaded. The server runs the model (its library's
// Start, Next, Force, Undo); this page draws what it answers, and recomputes the sliders' distribution from the
// step's logits itself, the way Walkthrough.Inference.Sampling does, so a slider never costs a forward pass.
"use strict";

const $ = (id) => document.getElementById(id);
const ui = {
  model: $("model"), message: $("message"), messageText: $("message-text"), template: $("template"), prompt: $("prompt"),
  chips: $("chips"), counts: $("counts"), showIds: $("show-ids"), temperature: $("temperature"), topK: $("top-k"),
  topP: $("top-p"), minP: $("min-p"), seed: $("seed"), summary: $("summary"), candidates: $("candidates"),
  step: $("step"), undo: $("undo"), generate: $("generate"), count: $("count"), stop: $("stop"), log: $("log"), limits: $("limits"),
};
const ROWS = 10;           // candidates drawn as bars: what a projector shows at a readable size
const saved = window.sessionStorage;

let session = null;        // the server's id for this page
let info = null;           // the model, the limits, the templates
let state = null;          // the session as the server last answered
let logits = null;         // Float32Array: the scores for the next token, every one of the vocabulary
let order = null;          // token ids, most likely first (the same order at every temperature)
let texts = new Map();     // id → the vocabulary's spelling, for the candidates the server named
let busy = false;          // a request that changes the text is under way
let generation = null;     // the AbortController of a running generation
let typed = 0;             // increases with each keystroke: answers to older text are dropped

// ---- talking to the server ----

class Refusal extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new Refusal(0, "The playground's server does not answer: is `walkthrough play` still running?");
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!response.ok) throw new Refusal(response.status, (json && json.error) || `The server answered ${response.status}.`);
  return json;
}

async function sessionCall(path, body) {
  try {
    return await api("POST", `/api/sessions/${session}/${path}`, body);
  } catch (e) {
    if (e.status !== 404) throw e;
    await open();                                  // the session ended (idle, or a restart): start again
    show(await api("POST", `/api/sessions/${session}/prompt`, promptRequest()));
    say("This page's session had ended, so a new one started and read the prompt again.");
    return null;
  }
}

async function open() {
  for (let attempt = 0; ; attempt++) {
    try {
      info = await api("POST", "/api/sessions");
      break;
    } catch (e) {
      if (e.status !== 429 || attempt > 20) throw e;
      await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 1000));
    }
  }
  session = info.session;
  const m = info.model;
  ui.model.textContent = `${m.name} · ${m.architecture} · ${m.parameters.toLocaleString("en")} parameters · ${m.dtype} on ${m.device} · context ${m.context.toLocaleString("en")} tokens`;
  const l = info.limits;
  ui.limits.textContent = `This page may hold ${l.tokens.toLocaleString("en")} tokens (${l.newTokens} added after the prompt); ` +
    `the playground serves up to ${l.sessions} pages, and frees one idle for ${l.idleMinutes} minutes.`;
  ui.count.max = l.newTokens;
}

function say(message) {
  ui.messageText.textContent = message;
  ui.message.hidden = !message;
}

function report(e) {
  say(e instanceof Refusal ? e.message : `Something went wrong in the page: ${e.message}`);
}

// ---- the prompt and its chips ----

function promptRequest() { return { text: ui.prompt.value, template: ui.template.value }; }

let chipTimer = 0;
let readTimer = 0;
function onType() {
  const mine = ++typed;
  saved.setItem("walkthrough-prompt", ui.prompt.value);
  saved.setItem("walkthrough-template", ui.template.value);
  clearTimeout(chipTimer);
  clearTimeout(readTimer);
  chipTimer = setTimeout(async () => {
    try {
      const tokens = await sessionCall("tokens", promptRequest());
      if (tokens && mine === typed) drawChips(tokens, [], []);
    } catch (e) { if (mine === typed) report(e); }
  }, 90);
  readTimer = setTimeout(() => { if (mine === typed) readPrompt(); }, 450);
}

async function readPrompt() {
  const mine = typed;
  if (busy || generation) { setTimeout(() => { if (mine === typed) readPrompt(); }, 200); return; }
  await change(async () => {
    const answer = await sessionCall("prompt", promptRequest());
    if (answer && mine === typed) show(answer);
  });
}

// The text as the model reads it: the prompt's tokens in the lessons' colours (tokens that share characters, like an
// emoji's bytes, share a chip), then each added token coloured by its probability.
function drawChips(tokens, steps, pieces) {
  const box = ui.chips;
  box.replaceChildren();
  const list = tokens.tokens;
  let shown = 0;
  let colour = 0;
  for (let i = 0; i < list.length;) {
    const token = list[i];
    let j = i + 1;
    while (j < list.length && list[j].start === token.start && list[j].end === token.end && token.end > token.start) j++;
    const group = list.slice(i, j);
    if (token.start > shown) box.append(tokens.text.slice(shown, token.start));
    const chip = document.createElement("span");
    const zeroWidth = token.kind === "special" && token.start === token.end;
    chip.className = zeroWidth ? "chip special" : `chip c${colour++ % 8}`;
    const text = zeroWidth ? token.token : tokens.text.slice(Math.max(token.start, shown), Math.max(token.end, shown));
    chip.textContent = visible(text);
    chip.dataset.ids = group.map((t) => t.id).join(" ");
    chip.dataset.tokens = group.map((t) => t.token).join(" ");
    chip.title = group.map((t) => `${t.id} ${t.token}`).join("  ");
    box.append(chip, breaks(text));
    shown = Math.max(shown, token.end);
    i = j;
  }
  if (shown < tokens.text.length) box.append(tokens.text.slice(shown));
  steps.forEach((step, i) => {
    const raw = step.special || !pieces[i];
    box.append(stepChip(step, raw ? step.token : pieces[i], raw, i === steps.length - 1), raw ? "" : breaks(pieces[i]));
  });
  const over = tokens.count > tokens.limit - 1;
  ui.counts.textContent = `${tokens.count.toLocaleString("en")} prompt tokens` +
    (steps.length ? ` + ${steps.length} added` : "") + ` · this page reads at most ${tokens.limit.toLocaleString("en")}` +
    (state && state.cache.tokens ? ` · KV cache: ${state.cache.tokens} tokens, ${bytes(state.cache.bytes)}` : "");
  if (over) say(`The prompt is ${tokens.count.toLocaleString("en")} tokens: this page reads at most ${(tokens.limit - 1).toLocaleString("en")} before the answer. Shorten it.`);
}

function stepChip(step, text, raw, latest) {
  const chip = document.createElement("span");
  chip.className = `chip gen p${bucket(step.probability)}${raw ? " raw" : ""}${latest ? " latest" : ""}`;
  chip.textContent = visible(text);
  chip.dataset.ids = String(step.id);
  chip.dataset.p = String(step.probability);
  chip.title = `${step.id} ${step.token} · p ${step.probability.toFixed(3)} · ${step.rule}`;
  return chip;
}

function bucket(p) { return p < 0.05 ? 0 : p < 0.2 ? 1 : p < 0.5 ? 2 : p < 0.8 ? 3 : 4; }

// A chip stays on one line (it is an inline block): its line breaks are drawn as ↵ and made after it.
function visible(text) { return text.replace(/\n/g, "↵").replace(/\t/g, "⇥"); }

function breaks(text) { return "\n".repeat((text.match(/\n/g) || []).length); }

function bytes(n) { return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`; }

// ---- the session's state: chips, the candidates' logits, the log ----

function show(answer) {
  state = answer;
  if (answer.prompt) drawChips(answer.prompt, answer.steps, answer.pieces);
  logits = null;
  order = null;
  if (answer.next) {
    const raw = atob(answer.next.logits);
    const buffer = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) buffer[i] = raw.charCodeAt(i);
    logits = new Float32Array(buffer.buffer);
    order = new Int32Array(logits.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => (logits[b] - logits[a]) || (a - b));
    texts = new Map(answer.next.top.map((c) => [c.id, c]));
  }
  drawLog(answer.steps);
  drawCandidates();
  buttons();
}

function drawLog(steps) {
  ui.log.replaceChildren(...steps.map((step) => {
    const item = document.createElement("li");
    const code = document.createElement("code");
    code.textContent = step.token;
    item.append(code, ` id ${step.id} · p ${step.probability.toFixed(3)} · ${step.rule}`);
    return item;
  }));
  ui.log.scrollTop = ui.log.scrollHeight;
}

// ---- the sliders: temperature, top-k, top-p, min-p, applied as Sampling applies them ----

function rule() {
  return {
    temperature: Number(ui.temperature.value),
    topK: Number(ui.topK.value),
    topP: Number(ui.topP.value),
    minP: Number(ui.minP.value),
    seed: Math.max(0, Math.floor(Number(ui.seed.value) || 0)),
  };
}

// Softmax at the temperature (shifted by the top logit, in float32 as the library subtracts), then the cuts in the
// library's order: top-k keeps the k best (and ties), top-p the fewest whose total reaches p, min-p those at least
// min-p × the best. Each cut keeps a run of the best tokens, so together they keep the shortest run.
function distribution(r) {
  const size = logits.length;
  const greedy = r.temperature <= 0;
  const t = greedy ? 1 : r.temperature;
  const top = logits[order[0]];
  const p = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) { p[i] = Math.exp(Math.fround(logits[i] - top) / t); sum += p[i]; }
  let entropy = 0;
  for (let i = 0; i < size; i++) { p[i] /= sum; if (p[i] > 0) entropy -= p[i] * Math.log2(p[i]); }
  let byK = size, byP = size, byM = size;
  if (!greedy) {
    if (r.topK > 0 && r.topK < size) {
      const threshold = p[order[r.topK - 1]];
      byK = r.topK;
      while (byK < size && p[order[byK]] >= threshold) byK++;
    }
    if (r.topP < 1) {
      let total = 0;
      for (let n = 0; n < byK; n++) {
        total += p[order[n]];
        if (total >= r.topP) { byP = n + 1; break; }
      }
    }
    if (r.minP > 0) {
      const cut = p[order[0]] * r.minP;
      byM = 0;
      while (byM < size && p[order[byM]] >= cut) byM++;
    }
  }
  const kept = Math.min(byK, byP, byM);
  let keptMass = 0;
  for (let n = 0; n < kept; n++) keptMass += p[order[n]];
  return { p, greedy, entropy, kept, keptMass, byK, byP, byM };
}

function drawSliders(r) {
  const off = (text) => `<span class="off">${text}</span>`;
  $("temperature-value").innerHTML = r.temperature === 0 ? `0 ${off("greedy")}` : r.temperature.toFixed(2);
  $("top-k-value").innerHTML = r.topK === 0 ? off("off") : String(r.topK);
  $("top-p-value").innerHTML = r.topP >= 1 ? off("off") : r.topP.toFixed(2);
  $("min-p-value").innerHTML = r.minP === 0 ? off("off") : r.minP.toFixed(2);
  for (const slider of document.querySelectorAll(".cut-slider")) slider.disabled = r.temperature === 0;
}

function drawCandidates() {
  const r = rule();
  drawSliders(r);
  if (!logits) {
    ui.candidates.replaceChildren();
    ui.summary.textContent = ui.prompt.value || state?.prompt ? "" : "Type a prompt to see the model's candidates for the next token.";
    return;
  }
  const d = distribution(r);
  const first = texts.get(order[0]);
  ui.summary.textContent = d.greedy
    ? `Greedy: the next step takes the most likely token, ${first ? first.token : order[0]} (p = ${d.p[order[0]].toFixed(3)}). ` +
      `Entropy ${d.entropy.toFixed(2)} bits. Raise the temperature to sample.`
    : `Sampling from ${d.kept.toLocaleString("en")} token${d.kept === 1 ? "" : "s"} that hold ${(100 * d.keptMass).toFixed(1)}% of the probability, ` +
      `seed ${r.seed}. Entropy ${d.entropy.toFixed(2)} bits.`;
  const head = row(["", "token", "", "p", "logit", d.greedy ? "" : "drawn"]);
  head.classList.add("head");
  head.setAttribute("aria-hidden", "true");
  const rows = [head];
  for (let rank = 0; rank < Math.min(ROWS, order.length); rank++) {
    const id = order[rank];
    const known = texts.get(id);
    const p = d.p[id];
    const cut = !d.greedy && rank >= d.kept;
    const button = row([String(rank + 1), null, null, (100 * p).toFixed(1) + "%", logits[id].toFixed(2),
      d.greedy ? "" : cut ? "0%" : (100 * p / d.keptMass).toFixed(1) + "%"]);
    button.classList.toggle("cut", cut);
    button.classList.toggle("top", rank === 0);
    button.dataset.id = String(id);
    button.dataset.p = String(p);
    button.dataset.logit = String(logits[id]);
    button.dataset.cut = cut ? why(rank, d) : "";
    button.setAttribute("role", "listitem");
    button.setAttribute("aria-label", `${rank + 1}: ${known ? known.token : id}, probability ${(100 * p).toFixed(1)} percent${cut ? ", cut" : ""}. Force it.`);
    const token = button.children[1];
    spell(token, known ? known.token : `id ${id}`);
    if (cut) { const reason = document.createElement("span"); reason.className = "why"; reason.textContent = `cut by ${why(rank, d)}`; token.append(reason); }
    const bar = document.createElement("span");
    bar.style.width = `${Math.max(0.5, 100 * p)}%`;
    button.children[2].append(bar);
    button.title = `id ${id} · logit ${logits[id].toFixed(3)} · p ${p.toFixed(6)} · click (or press ${rank + 1 <= 9 ? rank + 1 : "—"}) to force it`;
    button.addEventListener("click", () => force(id));
    rows.push(button);
  }
  ui.candidates.replaceChildren(...rows);
  buttons();
}

function why(rank, d) { return rank >= d.byK ? "top-k" : rank >= d.byP ? "top-p" : "min-p"; }

function row(cells) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "cand";
  ["rank", "token", "bar", "num", "num", "num"].forEach((name, i) => {
    const cell = document.createElement("span");
    cell.className = name;
    if (cells[i] !== null) cell.textContent = cells[i];
    button.append(cell);
  });
  return button;
}

// The vocabulary's spelling, with ▁ (a space) drawn faintly.
function spell(cell, token) {
  for (const part of token.split(/(▁)/)) {
    if (!part) continue;
    if (part === "▁") { const space = document.createElement("span"); space.className = "space"; space.textContent = "▁"; cell.append(space); }
    else cell.append(part);
  }
}

// ---- step, force, undo, generate ----

async function change(work) {
  if (busy) return;
  busy = true;
  buttons();
  say("");
  try {
    await work();
  } catch (e) {
    report(e);
  } finally {
    busy = false;
    buttons();
  }
}

function buttons() {
  const ready = !!logits && !busy && !generation;
  ui.step.disabled = !ready || state.room === 0;
  ui.generate.disabled = !ready || state.room === 0;
  ui.undo.disabled = busy || !!generation || !state || !state.canUndo;
  ui.stop.hidden = !generation;
  ui.prompt.readOnly = !!generation;
  for (const candidate of ui.candidates.querySelectorAll(".cand:not(.head)")) candidate.disabled = !ready || state.room === 0;
}

function step() {
  if (!logits) return;
  const r = rule();
  return change(async () => {
    const answer = await sessionCall("step", r);
    if (!answer) return;
    if (r.temperature > 0) ui.seed.value = String(r.seed + 1);
    show(answer);
  });
}

function force(id) {
  return change(async () => {
    const answer = await sessionCall("force", { id });
    if (answer) show(answer);
  });
}

function undo() {
  return change(async () => {
    const answer = await sessionCall("undo");
    if (answer) show(answer);
  });
}

// Tokens arrive as server-sent events on the POST's response (fetch can read a stream in every current browser).
async function generate() {
  if (!logits || busy || generation) return;
  generation = new AbortController();
  buttons();
  const request = { ...rule(), maxNewTokens: Math.max(1, Math.floor(Number(ui.count.value) || 1)) };
  const steps = [...state.steps];
  const pieces = [...state.pieces];
  try {
    const response = await fetch(`/api/sessions/${session}/generate`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request), signal: generation.signal,
    });
    if (!response.ok) {
      const json = await response.json().catch(() => null);
      throw new Refusal(response.status, (json && json.error) || `The server answered ${response.status}.`);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let end;
      while ((end = pending.indexOf("\n\n")) >= 0) {
        const event = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const name = /^event: (.*)$/m.exec(event)?.[1];
        const data = JSON.parse(/^data: (.*)$/m.exec(event)?.[1] ?? "null");
        if (name === "token") {
          steps.push(data.step);
          pieces.push(data.piece);
          drawChips(state.prompt, steps, pieces);
          ui.chips.scrollTop = ui.chips.scrollHeight;
          await frame();
        } else if (name === "done") {
          if (request.temperature > 0) ui.seed.value = String(data.nextSeed);
          show(data.state);
          ui.summary.textContent = `Generation stopped at ${data.reason}. ` + ui.summary.textContent;
        } else if (name === "error") {
          show(data.state);
          say(data.error);
        }
      }
    }
  } catch (e) {
    if (e.name !== "AbortError") report(e);
  } finally {
    const stopped = generation.signal.aborted;
    generation = null;
    buttons();
    if (stopped) await refresh();
  }
}

// A small model makes tokens faster than the network delivers them, so several can arrive in one read: each is
// drawn in a frame of its own so that the learner sees them come one by one (a hidden tab still moves on).
function frame() { return new Promise((resolve) => { requestAnimationFrame(resolve); setTimeout(resolve, 50); }); }

// After a stop the server keeps the tokens made so far: ask for the state once it has let go of the session.
async function refresh() {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const answer = await api("GET", `/api/sessions/${session}/state`);
      if (answer) show(answer);
      return;
    } catch (e) {
      if (e.status !== 409) { report(e); return; }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

function stop() { if (generation) generation.abort(); }

// ---- keys: shown in the footer; plain keys only when the prompt box does not have the focus ----

function onKey(event) {
  const typing = event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement && event.target.type === "number"
    || event.target instanceof HTMLSelectElement;
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); step(); return; }
  if (event.key === "Escape") { if (generation) stop(); else if (typing) event.target.blur(); return; }
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key.toLowerCase();
  if (key === "s") step();
  else if (key === "u") undo();
  else if (key === "g") generate();
  else if (key === "i") { ui.showIds.checked = !ui.showIds.checked; idsShown(); }
  else if (key === "/") { event.preventDefault(); ui.prompt.focus(); }
  else if (key === "+" || key === "=") nudge(0.1);
  else if (key === "-" || key === "_") nudge(-0.1);
  else if (/^[1-9]$/.test(key)) {
    const rank = Number(key) - 1;
    if (order && rank < order.length && !ui.step.disabled) force(order[rank]);
  }
  else return;
  event.preventDefault();
}

function nudge(by) {
  ui.temperature.value = String(Math.min(2, Math.max(0, Math.round((Number(ui.temperature.value) + by) * 20) / 20)));
  drawCandidates();
}

function idsShown() { ui.chips.classList.toggle("show-ids", ui.showIds.checked); }

// ---- start ----

async function start() {
  try {
    await open();
  } catch (e) {
    report(e);
    return;
  }
  for (const template of info.templates) {
    const option = document.createElement("option");
    option.value = template.name;
    option.textContent = template.name;
    option.title = template.format;
    ui.template.append(option);
  }
  ui.template.value = saved.getItem("walkthrough-template") || "none";
  ui.prompt.value = saved.getItem("walkthrough-prompt") ?? "Monday, Tuesday, Wednesday,";
  ui.prompt.addEventListener("input", onType);
  ui.template.addEventListener("change", onType);
  for (const slider of [ui.temperature, ui.topK, ui.topP, ui.minP, ui.seed]) slider.addEventListener("input", drawCandidates);
  ui.step.addEventListener("click", step);
  ui.undo.addEventListener("click", undo);
  ui.generate.addEventListener("click", generate);
  ui.stop.addEventListener("click", stop);
  ui.showIds.addEventListener("change", idsShown);
  $("message-close").addEventListener("click", () => say(""));
  document.addEventListener("keydown", onKey);
  window.addEventListener("pagehide", () => navigator.sendBeacon(`/api/sessions/${session}/close`));
  drawCandidates();
  onType();
}

start();
