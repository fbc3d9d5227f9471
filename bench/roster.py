#!/usr/bin/env python3
"""Roster availability, panels and backups against a running Scheduler (bench/roster.sh starts one).

Seeds INTERVIEWERS interviewers (skill "bench", and one of "alpha"/"beta"/"gamma" in turn; Mon-Fri 09:00-17:00 UTC)
and BOOKINGS interviews in the week measured, then times, one request at a time after a warm-up:
  roster  GET  /api/availability?skills=bench, one week, 60 min
  panel   POST /api/availability/panel, 3 requirements (alpha, beta, gamma), one week, 60 min
and the write latency of creates running while POST /api/backups copies the database (the writer pause).
Only the standard library; talks to 127.0.0.1 only; every phase is bounded in count.
"""
import datetime, http.client, json, os, random, statistics, sys, threading, time

PORT = int(os.environ["PORT"])
INTERVIEWERS = int(os.environ.get("INTERVIEWERS", "1000"))
BOOKINGS = int(os.environ.get("BOOKINGS", "2000"))
SAMPLES = int(os.environ.get("SAMPLES", "200"))


def call(conn, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, (json.loads(data) if data else None)


def connect():
    return http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def percentiles(samples):
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    return f"p50 {pick(0.50):7.1f} ms  p90 {pick(0.90):7.1f} ms  p99 {pick(0.99):7.1f} ms  max {ordered[-1]:7.1f} ms  (n={len(ordered)})"


def main():
    conn = connect()
    status, tokens = call(conn, "POST", "/api/auth/login", {"email": os.environ["ADMIN_EMAIL"], "password": os.environ["ADMIN_PASSWORD"]})
    assert status == 200, (status, tokens)
    token = tokens["accessToken"]
    today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    monday = today + datetime.timedelta(days=7 - today.weekday() + 7)
    hours = {d: [{"start": "09:00", "end": "17:00"}] for d in ["monday", "tuesday", "wednesday", "thursday", "friday"]}
    ids = []
    started = time.time()
    for n in range(INTERVIEWERS):
        status, created = call(conn, "POST", "/api/interviewers", {
            "name": f"Bench {n}", "email": f"bench{n}.{random.randrange(1 << 30)}@example.com", "timezone": "UTC",
            "skills": ["bench", ["alpha", "beta", "gamma"][n % 3]], "workingHours": hours, "bufferMinutes": 15}, token)
        assert status == 201, (status, created)
        ids.append(created["id"])
    random.seed(7)
    booked = 0
    for _ in range(BOOKINGS):
        start = monday + datetime.timedelta(days=random.randrange(5), hours=9 + random.randrange(8))
        status, _ = call(conn, "POST", "/api/events", {
            "interviewerId": random.choice(ids), "title": "Bench", "candidateName": "Casey", "candidateEmail": "casey@example.com",
            "startsAt": iso(start), "endsAt": iso(start + datetime.timedelta(hours=1))}, token)
        booked += status == 201
    print(f"seeded {INTERVIEWERS} interviewers and {booked} interviews in {time.time() - started:.0f} s")

    week = f"from={iso(monday)}&to={iso(monday + datetime.timedelta(days=7))}"
    roster = f"/api/availability?skills=bench&{week}&durationMinutes=60"
    panel = {"requirements": [{"skills": ["alpha"]}, {"skills": ["beta"]}, {"skills": ["gamma"]}], "durationMinutes": 60,
             "from": iso(monday), "to": iso(monday + datetime.timedelta(days=7))}
    for name, send in [("roster (1,000 interviewers, 1 skill, 1 week)", lambda: call(conn, "GET", roster, token=token)),
                       ("panel  (3 requirements, 1 week)            ", lambda: call(conn, "POST", "/api/availability/panel", panel, token))]:
        for _ in range(20):
            status, body = send()
            assert status == 200, (status, body)
        samples = []
        for _ in range(SAMPLES):
            t = time.perf_counter()
            status, body = send()
            samples.append((time.perf_counter() - t) * 1000)
            assert status == 200, (status, body)
        print(f"{name}  {percentiles(samples)}")

    # The writer pause: creates run back to back on their own connection while a backup copies the database.
    latencies, stop = [], threading.Event()
    def writer():
        own = connect()
        n = 0
        while not stop.is_set():
            t = time.perf_counter()
            status, _ = call(own, "POST", "/api/interviewers", {"name": f"W {n}", "email": f"w{n}.{random.randrange(1 << 30)}@example.com"}, token)
            latencies.append((t, (time.perf_counter() - t) * 1000))
            assert status == 201
            n += 1
    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(2)
    t0 = time.perf_counter()
    status, manifest = call(conn, "POST", "/api/backups", token=token)
    t1 = time.perf_counter()
    time.sleep(2)
    stop.set()
    thread.join()
    assert status == 200, (status, manifest)
    during = [ms for (t, ms) in latencies if t0 <= t <= t1 or t0 <= t + ms / 1000 <= t1]
    outside = [ms for (t, ms) in latencies if t + ms / 1000 < t0 or t > t1]
    print(f"backup {manifest['sizeBytes'] / 1048576:.1f} MiB in {(t1 - t0) * 1000:.0f} ms (copy and verify {manifest['durationMs']:.0f} ms), "
          f"integrity {manifest['integrityCheck']}")
    print(f"creates during the backup   {percentiles(during) if during else 'none'}")
    print(f"creates outside the backup  {percentiles(outside)}")


if __name__ == "__main__":
    sys.exit(main())
