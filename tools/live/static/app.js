// The live hall: polls /api/state, draws the hall, the friendship graph, the taps and
// each pin's screen. Plain JavaScript, no build step.
"use strict";

const POLL_MS = 300;
const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                 "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
let lastSeq = 0;
let state = null;
const flashes = [];          // {a, b, until} lines drawn for a moment after a tap
const screenVersion = {};    // pin index -> version shown

function $(id) { return document.getElementById(id); }

function hms(t) {
  t = Math.max(0, Math.floor(t));
  const h = Math.floor(t / 3600), m = Math.floor(t / 60) % 60, s = t % 60;
  return [h, m, s].map((v, i) => (i && v < 10 ? "0" : "") + v).join(":");
}

async function control(body) {
  const r = await fetch("/api/control", {method: "POST", body: JSON.stringify(body),
                                        headers: {"Content-Type": "application/json"}});
  if (!r.ok) showError("control: " + (await r.text()));
  poll();
}

function buildControls(s) {
  const box = $("speeds");
  if (box.childElementCount) return;
  for (const v of s.speeds) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "speed";
    b.id = "speed-" + (v || "max");
    b.textContent = v ? v + "x" : "max";
    b.title = v ? v + " virtual seconds per second" : "as fast as this machine runs it";
    b.onclick = () => control({speed: v});
    box.appendChild(b);
  }
  $("play").onclick = () => control({paused: !state.paused});
}

function buildScreens(s) {
  const box = $("screens");
  if (box.childElementCount) return;
  for (const p of s.pins) {
    const fig = document.createElement("figure");
    fig.className = "screen";
    fig.id = "pin-" + p.i;
    const img = document.createElement("img");
    img.id = "screen-" + p.i;
    img.alt = "screen of " + p.name;
    img.dataset.version = "-1";
    // the panel's own pixels, shown a little larger and still sharp
    img.onload = () => { img.style.width = Math.round(img.naturalWidth * 1.25) + "px"; };
    const cap = document.createElement("figcaption");
    cap.id = "caption-" + p.i;
    fig.append(img, cap);
    box.appendChild(fig);
  }
}

function updateScreens(s) {
  for (const p of s.pins) {
    const img = $("screen-" + p.i);
    if (screenVersion[p.i] !== p.screen) {
      screenVersion[p.i] = p.screen;
      // a new picture only when the panel refreshed: the version is its refresh count
      img.src = "/api/screen/" + p.i + ".png?v=" + p.screen;
      img.dataset.version = String(p.screen);
    }
    $("caption-" + p.i).textContent =
      p.name + (p.asleep ? " (deep sleep)" : "") + " - " + p.refreshes.full + " full, " +
      p.refreshes.partial + " partial refreshes, " + p.ghost_pixels + " ghost px";
  }
}

function drawHall(s) {
  const c = $("hall"), g = c.getContext("2d");
  const h = s.hall, pad = 16;
  const scale = Math.min((c.width - 2 * pad) / (h.x1 - h.x0), (c.height - 2 * pad) / (h.y1 - h.y0));
  const X = x => pad + (x - h.x0) * scale, Y = y => pad + (y - h.y0) * scale;
  g.clearRect(0, 0, c.width, c.height);
  g.strokeStyle = "#ccc";
  g.strokeRect(X(h.x0), Y(h.y0), (h.x1 - h.x0) * scale, (h.y1 - h.y0) * scale);
  const groupOf = {};
  s.groups.forEach((grp, k) => {
    let cx = 0, cy = 0;
    for (const i of grp) { groupOf[i] = k; cx += s.pins[i].x; cy += s.pins[i].y; }
    cx /= grp.length; cy /= grp.length;
    let r = 0;
    for (const i of grp) r = Math.max(r, Math.hypot(s.pins[i].x - cx, s.pins[i].y - cy));
    g.beginPath();
    g.fillStyle = "rgba(120, 140, 200, 0.15)";
    g.arc(X(cx), Y(cy), (r + 0.7) * scale, 0, 2 * Math.PI);
    g.fill();
  });
  const now = performance.now();
  for (let k = flashes.length - 1; k >= 0; k--) {
    const f = flashes[k];
    if (f.until < now) { flashes.splice(k, 1); continue; }
    const a = s.pins[f.a], b = s.pins[f.b];
    g.strokeStyle = "rgba(220, 30, 30, 0.9)";
    g.lineWidth = 4;
    g.beginPath(); g.moveTo(X(a.x), Y(a.y)); g.lineTo(X(b.x), Y(b.y)); g.stroke();
  }
  g.lineWidth = 1;
  let home = 0;
  for (const p of s.pins) {
    if (p.home) { home++; continue; }
    const x = X(p.x), y = Y(p.y), col = COLOURS[p.i % COLOURS.length];
    g.fillStyle = col;
    g.beginPath(); g.arc(x, y, 6, 0, 2 * Math.PI); g.fill();
    g.strokeStyle = col;
    g.beginPath(); g.moveTo(x, y);
    g.lineTo(x + 11 * Math.cos(p.facing), y + 11 * Math.sin(p.facing)); g.stroke();
    g.fillStyle = "#333";
    g.font = "11px system-ui";
    g.fillText(p.name, x + 8, y - 7);
  }
  if (home) {
    g.fillStyle = "#555";
    g.font = "13px system-ui";
    g.fillText(home + " of " + s.pins.length + " at home for the night", pad + 4, c.height - 6);
  }
}

