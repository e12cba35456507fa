"""Sources: strict YAML in, a validated catalogue out (load → validate → catalogue)."""
