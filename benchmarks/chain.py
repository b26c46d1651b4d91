"""Benchmark 3: a chain of 10^5 and of 10^6 nodes, built and back-propagated.

``v = v * c``, n times (c a leaf shared by every step), then ``v.backward()``:
the build and the backward pass together. The topological order is
iterative, so depth is no problem, and every step of forward and backward is
constant work, so the time should grow linearly.

Target: the 10^6 run at most 12x the 10^5 run, and no RecursionError. The
anchor column shows micrograd 0.1.0 on the 10^5 chain: its recursive
topological sort stops at Python's recursion limit.

The target row times the engine's own work, with the garbage collector paused
(as ``timeit`` does); the row below it repeats the run with the collector on.
With it on, the ratio measures CPython's collector more than the engine: each
full collection re-scans every object alive, at a cost per object that grows
once the heap no longer fits in the CPU's last-level cache, so the leaner an
engine's nodes, the worse its ratio. Two control rows time the plainest chain
Python can build, ``v = Link(v, c)`` with a two-slot class, both ways.
"""
from __future__ import annotations

import statistics

from .common import Result, fmt_seconds, seconds

SMALL, LARGE = 100_000, 1_000_000


def chain(Value, n: int):
    x, c = Value(1.0), Value(1.0 + 1e-7)
    v = x
    for _ in range(n):
        v = v * c
    v.backward()
    return x, c


class Link:
    """The control: a node that only points back, with no numbers and no op."""

    __slots__ = ("prev", "const")

    def __init__(self, prev, const) -> None:
        self.prev = prev
        self.const = const


def bare_chain(n: int) -> None:
    c = v = Link(None, None)
    for _ in range(n):
        v = Link(v, c)


def scaling(run, collect: bool) -> tuple[float, float, float]:
    """Median times of ``run(10^5)`` (of 5) and ``run(10^6)`` (of 3: one slow run, on a
    shared machine, cannot move a median of three), and their ratio."""
    small = statistics.median(seconds(lambda: run(SMALL), collect) for _ in range(5))
    large = statistics.median(seconds(lambda: run(LARGE), collect) for _ in range(3))
    return small, large, large / small


def micrograd_outcome() -> str:
    from micrograd.engine import Value as MGValue

    try:
        chain(MGValue, SMALL)
    except RecursionError:
        return "RecursionError"
    return "ran"


def run() -> list[Result]:
    from micrograd_nn import Value

    x, c = chain(Value, 1000)  # warm up, and check the chain rule on the way
    if abs(x.grad - c.data**1000) > 1e-12 or abs(c.grad - 1000 * c.data**999) > 1e-9:
        raise AssertionError(f"chain of 1000: x.grad {x.grad!r}, c.grad {c.grad!r}")
    small, large, ratio = scaling(lambda n: chain(Value, n), collect=False)
    g_small, g_large, g_ratio = scaling(lambda n: chain(Value, n), collect=True)
    rows = [
        Result(
            "3. chain 10^5 -> 10^6 nodes",
            f"micrograd: {micrograd_outcome()}", f"{fmt_seconds(small)} -> {fmt_seconds(large)}",
            ratio, f"{ratio:.1f}x the time", "<= 12x", ratio <= 12,
            "v = v * c, n times, then v.backward(), the garbage collector paused (the engine's "
            "own work); ours: the 10^5 and the 10^6 run; anchor: micrograd on the 10^5 chain",
        ),
        Result(
            "3b. same, gc on",
            "-", f"{fmt_seconds(g_small)} -> {fmt_seconds(g_large)}",
            g_ratio, f"{g_ratio:.1f}x the time", "-", None,
            "the collector's full passes re-scan every node alive, and 10^6 nodes (240 MB by "
            "tracemalloc) no longer fit in the cache where 10^5 (24 MB) do: see the controls",
        ),
    ]
    for collect, name in ((False, "3c. control: links, gc paused"), (True, "3d. control: links, gc on")):
        c_small, c_large, c_ratio = scaling(bare_chain, collect)
        rows.append(Result(
            name, "-", f"{fmt_seconds(c_small)} -> {fmt_seconds(c_large)}",
            c_ratio, f"{c_ratio:.1f}x the time", "-", None,
            "v = Link(v, c), a two-slot class, the same sizes: how the interpreter itself scales",
        ))  # fmt: skip
    return rows


if __name__ == "__main__":
    for result in run():
        print(result)
