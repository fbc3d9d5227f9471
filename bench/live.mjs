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
const connections = [];
for (let n = 0; n < clients; n += 50) {
  await Promise.all(Array.from({ length: Math.min(50, clients - n) }, async () => {
    const c = new signalR.HubConnectionBuilder()
      .withUrl(`${base}/hubs/scheduler`, { accessTokenFactory: () => token, transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
      .configureLogging(signalR.LogLevel.None)
      .build();
    c.on("changed", (m) => {
      const now = performance.now();
      if (m.entityType !== "event") return;
      let list = arrivals.get(m.entityId);
      if (!list) arrivals.set(m.entityId, (list = []));
      list.push(now);
    });
    await c.start();
    await c.invoke("Subscribe", null);
    connections.push(c);
  }));
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
  return { sent, answered, times: arrivals.get(event.id) ?? [] };
}

await book(0); // warm-up
const latencies = [], afterAnswer = [], bookingMs = [];
let missing = 0;
for (let n = 1; n <= bookings; n++) {
  const { sent, answered, times } = await book(n);
  bookingMs.push(answered - sent);
  missing += clients - times.length;
  for (const t of times) { latencies.push(t - sent); afterAnswer.push(Math.max(0, t - answered)); }
}
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const f = (x) => x.toFixed(1);
console.log(`clients=${clients} bookings=${bookings} messages=${latencies.length} missing=${missing}`);
console.log(`booking request -> message at every client (ms): p50=${f(pct(latencies, 50))} p95=${f(pct(latencies, 95))} p99=${f(pct(latencies, 99))} max=${f(Math.max(...latencies))}`);
console.log(`booking answered -> message at every client (ms): p50=${f(pct(afterAnswer, 50))} p99=${f(pct(afterAnswer, 99))}`);
console.log(`booking request alone (ms): p50=${f(pct(bookingMs, 50))} p99=${f(pct(bookingMs, 99))}`);
await Promise.all(connections.map((c) => c.stop()));
process.exit(missing === 0 ? 0 : 1);
