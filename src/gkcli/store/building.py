"""Building many small objects at once."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Building a registry makes a great many small objects and no reference cycles; Python's
    cycle collector would walk them again and again (a quarter of the time), so it waits. What
    was built is then frozen out of the collector's sight: a registry lives as long as the
    command, and without this the first collection after it would walk every object once more."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
