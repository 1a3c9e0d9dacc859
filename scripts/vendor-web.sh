#!/usr/bin/env bash
# Copies the head-office pages' browser libraries, Chart.js and qrcode-generator, from the npm registry (pinned in
# tests/web/package-lock.json) into assets/head-office/vendor/, with its licence. The server
# serves it from there: head office may run on an intranet, so nothing loads from a CDN. Run it
# after changing the pinned version; CI checks that the copy matches the lock file
# (web.vendored_chart_js).
set -euo pipefail
cd "$(dirname "$0")/.."
(cd tests/web && npm ci --no-audit --no-fund --loglevel=error)
mkdir -p assets/head-office/vendor
cp tests/web/node_modules/chart.js/dist/chart.umd.min.js assets/head-office/vendor/chart.umd.min.js
cp tests/web/node_modules/chart.js/LICENSE.md assets/head-office/vendor/chart.js-LICENSE.md
# The Kiosks page draws the enrolment QR code with qrcode-generator (an ES module, MIT; its
# licence is in the file's header).
cp tests/web/node_modules/qrcode-generator/dist/qrcode.mjs assets/head-office/vendor/qrcode.mjs
echo "vendor-web: qrcode-generator $(node -p "require('./tests/web/node_modules/qrcode-generator/package.json').version")"
echo "vendor-web: Chart.js $(node -p "require('./tests/web/node_modules/chart.js/package.json').version")"
