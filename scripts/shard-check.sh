#!/bin/sh
# Runs `rectifier experiment NAME OPTIONS…` (or `rectifier run OPTIONS…` for NAME run) on this
# machine, then as N shards for each N given, merges each with `rectifier report --merge` and
# compares the merged numbers with the single run (scripts/compare-runs.py) and the plots
# byte for byte.
#
#     scripts/shard-check.sh .build/release/rectifier /tmp/shards depth "1 2 4 7" --seeds 1
#
# Exits 1 when a merge is refused or a number other than a timing differs.
set -eu
bin=$1 dir=$2 name=$3 counts=$4
shift 4
if [ "$name" = run ]; then command="run"; else command="experiment $name"; fi
rm -rf "$dir"
mkdir -p "$dir"
"$bin" $command --out "$dir/single" "$@" > "$dir/single.log"
status=0
for n in $counts; do
  k=1
  while [ "$k" -le "$n" ]; do
    "$bin" $command --out "$dir/$n/shards" --shard "$k/$n" "$@" >> "$dir/$n.log"
    k=$((k + 1))
  done
  "$bin" report --merge "$dir/$n/shards" --out "$dir/$n/merged" >> "$dir/$n.log"
  echo "== $name, $n shards"
  python3 "$(dirname "$0")/compare-runs.py" "$dir/single" "$dir/$n/merged" || status=1
  same=0 differ=""
  for svg in "$dir/single"/*.svg; do
    [ -e "$svg" ] || continue
    if cmp -s "$svg" "$dir/$n/merged/$(basename "$svg")"; then same=$((same + 1)); else differ="$differ $(basename "$svg")"; fi
  done
  echo "plots: $same identical${differ:+, differing (timings):$differ}"
done
exit $status
