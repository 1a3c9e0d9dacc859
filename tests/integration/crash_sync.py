#!/usr/bin/env python3
"""kill -9 of the kiosk during a sync and of the server during writes, with the real programs.
After the crashes, syncing again must leave head office with exactly the kiosk's consultations,
no duplicates, every blob intact, and both databases passing PRAGMA integrity_check.
Every wait is bounded in time and count."""
import argparse
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

import head_office_blobs


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(binary, db, port):
    p = subprocess.Popen([binary, "serve", "--db", db, "--listen", f"127.0.0.1:{port}"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()  # printed once bound; EOF if it died
    if "listening on" not in line:
        sys.exit(f"FAIL: server did not start on port {port}: {line!r}")
    return p


def run(cmd, timeout=120, stdin=None):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, input=stdin)


def sync_until_done(kiosk, data, attempts=30):
    for _ in range(attempts):
        if run([kiosk, "--data-dir", data, "sync", "--once"]).returncode == 0:
            return
    sys.exit("FAIL: sync did not complete after the crashes")


def check_equal(server_db, kiosk_db, label):
    ho = sqlite3.connect(server_db)
    k = sqlite3.connect(kiosk_db)
    for name, db in (("head office", ho), ("kiosk", k)):
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            sys.exit(f"FAIL ({label}): {name} database: {result}")
    at_server = dict(ho.execute("SELECT id, sha256 FROM consultations").fetchall())
    rows = ho.execute("SELECT COUNT(*) FROM consultations").fetchone()[0]
    at_kiosk = dict(k.execute("SELECT id, content_sha256 FROM consultations").fetchall())
    if at_server != at_kiosk or rows != len(at_server):
        sys.exit(f"FAIL ({label}): head office has {len(at_server)} ({rows} rows), kiosk {len(at_kiosk)}")
    try:
        head_office_blobs.check_every_blob(server_db)
    except (AssertionError, OSError) as e:
        sys.exit(f"FAIL ({label}): {e}")
    pending = k.execute("SELECT COUNT(*) FROM outbox WHERE synced_at IS NULL").fetchone()[0]
    if pending:
        sys.exit(f"FAIL ({label}): {pending} still pending")
    return len(at_server)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--kills", type=int, default=6)
    ap.add_argument("--seed", type=int, default=20261121)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "head-office.sqlite")
        data = os.path.join(tmp, "kiosk")
        port = free_port()
        server = start_server(a.server, db, port)
        try:
            token = json.loads(run([a.server, "kiosk", "add", "--db", db, "--clinic", "Leeds"]).stdout)["token"]
            url = f"http://127.0.0.1:{port}"
            if run([a.kiosk, "--data-dir", data, "enroll", "--server", url, "--token-file", "-"],
                   stdin=token + "\n").returncode:
                sys.exit("FAIL: enroll")

            # 1. The kiosk dies mid-sync, again and again.
            for i in range(a.kills):
                run([a.kiosk, "--data-dir", data, "demo", "--count", "8"])
                p = subprocess.Popen([a.kiosk, "--data-dir", data, "sync", "--once"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0.0, 0.25))  # the random crash point is the test
                p.kill()
                p.wait(timeout=30)
            sync_until_done(a.kiosk, data)
            n = check_equal(db, os.path.join(data, "kiosk.sqlite"), "kiosk killed")
            print(f"kiosk killed {a.kills} times mid-sync: {n} consultations equal at head office")

            # 2. The server dies mid-write while the kiosk syncs; it comes back on the same port.
            for i in range(a.kills):
                run([a.kiosk, "--data-dir", data, "demo", "--count", "8"])
                syncer = subprocess.Popen([a.kiosk, "--data-dir", data, "sync", "--once"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0.0, 0.25))
                server.kill()
                server.wait(timeout=30)
                syncer.wait(timeout=120)
                server = start_server(a.server, db, port)
            sync_until_done(a.kiosk, data)
            n = check_equal(db, os.path.join(data, "kiosk.sqlite"), "server killed")
            print(f"server killed {a.kills} times mid-write: {n} consultations equal at head office")
        finally:
            server.kill()
            server.wait(timeout=30)
    print("crash sync: ok")


if __name__ == "__main__":
    main()
