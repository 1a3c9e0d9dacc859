#!/usr/bin/env bash
# Builds the Debian packages smp-kiosk and smp-server with CPack:
#   bash scripts/package.sh            # optimised (the release preset): what clinics install
#   bash scripts/package.sh dev        # from the dev build (CI tests the packaging with it)
# The .deb files are written to build/<preset>/packages/.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)" --target smp-kiosk smp-server package_changelog
rm -rf "build/$preset/packages"
(cd "build/$preset" && cpack -G DEB -B packages >/dev/null)
rm -rf "build/$preset/packages/_CPack_Packages"
ls -1 "build/$preset/packages/"*.deb
