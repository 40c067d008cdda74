"""Loupe's Isolation Forest, LOF and autoencoder side by side with scikit-learn.

Writes a seeded matrix with 2% injected outliers, runs scikit-learn and Loupe's
`OutlierComparison` binary on it, and prints (and writes as JSON) fit + score time and ROC-AUC.

Data: inliers from five Gaussian clusters in a 4-dimensional latent space, mapped linearly to
16 features with small independent noise (correlated features, as real metrics have);
outliers: half drawn uniformly in the inliers' bounding box, half taken from inliers and
pushed off their cluster's subspace by noise of one feature standard deviation.
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import LocalOutlierFactor
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler


def make_data(rows, columns, share, seed):
    random = np.random.default_rng(seed)
    latent = 4
    centres = random.normal(0, 4, size=(5, latent))
    mixing = random.normal(0, 1, size=(latent, columns))
    outliers = int(rows * share)
    inliers = rows - outliers
    cluster = random.integers(0, 5, size=inliers)
    points = centres[cluster] + random.normal(0, 1, size=(inliers, latent))
    normal = points @ mixing + random.normal(0, 0.1, size=(inliers, columns))
    low, high = normal.min(axis=0), normal.max(axis=0)
    spread = normal.std(axis=0)
    uniform = random.uniform(low, high, size=(outliers // 2, columns))
    base = normal[random.integers(0, inliers, size=outliers - outliers // 2)]
    pushed = base + random.normal(0, 1, size=base.shape) * spread
    data = np.vstack([normal, uniform, pushed])
    labels = np.concatenate([np.zeros(inliers), np.ones(outliers)])
    order = random.permutation(rows)
    return np.ascontiguousarray(data[order]), labels[order]


def write_matrix(path, data):
    with open(path, "wb") as handle:
        np.array(data.shape, dtype="<i8").tofile(handle)
        data.astype("<f8").tofile(handle)


def run_loupe(binary, detector, matrix_path, rows, workdir):
    scores_path = os.path.join(workdir, f"{detector}.scores")
    output = subprocess.run(
        [binary, detector, matrix_path, scores_path], check=True, capture_output=True, text=True
    )
    seconds = float(output.stdout.strip())
    scores = np.fromfile(scores_path, dtype="<f8")
    assert len(scores) == rows
    return seconds, scores


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def sklearn_iforest(data):
    model = IsolationForest(n_estimators=100, max_samples=256, random_state=42, n_jobs=2)
    model.fit(data)
    return -model.score_samples(data)


def sklearn_lof(data, algorithm):
    model = LocalOutlierFactor(n_neighbors=20, algorithm=algorithm, n_jobs=2)
    model.fit(data)
    return -model.negative_outlier_factor_


def sklearn_autoencoder(data):
    scaled = StandardScaler().fit_transform(data)
    model = MLPRegressor(
        hidden_layer_sizes=(32, 16, 8, 16, 32), batch_size=256, max_iter=60,
        early_stopping=True, validation_fraction=0.1, n_iter_no_change=3, random_state=42,
    )
    model.fit(scaled, scaled)
    return ((model.predict(scaled) - scaled) ** 2).mean(axis=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--iforest-rows", type=int, default=1_000_000)
    parser.add_argument("--lof-rows", type=int, default=100_000)
    parser.add_argument("--autoencoder-rows", type=int, default=100_000)
    parser.add_argument("--json", default=None)
    arguments = parser.parse_args()
    os.makedirs(arguments.workdir, exist_ok=True)

    cases = [
        ("iforest", arguments.iforest_rows, [("IsolationForest", sklearn_iforest)]),
        ("lof", arguments.lof_rows, [
            ("LocalOutlierFactor (auto = brute force at 16 columns)",
             lambda d: sklearn_lof(d, "auto")),
            ("LocalOutlierFactor (kd_tree)", lambda d: sklearn_lof(d, "kd_tree")),
        ]),
        ("autoencoder", arguments.autoencoder_rows, [("MLPRegressor autoencoder", sklearn_autoencoder)]),
    ]
    results = []
    print(f"{'detector':<12} {'rows':>9}  {'side':<56} {'seconds':>8} {'ROC-AUC':>8}")
    for detector, rows, references in cases:
        data, labels = make_data(rows, 16, 0.02, seed=7)
        matrix_path = os.path.join(arguments.workdir, f"{detector}.matrix")
        write_matrix(matrix_path, data)
        seconds, scores = run_loupe(arguments.binary, detector, matrix_path, rows, arguments.workdir)
        loupe_auc = roc_auc_score(labels, scores)
        entry = {"detector": detector, "rows": rows, "columns": 16,
                 "loupe": {"seconds": seconds, "roc_auc": loupe_auc}, "scikit_learn": []}
        print(f"{detector:<12} {rows:>9}  {'Loupe':<56} {seconds:>8.2f} {loupe_auc:>8.4f}")
        for name, function in references:
            reference_seconds, reference_scores = timed(lambda: function(data))
            reference_auc = roc_auc_score(labels, reference_scores)
            entry["scikit_learn"].append(
                {"name": name, "seconds": reference_seconds, "roc_auc": reference_auc,
                 "speedup": reference_seconds / seconds, "auc_difference": loupe_auc - reference_auc})
            print(f"{'':<12} {'':>9}  {'scikit-learn ' + name:<56} {reference_seconds:>8.2f} "
                  f"{reference_auc:>8.4f}   Loupe {reference_seconds / seconds:.1f}x faster, "
                  f"AUC {loupe_auc - reference_auc:+.4f}")
        results.append(entry)
        sys.stdout.flush()
    if arguments.json:
        with open(arguments.json, "w") as handle:
            json.dump({"results": results, "scikit_learn_version": __import__("sklearn").__version__},
                      handle, indent=2)


if __name__ == "__main__":
    main()
