"""kbind's version, in a module of its own so that anything can import it."""

__version__ = "0.1.0"
