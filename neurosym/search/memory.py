"""How much memory this process holds, so that a search can stop before the kernel kills it.

A candidates budget bounds work, not memory: on examples with hundreds of long lists (PSB1's
200 cases) the enumerator's bank of values grows by gigabytes before the budget is spent,
and a pool worker killed for memory gives no result at all. A seconds budget bounded the
bank by time; this bounds it by what the process holds.
"""

from __future__ import annotations

import os
import sys

from neurosym.errors import InvalidArgument

_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_mb() -> float:
    """This process's resident memory in MiB (Linux's /proc/self/statm; elsewhere the peak
    so far, an upper bound of it)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * _PAGE_BYTES / 2**20
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # Windows: no cheap reading; the guard never fires
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def check_memory_limit(max_memory_mb: int | None) -> None:
    """A memory limit is a positive number of MiB, or None for none."""
    if max_memory_mb is not None and (isinstance(max_memory_mb, bool) or not isinstance(max_memory_mb, int)
                                      or max_memory_mb <= 0):
        raise InvalidArgument(f"max_memory_mb must be a positive whole number of MiB or None, got {max_memory_mb!r}")
