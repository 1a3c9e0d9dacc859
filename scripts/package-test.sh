#!/usr/bin/env bash
# Tests the Debian packages built by scripts/package.sh on this machine, as a technician would use
# them: lintian finds no errors, the packaged file lists hold nothing but the programs' own files,
# dpkg installs both, systemd-analyze accepts the installed units, the installed programs run as
# their system users from their installed files (tests/packaging/service_programs.py), and
# purging removes the configuration but says where the data stays and leaves it.
#   bash scripts/package-test.sh build/dev/packages
# Needs root (dpkg -i); leaves the machine without the packages.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:?usage: package-test.sh PACKAGE_DIR}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "package-test: needs root (dpkg -i)" >&2; exit 1; }
  SUDO="sudo"
fi
fail() { echo "package-test: FAIL: $*" >&2; exit 1; }
kiosk_deb=$(ls "$dir"/smp-kiosk_*.deb)
server_deb=$(ls "$dir"/smp-server_*.deb)

echo "package-test: lintian (errors fail; warnings are printed)"
lintian --fail-on error --suppress-tags no-manual-page "$kiosk_deb" "$server_deb"

echo "package-test: file lists"
allowed='^\./(usr/bin/smp-(kiosk|server)|usr/share/(smp-kiosk|smp-server|doc/smp-kiosk|doc/smp-server)(/.*)?|lib/systemd/system/smp-(kiosk|server)\.service|etc/smp-server/(smp-server\.conf)?|usr/|usr/bin/|usr/share/|usr/share/doc/|lib/|lib/systemd/|lib/systemd/system/|etc/)$'
leftovers='(test|gtest|bench|fuzz|CMake|\.a$|\.o$|\.cmake$|node_modules|/build/|\.orig$|~$)'
for deb in "$kiosk_deb" "$server_deb"; do
  files=$(dpkg-deb --fsys-tarfile "$deb" | tar -t)
  bad=$(grep -Ev "$allowed" <<<"$files" || true)
  [ -z "$bad" ] || fail "$(basename "$deb") holds files outside its own folders: $bad"
  junk=$(grep -E "$leftovers" <<<"$files" || true)
  [ -z "$junk" ] || fail "$(basename "$deb") holds test or build leftovers: $junk"
  echo "  $(basename "$deb"): $(wc -l <<<"$files") entries, all the programs' own"
done
dpkg-deb -I "$server_deb" conffiles | grep -qx /etc/smp-server/smp-server.conf ||
  fail "the server's config is not a conffile (an upgrade would overwrite the operator's edits)"

cleanup() { $SUDO dpkg --purge smp-kiosk smp-server >/dev/null 2>&1 || true; }
trap cleanup EXIT
echo "package-test: dpkg -i"
$SUDO dpkg -i "$kiosk_deb" "$server_deb" >/dev/null
id smp-kiosk | grep -q '(video)' || fail "smp-kiosk is not in the video group (the camera)"
id smp-kiosk | grep -q '(input)' || fail "smp-kiosk is not in the input group (the touchscreen)"
id smp-server >/dev/null || fail "no smp-server user"
for d in /var/lib/smp-kiosk:smp-kiosk /var/lib/smp-server:smp-server; do
  [ "$(stat -c '%U %a' "${d%%:*}")" = "${d##*:} 700" ] || fail "${d%%:*} is not ${d##*:}'s, mode 700"
done
[ "$(stat -c '%G %a' /etc/smp-server/smp-server.conf)" = "smp-server 640" ] ||
  fail "/etc/smp-server/smp-server.conf is not smp-server's group, mode 640"

echo "package-test: systemd-analyze verify"
out=$(systemd-analyze verify /lib/systemd/system/smp-server.service /lib/systemd/system/smp-kiosk.service 2>&1)
[ -z "$out" ] || fail "systemd-analyze verify: $out"
exposure=$(systemd-analyze security --offline=yes /lib/systemd/system/smp-server.service 2>/dev/null |
  sed -n 's/.*Overall exposure level for smp-server.service: \([0-9.]*\).*/\1/p')
echo "  smp-server.service exposure (systemd-analyze security): $exposure"
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.5) }' ||
  fail "the server unit's exposure is $exposure, above 2.5"

echo "package-test: the installed programs, as their users"
python3 tests/packaging/service_programs.py --server /usr/bin/smp-server --kiosk /usr/bin/smp-kiosk --as-users

echo "package-test: purge keeps the data and says where"
$SUDO touch /var/lib/smp-server/head-office.sqlite /var/lib/smp-kiosk/kiosk.sqlite
said=$($SUDO dpkg --purge smp-kiosk smp-server 2>&1)
grep -q "stays in /var/lib/smp-server" <<<"$said" || fail "purge did not say where head office's data stays: $said"
grep -q "stay in /var/lib/smp-kiosk" <<<"$said" || fail "purge did not say where the kiosk's records stay: $said"
[ -f /var/lib/smp-server/head-office.sqlite ] || fail "purge deleted head office's data"
[ -f /var/lib/smp-kiosk/kiosk.sqlite ] || fail "purge deleted the kiosk's records"
[ ! -e /etc/smp-server ] || fail "purge left /etc/smp-server"
[ ! -e /usr/bin/smp-server ] && [ ! -e /usr/bin/smp-kiosk ] || fail "the programs are still installed"
$SUDO rm -rf /var/lib/smp-server /var/lib/smp-kiosk
trap - EXIT
echo "package-test: ok"
