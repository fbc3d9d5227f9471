#!/usr/bin/env python3
"""Calendar sync and busy-time availability against a running Scheduler (bench/calendar.sh starts one).

Starts Debian's Radicale on a free loopback port (temporary folder, htpasswd auth) and fills two calendars over CalDAV:
  sync    EVENTS objects (default 1,000) for one interviewer: RECURRING weekly series in Europe/Berlin (20
          instances each, one EXDATE) and the rest single events over 180 days, none overlapping another.
          Timed: POST .../calendars/{id}/sync, first the full sync, then SYNCS more after changing one event each
          time (so the collection's sync-token changes and the REPORT runs again), then one with nothing changed.
  avail   BLOCKS single 30-minute events (default 200, ten a day) for another interviewer, in the four weeks measured, then
          GET /api/interviewers/{id}/availability one at a time after a warm-up, over one week and over four weeks.
Only the standard library; talks to 127.0.0.1 only; every phase is bounded in count.
"""
import base64, datetime, http.client, json, os, shutil, socket, subprocess, tempfile, time, uuid

PORT = int(os.environ["PORT"])
TOKEN = os.environ["TOKEN"]
EVENTS = int(os.environ.get("EVENTS", "1000"))
RECURRING = int(os.environ.get("RECURRING", "100"))
BLOCKS = int(os.environ.get("BLOCKS", "200"))
SYNCS = int(os.environ.get("SYNCS", "20"))
SAMPLES = int(os.environ.get("SAMPLES", "300"))
USER, PASSWORD = "bench", "bench-radicale-pass"
AUTH = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
BERLIN = """BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentiles(samples):
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    return f"p50 {pick(0.50):7.1f} ms  p90 {pick(0.90):7.1f} ms  p99 {pick(0.99):7.1f} ms  max {ordered[-1]:7.1f} ms  (n={len(ordered)})"


def api(conn, method, path, body=None):
    conn.request(method, path, json.dumps(body) if body is not None else None,
                 {"Content-Type": "application/json", "Authorization": "Bearer " + TOKEN})
    response = conn.getresponse()
    data = response.read()
    return response.status, (json.loads(data) if data else None)


def dav(port, method, path, body=None, depth=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": AUTH, "Content-Type": "text/calendar; charset=utf-8"}
    if depth is not None:
        headers["Depth"] = depth
    conn.request(method, path, body, headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.status < 300, (method, path, response.status)


def stamp(t):
    return t.strftime("%Y%m%dT%H%M%SZ")


def vevent(uid, start, minutes, extra=""):
    return (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n{BERLIN}BEGIN:VEVENT\r\nUID:{uid}\r\n"
            f"DTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Berlin:{start.strftime('%Y%m%dT%H%M%S')}\r\n"
            f"DTEND;TZID=Europe/Berlin:{(start + datetime.timedelta(minutes=minutes)).strftime('%Y%m%dT%H%M%S')}\r\n"
            f"SUMMARY:Busy\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n")


def interviewer(conn, name):
    hours = {d: [{"start": "08:00", "end": "18:00"}] for d in ["monday", "tuesday", "wednesday", "thursday", "friday"]}
    status, body = api(conn, "POST", "/api/interviewers", {"name": name, "email": f"{uuid.uuid4().hex}@example.com",
                                                           "timezone": "Europe/Berlin", "skills": ["bench"], "workingHours": hours})
    assert status == 201, (status, body)
    return body["id"]


def link(conn, radicale, interviewer_id, calendar):
    url = f"http://127.0.0.1:{radicale}/{USER}/{calendar}/"
    status, body = api(conn, "POST", f"/api/interviewers/{interviewer_id}/calendars",
                       {"kind": "caldav", "url": url, "username": USER, "password": PASSWORD})
    assert status == 201, (status, body)
    return body["id"]


def sync(conn, interviewer_id, calendar_id):
    started = time.perf_counter()
    status, body = api(conn, "POST", f"/api/interviewers/{interviewer_id}/calendars/{calendar_id}/sync")
    elapsed = (time.perf_counter() - started) * 1000
    assert status == 200 and body["lastError"] is None, (status, body)
    return elapsed, body["busyCount"]


def main():
    folder = tempfile.mkdtemp(prefix="bench-radicale-")
    radicale = free_port()
    with open(f"{folder}/users", "w") as users:
        users.write(f"{USER}:{PASSWORD}\n")
    with open(f"{folder}/config", "w") as config:
        config.write(f"[server]\nhosts = 127.0.0.1:{radicale}\n[auth]\ntype = htpasswd\nhtpasswd_filename = {folder}/users\n"
                     f"htpasswd_encryption = plain\n[storage]\nfilesystem_folder = {folder}/collections\n"
                     "[rights]\ntype = owner_only\n[logging]\nlevel = warning\n")
    server = subprocess.Popen(["/usr/bin/python3", "-m", "radicale", "--config", f"{folder}/config"])
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", radicale), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        run(radicale)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


def run(radicale):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    today = datetime.datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    monday = today + datetime.timedelta(days=7 - today.weekday() + 7)

    # Sync: RECURRING weekly series (20 instances, one EXDATE) and single events, EVENTS objects in all.
    dav(radicale, "MKCALENDAR", f"/{USER}/sync/")
    started = time.perf_counter()
    for n in range(EVENTS):
        if n < RECURRING:
            start = monday + datetime.timedelta(days=n % 5, hours=8, minutes=30 * (n // 5))
            exdate = (start + datetime.timedelta(weeks=3)).strftime("%Y%m%dT%H%M%S")
            body = vevent(f"weekly-{n}", start, 20, f"RRULE:FREQ=WEEKLY;COUNT=20\r\nEXDATE;TZID=Europe/Berlin:{exdate}\r\n")
        else:
            start = monday + datetime.timedelta(days=n % 180, hours=8 + 2 * (n // 180), minutes=40)
            body = vevent(f"single-{n}", start, 40)
        dav(radicale, "PUT", f"/{USER}/sync/e{n}.ics", body)
    print(f"filled the sync calendar: {EVENTS} objects ({RECURRING} weekly series) in {time.perf_counter() - started:.1f} s")
    syncer = interviewer(conn, "Sync bench")
    calendar = link(conn, radicale, syncer, "sync")
    first, busy = sync(conn, syncer, calendar)
    print(f"sync, first (full REPORT): {first:7.1f} ms, {busy} busy blocks")
    changed = []
    for n in range(SYNCS):
        start = monday + datetime.timedelta(days=n, hours=7)
        dav(radicale, "PUT", f"/{USER}/sync/e{EVENTS - 1}.ics", vevent(f"single-{EVENTS - 1}", start, 45 + n))
        changed.append(sync(conn, syncer, calendar)[0])
    print(f"sync after one event changed: {percentiles(changed)}")
    unchanged, _ = sync(conn, syncer, calendar)
    print(f"sync with nothing changed (sync-token equal): {unchanged:7.1f} ms")

    # Availability: BLOCKS single events in the four weeks measured.
    dav(radicale, "MKCALENDAR", f"/{USER}/avail/")
    for n in range(BLOCKS):
        start = monday + datetime.timedelta(days=n // 10, hours=8 + n % 10)
        dav(radicale, "PUT", f"/{USER}/avail/b{n}.ics", vevent(f"block-{n}", start, 30))
    busy_interviewer = interviewer(conn, "Availability bench")
    _, busy = sync(conn, busy_interviewer, link(conn, radicale, busy_interviewer, "avail"))
    print(f"availability interviewer: {busy} busy blocks")
    utc = lambda t: (t - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for label, days in (("one week", 7), ("four weeks", 28)):
        path = f"/api/interviewers/{busy_interviewer}/availability?from={utc(monday)}&to={utc(monday + datetime.timedelta(days=days))}&durationMinutes=60"
        samples, slots = [], 0
        for i in range(20 + SAMPLES):
            started = time.perf_counter()
            status, body = api(conn, "GET", path)
            elapsed = (time.perf_counter() - started) * 1000
            assert status == 200, (status, body)
            slots = len(body["slots"])
            if i >= 20:
                samples.append(elapsed)
        print(f"availability, {label} ({slots} slots): {percentiles(samples)}")


if __name__ == "__main__":
    main()
