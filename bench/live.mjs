// Live-update fan-out benchmark: N hub clients (the npm @microsoft/signalr client, WebSockets) on one silo; bookings
// one at a time; the latency of each message from the moment its booking request was sent.
// Usage: node bench/live.mjs <base url> [clients=1000] [bookings=50]   (npm ci in tests/live-js first; bench/live.sh does)
import { createRequire } from "node:module";

const require = createRequire(new URL("../tests/live-js/package.json", import.meta.url));
const signalR = require("@microsoft/signalr");
const [base, clientsArg = "1000", bookingsArg = "50"] = process.argv.slice(2);
const clients = Number(clientsArg), bookings = Number(bookingsArg);
const email = process.env.ADMIN_EMAIL ?? "admin@example.com", password = process.env.ADMIN_PASSWORD ?? "a-long-admin-passphrase";

async function api(path, body, token) {
  const response = await fetch(base + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const token = (await api("/api/auth/login", { email, password })).accessToken;
const interviewer = (await api("/api/interviewers", { name: "Bench Live", email: `bench.live.${Date.now()}@example.com`, timezone: "UTC" }, token)).id;

const arrivals = new Map(); // entity id -> arrival times (ms)
const stamped = new Map(); // entity id -> the change's own time (its `at`, taken on the silo before the commit), on the same clock
const connections = [];
function heard(m) {
  const now = performance.now();
  if (m.entityType !== "event") return;
  let list = arrivals.get(m.entityId);
  if (!list) arrivals.set(m.entityId, (list = [])), stamped.set(m.entityId, Date.parse(m.at) - performance.timeOrigin);
  list.push(now);
}
// CLIENT=signalr (default): the npm client, as a SPA connects. CLIENT=raw: the same JSON hub protocol spoken over a bare
// WebSocket (the `ws` package the npm client itself uses), so that the one Node process spends less of the two cores
// parsing: what remains is nearer the silo's own cost of the fan-out.
async function connectSignalR() {
  const c = new signalR.HubConnectionBuilder()
    .withUrl(`${base}/hubs/scheduler`, { accessTokenFactory: () => token, transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    .configureLogging(signalR.LogLevel.None)
    .build();
  c.on("changed", heard);
  await c.start();
  await c.invoke("Subscribe", null);
  return { stop: () => c.stop() };
}
async function connectRaw() {
  const WebSocket = require("ws");
  const socket = new WebSocket(`${base.replace(/^http/, "ws")}/hubs/scheduler?access_token=${encodeURIComponent(token)}`);
  let subscribed;
  const ready = new Promise((resolve, reject) => { subscribed = resolve; socket.on("error", reject); });
  socket.on("open", () => socket.send('{"protocol":"json","version":1}\x1e'));
  socket.on("message", (data) => {
    for (const frame of data.toString().split("\x1e")) {
      if (!frame || frame === "{}") { if (frame === "{}") socket.send('{"type":1,"invocationId":"1","target":"Subscribe","arguments":[null]}\x1e'); continue; }
      const m = JSON.parse(frame);
      if (m.type === 1 && m.target === "changed") heard(m.arguments[0]);
      else if (m.type === 3) subscribed();
    }
  });
  const ping = setInterval(() => socket.send('{"type":6}\x1e'), 10_000);
  await ready;
  return { stop: () => { clearInterval(ping); socket.close(); } };
}
const connect = process.env.CLIENT === "raw" ? connectRaw : connectSignalR;
for (let n = 0; n < clients; n += 50) {
  connections.push(...await Promise.all(Array.from({ length: Math.min(50, clients - n) }, connect)));
}

const start = new Date(Date.UTC(2031, 0, 6, 0, 0, 0)); // a Monday, far enough ahead
async function book(n) {
  const s = new Date(start.getTime() + n * 3600_000), e = new Date(s.getTime() + 1800_000);
  const sent = performance.now();
  const event = await api("/api/events", { interviewerId: interviewer, title: "Bench", candidateName: "C", candidateEmail: "c@example.com",
    startsAt: s.toISOString().replace(".000", ""), endsAt: e.toISOString().replace(".000", "") }, token);
  const answered = performance.now();
  const deadline = answered + 5000;
  while ((arrivals.get(event.id)?.length ?? 0) < clients && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  return { sent, answered, times: arrivals.get(event.id) ?? [], at: stamped.get(event.id) };
}

// Warm-up bookings, not measured: a fresh process compiles its fan-out path (tier 0, then tier 1) during the first ones,
// and a silo serving a SPA has long been warm. WARMUP=0 measures from the first booking.
const warmup = Number(process.env.WARMUP ?? 10);
for (let n = 0; n < warmup; n++) await book(-1 - n);
const latencies = [], afterAnswer = [], bookingMs = [], toAt = [], atToFirst = [], firstToLast = [];
let missing = 0;
for (let n = 1; n <= bookings; n++) {
  const { sent, answered, times, at } = await book(n);
  if (times.length > 0) {
    toAt.push(at - sent); const first = times.reduce((a, b) => Math.min(a, b)), last = times.reduce((a, b) => Math.max(a, b));
    atToFirst.push(first - at); firstToLast.push(last - first);
  }
  bookingMs.push(answered - sent);
  missing += clients - times.length;
  for (const t of times) { latencies.push(t - sent); afterAnswer.push(Math.max(0, t - answered)); }
}
const max = (xs) => xs.reduce((a, b) => Math.max(a, b), 0);
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const f = (x) => x.toFixed(1);
console.log(`clients=${clients} bookings=${bookings} messages=${latencies.length} missing=${missing}`);
console.log(`booking request -> message at every client (ms): p50=${f(pct(latencies, 50))} p95=${f(pct(latencies, 95))} p99=${f(pct(latencies, 99))} max=${f(max(latencies))}`);
console.log(`booking answered -> message at every client (ms): p50=${f(pct(afterAnswer, 50))} p99=${f(pct(afterAnswer, 99))}`);
console.log(`booking request alone (ms): p50=${f(pct(bookingMs, 50))} p99=${f(pct(bookingMs, 99))}`);
// Where the time goes, per booking (the silo and Node share one clock): request sent -> the change's `at` (before its
// commit); `at` -> the first client's message (commit, outbox read, first send); first -> last client (the fan-out).
console.log(`per booking (ms): request -> at p50=${f(pct(toAt, 50))} max=${f(max(toAt))}; at -> first client p50=${f(pct(atToFirst, 50))} max=${f(max(atToFirst))}; first -> last client p50=${f(pct(firstToLast, 50))} max=${f(max(firstToLast))}`);
await Promise.all(connections.map((c) => c.stop()));
console.log(`client=${process.env.CLIENT ?? "signalr"} warmup=${warmup}`);
process.exit(missing === 0 ? 0 : 1);
