#!/usr/bin/env python3
"""Writes the first TRAIN training and TEST test images of an MNIST-format directory
(default: Debian's Fashion-MNIST) to DIR as gzip IDX files, for the kill trials and the soak.

usage: scripts/small-dataset.py DIR TRAIN TEST [SOURCE]
"""
import gzip
import os
import struct
import sys


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as handle:
        data = handle.read()
    count = data[3]
    sizes = struct.unpack(">" + "I" * count, data[4 : 4 + 4 * count])
    return sizes, data[4 + 4 * count :]


def write_idx(path, sizes, payload):
    header = bytes([0, 0, 8, len(sizes)]) + struct.pack(">" + "I" * len(sizes), *sizes)
    with gzip.open(path, "wb") as handle:
        handle.write(header + payload)


def main():
    directory, train, test = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    source = sys.argv[4] if len(sys.argv) > 4 else "/usr/share/datasets/fashion-mnist"
    os.makedirs(directory, exist_ok=True)
    for prefix, count in (("train", train), ("t10k", test)):
        sizes, pixels = read_idx(os.path.join(source, f"{prefix}-images-idx3-ubyte.gz"))
        per_image = sizes[1] * sizes[2]
        write_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"),
                  (count, sizes[1], sizes[2]), pixels[: count * per_image])
        _, labels = read_idx(os.path.join(source, f"{prefix}-labels-idx1-ubyte.gz"))
        write_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"), (count,), labels[:count])


if __name__ == "__main__":
    main()
