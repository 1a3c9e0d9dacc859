#!/usr/bin/env python3
"""The segmentation on the two real portraits against their hand-drawn hair labels: recall and
precision may not fall below what the segmentation reaches today (docs/preview.md). Issue 12's
targets (0.95 / 0.90) are not met yet; these floors catch a change that makes it worse.
Skipped (exit 77) where the portraits are not on the machine: they are not in the repository.

Usage: real_portrait_segmentation.py SMP_PREVIEW_EVAL PHOTOS_DIR LABELS_JSON
"""
import os
import subprocess
import sys

# photo stem: (recall floor, precision floor), a little under today's figures
FLOORS = {
    "thinning-receding-1200": (0.78, 0.90),
    "short-dark-hair-910x1137": (0.88, 0.79),
}


def main():
    tool, photos, labels = sys.argv[1:4]
    if not all(os.path.exists(os.path.join(photos, stem + ".jpg")) for stem in FLOORS):
        print(f"skipped: the real portraits are not in {photos}")
        return 77
    run = subprocess.run([tool, "--photos", photos, "--labels", labels],
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        print(run.stdout, run.stderr)
        return 1
    header = None
    seen = {}
    for line in run.stdout.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if "recall" in cells and header is None:
            header = cells
            continue
        if header and len(cells) >= len(header) and cells[0] in FLOORS and cells[1] == "buzz":
            row = dict(zip(header, cells))
            seen[cells[0]] = (float(row["recall"]), float(row["precision"]))
    failures = 0
    for stem, (recall_floor, precision_floor) in FLOORS.items():
        if stem not in seen:
            print(f"FAIL {stem}: no figures in the output")
            failures += 1
            continue
        recall, precision = seen[stem]
        ok = recall >= recall_floor and precision >= precision_floor
        print(f"{'ok  ' if ok else 'FAIL'} {stem}: recall {recall:.2f} (floor {recall_floor}), "
              f"precision {precision:.2f} (floor {precision_floor})")
        failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
