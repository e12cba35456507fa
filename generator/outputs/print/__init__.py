"""Printed outputs: cards, home-print sheets, the booklet and the box panel."""
