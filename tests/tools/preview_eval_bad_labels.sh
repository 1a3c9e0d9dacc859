#!/usr/bin/env bash
# smp-preview-eval --labels with a bad file: exit 2 and a message that names the file and says
# what is wrong, before any figure is measured (never an exception that aborts a long run).
# Usage: preview_eval_bad_labels.sh PATH/TO/smp-preview-eval
set -u
eval_tool="$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

# expect NAME CONTENT WORDS: the file holding CONTENT is refused with WORDS in the message.
expect() {
  local name="$1" content="$2" words="$3"
  local file="$dir/$name.json"
  if [ "$content" != "<none>" ]; then printf '%s' "$content" > "$file"; fi
  local out rc
  out=$(timeout 60 "$eval_tool" --labels "$file" 2>&1 >/dev/null)
  rc=$?
  if [ "$rc" -ne 2 ]; then
    echo "FAIL $name: exit $rc, not 2: $out"; failures=$((failures + 1)); return
  fi
  if [[ "$out" == *"$file"* && "$out" == *"$words"* ]]; then
    echo "ok   $name: $out"
  else
    echo "FAIL $name: the message lacks the file or \"$words\": $out"; failures=$((failures + 1))
  fi
}

expect missing "<none>" "No such file"
expect not-json '{"photos": ' "not a labels file"
expect no-photos '{"labels": {}}' "not a labels file"
expect photos-a-list '{"photos": [1, 2]}' "not an object of files"
expect no-hair '{"photos": {"a.jpg": {"scalp": []}}}' 'a.jpg: no "hair" list'
expect hair-not-a-list '{"photos": {"a.jpg": {"hair": 7}}}' '"hair" is not a list'
expect bad-point '{"photos": {"a.jpg": {"hair": [[[1, 2], [3, "x"], [5, 6]]]}}}' "a point is not [x, y]"
expect two-points '{"photos": {"a.jpg": {"hair": [[[1, 2], [3, 4]]]}}}' "fewer than 3 points"

[ "$failures" -eq 0 ] || { echo "$failures case(s) failed"; exit 1; }
