#!/usr/bin/env python3
"""Two smp-server processes on one PostgreSQL database and one blob folder, started at the same
moment (one creates the schema, the other waits for it). The kiosk syncs through either; each
server in turn is killed with SIGKILL mid-upload and restarted. Afterwards head office holds
exactly the kiosk's consultations, none twice, and every photo and preview they name is a file
whose sha256 is its name. Needs the test cluster ($SMP_TEST_POSTGRES, ctest's `postgres`
fixture). Every wait is bounded in time and count."""
import argparse
import hashlib
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, timeout=120, stdin=None):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, input=stdin)


class Server:
    def __init__(self, binary, uri, blobs, port):
        self.args = [binary, "serve", "--db", uri, "--blobs", blobs, "--listen", f"127.0.0.1:{port}"]
        self.url = f"http://127.0.0.1:{port}"
        self.process = None

    def spawn(self):
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True)

    def wait_listening(self):
        line = self.process.stdout.readline()  # printed once bound; EOF if it died
        if "listening on" not in line:
            sys.exit(f"FAIL: server {self.url} did not start: {line!r}")

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=30)


def sync_until_done(kiosk, data, servers, attempts=30):
    for i in range(attempts):
        url = servers[i % len(servers)].url
        if run([kiosk, "--data-dir", data, "--server", url, "sync", "--once"]).returncode == 0:
            return
    sys.exit("FAIL: sync did not complete after the crashes")


def check_equal(server_bin, uri, blobs, kiosk_db, label):
    export = run([server_bin, "export", "--db", uri])
    if export.returncode:
        sys.exit(f"FAIL ({label}): export: {export.stderr}")
    lines = [json.loads(line) for line in export.stdout.splitlines() if line]
    at_server = {line["id"]: line["record_sha256"] for line in lines}
    k = sqlite3.connect(kiosk_db)
    at_kiosk = dict(k.execute("SELECT id, content_sha256 FROM consultations").fetchall())
    if at_server != at_kiosk or len(lines) != len(at_server):
        sys.exit(f"FAIL ({label}): head office has {len(at_server)} ({len(lines)} lines), "
                 f"kiosk {len(at_kiosk)}")
    named = 0
    for line in lines:
        for sha in line["photo_sha256"] + line["preview_sha256"]:
            path = os.path.join(blobs, sha[:2], sha[2:4], sha)
            with open(path, "rb") as f:
                actual = hashlib.sha256(f.read()).hexdigest()
            if actual != sha:
                sys.exit(f"FAIL ({label}): blob {sha} damaged (hashes to {actual})")
            named += 1
    check = run([server_bin, "blobs", "check", "--db", uri])
    if check.returncode:
        sys.exit(f"FAIL ({label}): blobs check: {check.stdout}{check.stderr}")
    pending = k.execute("SELECT COUNT(*) FROM outbox WHERE synced_at IS NULL").fetchone()[0]
    if pending:
        sys.exit(f"FAIL ({label}): {pending} still pending")
    return len(at_server), named


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--kills", type=int, default=4)
    ap.add_argument("--seed", type=int, default=20261203)
    a = ap.parse_args()
    cluster = os.environ.get("SMP_TEST_POSTGRES")
    if not cluster:
        sys.exit("FAIL: $SMP_TEST_POSTGRES is not set (run through ctest: the postgres fixture)")
    rng = random.Random(a.seed)
    database = f"crash_{os.getpid()}"
    admin = f"postgresql:///postgres?host={cluster}&user=smp"
    if run(["psql", admin, "-qc", f"CREATE DATABASE {database}"]).returncode:
        sys.exit("FAIL: cannot create the test database")
    uri = f"postgresql:///{database}?host={cluster}&user=smp"
    servers = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            blobs = os.path.join(tmp, "blobs")
            data = os.path.join(tmp, "kiosk")
            servers = [Server(a.server, uri, blobs, free_port()) for _ in range(2)]
            for s in servers:  # both at once: the schema is made once, under PostgreSQL's lock
                s.spawn()
            for s in servers:
                s.wait_listening()
            added = run([a.server, "kiosk", "add", "--db", uri, "--clinic", "Leeds"])
            token = json.loads(added.stdout)["token"]
            if run([a.kiosk, "--data-dir", data, "enroll", "--server", servers[0].url,
                    "--token-file", "-"], stdin=token + "\n").returncode:
                sys.exit("FAIL: enroll")
            for i in range(a.kills):
                victim = servers[i % 2]
                run([a.kiosk, "--data-dir", data, "demo", "--count", "8"])
                syncer = subprocess.Popen(
                    [a.kiosk, "--data-dir", data, "--server", victim.url, "sync", "--once"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0.0, 0.25))  # the random crash point is the test
                victim.kill()
                syncer.wait(timeout=120)
                # The other server goes on serving the same kiosk meanwhile.
                run([a.kiosk, "--data-dir", data, "--server", servers[(i + 1) % 2].url,
                     "sync", "--once"])
                victim.spawn()
                victim.wait_listening()
            sync_until_done(a.kiosk, data, servers)
            n, named = check_equal(a.server, uri, blobs, os.path.join(data, "kiosk.sqlite"),
                                   "servers killed")
            print(f"two servers on one PostgreSQL, each killed mid-upload ({a.kills} kills): "
                  f"{n} consultations equal at head office, {named} photos and previews intact")
    finally:
        for s in servers:
            if s.process and s.process.poll() is None:
                s.kill()
        run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"])
    print("crash two servers: ok")


if __name__ == "__main__":
    main()
