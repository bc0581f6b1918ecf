#!/usr/bin/env python3
"""An insider's tool for the tests: recomputes the hash chain of a khet ledger
after its rows were edited, with the formula README.md publishes (each round's
row_hash is the SHA-256 of its canonical JSON: the round's fields, signers,
documents, sources, results and the previous round's hash, keys sorted, no
spaces; the fonts and library versions too when the round records them), and
writes the new hashes in. With --head it also rewrites an
unsigned ARCHIVE/ledger.head to match (what anyone can do to an archive filed
without a key). Runs with the triggers dropped; puts them back as they were.

usage: ledger_rehash.py ARCHIVE [--sql STATEMENTS] [--head]
(--sql: what the insider changes first, with the triggers out of the way)
"""
import hashlib
import json
import os
import sqlite3
import sys

GENESIS = "0" * 64


def main(archive, sql, head):
    db = sqlite3.connect(os.path.join(archive, "ledger.sqlite"))
    triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _ in triggers:
        db.execute("DROP TRIGGER %s" % name)
    if sql:
        db.executescript("BEGIN; %s; COMMIT;" % sql)
    cols = ("round", "scheme", "kind", "period", "round_no", "signed_off", "region", "fiscal_year", "seal",
            "cert_sha256")
    prev, last, n = GENESIS, None, 0
    for row in db.execute("SELECT seq, %s FROM rounds ORDER BY seq" % ", ".join(cols)).fetchall():
        r = dict(zip(cols, row[1:]))
        rid = r["round"]
        r["prev_hash"] = prev
        r["signers"] = [dict(zip(("role", "name", "position", "signed_on"), s)) for s in db.execute(
            "SELECT role, name, position, signed_on FROM signers WHERE round = ? ORDER BY seq", (rid,))]
        r["documents"] = [dict(zip(("file", "sha256", "bytes"), s)) for s in db.execute(
            "SELECT file, sha256, bytes FROM documents WHERE round = ? ORDER BY file", (rid,))]
        r["sources"] = [dict(zip(("file", "sha256", "bytes"), s)) for s in db.execute(
            "SELECT name, sha256, bytes FROM sources WHERE round = ? ORDER BY name", (rid,))]
        r["results"] = [dict(zip(("code", "name", "total_cp", "max_cp", "percent_x100", "grade", "rank",
                                  "clawback_satang"), s)) for s in db.execute(
            "SELECT code, name, total_cp, max_cp, percent_x100, grade, rank, clawback_satang FROM results"
            " WHERE round = ? ORDER BY code", (rid,))]
        has_env = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'environment'").fetchone()[0]
        env = [dict(zip(("name", "value"), e)) for e in db.execute(
            "SELECT name, value FROM environment WHERE round = ? ORDER BY name", (rid,))] if has_env else []
        if env:  # rounds filed before the environment was recorded hash without it
            r["environment"] = env
        text = json.dumps(r, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        h = hashlib.sha256(text.encode()).hexdigest()
        db.execute("UPDATE rounds SET prev_hash = ?, row_hash = ? WHERE seq = ?", (prev, h, row[0]))
        prev, last, n = h, rid, n + 1
    for _, sql in triggers:
        db.execute(sql)
    db.commit()
    if head:
        with open(os.path.join(archive, "ledger.head"), "w") as f:
            f.write("khet ledger head\nrounds: %d\nlast: %s\nhead: %s\n" % (n, last, prev))


if __name__ == "__main__":
    args = sys.argv[2:]
    main(sys.argv[1], args[args.index("--sql") + 1] if "--sql" in args else None, "--head" in args)
