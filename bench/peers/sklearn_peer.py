"""scikit-learn's MLPClassifier, the baseline for training: 784-256-128-10, Adam 1e-3,
batch 128, no L2 penalty (alpha=0), Float32 input. One epoch is one partial_fit call over the
60 000 shuffled samples (partial_fit makes one pass). Its matrix products run in NumPy's
OpenBLAS, whose thread count bench/compare sets (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS);
threadpoolctl reports what was used."""

import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_info

import common


def train(activation, epochs):
    images, labels = common.fashion_mnist("train")
    model = MLPClassifier(
        hidden_layer_sizes=(256, 128), activation=activation, solver="adam", learning_rate_init=1e-3,
        batch_size=128, alpha=0.0, shuffle=True, random_state=0)
    classes = np.arange(10)
    rng = np.random.default_rng(0)
    seconds = []
    warnings.simplefilter("ignore", ConvergenceWarning)
    for _ in range(epochs):
        order = rng.permutation(images.shape[0])
        x, y = images[order], labels[order]
        start = time.perf_counter()
        model.partial_fit(x, y, classes=classes)
        seconds.append(time.perf_counter() - start)
    return {"epoch_seconds": seconds, "samples": int(images.shape[0]),
            "final_train_accuracy": float(model.score(images, labels)),
            "parameter_dtype": str(model.coefs_[0].dtype),
            "blas": [{k: info.get(k) for k in ("internal_api", "num_threads", "version")} for info in threadpool_info()]}


if __name__ == "__main__":
    task = sys.argv[1]
    document = {"framework": "scikit-learn", "versions": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
                "threads": common.thread_count()}
    if task == "train":
        document["train"] = train(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 2)
        document["train"]["peak_rss_bytes"] = common.peak_rss_bytes()
    else:
        sys.exit(f"sklearn_peer.py: unknown task '{task}' (train ACTIVATION [EPOCHS])")
    common.emit(document)
