"""Pausing Python's cyclic garbage collector around bulk analysis work.

Importing a batch of files, or recomputing a runner's sessions, allocates many short-lived
containers (decoder rows, histograms, JSON columns of every session). With the collector
running, they outlive its young collections while the work lasts, are promoted, and the
full collections that follow walk the whole heap of the worker (a few hundred thousand
objects: about a tenth of the CPU time of an import). They are freed by reference
counting when the work ends; whatever is cyclic is collected once the collector runs
again. Only the collector pauses: memory is freed as usual.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["paused_gc"]

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector for the block (nested and concurrent pauses share one
    count; the collector resumes when the last ends, if it was running before the first)."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
