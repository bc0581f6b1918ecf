#!/usr/bin/env python3
"""Load on a running `khet serve` for `make bench` (tests/bench.sh): USERS
concurrent users, each with its own session, render the sample's documents
(POST /api/render, report all) and download one, over and over for SECONDS.
Prints the renders done, the failures, the latency of a render request (p50,
p95, max), and the peak memory: the server's own (VmHWM) and the largest sum
of the server and its worker processes seen (sampled every 50 ms).
Usage: serve_load.py PORT SERVER_PID [USERS [SECONDS [REPORT]]] (REPORT: all, the
sample's 10 documents, or scorecard, ...). Standard library only."""
import http.client
import json
import os
import sys
import threading
import time

PORT, PID = int(sys.argv[1]), int(sys.argv[2])
USERS = int(sys.argv[3]) if len(sys.argv) > 3 else 20
SECONDS = float(sys.argv[4]) if len(sys.argv) > 4 else 60.0
REPORT = sys.argv[5] if len(sys.argv) > 5 else "all"
lock = threading.Lock()
latencies, failures = [], []


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb():
    """The server's RSS plus that of every process whose parent it is."""
    total = rss_kb(PID)
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == PID:
                total += rss_kb(int(d))
    return total


def user(n, stop):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    c.request("GET", "/api/session")
    r = c.getresponse()
    body = json.loads(r.read())
    cookie = r.getheader("Set-Cookie").split(";")[0]
    head = {"Cookie": cookie, "X-CSRF-Token": body["csrf"], "Content-Type": "application/json"}
    while time.monotonic() < stop:
        t = time.monotonic()
        try:
            c.request("POST", "/api/render", body=json.dumps({"ws": 0, "report": REPORT}), headers=head)
            r = c.getresponse()
            data = r.read()
            took = time.monotonic() - t
            if r.status != 200:
                with lock:
                    failures.append("render %d %s" % (r.status, data[:80]))
                continue
            j = json.loads(data)
            name = j["files"][n % len(j["files"])]
            c.request("GET", "/api/file?ws=0&job=%d&name=%s" % (j["job"], name), headers={"Cookie": cookie})
            r = c.getresponse()
            pdf = r.read()
            if r.status != 200 or not pdf.startswith(b"%PDF"):
                with lock:
                    failures.append("download %d" % r.status)
                continue
            with lock:
                latencies.append(took)
        except Exception as e:  # a failure to count, not to stop the run
            with lock:
                failures.append(repr(e))
            c.close()
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)


def main():
    stop = time.monotonic() + SECONDS
    threads = [threading.Thread(target=user, args=(i, stop)) for i in range(USERS)]
    for t in threads:
        t.start()
    peak = 0
    while any(t.is_alive() for t in threads):
        peak = max(peak, tree_rss_kb())
        time.sleep(0.05)
    hwm = 0
    with open("/proc/%d/status" % PID) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    lat = sorted(latencies)
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else 0
    print("serve: %d users x %.0f s, render %s + download: %d renders (%.1f/s), %d failed; "
          "latency p50 %.0f ms, p95 %.0f ms, max %.0f ms; peak RSS server %.1f MB, server + workers %.1f MB"
          % (USERS, SECONDS, REPORT, len(lat), len(lat) / SECONDS, len(failures), pct(0.50), pct(0.95),
             lat[-1] * 1000 if lat else 0, hwm / 1024, peak / 1024))
    for f in failures[:5]:
        print("  failure: %s" % f)


main()
