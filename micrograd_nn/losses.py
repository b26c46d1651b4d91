"""Loss functions: predictions (Values) and targets in, one scalar Value out.

Every loss takes ``(predictions, targets)`` in that order (PyTorch's order),
as two equal-length sequences or as a single prediction and a single target.
Targets may be numbers or Values. The graph is built from the engine's ops, so
``loss.backward()`` and the drawings see each term as written.

A batch works too: a batched prediction Value (``model([X[:, 0], X[:, 1]])``)
with its targets as a list or 1-D array of numbers (or a batched Value). The
terms are then one batched node, reduced by ``mean()`` (``total()`` for sse),
and the loss is the same number as for the list of per-example predictions, up
to float rounding in the sum.
"""
from __future__ import annotations

import math
import numbers
from typing import Sequence, Union

from . import _checks
from .engine import Value

__all__ = ["binary_cross_entropy", "hinge", "mse", "sse"]

Target = Union[Value, float, int]


def _is_batch(predictions) -> bool:
    return isinstance(predictions, Value) and predictions.is_batched


def _batch(name: str, predictions: Value, targets, finite: bool = False) -> tuple[Value, Value]:
    """A batched prediction and its targets, as a batched Value (numbers become a
    constant leaf; with ``finite``, every one of them must be finite)."""
    import numpy as np

    m = len(predictions.data)
    if isinstance(targets, Value):
        n = len(targets.data) if targets.is_batched else 1
        array = None
    else:
        array = np.asarray(targets) if not isinstance(targets, numbers.Real) else np.asarray([targets])
        if array.dtype.kind not in "biuf" or array.ndim != 1:
            raise TypeError(
                f"{name}: for a batched prediction the targets must be a list or 1-D array of numbers "
                f"(or a batched Value), one per example; got {type(targets).__name__}"
                + (f" of shape {array.shape}" if array.dtype.kind in "biuf" else "")
            )
        n = len(array)
    if n != m:
        raise ValueError(
            f"{name}: a batch of {m} predictions but {n} target{'s' if n != 1 else ''}; "
            "pass one target per example"
        )
    if array is None:
        return predictions, targets
    if finite and not np.isfinite(array).all():
        i = _first(~np.isfinite(array))
        raise ValueError(
            f"{name}: target {i} is {float(array[i])!r}; targets are data and must be finite "
            "numbers (a NaN or infinite target makes the loss NaN or infinite)"
        )
    return predictions, Value.batch(array)


def _first(mask) -> int:
    """The index of the first True entry, for an error message."""
    return int(mask.nonzero()[0][0])


def _pairs(name: str, predictions, targets) -> list[tuple[Value, Value | float]]:
    """Check and zip predictions with targets; a lone Value or number is a list of one."""
    if predictions.__class__ is Value and targets.__class__ is float:  # one sample: skip the checks
        return [(predictions, targets)]
    if isinstance(predictions, (Value, numbers.Real)):
        predictions = [predictions]
    if isinstance(targets, (Value, numbers.Real)):
        targets = [targets]
    if predictions.__class__ is not list:
        predictions = _checks.as_list(predictions, f"{name}: predictions must be a list of Values or numbers")
    if targets.__class__ is not list:
        targets = _checks.as_list(targets, f"{name}: targets must be a list of Values or numbers")
    if len(predictions) != len(targets):
        raise ValueError(
            f"{name}: {len(predictions)} predictions but {len(targets)} targets; "
            "pass one target per prediction"
        )
    if len(predictions) == 0:
        raise ValueError(f"{name}: no predictions; pass at least one prediction and target")
    pairs = []
    for i, (p, t) in enumerate(zip(predictions, targets)):
        if p.__class__ is Value and p.data.__class__ is float and t.__class__ is float:
            pairs.append((p, t))  # the common case: nothing to check or convert
            continue
        if isinstance(p, Value) and p.is_batched:
            raise TypeError(
                f"{name}: prediction {i} is a batch; pass the batched prediction itself, not in a "
                "list (for several outputs, compute one loss per output and add them)"
            )
        if not isinstance(p, Value):
            if not isinstance(p, numbers.Real):
                raise TypeError(f"{name}: prediction {i} must be a Value or a number, got {type(p).__name__}")
            p = Value(p)
        if not isinstance(t, Value):
            if not isinstance(t, numbers.Real):
                raise TypeError(f"{name}: target {i} must be a number or a Value, got {type(t).__name__}")
            t = float(t)
        pairs.append((p, t))
    return pairs


def _finite(name: str, pairs: list[tuple[Value, Value | float]]) -> list[tuple[Value, Value | float]]:
    """The pairs, checked: a number target is data, and must be finite."""
    for i, (_, t) in enumerate(pairs):
        if not isinstance(t, Value) and not math.isfinite(t):
            raise ValueError(
                f"{name}: target {i} is {t!r}; targets are data and must be finite numbers "
                "(a NaN or infinite target makes the loss NaN or infinite)"
            )
    return pairs


def _mean(terms: list[Value]) -> Value:
    # A single term is its own mean: no '/ 1' node, so document 001's per-sample
    # loss reads L = (y_true - y_pred)**2, as in its derivation.
    return terms[0] if len(terms) == 1 else Value.sum(terms) / float(len(terms))


def mse(predictions: Sequence[Value] | Value, targets: Sequence[Target] | Target) -> Value:
    """Mean squared error: L = (1/n) * sum_i (y_i - p_i)**2.

    d(L)/d(p_i) = -2 * (y_i - p_i) / n (document 001's ``d_L_d_ypred`` for n = 1).

    Example:
        >>> mse([0, 0, 0, 0], [1, 0, 0, 1]).data   # document 001's mse_loss example
        0.5
    """
    if _is_batch(predictions):
        p, t = _batch("mse", predictions, targets, finite=True)
        return ((t - p) ** 2).mean()
    return _mean([(t - p) ** 2 for p, t in _finite("mse", _pairs("mse", predictions, targets))])


