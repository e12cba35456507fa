"""Outputs: every renderer turns the catalogue into files (path → bytes); none touches the disk."""
