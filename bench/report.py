"""The Markdown tables of bench/compare from its JSON document: medians over rounds, ratios
to memcpy and to the best peer, and the issue-8 targets with the measured figures.

    python3 bench/report.py bench/results/compare.json > bench/results/compare.md
"""

import json
import statistics
import sys

NAMES = {"rectifier": "Rectifier", "numpy": "NumPy", "jax": "JAX", "onnxruntime": "ONNX Runtime",
         "torch": "PyTorch", "scikit-learn": "scikit-learn"}
ORDER = ["rectifier", "numpy", "jax", "onnxruntime", "torch", "scikit-learn"]
ELEMENTWISE_ROWS = [("copy", "forward"), ("relu", "forward"), ("leaky_relu", "forward"), ("prelu", "forward"),
                    ("abs", "forward"), ("softplus", "forward"), ("sigmoid", "forward"), ("tanh", "forward"),
                    ("gelu", "forward"), ("gelu_tanh", "forward"), ("silu", "forward"), ("elu", "forward"),
                    ("selu", "forward"), ("mish", "forward"), ("relu", "backward"), ("softplus", "backward")]
RELU_FAMILY = [("relu", "forward"), ("leaky_relu", "forward"), ("prelu", "forward"), ("abs", "forward"),
               ("relu", "backward")]
SMOOTH = [("softplus", "forward"), ("sigmoid", "forward"), ("tanh", "forward"), ("softplus", "backward")]
# The smooth descendants, measured against the fastest peer whose error is at most 4 ulp.
MEMBERS = ["gelu", "gelu_tanh", "silu", "elu", "selu", "mish"]
ACCURATE_ULP = 4


def size_name(elements):
    return f"2^{elements.bit_length() - 1}"


def elementwise_medians(runs):
    """(framework, op, direction, elements, threads) → median GB/s over rounds."""
    samples = {}
    for run in runs:
        for row in run["rows"]:
            key = (run["framework"], row["op"], row["direction"], row["elements"], run["threads_requested"])
            samples.setdefault(key, []).append(row["gb_per_second"])
    return {key: statistics.median(values) for key, values in samples.items()}


def elementwise_tables(document, medians, lines):
    frameworks = [f for f in ORDER if any(key[0] == f for key in medians)]
    peers = [f for f in frameworks if f != "rectifier"]
    sizes = sorted({key[3] for key in medians}, reverse=True)
    for elements in sizes:
        for threads in document["thread_counts"]:
            memcpy = medians.get(("rectifier", "copy", "forward", elements, threads))
            lines.append(f"\n**{size_name(elements)} elements, {threads} thread{'s' if threads > 1 else ''}** "
                         f"(GB/s, bytes read + written; ×memcpy in brackets; memcpy = {memcpy:.1f} GB/s)\n")
            lines.append("| op | " + " | ".join(NAMES[f] for f in frameworks) + " | Rectifier ÷ best peer |")
            lines.append("|---|" + "---|" * (len(frameworks) + 1))
            for op, direction in ELEMENTWISE_ROWS:
                cells = []
                for framework in frameworks:
                    value = medians.get((framework, op, direction, elements, threads))
                    cells.append("–" if value is None else f"{value:.1f} (×{value / memcpy:.2f})")
                ours = medians.get(("rectifier", op, direction, elements, threads))
                best = max((medians.get((p, op, direction, elements, threads)) or 0 for p in peers), default=0)
                ratio = f"{ours / best:.2f}" if ours and best else "–"
                lines.append(f"| {op} {direction} | " + " | ".join(cells) + f" | {ratio} |")


