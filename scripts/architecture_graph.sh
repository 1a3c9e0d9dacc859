#!/usr/bin/env bash
# Draws docs/architecture.png: our libraries and programs and what each links, from the CMake
# targets themselves (cmake --graphviz), so the picture cannot drift from the build. Needs
# Debian's graphviz; run after `cmake --preset dev`.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/CMakeGraphVizOptions.cmake" <<'OPTIONS'
set(GRAPHVIZ_EXTERNAL_LIBS FALSE)
set(GRAPHVIZ_GENERATE_PER_TARGET FALSE)
set(GRAPHVIZ_GENERATE_DEPENDERS FALSE)
set(GRAPHVIZ_IGNORE_TARGETS "_test|_tests|bench|fuzz|gtest|gmock|benchmark|fault_proxy|smp_test")
OPTIONS
cp "$work/CMakeGraphVizOptions.cmake" build/dev/
(cd build/dev && cmake --graphviz="$work/targets.dot" . >/dev/null)
rm build/dev/CMakeGraphVizOptions.cmake
# Our names only, read as layers: top to bottom, programs first.
python3 - "$work/targets.dot" "$work/layers.dot" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
names = dict(re.findall(r'"(node\d+)" \[ label = "([^"]+)"', text))
edges = re.findall(r'"(node\d+)" -> "(node\d+)"', text)
def label(l):
    l = l.split("\\n")[0]  # "smp_ui\n(smp::ui)": the target's own name
    if l == "smp_opencv":
        return "OpenCV 4.6 (Debian)"
    if l == "bluenoise_tile_gen":
        return "blue-noise tile generator (build time)"
    return l.replace("smp_", "smp::")
ours = {n: label(l) for n, l in names.items()
        if l.startswith("smp") or l.startswith("bluenoise_tile_gen")}
out = ['digraph layers {', '  rankdir=TB; node [shape=box, style="rounded,filled", fillcolor="#eef3f2", fontname="DejaVu Sans"];']
for n, l in ours.items():
    colour = "#d7ebe8" if l.startswith("smp-") else "#eef3f2"
    out.append(f'  "{n}" [label="{l}", fillcolor="{colour}"];')
for a, b in edges:
    if a in ours and b in ours:
        out.append(f'  "{a}" -> "{b}";')
out.append('}')
open(sys.argv[2], "w").write("\n".join(out))
PY
tred "$work/layers.dot" >"$work/reduced.dot"  # only the edges that are not implied by others
dot -Tpng -Gdpi=110 "$work/reduced.dot" -o docs/architecture.png
# The path of one consultation (not in the build graph: drawn from docs/consultation_flow.dot).
dot -Tpng -Gdpi=110 docs/consultation_flow.dot -o docs/consultation_flow.png
echo "wrote docs/architecture.png and docs/consultation_flow.png"
