"""The Markdown tables of bench/compare from its JSON document: medians over rounds, every
row as Rectifier ÷ the best peer with each framework's error beside its speed and a one-line
verdict against the row's target, then the count of targets met.

    python3 bench/report.py bench/results/compare.json > bench/results/compare.md
    python3 bench/report.py bench/results/compare.json --document > docs/PERFORMANCE.md

--document puts the tables into bench/performance-notes.md (at its `{results}` line, headings
two levels down) and prints docs/PERFORMANCE.md.
"""

import json
import os
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
# The targets, Rectifier ÷ the fastest peer: sigmoid and tanh forward ≥ 1.0 at ≤ 2 ulp, every
# other elementwise row ≥ 1.2; Float32 inference ≥ 1.5 at batch 1 and ≥ 1.10 at batch 1024;
# int8 at batch 1024 ≥ 1.0 (±127 weights) and ≥ 1.3 (7-bit); the CNN's Float32 inference ≥ 1.10
# at batch 1024; training ≥ 1.0.
EXACT_ENOUGH_ULP = 2
INFERENCE_TARGETS = {
    "mlp": {("float32", 1): 1.5, ("float32", 1024): 1.10, ("int8", 1024): 1.0, ("int8-w7", 1024): 1.3},
    "cnn": {("float32", 1024): 1.10},
}
COPY_TARGET = 0.95  # ReLU, leaky ReLU and abs forward against the copy, 2^24, one thread


def elementwise_target(op, direction):
    return 1.0 if direction == "forward" and op in ("sigmoid", "tanh") else 1.2


def verdict(ratio, target, verdicts, label, condition=None, failed_condition=False):
    """The verdict cell of one row (and its record in `verdicts`): met when ratio ≥ target
    (and the extra condition, e.g. an error bound, holds)."""
    goal = f"≥ {target:.2f}×" + (f", {condition}" if condition else "")
    if ratio is None:
        return f"not measured ({goal})"
    met = ratio >= target and not failed_condition
    verdicts.append((label, ratio, goal, met))
    return f"{'met' if met else '**not met**'} ({goal})"


def ulp_of(document, framework, op, direction):
    """The framework's max ulp on the mpmath table of a forward op, or None when not measured."""
    figure = document.get("accuracy", {}).get(framework, {}).get(op) if direction == "forward" else None
    return figure["max_ulp"] if figure else None


def size_name(elements):
    return f"2^{elements.bit_length() - 1}"


def elementwise_medians(runs, field="gb_per_second"):
    """(framework, op, direction, elements, threads) → median of `field` over rounds."""
    samples = {}
    for run in runs:
        for row in run["rows"]:
            if field not in row:
                continue
            key = (run["framework"], row["op"], row["direction"], row["elements"], run["threads_requested"])
            samples.setdefault(key, []).append(row[field])
    return {key: statistics.median(values) for key, values in samples.items()}


def elementwise_tables(document, medians, lines, verdicts):
    frameworks = [f for f in ORDER if any(key[0] == f for key in medians)]
    peers = [f for f in frameworks if f != "rectifier"]
    # Rectifier's own rows carry their ratio to a copy timed in alternation with them.
    ratios = elementwise_medians(document.get("elementwise", []), "ratio_to_copy")
    sizes = sorted({key[3] for key in medians}, reverse=True)
    for elements in sizes:
        for threads in document["thread_counts"]:
            memcpy = medians.get(("rectifier", "copy", "forward", elements, threads))
            lines.append(f"\n**{size_name(elements)} elements, {threads} thread{'s' if threads > 1 else ''}** "
                         f"(GB/s, bytes read + written; ×memcpy and the max ulp error, where measured, in "
                         f"brackets; memcpy = {memcpy:.1f} GB/s; Rectifier's ×memcpy against the copy "
                         f"timed in alternation with each kernel)\n")
            lines.append("| op | " + " | ".join(NAMES[f] for f in frameworks) + " | Rectifier ÷ best peer | verdict |")
            lines.append("|---|" + "---|" * (len(frameworks) + 2))
            for op, direction in ELEMENTWISE_ROWS:
                ours = medians.get(("rectifier", op, direction, elements, threads))
                if ours is None:
                    continue
                cells = []
                for framework in frameworks:
                    value = medians.get((framework, op, direction, elements, threads))
                    ulp = ulp_of(document, framework, op, direction)
                    error = "" if ulp is None else f", {ulp:,} ulp"
                    times = ratios.get((framework, op, direction, elements, threads)) or (value and value / memcpy)
                    cells.append("–" if value is None else f"{value:.1f} (×{times:.2f}{error})")
                best = max((medians.get((p, op, direction, elements, threads)) or 0 for p in peers), default=0)
                ratio = ours / best if best else None
                target = elementwise_target(op, direction)
                ulp = ulp_of(document, "rectifier", op, direction)
                bounded = target == 1.0
                label = f"{op} {direction}, {size_name(elements)}, {threads} thread(s)"
                cell = verdict(ratio, target, verdicts, label, f"≤ {EXACT_ENOUGH_ULP} ulp" if bounded else None,
                               bounded and (ulp is None or ulp > EXACT_ENOUGH_ULP))
                lines.append(f"| {op} {direction} | " + " | ".join(cells)
                             + f" | {'–' if ratio is None else f'{ratio:.2f}'} | {cell} |")


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
    """Rectifier ÷ the fastest peer whose max ulp error is at most ACCURATE_ULP, per member,
    size and thread count: once over every point whose reference is 0 or normal, once over
    the points whose reference is ≥ 1e−6 (a peer that flushes a far tail to 0 counts there)."""
    accuracy = document.get("accuracy", {})
    configurations = [(e, t) for e in sorted({k[3] for k in medians}, reverse=True) for t in document["thread_counts"]]
    readings = [("max_ulp", "over every point whose reference is 0 or normal"),
                ("max_ulp_above_1e-6", "over the points whose reference is ≥ 1e−6")]
    for key, reading in readings:
        lines.append(f"\nThe smooth descendants (forward) against the fastest peer within {ACCURATE_ULP} ulp "
                     f"{reading} (the peer named; \"none\" when no peer is that accurate):\n")
        lines.append("| op | " + " | ".join(f"{size_name(e)}, {t} thread{'s' if t > 1 else ''}"
                                           for e, t in configurations) + " |")
        lines.append("|---|" + "---|" * len(configurations))
        for op in MEMBERS:
            accurate = [f for f in ORDER if f != "rectifier" and f in accuracy and op in accuracy[f]
                        and accuracy[f][op][key] <= ACCURATE_ULP]
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


