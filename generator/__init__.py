"""Build the backrack™ exercise website, cards and booklet from one set of sources."""

__version__ = "0.1.0"
