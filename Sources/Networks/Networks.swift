// The Networks module. See docs/ARCHITECTURE.md.