def accuracy_table(document, lines):
    accuracy = document.get("accuracy", {})
    frameworks = [f for f in ORDER if f in accuracy]
    lines.append("\nMax ulp error against the correctly rounded 50-digit mpmath values "
                 "(Tests/ActivationsTests/Reference, Float32 tables; over every point whose reference is 0 or "
                 "a normal Float; in brackets over the points whose reference is ≥ 1e−6, where flushing a far "
                 "tail to 0 does not count):\n")
    lines.append("| function | " + " | ".join(NAMES[f] for f in frameworks) + " |")
    lines.append("|---|" + "---|" * len(frameworks))
    for function in ["softplus", "sigmoid", "tanh"] + MEMBERS:
        cells = []
        for framework in frameworks:
            figure = accuracy[framework].get(function)
            if figure is None:
                cells.append("–")
                continue
            cells.append(f"{figure['max_ulp']} ({figure['max_ulp_above_1e-6']})")
        lines.append(f"| {function} | " + " | ".join(cells) + " |")


def members_table(document, medians, lines):
    """Rectifier ÷ the fastest peer whose max ulp error (over the points whose reference is 0
    or normal) is at most ACCURATE_ULP, per member, size and thread count."""
    accuracy = document.get("accuracy", {})
    configurations = [(e, t) for e in sorted({k[3] for k in medians}, reverse=True) for t in document["thread_counts"]]
    lines.append(f"\nThe smooth descendants (forward) against the fastest peer within {ACCURATE_ULP} ulp "
                 "(the peer named; \"none\" when no peer is that accurate):\n")
    lines.append("| op | " + " | ".join(f"{size_name(e)}, {t} thread{'s' if t > 1 else ''}" for e, t in configurations) + " |")
    lines.append("|---|" + "---|" * len(configurations))
    for op in MEMBERS:
        accurate = [f for f in ORDER if f != "rectifier" and f in accuracy and op in accuracy[f]
                    and accuracy[f][op]["max_ulp"] <= ACCURATE_ULP]
        cells = []
        for elements, threads in configurations:
            ours = medians.get(("rectifier", op, "forward", elements, threads))
            peers = [(medians.get((f, op, "forward", elements, threads)) or 0, f) for f in accurate]
            best, name = max(peers, default=(0, "none"))
            cells.append(f"{ours / best:.2f} ({NAMES[name]})" if ours and best else "– (none)")
        lines.append(f"| {op} | " + " | ".join(cells) + " |")


def training_medians(runs):
    """(activation, framework) → (samples/s, peak RSS bytes, final train accuracy), medians."""
    groups = {}
    for run in runs:
        result = run["result"]
        if "samples_per_second" in result:
            rate = result["samples_per_second"]
        else:
            rate = result["samples"] / statistics.median(result["epoch_seconds"])
        groups.setdefault((run["activation"], run["framework"]), []).append(
            (rate, result["peak_rss_bytes"], result.get("final_train_accuracy", float("nan"))))
    return {key: tuple(statistics.median(v[i] for v in values) for i in range(3)) for key, values in groups.items()}


def training_table(medians, lines):
    lines.append("\n| activation | framework | samples/s | peak RSS (MiB) | train accuracy after the epochs | Rectifier ÷ this |")
    lines.append("|---|---|---|---|---|---|")
    for activation in ("relu", "tanh", "cnn"):
        ours = medians.get((activation, "rectifier"))
        for framework in ORDER:
            figures = medians.get((activation, framework))
            if figures is None:
                continue
            ratio = f"{ours[0] / figures[0]:.2f}" if ours else "– (not measured)"
            lines.append(f"| {activation} | {NAMES[framework]} | {figures[0]:,.0f} | {figures[1] / 2**20:.0f} | "
                         f"{figures[2]:.3f} | {ratio} |")


def inference_medians(inference):
    groups = {}
    for run in inference["runs"]:
        for row in run["rows"]:
            groups.setdefault((run["framework"], row["precision"], row["batch"], run["threads"]), []).append(
                row["samples_per_second"])
    return {key: statistics.median(values) for key, values in groups.items()}


