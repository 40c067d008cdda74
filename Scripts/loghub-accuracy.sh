#!/usr/bin/env bash
# Template-mining accuracy on Loghub-2k with Loupe's default configuration:
# GA on the original labels, PA, FGA and FTA on the corrected labels (Khan et al., ICSE 2022).
# Usage: Scripts/loghub-accuracy.sh [path/to/loupe]   (default: builds and uses the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
datasets=../shared/datasets/loghub-2k
loupe=${1:-}
if [ -z "$loupe" ]; then
  swift build -c release --product loupe >/dev/null
  loupe=.build/release/loupe
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-10s %6s %6s %6s %6s\n' system GA PA FGA FTA
total=0
for system in HDFS Hadoop Spark Zookeeper BGL HPC Windows Linux Android Apache; do
  "$loupe" parse "$datasets/$system/${system}_2k.log" --format "loghub:$system" --output "$work/$system.csv" >/dev/null
  ga=$("$loupe" evaluate parsing --json --truth "$datasets/$system/${system}_2k.log_structured.csv" --predicted "$work/$system.csv" | python3 -c 'import json,sys; print(json.load(sys.stdin)["grouping_accuracy"])')
  read -r pa fga fta < <("$loupe" evaluate parsing --json --truth "$datasets/$system/${system}_2k.log_structured_corrected.csv" --predicted "$work/$system.csv" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["parsing_accuracy"], d["fga"], d["fta"])')
  printf '%-10s %6.3f %6.3f %6.3f %6.3f\n' "$system" "$ga" "$pa" "$fga" "$fta"
  echo "$ga $pa $fga $fta" >> "$work/all"
done
awk '{ga+=$1; pa+=$2; fga+=$3; fta+=$4} END {printf "%-10s %6.3f %6.3f %6.3f %6.3f\n", "mean", ga/NR, pa/NR, fga/NR, fta/NR}' "$work/all"
