#!/usr/bin/env bash
# Installs every build, run and test dependency of smp-kiosk from Debian 12 packages.
# Idempotent: installs only what is missing, so both README commands and .ci/run call it.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang-format
  # layer 0-1 libraries
  libsqlite3-dev sqlite3 libcurl4-openssl-dev nlohmann-json3-dev libcpp-httplib-dev
  libssl-dev zlib1g-dev libbrotli-dev libsodium-dev libcli11-dev libspdlog-dev libfmt-dev
  # the head office on PostgreSQL: libpqxx to talk to it, the server itself for the tests'
  # throwaway clusters (and for a chain's head office)
  libpqxx-dev postgresql libzip-dev
  # image codecs for the engine tools and the kiosk
  libstb-dev libjpeg62-turbo-dev libpng-dev
  # face detection and segmentation for the preview (app/vision): OpenCV 4.6 and its cascades
  libopencv-objdetect-dev libopencv-imgproc-dev opencv-data
  # kiosk UI
  libimgui-dev libsdl2-dev libgl-dev
  # camera
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  # fonts covering every shipped language
  fonts-dejavu-core
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev xvfb xauth
  # fuzzing: clang with libFuzzer and its sanitizer runtimes
  clang libclang-rt-14-dev
  # process helpers used by the run script and integration tests
  python3 curl procps
  # certificates for the HTTPS end-to-end test
  openssl
  # running under systemd (readiness, watchdog, journal levels), and the Debian packages:
  # CPack's dependency scan (file, dpkg-shlibdeps), lintian, systemd-analyze, and cage and udev,
  # the kiosk package's compositor and device manager (the package test installs it)
  libsystemd-dev systemd file dpkg-dev lintian cage udev
  # the setup screen reads the enrolment QR code with ZBar; tests draw QR codes with libqrencode
  # and read the head-office page's with zbarimg
  libzbar-dev libqrencode-dev zbar-tools
  # the head-office web application's browser tests: Debian's chromium, driven by
  # playwright-core from npm (no browser is ever downloaded)
  chromium
)
# Node.js and npm from Debian, unless this machine already has them (another packaging of
# Node, e.g. NodeSource's, ships npm inside its nodejs and conflicts with Debian's npm).
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# The browser tests' npm packages, exactly as pinned in tests/web/package-lock.json.
install_npm_packages() {
  local web
  web="$(cd "$(dirname "$0")/.." && pwd)/tests/web"
  if [ ! -f "$web/node_modules/.package-lock.json" ] ||
     ! cmp -s "$web/package-lock.json" "$web/node_modules/.lock-installed"; then
    echo "install-deps: npm ci in tests/web"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$web/package-lock.json" "$web/node_modules/.lock-installed"
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  install_npm_packages
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_npm_packages
