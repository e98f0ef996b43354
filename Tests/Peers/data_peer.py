"""The Python side of Rectifier's data-reader tests.

Run by Tests/DatasetsTests/DataReaderPeerTests.swift with the peer venv's python (.build/venv,
made by `make peer-venv`).

  write-fixtures DIR   data files written by pandas, NumPy and Pillow, and DIR/expected.json:
                       for each file its shape, features (float32 values, as float64 repr),
                       class names and indices, or regression values
"""

import json
import os
import sys
import zipfile

import numpy as np
import pandas as pd
from PIL import Image


def floats(array):
    return [float(v) for v in np.asarray(array, dtype=np.float32).ravel()]


def classes(labels):
    names = sorted(set(labels.tolist()))
    index = {name: i for i, name in enumerate(names)}
    return [str(n) for n in names], [index[v] for v in labels.tolist()]


def write_fixtures(directory):
    rng = np.random.default_rng(7)
    expected = {}

    # Float32 features (shortest repr), string labels with a comma, quoted by pandas.
    n = 30
    species = np.array(["setosa", "versi,color", "virginica"])[rng.integers(0, 3, n)]
    frame = pd.DataFrame({name: rng.normal(0, 10, n).astype(np.float32) for name in ["a", "b c", "d"]})
    frame["species"] = species
    frame.to_csv(os.path.join(directory, "strings.csv"), index=False)
    names, indices = classes(species)
    expected["strings.csv"] = {"shape": [3], "features": floats(frame[["a", "b c", "d"]].to_numpy()),
                               "classes": names, "indices": indices, "feature_names": ["a", "b c", "d"]}

    # Float64 features (17-digit repr, exponents, negatives), integer labels 0/2/10 in the
    # first column, chosen with --target.
    values = rng.normal(0, 1, (n, 4)) * np.array([1e-30, 1, 1e20, 3e-3])
    frame = pd.DataFrame(values, columns=["w", "x", "y", "z"])
    labels = np.array([0, 2, 10])[np.arange(n) % 3]
    frame.insert(0, "label", labels)
    frame.to_csv(os.path.join(directory, "integers.csv"), index=False, lineterminator="\r\n")
    expected["integers.csv"] = {"shape": [4], "target": "label", "features": floats(values),
                                "classes": ["0", "2", "10"], "indices": [[0, 2, 10].index(v) for v in labels]}

    # Regression.
    target = values[:, 1] * 3 + 1
    frame = pd.DataFrame({"x": values[:, 1], "y": target})
    frame.to_csv(os.path.join(directory, "regression.csv"), index=False)
    expected["regression.csv"] = {"shape": [1], "task": "regression", "features": floats(values[:, 1]),
                                  "values": floats(target)}

    # NumPy: stored float32 images with string labels; compressed uint8 with int64 labels;
    # float64 with int32 labels; the Keras layout; a features-only .npy.
    x = rng.normal(0, 1, (12, 3, 4, 5)).astype(np.float32)
    y = np.array(["bird", "cat", "ant"])[np.arange(12) % 3]
    np.savez(os.path.join(directory, "images.npz"), x=x, y=y)
    names, indices = classes(y)
    expected["images.npz"] = {"shape": [3, 4, 5], "features": floats(x), "classes": names, "indices": indices}

    x = rng.integers(0, 256, (20, 6, 7), dtype=np.uint8)
    y = (np.arange(20) % 4).astype(np.int64) * 3 - 2
    np.savez_compressed(os.path.join(directory, "compressed.npz"), x=x, y=y)
    names = sorted(set(y.tolist()))
    expected["compressed.npz"] = {"shape": [6, 7], "features": floats(x), "classes": [str(v) for v in names],
                                  "indices": [names.index(v) for v in y.tolist()]}

    x = rng.normal(0, 1, (9, 5))
    y = (np.arange(9) % 2).astype(np.int32)
    np.savez(os.path.join(directory, "float64.npz"), x=x, y=y)
    expected["float64.npz"] = {"shape": [5], "features": floats(x), "classes": ["0", "1"], "indices": y.tolist()}

    x_train, x_test = rng.integers(0, 256, (8, 2, 3), dtype=np.uint8), rng.integers(0, 256, (4, 2, 3), dtype=np.uint8)
    y_train, y_test = np.arange(8) % 2, np.arange(4) % 2
    np.savez(os.path.join(directory, "keras.npz"), x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    expected["keras.npz"] = {"shape": [2, 3], "features": floats(x_train), "classes": ["0", "1"],
                             "indices": y_train.tolist(), "test_features": floats(x_test), "test_indices": y_test.tolist()}

    x = rng.normal(0, 1, (7, 3)).astype(np.float32)
    np.save(os.path.join(directory, "features.npy"), x)
    expected["features.npy"] = {"shape": [3], "features": floats(x), "features_only": True}

    # ZIP64 records (end of central directory, extra fields) as Python's zipfile writes them
    # for archives over 4 GiB, forced here by lowering its limit.
    limit = zipfile.ZIP64_LIMIT
    zipfile.ZIP64_LIMIT = 16
    try:
        x = rng.normal(0, 1, (5, 2)).astype(np.float32)
        np.savez(os.path.join(directory, "zip64.npz"), x=x, y=np.array([1, 0, 1, 0, 1]))
    finally:
        zipfile.ZIP64_LIMIT = limit
    expected["zip64.npz"] = {"shape": [2], "features": floats(x), "classes": ["0", "1"], "indices": [1, 0, 1, 0, 1]}

    # PNG class folders: grey, and RGB with one grey image (read as RGB, grey replicated).
    for folder, modes in [("grey", ["L"] * 4), ("rgb", ["RGB", "L", "RGB", "RGB"])]:
        features, labels = [], []
        for index, mode in enumerate(modes):
            label = ["zebra", "ant"][index % 2]
            os.makedirs(os.path.join(directory, folder, label), exist_ok=True)
            pixels = rng.integers(0, 256, (5, 6, 3 if mode == "RGB" else 1), dtype=np.uint8)
            image = Image.fromarray(pixels if mode == "RGB" else pixels[:, :, 0], mode)
            image.save(os.path.join(directory, folder, label, f"{index:02d}.png"))
            labels.append(label)
        paths = sorted((label, name) for label in ["ant", "zebra"]
                       for name in sorted(os.listdir(os.path.join(directory, folder, label))))
        for label, name in paths:
            image = Image.open(os.path.join(directory, folder, label, name))
            array = np.asarray(image.convert("RGB" if folder == "rgb" else "L"), dtype=np.uint8)
            features += floats(array.transpose(2, 0, 1) if array.ndim == 3 else array)
        expected[folder] = {"shape": [3 if folder == "rgb" else 1, 5, 6], "features": features,
                            "classes": ["ant", "zebra"], "indices": [0 if l == "ant" else 1 for l, _ in paths]}
    for label, size in [("a", (6, 5)), ("b", (4, 3))]:
        os.makedirs(os.path.join(directory, "sizes", label))
        Image.new("L", size).save(os.path.join(directory, "sizes", label, "0.png"))
    with open(os.path.join(directory, "expected.json"), "w") as handle:
        json.dump(expected, handle)
    print("ok:", len(expected))


if __name__ == "__main__":
    if sys.argv[1] == "write-fixtures":
        write_fixtures(sys.argv[2])
    else:
        sys.exit(f"unknown command {sys.argv[1]}")
