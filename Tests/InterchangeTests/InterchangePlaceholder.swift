// Placeholder so the test target exists; replaced by the Interchange tests.
