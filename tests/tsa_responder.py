#!/usr/bin/env python3
"""A local RFC 3161 time-stamp authority for the tests (no network: it
listens on 127.0.0.1 only). Each POSTed request is answered by
`openssl ts -reply -config CONF`; the port it listens on (chosen by the
system) is written to PORTFILE once it is ready. A POST to /fail is answered
with status 500, as a TSA that is down. With TLSCERT and TLSKEY (PEM) it
answers over HTTPS with that certificate instead.

usage: tsa_responder.py CONF PORTFILE [TLSCERT TLSKEY]
"""
import http.server
import os
import ssl
import subprocess
import sys
import tempfile


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        reply = None
        if self.path != "/fail":
            with tempfile.TemporaryDirectory() as d:
                q, r = os.path.join(d, "q.tsq"), os.path.join(d, "r.tsr")
                with open(q, "wb") as f:
                    f.write(body)
                done = subprocess.run(["openssl", "ts", "-reply", "-config", sys.argv[1], "-queryfile", q,
                                       "-out", r], capture_output=True)
                if done.returncode == 0:
                    with open(r, "rb") as f:
                        reply = f.read()
        if reply is None:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if len(sys.argv) > 4:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    with open(sys.argv[2] + ".tmp", "w") as f:
        f.write(str(server.server_port))
    os.rename(sys.argv[2] + ".tmp", sys.argv[2])
    server.serve_forever()


if __name__ == "__main__":
    main()
