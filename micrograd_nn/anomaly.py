"""``detect_anomaly()``: stop at the first NaN or infinity, and say where it came from.

>>> from micrograd_nn import Value, detect_anomaly
>>> x = Value(1e200, label="x")
>>> with detect_anomaly():
...     y = x * 1e200
Traceback (most recent call last):
...
FloatingPointError: forward: '*' node produced inf from operands x = 1e+200, 1e+200

Off by default and free when off: while the context is active the engine's
node constructor and ``backward()`` are swapped for checking versions, and
put back when it exits (also on an exception).
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Iterator

from . import engine
from .engine import Value

__all__ = ["detect_anomaly"]

_depth = 0
_plain_node = engine._node
_plain_backward = Value.backward


def _describe(node: Value) -> str:
    return f"{node.label} = {node.data!r}" if node.label else repr(node.data)


def _finite(x) -> bool:
    """For a float or a batch (every entry finite)."""
    if isinstance(x, float):
        return math.isfinite(x)
    import numpy as np

    return bool(np.isfinite(x).all())


def _checked_node(data, children, local_grads, op, local_grads_fn=None):
    out = _plain_node(data, children, local_grads, op, local_grads_fn)
    if children and not (_finite(data) and all(_finite(g) for g in local_grads)):  # leaves are data
        operands = ", ".join(_describe(c) for c in children)
        what = f"{data!r}" if not _finite(data) else f"the local derivatives {local_grads!r}"
        raise FloatingPointError(f"forward: '{op}' node produced {what} from operands {operands}")
    return out


def _checked_backward(self: Value, gradient=None) -> None:
    _plain_backward(self, gradient)
    # Every node's grad is final when backward reaches it, so replaying the
    # contributions in the same order finds the first one that is not finite.
    for node in reversed(self.topological_order()):
        for child, local in zip(node.children, node.local_grads):
            contribution = local * node.grad
            if not (_finite(contribution) and _finite(child.grad)):
                name = node.label or f"'{node.op}' node"
                raise FloatingPointError(
                    f"backward: the edge {name} -> {_describe(child)} gave a non-finite gradient: "
                    f"local derivative {local!r} x grad {node.grad!r} = {contribution!r} "
                    f"(the child's grad is now {child.grad!r})"
                )


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Within the block, a non-finite value raises ``FloatingPointError``.

    Forward: the op that produced a NaN or infinity (in its value or its
    local derivatives), with its operands. Backward: the edge whose
    contribution (local derivative x grad) is not finite. Nested use is fine.
    """
    global _depth
    if _depth == 0:
        engine._node = _checked_node  # the ops look it up at each call
        Value.backward = _checked_backward
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            engine._node = _plain_node
            Value.backward = _plain_backward
