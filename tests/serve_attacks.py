#!/usr/bin/env python3
"""Raw-socket attacks on a running `khet serve` (127.0.0.1 only), for
tests/cli/92-attacks.sh: malformed requests (each of their 18 kinds six times
in make test, 1,000 under KHET_FULL=1: make check-all), slow clients holding
connections open while a normal request is served, and a slow upload.
Usage: serve_attacks.py PORT. Prints one "ok - what" or "not ok - what: why"
line per check; standard library only."""
import os
import random
import socket
import sys
import time

PORT = int(sys.argv[1])
SLOW = float(os.environ.get("KHET_SLOW", "1"))  # valgrind: everything 20 times slower
# the malformed requests: every kind six times (make test), or 1,000 (KHET_FULL=1, make check-all)
N_MALFORMED = 1000 if os.environ.get("KHET_FULL", "0") == "1" else 108
HOST = "127.0.0.1"


def say(cond, what, why=""):
    print(("ok - %s" % what) if cond else ("not ok - %s: %s" % (what, why)), flush=True)


def exchange(data, timeout=3.0 * SLOW):
    """Sends raw bytes and returns what came back before the server closed
    (or the timeout); b'' when it closed without a word (or hung up while
    we were still sending: any socket error counts as closed)."""
    out = b""
    try:
        s = socket.create_connection((HOST, PORT), timeout=timeout)
    except OSError as e:
        return b"NOCONNECT " + str(e).encode()
    try:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass
    finally:
        s.close()
    return out


def healthy():
    r = exchange(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    return r.startswith(b"HTTP/1.1 200") and b"nosniff" in r


def malformed(i, rnd):
    """The i-th malformed request: each kind in turn, with random bytes."""
    junk = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 300)))
    kinds = [
        junk,
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        b"FROB / HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"b" * 200000 + b"\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"".join(b"H%d: v\r\n" % k for k in range(3000)) + b"\r\n",
        b"POST /api/render HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}",
        b"POST /api/render HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{}",
        b"POST /api/render HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        b"POST /api/upload?name=x.zip HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n0123456789",
        b"GET /api/file?ws=0&job=1&name=%00%2e%2e HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /%%%%%%%%% HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nCookie: khet_session=" + b"\xff" * 100 + b"\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + junk,  # a TLS hello to a plain server
        b"GET / HTTP/1.1\nHost: x\n\n\x00\x00\x00",
        b"POST /api/round/sign HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 44\r\n\r\n"
        b'{"round":"../../etc/x","passphrase":"a\\nb"}',
        b"POST /api/key HTTP/1.1\r\nHost: x\r\nContent-Length: 900000\r\n\r\n{\"p12\":\"" + junk,
    ]
    return kinds[i % len(kinds)]


N_KINDS = 18  # malformed()'s kinds


def main():
    try:
        attacks()
    except Exception as e:  # never a silent stop: the shell counts the lines
        say(False, "the attack script stopped", repr(e))


def attacks():
    rnd = random.Random(23)  # the same requests every run
    say(healthy(), "the server answers before the attacks")

    crashes = 0
    statuses = {}
    for i in range(N_MALFORMED):
        r = exchange(malformed(i, rnd), timeout=5.0 * SLOW)
        code = (r[9:12].decode("ascii", "replace") if r.startswith(b"HTTP/1.") else
                "noconnect" if r.startswith(b"NOCONNECT") else "closed")
        statuses[code] = statuses.get(code, 0) + 1
        if (code.startswith("2") and i % N_KINDS not in (13, 15)) or code == "noconnect":
            crashes += 1  # (13, 15: a cookie it ignores, a bare-LF request: may be served)
    say(crashes == 0, "%d malformed requests: each refused (4xx, 5xx or closed)" % N_MALFORMED, repr(statuses))
    say(healthy(), "the server answers after %d malformed requests" % N_MALFORMED, repr(statuses))

    # a flood of visitors: 400 new sessions (the table holds 256)
    made = sum(exchange(b"GET /api/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
               .startswith(b"HTTP/1.1 200") for _ in range(400))
    say(made == 400, "400 visitors each get a session", "%d" % made)

    # slow clients: 100 connections sending a request a byte at a time
    slow = []
    for _ in range(100):
        s = socket.create_connection((HOST, PORT), timeout=5 * SLOW)
        s.sendall(b"GET / HT")
        slow.append(s)
    t = time.monotonic()
    ok = healthy()
    took = time.monotonic() - t
    say(ok and took < 5.0 * SLOW, "100 slow clients do not keep a normal request waiting", "%.2f s" % took)
    # a slow upload: a body that trickles in
    up = socket.create_connection((HOST, PORT), timeout=5 * SLOW)
    up.sendall(b"POST /api/upload?name=a.zip HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nPK")
    t = time.monotonic()
    ok = healthy()
    say(ok and time.monotonic() - t < 5.0 * SLOW, "a trickling upload does not keep others waiting")
    for s in slow + [up]:
        s.close()
    time.sleep(0.2)
    say(healthy(), "the server answers once the slow clients have gone")


main()
