#!/usr/bin/env python3
"""Fails when a library includes a header from a layer it may not use (README "Layers").

Every source file under the listed folders is checked, subfolders included; a file belongs to the
longest listed folder that holds it (app/ui/staff/x.h is the UI's)."""
import pathlib
import re
import sys

# folder -> folders whose headers it may include (its own always allowed)
ALLOWED = {
    "engine": [],
    "sync/protocol": [],
    "sqlite": [],
    # Readiness, watchdog and journal levels under systemd, for both programs.
    "sync/service": [],
    "app/imageio": ["engine"],
    "app/vision": ["engine"],
    "app/store": ["sqlite", "sync/protocol"],
    "sync/client": ["sync/protocol"],
    "sync/server": ["sync/protocol", "sqlite", "sync/service"],
    "app/core": ["engine", "app/imageio", "app/vision", "app/store", "sync/protocol", "sync/client",
                 "sync/service"],
    "app/platform": ["engine"],
    # The screens draw core's state and views: no store, SQLite, sync, decoding or vision of
    # their own (engine only for its image type).
    "app/ui": ["engine", "app/core", "app/platform", "sync/service"],
    "app/tools": ["engine", "app/imageio", "app/vision", "app/core"],
}
# Third-party headers each layer must not touch, whatever the folder rules say.
FORBIDDEN_SYSTEM = {
    "engine": ["SDL", "imgui", "sqlite3", "curl", "httplib", "gst", "nlohmann", "opencv"],
    "app/core": ["SDL", "imgui", "gst", "opencv", "sqlite3"],
    "app/ui": ["opencv", "sqlite3", "curl", "httplib", "gst", "stb"],
    # SQLite's API is the wrapper's business (sqlite/); its users see our types.
    "app/store": ["sqlite3"],
    "sync/server": ["sqlite3"],
}
# Entry points in app/ui that are programs rather than screens: the CLI prints JSON results.
SYSTEM_EXCEPTIONS = {"app/ui/smp_kiosk_main.cpp": ["nlohmann"]}
SOURCE_SUFFIXES = {".h", ".hpp", ".cpp", ".cc"}


def owner_of(relative):
    """The longest listed folder holding this path, or None."""
    for folder in sorted(ALLOWED, key=len, reverse=True):
        if relative == folder or relative.startswith(folder + "/"):
            return folder
    return None


root = pathlib.Path(sys.argv[1])
include = re.compile(r'#include\s+[<"]([^>"]+)[>"]')
errors = []
checked = 0
for top in sorted({folder.split("/")[0] for folder in ALLOWED}):
    for path in sorted((root / top).rglob("*")):
        if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
            continue
        relative = path.relative_to(root).as_posix()
        folder = owner_of(relative)
        if folder is None:
            continue
        checked += 1
        for n, line in enumerate(path.read_text().splitlines(), 1):
            m = include.search(line)
            if not m:
                continue
            target = m.group(1)
            owner = owner_of(target)
            if owner and owner != folder and owner not in ALLOWED[folder]:
                errors.append(f"{relative}:{n}: {folder} may not include {target}")
            for bad in FORBIDDEN_SYSTEM.get(folder, []):
                if target.startswith(bad) and bad not in SYSTEM_EXCEPTIONS.get(relative, []):
                    errors.append(f"{relative}:{n}: {folder} may not include <{target}>")
if errors:
    print("\n".join(errors))
    sys.exit(1)
print(f"layers: ok ({checked} files)")
