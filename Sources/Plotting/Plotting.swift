// The Plotting module. See docs/ARCHITECTURE.md.
