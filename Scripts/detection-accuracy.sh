#!/usr/bin/env bash
# Line-level detection accuracy of `loupe analyze` with the default configuration:
# log-tracker application and security logs (their label files), and BGL_2k alerts (a line is
# an alert when its first token is not "-"; the label column is not given to Loupe). Each line
# gives precision, recall and F1 over every finding, then over findings at or above medium and
# high (what alerting on that severity gives; `--email` alerts on high by default). Then the
# same for `loupe generate` output, 100,000 lines of each line scenario with the default seed.
# Last, how many findings each Loghub 2,000-line sample gets (no labels there but BGL's: a
# measure of noise — fewer is better where the lines are routine).
# Usage: Scripts/detection-accuracy.sh [path/to/loupe]   (default: builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
datasets=../shared/datasets
loupe=${1:-}
if [ -z "$loupe" ]; then
  swift build -c release --product loupe >/dev/null
  loupe=.build/release/loupe
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
report() {
  "$loupe" evaluate detection --labels "$2" --predicted "$3" --json --output "$work/evaluation-$RANDOM.json" |
    python3 -c '
import json, sys
d = json.load(sys.stdin)
print("%-22s every finding  P %.4f  R %.4f  F1 %.4f  ROC-AUC %s" % (sys.argv[1], d["precision"], d["recall"], d["f1"], d["roc_auc"]))
for cut in d["by_severity"][1:3]:
    print("%-22s >= %-10s  P %.4f  R %.4f  F1 %.4f" % ("", cut["severity"], cut["precision"], cut["recall"], cut["f1"]))
' "$1"
}
for name in application security; do
  "$loupe" analyze "$datasets/log-tracker/$name.log" --all-records -q --output "$work/$name"
  report "log-tracker/$name" "$datasets/log-tracker/labels/$name.labels.csv" "$work/$name"
done
awk 'BEGIN { print "line_number,label" } { print NR "," ($1 == "-" ? 0 : 1) }' \
  "$datasets/loghub-2k/BGL/BGL_2k.log" > "$work/bgl.labels.csv"
# Loupe reads the raw lines with BGL's header format; the first token is a field it ignores.
"$loupe" analyze "$datasets/loghub-2k/BGL/BGL_2k.log" --all-records -q --output "$work/bgl"
report "BGL_2k alerts" "$work/bgl.labels.csv" "$work/bgl"
for scenario in app json syslog access process-csv metrics-csv; do
  case $scenario in *-csv) extension=csv ;; *) extension=log ;; esac
  "$loupe" generate "$scenario" --lines 100000 --output "$work/$scenario.$extension" \
    --labels "$work/$scenario.labels.csv" >/dev/null
  "$loupe" analyze "$work/$scenario.$extension" --all-records -q --output "$work/$scenario"
  report "generate $scenario" "$work/$scenario.labels.csv" "$work/$scenario"
done
for sample in "$datasets"/loghub-2k/*/*_2k.log; do
  name=$(basename "$sample" _2k.log)
  "$loupe" analyze "$sample" -q --output "$work/loghub-$name"
  python3 -c '
import collections, csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
counts = collections.Counter(row["severity"] for row in rows)
print("%-22s findings %4d  " % (sys.argv[2], len(rows)) + "  ".join("%s %d" % (s, counts[s]) for s in ("critical", "high", "medium", "low")))
' "$work/loghub-$name/${name}_2k_anomalies.csv" "loghub-2k $name"
done
