#!/usr/bin/env python3
"""Full-text search and exports against a running, seeded Scheduler (bench/search.sh seeds one and runs this).

search  GET /api/events?q=..&limit=20, one request at a time after a warm-up, over a mix of queries: a name prefix
        ("gra"), a full name, an email prefix, title words, and a word nothing matches.
export  GET /api/exports/interviews?format=csv (then xlsx), the whole list, read as it streams; the service's RSS is
        sampled every 20 ms from /proc during each export (SERVER_PID), so the growth over the RSS before it is shown.
Only the standard library; talks to 127.0.0.1 only; every phase is bounded in count.
"""
import http.client, json, os, threading, time, urllib.parse

PORT = int(os.environ["PORT"])
TOKEN = os.environ["TOKEN"]
SERVER_PID = os.environ["SERVER_PID"]
SAMPLES = int(os.environ.get("SAMPLES", "300"))
EXPORTS = int(os.environ.get("EXPORTS", "3"))
QUERIES = {
    "prefix": ["gra", "tur", "lov", "hop", "dij", "ker", "mar", "str"],
    "full name": ["grace hopper", "alan turing", "barbara liskov", "linus torvalds"],
    "email": ["ada.lovelace", "ken.thompson", "joan.clarke"],
    "title": ["system design", "pair programming", "culture"],
    "no match": ["zzyzx", "qwxv"],
}


def connect():
    return http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)


def rss_mib():
    with open(f"/proc/{SERVER_PID}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentiles(samples):
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    return f"p50 {pick(0.50):6.1f} ms  p90 {pick(0.90):6.1f} ms  p99 {pick(0.99):6.1f} ms  max {ordered[-1]:6.1f} ms  (n={len(ordered)})"


def search(conn, q):
    started = time.perf_counter()
    conn.request("GET", "/api/events?limit=20&q=" + urllib.parse.quote(q), headers={"Authorization": "Bearer " + TOKEN})
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status == 200, (response.status, body[:300])
    return elapsed, json.loads(body)["pagination"]["total"]


def export(fmt):
    conn = connect()
    before = rss_mib()
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_mib())
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    conn.request("GET", f"/api/exports/interviews?format={fmt}", headers={"Authorization": "Bearer " + TOKEN})
    response = conn.getresponse()
    size = lines = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    assert response.status == 200, response.status
    rows = f", {lines - 1} rows" if fmt == "csv" else ""
    print(f"export {fmt}: {elapsed:6.2f} s, {size / 1048576:6.1f} MiB{rows}; RSS before {before:.0f} MiB, peak during "
          f"{peak[0]:.0f} MiB (+{peak[0] - before:.0f} MiB)")


def main():
    conn = connect()
    kinds = [(kind, q) for kind, qs in QUERIES.items() for q in qs]
    for i in range(20):
        search(conn, kinds[i % len(kinds)][1])
    by_kind = {kind: [] for kind in QUERIES}
    matches = {}
    for i in range(SAMPLES):
        kind, q = kinds[i % len(kinds)]
        elapsed, total = search(conn, q)
        by_kind[kind].append(elapsed)
        matches[q] = total
    print("search GET /api/events?q=..&limit=20, one at a time:")
    for kind, samples in by_kind.items():
        counts = sorted(matches[q] for q in QUERIES[kind])
        print(f"  {kind:10s} {percentiles(samples)}  matches {counts[0]}-{counts[-1]}")
    print(f"  {'all':10s} {percentiles([s for samples in by_kind.values() for s in samples])}")
    for fmt in ["csv"] * EXPORTS + ["xlsx"] * 2:
        export(fmt)


if __name__ == "__main__":
    main()
