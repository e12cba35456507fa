"""Checks on the outputs: the safety check, parity across outputs, the active-content scan."""
