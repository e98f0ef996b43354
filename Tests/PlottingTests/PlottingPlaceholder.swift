// Placeholder so the test target exists; replaced by the Plotting tests.
