"""site-builder: a static website generator for reading lists of research papers."""

__version__ = "0.1.0"
