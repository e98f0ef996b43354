// The Interchange module. See docs/ARCHITECTURE.md.
