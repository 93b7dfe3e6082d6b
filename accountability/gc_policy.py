"""How a process of this service tunes Python's cycle collector once it has started.

A nested read makes tens of thousands of short-lived objects, and an export or an import
holds millions for seconds: freed by reference counting, most never need the cycle
collector, which with Python's defaults goes over the whole heap again and again while
they live (5 s of a 27 s case export). Every entry point applies the same policy, so a
command-line export or import runs as the same work does in the service."""

from __future__ import annotations

import gc

#: Collections of the youngest generation after this many allocations, and of the next
#: two after 20 of the one below (Python's defaults: 700, 10, 10).
THRESHOLDS = (20_000, 20, 20)


def settle() -> None:
    """Call once the process has loaded what it keeps for its life (modules, the
    schema): that stays out of every later collection, which also run less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