def inference_table(document, medians, lines):
    inference = document["inference"]
    lines.append("\n| precision | batch | threads | Rectifier samples/s | ONNX Runtime samples/s | Rectifier ÷ ORT |")
    lines.append("|---|---|---|---|---|---|")
    # int8-w7 (our 7-bit weights, the vpmaddubsw GEMM) is set against ORT's one int8 model.
    for precision in ("float32", "int8", "int8-w7"):
        for batch in (1, 1024):
            for threads in document["thread_counts"]:
                ours = medians.get(("rectifier", precision, batch, threads))
                theirs = medians.get(("onnxruntime", "int8" if precision == "int8-w7" else precision, batch, threads))
                if ours is None or theirs is None:
                    continue
                lines.append(f"| {precision} | {batch} | {threads} | {ours:,.0f} | {theirs:,.0f} | {ours / theirs:.2f} |")
    accuracy = {}
    for run in inference["runs"]:
        accuracy[run["framework"]] = run["accuracy"]
    if accuracy:
        lines.append("\nTest accuracy (10 000 Fashion-MNIST test images) of the same weights: Rectifier Float32 "
                     f"{accuracy['rectifier']['float32']:.4f}, int8 {accuracy['rectifier']['int8']:.4f}"
                     + (f", int8-w7 {accuracy['rectifier']['int8-w7']:.4f}" if "int8-w7" in accuracy["rectifier"] else "")
                     + "; "
                     f"ONNX Runtime Float32 {accuracy['onnxruntime']['float32']:.4f}, "
                     f"dynamic int8 {accuracy['onnxruntime']['int8']:.4f}.")


def targets(document, elementwise, training, inference, lines):
    lines.append("\n| target | measured | met |")
    lines.append("|---|---|---|")
    peers = [f for f in ORDER if f != "rectifier" and any(key[0] == f for key in elementwise)]
    configurations = [(e, t) for e in sorted({k[3] for k in elementwise}, reverse=True) for t in document["thread_counts"]]

    def peer_ratio(op, direction, elements, threads):
        ours = elementwise.get(("rectifier", op, direction, elements, threads))
        best = max((elementwise.get((p, op, direction, elements, threads)) or 0 for p in peers), default=0)
        return ours / best if ours and best else None

    if elementwise:
        big = max(k[3] for k in elementwise)
        copy_ratios = {(op, t): elementwise[("rectifier", op, "forward", big, t)] / elementwise[("rectifier", "copy", "forward", big, t)]
                       for op, direction in RELU_FAMILY if direction == "forward" for t in document["thread_counts"]
                       if ("rectifier", op, "forward", big, t) in elementwise}
        worst = min(copy_ratios.items(), key=lambda item: item[1])
        lines.append(f"| ReLU family forward ≥ 0.90 × memcpy at 2^24 | {min(copy_ratios.values()):.2f}–{max(copy_ratios.values()):.2f} "
                     f"(lowest: {worst[0][0]}, {worst[0][1]} thread(s)) | {'yes' if worst[1] >= 0.9 else 'no'} |")
        ratios = {(op, d, e, t): peer_ratio(op, d, e, t) for op, d in RELU_FAMILY for e, t in configurations}
        ratios = {k: v for k, v in ratios.items() if v is not None}
        worst = min(ratios.items(), key=lambda item: item[1])
        lines.append(f"| ReLU family ≥ 1.0 × best peer everywhere | {min(ratios.values()):.2f}–{max(ratios.values()):.2f} "
                     f"(lowest: {worst[0][0]} {worst[0][1]}, {size_name(worst[0][2])}, {worst[0][3]} thread(s)) | "
                     f"{'yes' if worst[1] >= 1.0 else 'no'} |")
        accuracy = document.get("accuracy", {})
        for op, direction in SMOOTH:
            function = "sigmoid" if direction == "backward" else op
            values = [peer_ratio(op, direction, e, t) for e, t in configurations]
            values = [v for v in values if v is not None]
            if not values:
                continue
            text = f"{min(values):.2f}–{max(values):.2f} vs the fastest peer"
            met = min(values) >= 1.5
            ours = accuracy.get("rectifier", {}).get(function)
            if ours:
                accurate = [p for p in peers if p in accuracy
                            and accuracy[p][function]["max_ulp"] <= ours["max_ulp"]]
                fair = []
                for e, t in configurations:
                    mine = elementwise.get(("rectifier", op, direction, e, t))
                    best = max((elementwise.get((p, op, direction, e, t)) or 0 for p in accurate), default=0)
                    if mine and best:
                        fair.append(mine / best)
                if fair:
                    text += (f"; {min(fair):.2f}–{max(fair):.2f} vs the fastest peer at ≤ {ours['max_ulp']} ulp "
                             f"({', '.join(NAMES[p] for p in accurate)})")
                    met = min(fair) >= 1.5
            lines.append(f"| {op} {direction} ≥ 1.5 × best peer at equal or better accuracy | {text} | "
                         f"{'yes' if met else 'no'} |")
    for activation in ("relu", "tanh", "cnn"):
        ours = training.get((activation, "rectifier"))
        others = {f: v for (a, f), v in training.items() if a == activation and f != "rectifier"}
        if ours and others:
            best = max(others.items(), key=lambda item: item[1][0])
            ratio = ours[0] / best[1][0]
            lines.append(f"| training epoch ({activation}) ≥ 1.0 × best peer | {ratio:.2f} (best peer {NAMES[best[0]]}) | "
                         f"{'yes' if ratio >= 1.0 else 'no'} |")
        elif others:
            lines.append(f"| training epoch ({activation}) ≥ 1.0 × best peer | Rectifier not measured "
                         f"(`bench train` has no --activation) | no |")
    for precision, batches in (("int8", (1024,)), ("int8-w7", (1024,)), ("float32", (1, 1024))):
        values = []
        for batch in batches:
            for threads in document["thread_counts"]:
                ours = inference.get(("rectifier", precision, batch, threads))
                theirs = inference.get(("onnxruntime", "int8" if precision == "int8-w7" else precision, batch, threads))
                if ours and theirs:
                    values.append((ours / theirs, batch, threads))
        if values:
            text = ", ".join(f"{r:.2f} (batch {b}, {t} thr.)" for r, b, t in values)
            goal = {"int8": "int8 (±127 weights) ≥ 1.0 × ORT int8 at batch 1024",
                    "int8-w7": "int8 (7-bit weights) ≥ 1.0 × ORT int8 at batch 1024",
                    "float32": "Float32 ≥ 1.0 × ORT Float32"}[precision]
            lines.append(f"| {goal} | {text} | {'yes' if min(v[0] for v in values) >= 1.0 else 'no'} |")


