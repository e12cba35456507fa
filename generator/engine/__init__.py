"""The build engine: units, workers, the cache, the manifest, timing, and the one writer."""
