#!/usr/bin/env bash
# Loupe's Isolation Forest, LOF and autoencoder against scikit-learn on the same matrices
# (1,000,000 × 16 for the forest, 100,000 × 16 for the others, 2% injected outliers):
# fit + score time and ROC-AUC, printed and written to .build-outliers/comparison.json.
# Needs Python 3 with venv and PyPI access (scikit-learn is installed in .build-outliers/venv).
set -euo pipefail
cd "$(dirname "$0")/.."
work=.build-outliers
mkdir -p "$work"
if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet scikit-learn numpy
fi
swift build -c release --package-path Benchmarks --product OutlierComparison >&2
"$work/venv/bin/python" Scripts/outlier_comparison.py \
  --binary Benchmarks/.build/release/OutlierComparison --workdir "$work" \
  --json "$work/comparison.json" "$@"
