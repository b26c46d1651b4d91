"""What the benchmarks share: a result row and a timer.

Times on shared machines are noisy, so every figure is the median of several
repeats, and the anchor and micrograd_nn are timed in turns within the same
run: the ratio is what to read, not the absolute times.
"""
from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Result:
    """One row of the table.

    Attributes:
        name: what was measured, e.g. ``"1. micrograd demo step"``.
        anchor: the anchor's figure, as printed (``"0.41 s"``).
        ours: micrograd_nn's figure, as printed.
        ratio: the figure the target is about (e.g. anchor time / our time).
        ratio_text: how the ratio is printed (``"27.3x faster"``).
        target: the target, in words (``">= 10x"``).
        met: whether the target is met; None for a row without a target.
        note: one line under the table (what was checked, what was compared).
    """

    name: str
    anchor: str
    ours: str
    ratio: float
    ratio_text: str
    target: str
    met: bool | None
    note: str = ""


def seconds(run: Callable[[], object], collect: bool = True) -> float:
    """Wall time of one call. With ``collect`` the garbage collector runs as it
    does in any script (its cost is part of an engine's cost: micrograd's
    closures make reference cycles, which only the collector frees); without,
    it is paused for the call, as ``timeit`` does."""
    enabled = gc.isenabled()
    gc.collect()
    if not collect:
        gc.disable()
    try:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start
    finally:
        if enabled:
            gc.enable()


def interleaved(runs: dict[str, Callable[[], object]], repeats: int, collect: bool = True) -> dict[str, float]:
    """The median time of each run, the runs taken in turns ``repeats`` times."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            times[name].append(seconds(run, collect))
    return {name: statistics.median(ts) for name, ts in times.items()}


def fmt_seconds(t: float) -> str:
    if t >= 1.0:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.0f} us"
