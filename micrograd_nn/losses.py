"""Loss functions: predictions (Values) and targets in, one scalar Value out.

Every loss takes ``(predictions, targets)`` in that order (PyTorch's order),
as two equal-length sequences or as a single prediction and a single target.
Targets may be numbers or Values. The graph is built from the engine's ops, so
``loss.backward()`` and the drawings see each term as written.
"""
from __future__ import annotations

import numbers
from typing import Sequence, Union

from . import _checks
from .engine import Value

__all__ = ["binary_cross_entropy", "hinge", "mse", "sse"]

Target = Union[Value, float, int]


def _pairs(name: str, predictions, targets) -> list[tuple[Value, Value | float]]:
    """Check and zip predictions with targets; a lone Value or number is a list of one."""
    if isinstance(predictions, (Value, numbers.Real)):
        predictions = [predictions]
    if isinstance(targets, (Value, numbers.Real)):
        targets = [targets]
    predictions = _checks.as_list(predictions, f"{name}: predictions must be a list of Values or numbers")
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


def _mean(terms: list[Value]) -> Value:
    # A single term is its own mean: no '/ 1' node, so document 001's per-sample
    # loss reads L = (y_true - y_pred)**2, as in its derivation.
    return terms[0] if len(terms) == 1 else Value.sum(terms) / len(terms)


def mse(predictions: Sequence[Value] | Value, targets: Sequence[Target] | Target) -> Value:
    """Mean squared error: L = (1/n) * sum_i (y_i - p_i)**2.

    d(L)/d(p_i) = -2 * (y_i - p_i) / n (document 001's ``d_L_d_ypred`` for n = 1).

    Example:
        >>> mse([0, 0, 0, 0], [1, 0, 0, 1]).data   # document 001's mse_loss example
        0.5
    """
    return _mean([(t - p) ** 2 for p, t in _pairs("mse", predictions, targets)])


def sse(predictions: Sequence[Value] | Value, targets: Sequence[Target] | Target) -> Value:
    """Sum of squared errors: L = sum_i (y_i - p_i)**2 (document 004, first article).

    d(L)/d(p_i) = -2 * (y_i - p_i).
    """
    return Value.sum([(t - p) ** 2 for p, t in _pairs("sse", predictions, targets)])


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

    Raises:
        ValueError: a target or a prediction outside [0, 1], or a prediction
            of exactly 0 or 1 where its log is needed (an infinite loss).
    """
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
    pairs = _pairs("hinge", scores, targets)
    for i, (_, y) in enumerate(pairs):
        y_num = y.data if isinstance(y, Value) else y
        if y_num not in (-1.0, 1.0):
            raise ValueError(
                f"hinge: target {i} is {y_num!r}; hinge targets must be -1 or +1 "
                "(map 0/1 labels with 2*y - 1)"
            )
    return _mean([(1 - y * s).relu() for s, y in pairs])