def data_table(runs, lines):
    """Seconds per file: Rectifier's DataReader, a plain read of the same bytes, pandas.read_csv
    and numpy.load, and the ratios the targets name."""
    def median_of(framework, key):
        values = [key(run["result"]) for run in runs if run["framework"] == framework]
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    def row_of(result, fmt):
        return next((row for row in result.get("rows", []) if row["format"] == fmt), None)

    lines += ["", "| file | MB | Rectifier s | plain read s | peer s | Rectifier ÷ plain read | Rectifier ÷ peer (speed) |",
              "|---|---|---|---|---|---|---|"]
    peers = {"csv": ("pandas.read_csv", "pandas_read_csv_seconds"), "npy": ("numpy.load", "numpy_load_npy_seconds"),
             "npz": ("numpy.load", "numpy_load_npz_seconds")}
    for fmt, (peer, key) in peers.items():
        ours = median_of("rectifier", lambda r: (row_of(r, fmt) or {}).get("seconds"))
        plain = median_of("rectifier", lambda r: (row_of(r, fmt) or {}).get("plain_read_seconds"))
        size = median_of("rectifier", lambda r: (row_of(r, fmt) or {}).get("bytes"))
        theirs = median_of("pandas", lambda r: r.get(key))
        if ours is None:
            continue
        lines.append(f"| {fmt} | {size / 1e6:.0f} | {ours:.3f} | {plain:.3f} | {peer} {theirs:.3f} | "
                     f"{plain / ours:.2f} | {theirs / ours:.2f} |")


