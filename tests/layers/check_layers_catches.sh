#!/usr/bin/env bash
# The layer check must fail on what it exists to catch: a screen in a subfolder that includes
# the store, and a third-party header the engine may not use. Run on a copy of the tree.
set -euo pipefail
source_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$source_dir/engine" "$source_dir/app" "$source_dir/sync" "$work/"
python3 "$source_dir/scripts/check_layers.py" "$work" >/dev/null  # the copy is clean
echo '#include "app/store/kiosk_store.h"' >"$work/app/ui/staff/probe.h"
if python3 "$source_dir/scripts/check_layers.py" "$work" >"$work/out.txt"; then
  echo "a staff screen including the store was not caught" >&2
  exit 1
fi
grep -q "app/ui/staff/probe.h:1: app/ui may not include app/store/kiosk_store.h" "$work/out.txt"
rm "$work/app/ui/staff/probe.h"
echo '#include <sqlite3.h>' >"$work/engine/tile/probe.h"
if python3 "$source_dir/scripts/check_layers.py" "$work" >"$work/out.txt"; then
  echo "the engine including sqlite3 was not caught" >&2
  exit 1
fi
grep -q "engine/tile/probe.h:1: engine may not include <sqlite3.h>" "$work/out.txt"
echo "layer check: both violations caught"