function drawGraph(s) {
  const svg = $("graph"), n = s.pins.length, R = 85;
  const pos = s.pins.map((p, k) => [R * Math.cos(2 * Math.PI * k / n - Math.PI / 2),
                                     R * Math.sin(2 * Math.PI * k / n - Math.PI / 2)]);
  let out = "";
  for (const [a, b, both] of s.friendships) {
    out += '<line class="edge" x1="' + pos[a][0] + '" y1="' + pos[a][1] + '" x2="' + pos[b][0] +
      '" y2="' + pos[b][1] + '" stroke="#456" stroke-width="' + (both ? 2 : 1) + '"' +
      (both ? "" : ' stroke-dasharray="3 3"') + "/>";
  }
  for (const p of s.pins) {
    const [x, y] = pos[p.i];
    out += '<g class="node"><circle cx="' + x + '" cy="' + y + '" r="7" fill="' +
      COLOURS[p.i % COLOURS.length] + '"/><text x="' + x + '" y="' + (y + 3) +
      '" font-size="7" text-anchor="middle" fill="#fff">' + p.friends + "</text></g>";
  }
  svg.innerHTML = out;
}

function addEvents(s) {
  const list = $("taps");
  for (const e of s.events) {
    if (e.kind === "gesture") continue;   // people bringing pins together: not yet a friendship
    const li = document.createElement("li");
    li.className = "tap " + e.kind;
    li.dataset.a = e.a; li.dataset.b = e.b;
    const who = s.pins[e.a].name + " and " + s.pins[e.b].name;
    li.textContent = hms(e.t) + "  " + who + (e.kind === "both" ? ": friends on both pins"
                                                           : ": tap, first pin has the card");
    list.prepend(li);
    if (e.kind === "tap") flashes.push({a: e.a, b: e.b, until: performance.now() + 1500});
  }
}

function showError(text) {
  const el = $("error");
  el.textContent = text;
  el.hidden = !text;
}

function render(s) {
  buildControls(s);
  buildScreens(s);
  addEvents(s);
  $("clock").textContent = hms(s.t);
  $("phase").textContent = s.finished ? "finished" : (s.t >= s.day_end ? "night at home" : "at the event");
  $("play").textContent = s.paused ? "Play" : "Pause";
  $("play").setAttribute("aria-pressed", String(!s.paused));
  for (const b of document.querySelectorAll("button.speed")) {
    b.setAttribute("aria-pressed", String(b.id === "speed-" + (s.speed || "max")));
  }
  const both = s.friendships.filter(f => f[2]).length;
  $("summary").textContent = s.pins.length + " pins, " + s.groups.length + " groups talking, " +
    s.friendships.length + " friendships (" + both + " on both pins)";
  drawHall(s);
  drawGraph(s);
  updateScreens(s);
  document.body.dataset.pins = String(s.pins.length);
  document.body.dataset.t = String(s.t);
  showError(s.error ? "The simulation stopped: " + s.error : "");
}

let polling = false;

async function poll() {
  if (polling) return;       // one request at a time: events arrive once, in order
  polling = true;
  try {
    const r = await fetch("/api/state?since=" + lastSeq);
    const s = await r.json();
    state = s;
    render(s);
    lastSeq = s.seq;
  } catch (err) {
    showError("lost the simulator (" + err + "); is cloudpin sim --serve still running?");
  } finally {
    polling = false;
  }
}

async function loop() {
  await poll();
  setTimeout(loop, POLL_MS);
}
loop();