def dependent_table(runs, lines):
    """Each kernel's median ns/element over rounds in the plain and the native build, and
    plain ÷ native (the target: at most 1.2)."""
    medians = {}
    for run in runs:
        for row in run["rows"]:
            key = (row["op"], row["direction"], row["elements"])
            medians.setdefault(key, {}).setdefault(run["build"], []).append(row["ns_per_element"])
    chosen = sorted({run.get("instruction_set", "unknown") for run in runs})
    lines.append(f"Dispatched kernels' instruction set on this CPU: {', '.join(chosen)}. Every kernel "
                 "here is dispatched (C compiled for baseline x86-64, AVX2 + FMA and AVX-512).\n")
    lines.append("| kernel | direction | elements | plain ns/element | native ns/element | plain ÷ native | verdict |")
    lines.append("|---|---|---:|---:|---:|---:|---|")
    for (op, direction, elements), builds in sorted(medians.items(), key=lambda item: (-item[0][2], item[0][0], item[0][1])):
        if "plain" not in builds or "native" not in builds:
            continue
        plain, native = statistics.median(builds["plain"]), statistics.median(builds["native"])
        ratio = plain / native
        verdict = "within 1.2×" if ratio <= 1.2 else "slower than 1.2×"
        lines.append(f"| {op} | {direction} | {size_name(elements)} | {plain:.3f} | {native:.3f} | {ratio:.2f} | {verdict} |")


def markdown(document):
    machine = document["machine"]
    elementwise = elementwise_medians(document.get("elementwise", []))
    training = training_medians(document.get("train", []))
    inference = inference_medians(document["inference"]) if "inference" in document else {}
    versions = {}
    for task in ("elementwise", "inference"):
        for run in document.get(task, {}).get("runs", []) if task == "inference" else document.get(task, []):
            versions.update(run.get("versions", {}))
    lines = ["# Rectifier side by side (bench/compare)", "",
             f"Machine: {machine['cpu']}, {machine['cores']} cores, "
             f"{'AVX-512' if machine['avx512f'] else 'AVX2' if machine['avx2'] else 'SSE'}; "
             "shared with other helpers' builds while measured, so every figure is a median (of calls, "
             "then over rounds run in rotating order, one framework per process). " + "; ".join(
                 f"{task}: {s.get('rounds', 1)} round(s) from {s.get('started', '?')} UTC, load average "
                 f"{s.get('load_average_start', 0):.0f}→{s.get('load_average_end', 0):.0f}"
                 + (f", {s['epochs']} timed epoch(s) per process" if 'epochs' in s else "")
                 for task, s in document.get("task_settings", {}).items() if s)
             + f" ({document['started'][:10]}).",
             "", "Peers: " + ", ".join(f"{name} {version}" for name, version in sorted(versions.items()))
             + f"; PyTorch: {document['torch']}.", ""]
    if elementwise:
        lines.append("## Elementwise, Float32, into preallocated outputs")
        elementwise_tables(document, elementwise, lines)
    if "accuracy" in document:
        accuracy_table(document, lines)
        if elementwise:
            members_table(document, elementwise, lines)
    if training:
        lines.append("\n## Training: one epoch of 784-256-128-10 on Fashion-MNIST, Adam 1e−3, batch 128, "
                     f"{max(document['thread_counts'])} threads")
        training_table(training, lines)
    if inference:
        lines.append("\n## Inference: the trained ReLU model, samples/s (Float input to logits)")
        inference_table(document, inference, lines)
    if document.get("data"):
        lines.append("\n## Data reading, one thread: fastest of 3 readings per process, median over rounds")
        data_table(document["data"], lines)
    if document.get("dependent"):
        lines.append("\n## As a dependency: bench/dependent-package built with plain `swift build -c release` "
                     "against the same package built with the Makefile's native flags, one thread")
        dependent_table(document["dependent"], lines)
    lines.append("\n## Issue-8 targets")
    targets(document, elementwise, training, inference, lines)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown(json.load(open(sys.argv[1]))))
