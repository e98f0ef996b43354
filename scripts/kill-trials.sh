#!/bin/bash
# Crash safety of checkpoints: `rectifier train --save-every 1` killed with SIGKILL at random
# moments must leave no checkpoint (killed before the first save) or a complete one, and a
# run resumed from it must end bit-identical to a run never stopped.
#
# usage: scripts/kill-trials.sh [TRIALS] [RECTIFIER]   (defaults: 50, .build/release/rectifier)
#
# Per trial: start the run, SIGKILL it after a random delay in (0, the reference run's
# duration × 1.3, so some runs finish), then check that the checkpoint, if any,
#   - is read by both this package (`--resume`) and the Python safetensors library,
#   - is one of the per-epoch checkpoints: every trial that stopped at the same epoch left
#     a byte-identical file,
#   - resumed to the end (if the run had not finished) into the same file, gives a file
#     byte-identical to the uninterrupted run's.
# Temporary files left by a write the kill cut short are counted; they never replace the
# file, and the resumed run's first save removes them (AtomicFile): none may remain after it.
# Exits non-zero if any trial fails.
set -u
trials=${1:-50}
rectifier=$(realpath "${2:-.build/release/rectifier}")
root=$(cd "$(dirname "$0")/.." && pwd)
python=${RECTIFIER_PEER_PYTHON:-$root/.build/venv/bin/python}
work=$(mktemp -d /tmp/kill-trials.XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 "$root/scripts/small-dataset.py" "$work/data" 1500 200
run=(train --data "$work/data" --validation 300 --hidden 128,64 --epochs 5 --batch-size 50
     --seed 7 --threads 1 --save-every 1)

start=$(date +%s%N)
"$rectifier" "${run[@]}" --save "$work/reference.safetensors" > "$work/reference.log" 2>&1 \
  || { echo "the reference run failed:"; cat "$work/reference.log"; exit 1; }
reference_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "reference run: ${reference_ms} ms"

declare -A epoch_hash
failures=0 empty=0 checkpoints=0 leftovers=0 remaining=0 identical=0
for trial in $(seq 1 "$trials"); do
  dir="$work/trial-$trial"
  mkdir "$dir"
  "$rectifier" "${run[@]}" --save "$dir/model.safetensors" > "$dir/run.log" 2>&1 &
  pid=$!
  delay_ms=$(( (RANDOM * 32768 + RANDOM) % (reference_ms * 13 / 10) + 1 ))
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  leftovers=$(( leftovers + $(find "$dir" -name '.*.tmp-*' | wc -l) ))
  fail() { echo "trial $trial (killed at ${delay_ms} ms): $1"; failures=$((failures + 1)); }
  if [ ! -e "$dir/model.safetensors" ]; then
    empty=$((empty + 1))
    continue
  fi
  checkpoints=$((checkpoints + 1))
  epoch=$("$python" - "$dir/model.safetensors" <<'EOF'
import json, sys
from safetensors import safe_open
with safe_open(sys.argv[1], framework="numpy") as handle:
    for name in handle.keys():
        handle.get_tensor(name)
    print(json.loads(handle.metadata()["rectifier.training"])["completed_epochs"])
EOF
  ) || { fail "the checkpoint does not load in Python"; continue; }
  hash=$(sha256sum < "$dir/model.safetensors" | cut -c1-64)
  if [ -n "${epoch_hash[$epoch]:-}" ] && [ "${epoch_hash[$epoch]}" != "$hash" ]; then
    fail "the epoch-$epoch checkpoint differs from another trial's"
  fi
  epoch_hash[$epoch]=$hash
  if [ "$epoch" -lt 5 ] && ! "$rectifier" train --resume "$dir/model.safetensors" --epochs 5 \
      --data "$work/data" --threads 1 --save "$dir/model.safetensors" > "$dir/resume.log" 2>&1; then
    fail "resuming failed: $(tail -1 "$dir/resume.log")"
    continue
  fi
  if [ "$epoch" -lt 5 ]; then
    left=$(find "$dir" -name '.*.tmp-*' | wc -l)
    remaining=$((remaining + left))
    [ "$left" -eq 0 ] || fail "$left temporary file(s) of the killed run remain after the resumed run"
  fi
  if cmp -s "$dir/model.safetensors" "$work/reference.safetensors"; then
    identical=$((identical + 1))
  else
    fail "resumed from epoch $epoch, the final file differs from the uninterrupted run's"
  fi
done

echo "kill trials: $trials, killed before the first checkpoint: $empty, checkpoints left: $checkpoints" \
  "(epochs seen: $(echo "${!epoch_hash[@]}" | tr ' ' '\n' | sort -n | tr '\n' ' '| sed 's/ $//')), resumed bit-identically:" \
  "$identical/$checkpoints, temporary files left by the kills: $leftovers (after resuming: $remaining)," \
  "failures: $failures"
[ "$failures" -eq 0 ]
