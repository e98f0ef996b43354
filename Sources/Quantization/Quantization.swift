// The Quantization module. See docs/ARCHITECTURE.md.
