"""The library: base primitives plus learned routines, with production weights."""

from neurosym.library.library import Library, Production, Routine

__all__ = ["Library", "Production", "Routine"]
