"""Static data-publication site generator: sourced, checkable facts to a static site."""

__version__ = "0.1.0"
