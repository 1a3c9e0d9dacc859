#!/usr/bin/env bash
# README command 1: install what is missing, build a release, start a local head-office server on
# 127.0.0.1 (embedded SQLite) and the kiosk connected to it. Extra arguments go to smp-kiosk,
# e.g. --fullscreen, --windowed 1280x720, --camera test|v4l2|file:PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

bin="$root/build/release"
server="$bin/sync/server/smp-server"
kiosk="$bin/app/ui/smp-kiosk"
data="$root/run-data"
mkdir -p "$data"
port=${SMP_PORT:-8787}

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${SDL_VIDEODRIVER:-}" != "dummy" ]; then
  echo "run.sh: no display found (DISPLAY is not set)." >&2
  echo "run.sh: on a machine without a screen, run it under a virtual display:" >&2
  echo "          xvfb-run -a -s '-screen 0 1920x1080x24' bash scripts/run.sh --camera test" >&2
  exit 2
fi

# The head-office web application needs an account: on this local try-out only, make an admin
# the first time. A real head office adds its people with `smp-server user add`.
office_password="smp-try-out-only"
if ! { [ -f "$data/head-office.sqlite" ] &&
       "$server" user list --db "$data/head-office.sqlite" | grep -q '"name":"admin"'; }; then
  echo "$office_password" | "$server" user add --db "$data/head-office.sqlite" --name admin \
    --role admin >/dev/null
fi

"$server" serve --db "$data/head-office.sqlite" --listen "127.0.0.1:$port" \
  >"$data/server.out" 2>"$data/server.log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null' EXIT
for _ in $(seq 1 100); do  # bounded: up to 10 s for the server to bind
  grep -q "listening on" "$data/server.out" 2>/dev/null && break
  kill -0 $server_pid 2>/dev/null || { cat "$data/server.log" >&2; exit 1; }
  sleep 0.1
done
url=$(sed -n 's/.*listening on //p' "$data/server.out")
[ -n "$url" ] || { echo "run.sh: the server did not start; see $data/server.log" >&2; exit 1; }
echo "run.sh: head office at $url (database $data/head-office.sqlite)"
echo "run.sh: head office in your browser: $url/app/  (name 'admin', password '$office_password',"
echo "        for this local try-out only)"

# Enrol once; later runs reuse the kiosk's stored token.
if ! "$kiosk" --data-dir "$data/kiosk" status | grep -q '"kiosk_id":"kiosk-'; then
  token=$("$server" kiosk add --db "$data/head-office.sqlite" --clinic "Local clinic" |
          sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  echo "$token" | "$kiosk" --data-dir "$data/kiosk" enroll --server "$url" --token-file -
fi

# Staff mode (hold the top-left corner 3 s) needs an account: on this local try-out only, make a
# demo admin the first time. A real clinic adds its own staff with `smp-kiosk staff add`.
if [ -z "$("$kiosk" --data-dir "$data/kiosk" staff list)" ]; then
  echo 2580 | "$kiosk" --data-dir "$data/kiosk" staff add --name "Demo admin" --pin - --admin >/dev/null
  echo "run.sh: created staff account 'Demo admin' with PIN 2580 (for this local try-out only)"
fi

camera=()
if [ ! -e /dev/video0 ] && ! printf '%s\n' "$@" | grep -q -- '--camera'; then
  echo "run.sh: no camera at /dev/video0: using the GStreamer test source (--camera test)"
  camera=(--camera test)
fi
echo "run.sh: starting the kiosk (records: $data/kiosk; export with:"
echo "        $server export --db $data/head-office.sqlite --format jsonl)"
# Transparent huge pages for the preview's large buffers, as the packaged kiosk's unit sets.
GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1" \
  "$kiosk" --data-dir "$data/kiosk" --server "$url" "${camera[@]}" "$@"