def training_table(medians, lines, verdicts):
    frameworks = [f for f in ORDER if any(key[1] == f for key in medians)]
    lines.append("\nSamples/s (train accuracy after the epochs; peak RSS in MiB):\n")
    lines.append("| activation | " + " | ".join(NAMES[f] for f in frameworks) + " | Rectifier ÷ best peer | verdict |")
    lines.append("|---|" + "---|" * (len(frameworks) + 2))
    for activation in ("relu", "tanh", "cnn"):
        if not any(a == activation for a, _ in medians):
            continue
        cells = []
        for framework in frameworks:
            figures = medians.get((activation, framework))
            cells.append("–" if figures is None else
                         f"{figures[0]:,.0f} ({figures[2]:.3f}; {figures[1] / 2**20:.0f})")
        ours = medians.get((activation, "rectifier"))
        best = max((v[0] for (a, f), v in medians.items() if a == activation and f != "rectifier"), default=0)
        ratio = ours[0] / best if ours and best else None
        cell = verdict(ratio, 1.0, verdicts, f"training {activation}")
        lines.append(f"| {activation} | " + " | ".join(cells) + f" | {'–' if ratio is None else f'{ratio:.2f}'} | {cell} |")


def inference_medians(inference):
    """(network, framework, precision, batch, threads) → samples/s, the median over rounds
    (runs from before the CNN rows were added are the perceptron's)."""
    groups = {}
    for run in inference["runs"]:
        for row in run["rows"]:
            groups.setdefault((run.get("network", "mlp"), run["framework"], row["precision"], row["batch"], run["threads"]),
                              []).append(row["samples_per_second"])
    return {key: statistics.median(values) for key, values in groups.items()}


def inference_table(document, medians, lines, verdicts, network):
    inference = document["inference"]
    accuracy = {run["framework"]: run["accuracy"] for run in inference["runs"] if run.get("network", "mlp") == network}
    targets = INFERENCE_TARGETS[network]
    prefix = "inference" if network == "mlp" else f"inference {network}"
    lines.append("\nSamples/s (in brackets the test accuracy of the same weights on the 10 000 Fashion-MNIST "
                 "test images):\n")
    lines.append("| precision | batch | threads | Rectifier | ONNX Runtime | Rectifier ÷ best peer | verdict |")
    lines.append("|---|---|---|---|---|---|---|")
    # int8-w7 (our 7-bit weights, the vpmaddubsw GEMM) is set against ORT's one int8 model.
    for precision in ("float32", "int8", "int8-w7"):
        peer_precision = "int8" if precision == "int8-w7" else precision
        ours_accuracy = accuracy.get("rectifier", {}).get(precision, float("nan"))
        theirs_accuracy = accuracy.get("onnxruntime", {}).get(peer_precision, float("nan"))
        for batch in (1, 1024):
            for threads in document["thread_counts"]:
                ours = medians.get((network, "rectifier", precision, batch, threads))
                theirs = medians.get((network, "onnxruntime", peer_precision, batch, threads))
                if ours is None or theirs is None:
                    continue
                target = targets.get((precision, batch))
                label = f"{prefix} {precision}, batch {batch}, {threads} thread(s)"
                cell = "no target" if target is None else verdict(ours / theirs, target, verdicts, label)
                lines.append(f"| {precision} | {batch} | {threads} | {ours:,.0f} ({ours_accuracy:.4f}) | "
                             f"{theirs:,.0f} ({theirs_accuracy:.4f}) | {ours / theirs:.2f} | {cell} |")


