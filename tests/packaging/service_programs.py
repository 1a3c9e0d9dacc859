#!/usr/bin/env python3
"""smp-server and smp-kiosk as systemd runs them: the notification protocol (READY, WATCHDOG,
STOPPING on a real NOTIFY_SOCKET, as for Type=notify units with WatchdogSec=), the server's
config file, and, for installed programs, that each finds its own files under /usr/share.
Used by ctest on the build's programs and by scripts/package-test.sh on the installed ones
(--as-users: run as the packages' system users, as the units do). Every wait is bounded."""
import argparse
import os
import pwd
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def fail(message):
    sys.exit("FAIL: " + message)


class NotifySocket:
    """A datagram socket where NOTIFY_SOCKET points, as systemd listens for its services."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        os.chmod(path, 0o777)  # the service users write to it
        self.path = path

    def received_now(self):
        """What is queued now, without waiting."""
        messages = []
        self.sock.setblocking(False)
        try:
            while True:
                messages.append(self.sock.recv(4096).decode())
        except BlockingIOError:
            pass
        finally:
            self.sock.setblocking(True)
        return messages

    def wait_for(self, wanted, seconds, seen):
        """Collects messages into `seen` until one contains `wanted`; bounded by `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                message = self.sock.recv(4096).decode()
            except socket.timeout:
                break
            seen.append(message)
            if wanted in message:
                return message
        fail(f"no {wanted!r} within {seconds} s; got {seen}")


def as_user(user):
    if not user:
        return {}
    entry = pwd.getpwnam(user)

    def demote():
        os.setgid(entry.pw_gid)
        os.initgroups(user, entry.pw_gid)
        os.setuid(entry.pw_uid)
    return {"preexec_fn": demote}


def check_server(server, tmp, user):
    notify = NotifySocket(os.path.join(tmp, "server-notify"))
    data = os.path.join(tmp, "server")
    os.mkdir(data, 0o700)
    if user:
        os.chown(data, pwd.getpwnam(user).pw_uid, -1)
    config = os.path.join(tmp, "smp-server.conf")
    with open(config, "w") as f:
        f.write(f'# as in /etc/smp-server/smp-server.conf\n[serve]\ndb = "{data}/ho.sqlite"\n'
                f'blobs = "{data}/photos"\nlisten = "127.0.0.1:1"\n')
    os.chmod(config, 0o644)

    # A key the server does not know is refused with its name, not ignored.
    with open(os.path.join(tmp, "typo.conf"), "w") as f:
        f.write('[serve]\ndb = "x.sqlite"\nlisen = "127.0.0.1:0"\n')
    p = subprocess.run([server, "--config", os.path.join(tmp, "typo.conf"), "serve"],
                       capture_output=True, text=True, timeout=30)
    if p.returncode == 0 or "lisen" not in p.stderr:
        fail(f"a misspelt config key was accepted: {p.returncode} {p.stderr!r}")

    env = dict(os.environ, NOTIFY_SOCKET=notify.path, WATCHDOG_USEC="300000")
    # The command line wins over the file (its listen would need root for port 1).
    proc = subprocess.Popen([server, "--config", config, "serve", "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            **as_user(user))
    try:
        line = proc.stdout.readline()
        if "listening on http://127.0.0.1:" not in line:
            fail(f"server did not start from its config: {line!r} {proc.stderr.read()!r}")
        url = line.strip().split("listening on ")[1]
        seen = []
        ready = notify.wait_for("READY=1", 10, seen)
        if "STATUS=listening on " + url not in ready:
            fail(f"READY without the address: {ready!r}")
        # WatchdogSec=0.3 s: pings about every 0.1 s while the storage answers.
        for _ in range(3):
            notify.wait_for("WATCHDOG=1", 5, seen)
        with urllib.request.urlopen(url + "/healthz", timeout=10) as r:
            if r.status != 200:
                fail(f"/healthz answered {r.status}")
        with urllib.request.urlopen(url + "/app/", timeout=10) as r:
            page = r.read().decode()
            if r.status != 200 or "<html" not in page.lower():
                fail(f"the web application's page is not served: {r.status}")
        if not os.path.exists(os.path.join(data, "ho.sqlite")):
            fail("the database is not where the config file says")
        if not os.path.isdir(os.path.join(data, "photos", "uploads")):
            fail("the blob folder is not where the config file says")
        proc.terminate()
        notify.wait_for("STOPPING=1", 10, seen)
        if proc.wait(timeout=30) != 0:
            fail(f"server exited {proc.returncode} on SIGTERM")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    print(f"server: READY, {sum('WATCHDOG=1' in m for m in seen)} watchdog pings, STOPPING; "
          "config file read (database and blob folder), unknown key refused")


def run_kiosk(kiosk, tmp, user, name, expected_status, staff_first=False):
    notify = NotifySocket(os.path.join(tmp, name + "-notify"))
    data = os.path.join(tmp, name)
    os.mkdir(data, 0o700)
    if user:
        os.chown(data, pwd.getpwnam(user).pw_uid, -1)
    if staff_first:  # a scripted install: staff added by command, so no setup screen
        subprocess.run([kiosk, "--data-dir", data, "staff", "add", "--name", "Ana", "--pin", "-",
                        "--admin"], input="4821\n", capture_output=True, text=True, check=True,
                       timeout=60, **as_user(user))
    # The kiosk is cage's child in its unit: WATCHDOG_PID names another process.
    env = dict(os.environ, NOTIFY_SOCKET=notify.path, WATCHDOG_USEC="100000",
               WATCHDOG_PID="1", SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    # Read while the kiosk runs, as systemd does: a notification socket's queue is short (10
    # datagrams here) and a sender blocks when it is full.
    seen = []
    done = threading.Event()

    def drain():
        notify.sock.settimeout(0.05)
        while not done.is_set():
            try:
                seen.append(notify.sock.recv(4096).decode())
            except socket.timeout:
                pass
    reader = threading.Thread(target=drain)
    reader.start()
    try:
        p = subprocess.run([kiosk, "--data-dir", data, "--camera", "test", "--max-frames", "40"],
                           capture_output=True, text=True, env=env, timeout=120, **as_user(user))
    finally:
        done.set()
        reader.join(timeout=10)
    if p.returncode != 0:
        fail(f"kiosk exited {p.returncode}: {p.stderr}")
    seen += notify.received_now()
    ready = [m for m in seen if "READY=1" in m]
    if len(ready) != 1 or "STATUS=" + expected_status not in ready[0]:
        fail(f"not one READY with {expected_status!r}: {seen}")
    # 40 frames at 60 Hz is about 0.65 s; pings at most every 50 ms: several.
    pings = sum("WATCHDOG=1" in m for m in seen)
    if pings < 2:
        fail(f"{pings} watchdog pings from 40 frames: {seen}")
    print(f"kiosk ({name}): READY ({expected_status}) after its first frame, {pings} watchdog "
          "pings from the frame loop")


def check_kiosk(kiosk, tmp, user):
    # A kiosk's first start (not enrolled, no staff) is the setup screen, and ready as such.
    run_kiosk(kiosk, tmp, user, "first-start", "setting up")
    run_kiosk(kiosk, tmp, user, "scripted", "showing the attract screen", staff_first=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--as-users", action="store_true",
                    help="run as the packages' users smp-server and smp-kiosk (needs root)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        check_server(a.server, tmp, "smp-server" if a.as_users else None)
        check_kiosk(a.kiosk, tmp, "smp-kiosk" if a.as_users else None)
    print("ok")


if __name__ == "__main__":
    main()
