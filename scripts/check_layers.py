#!/usr/bin/env python3
"""Fails when a library includes a header from a layer it may not use (README "Layers")."""
import pathlib
import re
import sys

# folder -> folders whose headers it may include (its own always allowed)
ALLOWED = {
    "engine": [],
    "sync/protocol": [],
    "app/store/sqlite": [],
    "app/imageio": ["engine"],
    "app/vision": ["engine"],
    "app/store": ["app/store/sqlite", "sync/protocol"],
    "sync/client": ["sync/protocol"],
    "sync/server": ["sync/protocol", "app/store/sqlite"],
    "app/core": ["engine", "app/imageio", "app/vision", "app/store", "app/store/sqlite", "sync/protocol", "sync/client"],
    "app/platform": ["engine"],
    "app/ui": ["engine", "app/imageio", "app/vision", "app/store", "app/store/sqlite", "sync/protocol", "sync/client",
               "app/core", "app/platform"],
    "app/tools": ["engine", "app/imageio", "app/vision", "app/core"],
}
# Third-party headers each layer must not touch, whatever the folder rules say.
FORBIDDEN_SYSTEM = {
    "engine": ["SDL", "imgui", "sqlite3", "curl", "httplib", "gst", "nlohmann", "opencv"],
    "app/core": ["SDL", "imgui", "gst", "opencv"],
    "app/ui": ["opencv"],
}

root = pathlib.Path(sys.argv[1])
include = re.compile(r'#include\s+[<"]([^>"]+)[>"]')
errors = []
for folder in sorted(ALLOWED, key=len, reverse=True):
    for path in (root / folder).glob("*.[ch]*"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            m = include.search(line)
            if not m:
                continue
            target = m.group(1)
            owner = next((f for f in sorted(ALLOWED, key=len, reverse=True) if target.startswith(f + "/")), None)
            if owner and owner != folder and owner not in ALLOWED[folder]:
                errors.append(f"{path.relative_to(root)}:{n}: {folder} may not include {target}")
            for bad in FORBIDDEN_SYSTEM.get(folder, []):
                if target.startswith(bad):
                    errors.append(f"{path.relative_to(root)}:{n}: {folder} may not include <{target}>")
if errors:
    print("\n".join(errors))
    sys.exit(1)
print("layers: ok")
