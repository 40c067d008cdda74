#!/usr/bin/env bash
# Session-level accuracy: HDFS_2k (unsupervised, and semi-supervised on the first 80% of the
# blocks), and generated HDFS-like sessions (train on one log with its labels, judge another).
# Usage: Scripts/session-accuracy.sh [path/to/loupe]   (default: builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
hdfs=../shared/datasets/hdfs
loupe=${1:-}
if [ -z "$loupe" ]; then
  swift build -c release --product loupe >/dev/null
  loupe=.build/release/loupe
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
report() {
  "$loupe" evaluate detection --level session --labels "$2" --predicted "$3" --json --output "$work/evaluation-$RANDOM.json" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print("%-58s judged %6d  P %.4f  R %.4f  F1 %.4f  ROC-AUC %s" % (sys.argv[1], d["lines"], d["precision"], d["recall"], d["f1"], d["roc_auc"]))' "$1"
}
key='blk_-?\d+'
"$loupe" analyze "$hdfs/HDFS_2k.log" --session-key "$key" -q --output "$work/unsupervised"
report "HDFS_2k unsupervised" "$hdfs/HDFS_2k.anomaly_label.csv" "$work/unsupervised"
"$loupe" analyze "$hdfs/HDFS_2k.log" --session-key "$key" --train-fraction 0.8 \
  --labels "$hdfs/HDFS_2k.anomaly_label.csv" -q --output "$work/semi"
report "HDFS_2k semi-supervised (first 80% train)" "$hdfs/HDFS_2k.anomaly_label.csv" "$work/semi"
"$loupe" generate sessions --lines 200000 --seed 1 --output "$work/train.log" --labels "$work/train.csv" >/dev/null
"$loupe" generate sessions --lines 200000 --seed 2 --output "$work/test.log" --labels "$work/test.csv" >/dev/null
"$loupe" train "$work/train.log" --session-key "$key" --labels "$work/train.csv" --model "$work/model.json" -q
"$loupe" analyze "$work/test.log" --model "$work/model.json" -q --output "$work/generated"
report "generated sessions, train --labels then analyze --model" "$work/test.csv" "$work/generated"
for detector in sequence pca invariants iforest; do
  "$loupe" analyze "$work/test.log" --model "$work/model.json" --detectors "$detector" -q --output "$work/only-$detector"
  report "  the same, $detector alone" "$work/test.csv" "$work/only-$detector"
done
"$loupe" analyze "$work/test.log" --session-key "$key" -q --output "$work/unsupervised-generated"
report "generated sessions, unsupervised on the test log" "$work/test.csv" "$work/unsupervised-generated"
