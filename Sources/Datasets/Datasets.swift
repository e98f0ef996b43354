// The Datasets module. See docs/ARCHITECTURE.md.
