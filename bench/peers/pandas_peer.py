"""The data-reading peer of bench/compare (task data): pandas and NumPy.

  write DIR MEGABYTES   DIR/data.csv (pandas.to_csv: 100 float64 columns of uniform [0, 1)
                        numbers in Python's shortest repr, and an integer label), DIR/data.npy
                        (float32 features of the same rows) and DIR/data.npz (numpy.savez,
                        stored: x float32 and y int64), about MEGABYTES of CSV
  read DIR RUNS         one JSON line: the fastest of RUNS readings by pandas.read_csv (C
                        engine, one thread), numpy.load of the .npy and of the .npz's x and y,
                        in CPU seconds of the process (user + system), as `rectifier bench data`
"""

import json
import os
import sys
import time

import numpy as np
import pandas as pd


def write(directory, megabytes):
    os.makedirs(directory, exist_ok=True)
    columns = 100
    rows = int(megabytes * 1e6 / (columns * 19.5))
    rng = np.random.default_rng(0)
    features = rng.random((rows, columns))
    labels = rng.integers(0, 10, rows)
    frame = pd.DataFrame(features, columns=[f"f{i}" for i in range(columns)])
    frame["label"] = labels
    frame.to_csv(os.path.join(directory, "data.csv"), index=False)
    np.save(os.path.join(directory, "data.npy"), features.astype(np.float32))
    np.savez(os.path.join(directory, "data.npz"), x=features.astype(np.float32), y=labels)
    print(json.dumps({"rows": rows, "csv_bytes": os.path.getsize(os.path.join(directory, "data.csv"))}))


def fastest(runs, body):
    times = []
    for _ in range(runs):
        start = time.process_time()
        body()
        times.append(time.process_time() - start)
    return min(times)


def read(directory, runs):
    csv, npy, npz = (os.path.join(directory, name) for name in ("data.csv", "data.npy", "data.npz"))

    def load_npz():
        with np.load(npz) as archive:
            archive["x"], archive["y"]

    pd.read_csv(csv, engine="c")
    print(json.dumps({
        "pandas_read_csv_seconds": fastest(runs, lambda: pd.read_csv(csv, engine="c")),
        "numpy_load_npy_seconds": fastest(runs, lambda: np.load(npy)),
        "numpy_load_npz_seconds": fastest(runs, load_npz),
        "versions": {"pandas": pd.__version__, "numpy": np.__version__},
    }))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], float(sys.argv[3]))
    elif sys.argv[1] == "read":
        read(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(f"unknown command {sys.argv[1]}")
