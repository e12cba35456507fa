"""Developer tools: the benchmark, synthetic catalogues, the fuzzer."""
