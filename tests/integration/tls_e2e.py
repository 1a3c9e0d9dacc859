#!/usr/bin/env python3
"""HTTPS with the real programs: a certificate made here with the openssl tool, smp-server serve
--tls-cert/--tls-key, a kiosk enrolled with --ca-file and --pinned-key that syncs, and refusals
for a wrong pin and for a CA the kiosk was not given. Every wait is bounded."""
import argparse
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile


def run(cmd, expect=0, timeout=120, stdin=None):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, input=stdin)
    if p.returncode != expect:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p


def make_cert(tmp, name):
    key, cert = os.path.join(tmp, name + ".key"), os.path.join(tmp, name + ".pem")
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"])
    der = subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-outform", "DER"],
                         capture_output=True, timeout=30, check=True).stdout
    pin = "sha256//" + base64.b64encode(hashlib.sha256(der).digest()).decode()
    return key, cert, pin


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--kiosk", required=True)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        key, cert, pin = make_cert(tmp, "head-office")
        _, other_cert, other_pin = make_cert(tmp, "someone-else")
        db = os.path.join(tmp, "head-office.sqlite")
        server = subprocess.Popen([a.server, "serve", "--db", db, "--listen", "127.0.0.1:0",
                                   "--tls-cert", cert, "--tls-key", key],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            line = server.stdout.readline()
            if "listening on https://" not in line:
                sys.exit(f"FAIL: server did not start on https: {line!r}")
            url = line.strip().split("listening on ")[1]
            token = json.loads(run([a.server, "kiosk", "add", "--db", db, "--clinic", "Leeds"]).stdout)["token"]

            data = os.path.join(tmp, "kiosk")
            bad = run([a.kiosk, "--data-dir", data, "enroll", "--server", url, "--token-file", "-",
                       "--ca-file", other_cert], expect=1, stdin=token + "\n")
            assert "certificate" in bad.stderr.lower(), bad.stderr
            bad = run([a.kiosk, "--data-dir", data, "enroll", "--server", url, "--token-file", "-",
                       "--ca-file", cert, "--pinned-key", other_pin], expect=1, stdin=token + "\n")
            assert "pinned" in bad.stderr.lower(), bad.stderr
            status = json.loads(run([a.kiosk, "--data-dir", data, "status"]).stdout)
            assert not status.get("kiosk_id"), f"nothing stored after a refusal: {status}"

            run([a.kiosk, "--data-dir", data, "enroll", "--server", url, "--token-file", "-",
                 "--ca-file", cert, "--pinned-key", pin], stdin=token + "\n")
            run([a.kiosk, "--data-dir", data, "demo", "--count", "2"])
            synced = json.loads(run([a.kiosk, "--data-dir", data, "sync", "--once"]).stdout)
            assert synced["acknowledged"] == 2, synced
            exported = run([a.server, "export", "--db", db, "--format", "jsonl"]).stdout.splitlines()
            assert len(exported) == 2, exported
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("tls_e2e: ok")


if __name__ == "__main__":
    main()