def sse(predictions: Sequence[Value] | Value, targets: Sequence[Target] | Target) -> Value:
    """Sum of squared errors: L = sum_i (y_i - p_i)**2 (document 004, first article).

    d(L)/d(p_i) = -2 * (y_i - p_i).
    """
    if _is_batch(predictions):
        p, t = _batch("sse", predictions, targets, finite=True)
        return ((t - p) ** 2).total()
    return Value.sum([(t - p) ** 2 for p, t in _finite("sse", _pairs("sse", predictions, targets))])


def binary_cross_entropy(
    predictions: Sequence[Value] | Value, targets: Sequence[Target] | Target
) -> Value:
    """Log loss of probabilities: L = -(1/m) * sum_i [y_i log(a_i) + (1 - y_i) log(1 - a_i)].

    d(L)/d(a_i) = (1/m) * ((1 - y_i)/(1 - a_i) - y_i/a_i), the documents' ``dAL / m``.

    Predictions are probabilities (a sigmoid output). For a hard target (the
    number 0 or 1; a Value target keeps both terms, as it may need a gradient) the term whose coefficient is 0 is left out of the graph
    rather than computed as ``0 * log(...)``: the loss and gradient are the
    same, but a saturated, correct prediction (a_i == 1.0 with y_i == 1)
    costs 0 instead of ``0 * log(0) = nan``. A saturated wrong prediction has
    an infinite loss and raises ``ValueError`` from ``log``.

    For a batch of hard targets (numbers, each 0 or 1) each example's term
    is the log of the probability given to its true class, ``y*a + (1 - y)*(1 - a)``
    (``a`` where y = 1, ``1 - a`` where y = 0, exactly), so again nothing is
    computed as ``0 * log(...)``. Other batches keep both terms, and then need
    every prediction strictly inside (0, 1).

    Raises:
        ValueError: a target or a prediction outside [0, 1], or a prediction
            of exactly 0 or 1 where its log is needed (an infinite loss).
    """
    if _is_batch(predictions):
        a, y = _batch("binary_cross_entropy", predictions, targets)
        outside = ~((0.0 <= y.data) & (y.data <= 1.0))
        if outside.any():
            i = _first(outside)
            raise ValueError(
                f"binary_cross_entropy: target {i} is {float(y.data[i])!r}; targets must lie in "
                "[0, 1] (use 0/1 labels, not -1/+1: hinge takes those)"
            )
        outside = ~((0.0 <= a.data) & (a.data <= 1.0))
        if outside.any():
            i = _first(outside)
            raise ValueError(
                f"binary_cross_entropy: prediction {i} is {float(a.data[i])!r}, not a probability in "
                "[0, 1]; apply sigmoid to the output first (for example activation='sigmoid' on the "
                "last layer)"
            )
        if isinstance(targets, Value) or not ((y.data == 0.0) | (y.data == 1.0)).all():
            one_minus_y = 1 - y if isinstance(targets, Value) else Value.batch(1.0 - y.data)
            terms = y * a.log() + one_minus_y * (1 - a).log()
        else:  # hard targets: the log of the probability of the true class
            terms = (y * a + Value.batch(1.0 - y.data) * (1 - a)).log()
        return -terms.mean()
    terms = []
    for i, (a, y) in enumerate(_pairs("binary_cross_entropy", predictions, targets)):
        y_num = y.data if isinstance(y, Value) else y
        if not 0.0 <= y_num <= 1.0:
            raise ValueError(
                f"binary_cross_entropy: target {i} is {y_num!r}; targets must lie in [0, 1] "
                "(use 0/1 labels, not -1/+1: hinge takes those)"
            )
        if not 0.0 <= a.data <= 1.0:
            raise ValueError(
                f"binary_cross_entropy: prediction {i} is {a.data!r}, not a probability in [0, 1]; "
                "apply sigmoid to the output first (for example activation='sigmoid' on the last layer)"
            )
        if isinstance(y, Value):  # y may itself need a gradient: keep both terms
            terms.append(y * a.log() + (1 - y) * (1 - a).log())
        elif y == 1.0:
            terms.append(a.log())
        elif y == 0.0:
            terms.append((1 - a).log())
        else:
            terms.append(y * a.log() + (1 - y) * (1 - a).log())
    return -_mean(terms)


def hinge(scores: Sequence[Value] | Value, targets: Sequence[Target] | Target) -> Value:
    """Max-margin (SVM) loss, micrograd's moons demo: L = (1/n) * sum_i relu(1 - y_i * s_i).

    Targets are -1 or +1. d(L)/d(s_i) = -y_i / n where y_i * s_i < 1, else 0.
    """
    if _is_batch(scores):
        s, y = _batch("hinge", scores, targets)
        wrong = ~((y.data == -1.0) | (y.data == 1.0))
        if wrong.any():
            i = _first(wrong)
            raise ValueError(
                f"hinge: target {i} is {float(y.data[i])!r}; hinge targets must be -1 or +1 "
                "(map 0/1 labels with 2*y - 1)"
            )
        return (1 - y * s).relu().mean()
    pairs = _pairs("hinge", scores, targets)
    for i, (_, y) in enumerate(pairs):
        y_num = y.data if isinstance(y, Value) else y
        if y_num not in (-1.0, 1.0):
            raise ValueError(
                f"hinge: target {i} is {y_num!r}; hinge targets must be -1 or +1 "
                "(map 0/1 labels with 2*y - 1)"
            )
    return _mean([(1 - y * s).relu() for s, y in pairs])
