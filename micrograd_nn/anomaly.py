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
put back when it exits (also on an exception). It is per thread: the
checking versions check only in the threads inside the block, so another
thread's ``Value(1e200) * 1e200`` is still a plain ``inf``.
"""
from __future__ import annotations

import math
import threading
from contextlib import contextmanager
from typing import Iterator

from . import engine
from .engine import Value

__all__ = ["detect_anomaly"]

_active = 0  # threads inside detect_anomaly(); the checking versions are installed while > 0
_lock = threading.Lock()
_local = threading.local()  # .depth: this thread's nesting
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


def _checked_node(data, children, local_grads, op):
    out = _plain_node(data, children, local_grads, op)
    if children and _checking() and not (  # leaves are data
            _finite(data) and all(_finite(g) for g in local_grads)):
        operands = ", ".join(_describe(c) for c in children)
        what = f"{data!r}" if not _finite(data) else f"the local derivatives {local_grads!r}"
        raise FloatingPointError(f"forward: '{op}' node produced {what} from operands {operands}")
    return out


def _checking() -> bool:
    """Whether this thread is inside detect_anomaly()."""
    return getattr(_local, "depth", 0) > 0


def _checked_backward(self: Value, gradient=None) -> None:
    _plain_backward(self, gradient)
    if not _checking():
        return
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
    contribution (local derivative x grad) is not finite. Nested use is fine;
    it checks only the thread that entered it.
    """
    global _active
    depth = getattr(_local, "depth", 0)
    if depth == 0:
        with _lock:
            if _active == 0:
                engine._node = _checked_node  # the ops look it up at each call
                Value.backward = _checked_backward
            _active += 1
    _local.depth = depth + 1
    try:
        yield
    finally:
        _local.depth = depth
        if depth == 0:
            with _lock:
                _active -= 1
                if _active == 0:
                    engine._node = _plain_node
                    Value.backward = _plain_backward