def copy_targets(elementwise, ratios, lines, verdicts):
    """ReLU, leaky ReLU and abs forward against Rectifier's own copy at the largest size, one
    thread: the ratio to the copy timed in alternation with the kernel where the run has it."""
    if not elementwise:
        return
    big = max(k[3] for k in elementwise)
    lines.append("\n| target | Rectifier ÷ its copy | verdict |\n|---|---|---|")
    for op in ("relu", "leaky_relu", "abs"):
        ours = elementwise.get(("rectifier", op, "forward", big, 1))
        copy = elementwise.get(("rectifier", "copy", "forward", big, 1))
        ratio = ratios.get(("rectifier", op, "forward", big, 1)) or (ours / copy if ours and copy else None)
        label = f"{op} forward ÷ copy, {size_name(big)}, 1 thread"
        lines.append(f"| {label} | {'–' if ratio is None else f'{ratio:.2f}'} | "
                     f"{verdict(ratio, COPY_TARGET, verdicts, label)} |")


def summary(verdicts, lines):
    met = [v for v in verdicts if v[3]]
    missed = [v for v in verdicts if not v[3]]
    lines.append(f"\n{len(met)} of {len(verdicts)} rows meet their target."
                 + (" Not met: " + "; ".join(f"{label} {ratio:.2f} ({goal})" for label, ratio, goal, _ in missed) + "."
                    if missed else ""))


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
             "every figure is a median (of calls, "
             "then over rounds run in rotating order, one framework per process). " + "; ".join(
                 f"{task}: {s.get('rounds', 1)} round(s) from {s.get('started', '?')} UTC, load average "
                 f"{s.get('load_average_start', 0):.0f}→{s.get('load_average_end', 0):.0f}"
                 + (f", {s['epochs']} timed epoch(s) per process" if 'epochs' in s else "")
                 for task, s in document.get("task_settings", {}).items() if s)
             + f" ({document['started'][:10]}).",
             "", "Peers: " + ", ".join(f"{name} {version}" for name, version in sorted(versions.items()))
             + f"; PyTorch: {document['torch']}.", ""]
    verdicts = []
    if elementwise:
        lines.append("## Elementwise, Float32, into preallocated outputs")
        elementwise_tables(document, elementwise, lines, verdicts)
    if "accuracy" in document:
        accuracy_table(document, lines)
        if elementwise:
            members_table(document, elementwise, lines)
    if training:
        lines.append("\n## Training: one epoch of 784-256-128-10 on Fashion-MNIST, Adam 1e−3, batch 128, "
                     f"{max(document['thread_counts'])} threads")
        training_table(training, lines, verdicts)
    cnn_layers = document.get("inference", {}).get("networks", {}).get("cnn", {}).get("layers", "")
    for network, title in (("mlp", "the trained ReLU model"),
                           ("cnn", f"the README's CNN ({cnn_layers}, ReLU) after one epoch")):
        if any(key[0] == network for key in inference):
            lines.append(f"\n## Inference: {title}, samples/s (Float input to logits)")
            inference_table(document, inference, lines, verdicts, network)
    if document.get("data"):
        lines.append("\n## Data reading, one thread: fastest of 3 readings per process, median over rounds")
        data_table(document["data"], lines)
    if document.get("dependent"):
        lines.append("\n## As a dependency: bench/dependent-package built with plain `swift build -c release` "
                     "against the same package built with the Makefile's native flags, one thread")
        dependent_table(document["dependent"], lines)
    lines.append("\n## Targets")
    copy_targets(elementwise, elementwise_medians(document.get("elementwise", []), "ratio_to_copy"), lines, verdicts)
    summary(verdicts, lines)
    return "\n".join(lines) + "\n"


NOTES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "performance-notes.md")


def performance_document(document):
    """docs/PERFORMANCE.md: the notes with this run's tables at their `{results}` line."""
    tables = "\n".join("##" + line if line.startswith("#") else line for line in markdown(document).splitlines())
    notes = open(NOTES).read()
    if "{results}" not in notes:
        raise SystemExit(f"report.py: {NOTES} has no {{results}} line")
    return notes.replace("{results}", tables.rstrip("\n"), 1)


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--document"]
    if len(arguments) != 1:
        sys.exit("usage: report.py COMPARE.json [--document]")
    loaded = json.load(open(arguments[0]))
    sys.stdout.write(performance_document(loaded) if "--document" in sys.argv else markdown(loaded))
