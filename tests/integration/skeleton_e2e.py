#!/usr/bin/env python3
"""End to end with the real programs: smp-server on a free 127.0.0.1 port, kiosk add, enroll,
demo --count 20, sync --once, then export shows 20 consultations whose photo hashes equal the
kiosk's. Every wait is bounded."""
import argparse
import csv
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

import head_office_blobs


LOGS = []  # every program's stderr: what the journal would keep


def run(cmd, expect=0, timeout=240, stdin=None):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, input=stdin)
    LOGS.append(p.stderr)
    if p.returncode != expect:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--preview", required=True)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "head-office.sqlite")
        data = os.path.join(tmp, "kiosk")
        server_log = open(os.path.join(tmp, "server.log"), "w")
        server = subprocess.Popen([a.server, "serve", "--db", db, "--listen", "127.0.0.1:0"],
                                  stdout=subprocess.PIPE, stderr=server_log, text=True)
        try:
            line = server.stdout.readline()  # printed once bound; the process exiting ends it too
            if "listening on " not in line:
                sys.exit(f"FAIL: server did not start: {line!r}")
            url = line.strip().split("listening on ")[1]

            # Contract checks on bad arguments: clear message, non-zero exit.
            bad = run([a.server, "serve", "--db", db, "--listen", "nonsense"], expect=105)
            assert "HOST:PORT" in bad.stderr, bad.stderr
            run([a.kiosk, "--data-dir", data, "demo", "--count", "0"], expect=105)
            bad = run([a.kiosk, "--data-dir", data, "enroll", "--server", "gopher://x", "--token-file", "-"],
                      expect=1, stdin="t" * 20 + "\n")
            assert "must look like http" in bad.stderr, bad.stderr
            bad = run([a.kiosk, "--data-dir", data, "enroll", "--server", "http://head-office.example.com",
                       "--token-file", "-"], expect=1, stdin="t" * 20 + "\n")
            assert "must use https://" in bad.stderr, bad.stderr
            # The token is never an argument: ps and the shell history would keep it.
            bad = run([a.kiosk, "--data-dir", data, "enroll", "--server", url, "--token", "t" * 20],
                      expect=109)
            assert "--token" in bad.stderr, bad.stderr

            # Before enrolment the kiosk keeps records and says why sync cannot finish.
            added = json.loads(run([a.server, "kiosk", "add", "--db", db, "--clinic", "Leeds"]).stdout)
            assert set(added) == {"kiosk_id", "token", "enrolment_code", "code_expires_at"}, added
            # Enrolled with the one-time code, as the setup screen does; a second use is refused.
            run([a.kiosk, "--data-dir", data, "enroll", "--server", url, "--code-file", "-"],
                stdin=added["enrolment_code"].lower() + "\n")
            again = run([a.kiosk, "--data-dir", os.path.join(tmp, "second"), "enroll", "--server",
                         url, "--code-file", "-"], expect=1, stdin=added["enrolment_code"] + "\n")
            assert "used already" in again.stderr, again.stderr
            code_token = sqlite3.connect(os.path.join(data, "kiosk.sqlite")).execute(
                "SELECT value FROM settings WHERE key = 'server.token'").fetchone()[0]
            assert code_token.startswith("smpk_") and code_token != added["token"]
            run([a.kiosk, "--data-dir", data, "demo", "--count", "20"])
            # Health data and tokens: every database file is the owner's alone.
            for path in [db, db + "-wal", os.path.join(data, "kiosk.sqlite"),
                         os.path.join(data, "kiosk.sqlite-wal")]:
                if os.path.exists(path):
                    mode = os.stat(path).st_mode & 0o777
                    assert mode == 0o600, f"{path} has mode {oct(mode)}"
            status = json.loads(run([a.kiosk, "--data-dir", data, "status"]).stdout)
            assert status["records"] == 20 and status["pending"] == 20, status
            assert status["oldest_pending_age_seconds"] is not None, status

            synced = json.loads(run([a.kiosk, "--data-dir", data, "sync", "--once"]).stdout)
            assert synced["acknowledged"] == 20, synced
            status = json.loads(run([a.kiosk, "--data-dir", data, "status"]).stdout)
            assert status["pending"] == 0 and status["last_sync_result"].startswith("ok"), status

            exported = [json.loads(l) for l in run([a.server, "export", "--db", db, "--format", "jsonl"]).stdout.splitlines()]
            assert len(exported) == 20, len(exported)
            rows = list(csv.DictReader(io.StringIO(run([a.server, "export", "--db", db, "--format", "csv"]).stdout)))
            assert len(rows) == 20, len(rows)

            # What a thief who copies the kiosk's files reads: sealed photos (they no longer hash
            # to their names), no client name, and no store key, which head office now holds.
            # Each 'sync --once' above ran as a fresh process that had to fetch that key first.
            kiosk_path = os.path.join(data, "kiosk.sqlite")
            kiosk_db = sqlite3.connect(kiosk_path)
            kiosk_hashes = {}  # consultation -> set of photo hashes (front, top, signature)
            for cid, sha, blob in kiosk_db.execute(
                    "SELECT p.consultation_id, p.sha256, b.bytes FROM photos p JOIN blobs b ON b.sha256 = p.sha256"):
                assert hashlib.sha256(blob).hexdigest() != sha, "a photo is stored in the clear"
                kiosk_hashes.setdefault(cid, set()).add(sha)
            assert len(kiosk_hashes) == 20
            assert kiosk_db.execute(
                "SELECT COUNT(*) FROM settings WHERE key = 'store.secret_key'").fetchone()[0] == 0
            raw = b"".join(open(kiosk_path + suffix, "rb").read()
                           for suffix in ("", "-wal") if os.path.exists(kiosk_path + suffix))
            names = {e["client_name"] for e in exported}
            assert names and not any(n.encode() in raw for n in names), "a client name is readable"
            assert sqlite3.connect(db).execute(
                "SELECT COUNT(*) FROM kiosk_store_keys WHERE kiosk_id = ?",
                (added["kiosk_id"],)).fetchone()[0] == 1
            for e in exported:
                assert e["clinic"] == "Leeds" and e["kiosk_id"] == added["kiosk_id"], e
                assert set(e["photo_sha256"]) == kiosk_hashes[e["id"]], e
                # The front's preview, and the crown's for every fourth demo client.
                assert len(e["preview_sha256"]) in (1, 2), e
            assert sum(len(e["preview_sha256"]) == 2 for e in exported) == 5, exported
            head_office = sqlite3.connect(db)
            assert head_office_blobs.check_every_blob(db) >= len(exported)
            # The server's own check agrees: nothing missing, nothing orphaned.
            checked = run([a.server, "blobs", "check", "--db", db])
            assert " 0 files" not in checked.stdout and "MISSING" not in checked.stdout, checked.stdout

            # A second sync is a no-op; a wrong server is a clear non-zero exit.
            run([a.kiosk, "--data-dir", data, "sync", "--once"])
            run([a.kiosk, "--data-dir", data, "demo", "--count", "1"])
            off = run([a.kiosk, "--data-dir", data, "--server", "http://127.0.0.1:1", "sync", "--once"], expect=3)
            assert "unreachable" in off.stderr, off.stderr

            # Revoked, then re-enrolled with a rotated token: same kiosk id, the waiting record goes.
            run([a.server, "kiosk", "revoke", "--db", db, "--kiosk-id", added["kiosk_id"]])
            refused = run([a.kiosk, "--data-dir", data, "sync", "--once"], expect=3)
            assert "re-enrol" in refused.stderr, refused.stderr
            rotated = json.loads(run([a.server, "kiosk", "rotate-token", "--db", db,
                                      "--kiosk-id", added["kiosk_id"]]).stdout)
            assert rotated["kiosk_id"] == added["kiosk_id"] and rotated["token"] != added["token"], rotated
            run([a.kiosk, "--data-dir", data, "enroll", "--server", url, "--token-file", "-"],
                stdin=rotated["token"] + "\n")
            run([a.kiosk, "--data-dir", data, "sync", "--once"])
            assert json.loads(run([a.kiosk, "--data-dir", data, "status"]).stdout)["pending"] == 0
            nope = run([a.server, "kiosk", "rotate-token", "--db", db, "--kiosk-id", "kiosk-nope"], expect=1)
            assert "no kiosk 'kiosk-nope'" in nope.stderr, nope.stderr

            # The engine CLI on a generated image.
            out = os.path.join(tmp, "preview.png")
            photos = os.path.join(tmp, "photos")
            os.makedirs(photos)
            src = os.path.join(photos, "in.png")
            # Any photo from the demo, as head office holds it (the kiosk's copy is sealed).
            blob = head_office_blobs.blob_bytes(
                db, head_office.execute("SELECT sha256 FROM blobs LIMIT 1").fetchone()[0])
            with open(src.replace(".png", ".jpg"), "wb") as f:
                f.write(blob)
            run([a.preview, src.replace(".png", ".jpg"), "-o", out, "--hairline", "soft", "--dots",
                 os.path.join(tmp, "dots.csv")])
            with open(os.path.join(tmp, "dots.csv")) as f:
                assert f.readline().strip() == "x,y,diameter_px,opacity,session"
            bad = run([a.preview, src.replace(".png", ".jpg"), "-o", out, "--density", "500"], expect=1)
            assert "density 500 is out of range: valid 40-160" in bad.stderr, bad.stderr
            # The top (crown) view, and its flags refused with a message when they cannot apply.
            top = run([a.preview, src.replace(".png", ".jpg"), "-o", out, "--view", "top"])
            assert "impressions" in top.stderr, top.stderr
            for flags, words in ((["--view", "side"], "--view 'side' is unknown: use front or top"),
                                 (["--front", src], "--front is for --view top"),
                                 (["--view", "top", "--no-face"], "drop --no-face and --mask")):
                refused = run([a.preview, src.replace(".png", ".jpg"), "-o", out] + flags, expect=1)
                assert words in refused.stderr, refused.stderr
        finally:
            server.terminate()
            server.wait(timeout=30)
            server_log.close()

        # No personal data and no token in any log line of the whole run: the server's (one line
        # per request) and every kiosk command's.
        with open(os.path.join(tmp, "server.log")) as f:
            server_lines = f.read()
        assert "GET /v1/config -> 200" in server_lines, "the server logged no requests"
        logs = server_lines + "".join(LOGS)
        secrets = {added["token"], code_token, rotated["token"], added["enrolment_code"]}
        for (text,) in sqlite3.connect(db).execute("SELECT record_json FROM consultations"):
            record = json.loads(text)
            intake = record.get("intake", {})
            secrets |= {record.get("client_name"), intake.get("phone"), intake.get("email")}
        secrets.discard(None)
        secrets.discard("")
        assert len(secrets) > 40, secrets
        leaked = sorted(x for x in secrets if x in logs)
        assert not leaked, f"logs hold personal data or tokens: {leaked}"
    print(f"skeleton e2e: ok ({len(secrets)} names, phones, emails and tokens absent from "
          f"{logs.count(chr(10))} log lines)")


if __name__ == "__main__":
    main()
