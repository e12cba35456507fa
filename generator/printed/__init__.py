"""Printed outputs: exercise cards (and, later, the booklet), HTML + CSS rendered by WeasyPrint."""
