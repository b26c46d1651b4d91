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
from ._words import plural
from .engine import Value

__all__ = ["binary_cross_entropy", "cross_entropy", "hinge", "mse", "softmax", "sse"]

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
            f"{name}: a batch of {plural(m, 'prediction')} but {plural(n, 'target')}; "
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
            f"{name}: {plural(len(predictions), 'prediction')} but "
            f"{plural(len(targets), 'target')}; "
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


def _logits(name: str, logits) -> list[Value]:
    """The logits as a list of Values (numbers become constant leaves), checked: at
    least one, batches of one length, every entry finite."""
    import numpy as np

    if isinstance(logits, (Value, numbers.Real)):
        raise TypeError(
            f"{name}: logits must be a list of Values, one per class (the last layer's "
            f"outputs), got a single {type(logits).__name__}; pass a list, even of one"
        )
    values = _checks.as_list(logits, f"{name}: logits must be a list of Values, one per class")
    if not values:
        raise ValueError(f"{name}: no logits; pass one Value per class")
    out = []
    for k, z in enumerate(values):
        if not isinstance(z, Value):
            if isinstance(z, bool) or not isinstance(z, numbers.Real):
                raise TypeError(
                    f"{name}: logit {k} must be a Value or a number, got {type(z).__name__}"
                )
            z = Value(z)
        out.append(z)
        bad = ~np.isfinite(z.data)
        if np.any(bad):
            where = f" at entry {_first(np.atleast_1d(bad))}" if z.is_batched else ""
            shown = z.data if not z.is_batched else float(z.data[_first(bad)])
            raise ValueError(
                f"{name}: logit {k} is {shown!r}{where}; logits must be finite numbers "
                "(a NaN or infinite logit has no softmax)"
            )
    lengths = {len(z.data) for z in out if z.is_batched}
    if len(lengths) > 1:
        shown = ", ".join(map(str, sorted(lengths)))
        raise ValueError(
            f"{name}: the logits are batches of different lengths ({shown}); "
            "every logit needs one entry per example of the same batch"
        )
    return out


def _shift(logits: list[Value]) -> list[Value]:
    """z_k - c for every k, c = max_j z_j taken as a constant leaf labelled ``max``
    (one float, or one per example for a batch): every exp(z_k - c) is <= 1, so
    nothing overflows, and as c cancels, the gradients are those of the unshifted
    formula."""
    if all(not z.is_batched for z in logits):
        c = Value(max(z.data for z in logits), label="max")
    else:
        import numpy as np

        m = _length(logits)
        largest = np.maximum.reduce([np.broadcast_to(z.data, m) for z in logits])
        c = Value.batch(largest, label="max")
    return [z - c for z in logits]


def _length(logits: list[Value]) -> int:
    return next(len(z.data) for z in logits if z.is_batched)


def softmax(values: Sequence[Value | float]) -> list[Value]:
    """Probabilities from scores: s_k = exp(z_k - c) / sum_j exp(z_j - c), c = max_j z_j.

    d(s_k)/d(z_j) = s_k * (1 - s_k) for j = k, and -s_k * s_j otherwise.

    The max ``c`` is subtracted as a constant (a leaf labelled ``max``, not a
    node that depends on the z's): it cancels in the quotient, so the values
    and gradients are those of exp(z_k) / sum_j exp(z_j), but no exp ever sees
    more than 0 and nothing overflows, for logits of any size. The graph reads
    as written: ``-``, ``exp``, one ``sum``, and a ``/`` per output. A batch of
    logits (batched Values) gives a batch of probabilities, example by example.
    One score is allowed, as the math allows it: its probability is 1 and its
    gradient 0 (for one output, :func:`binary_cross_entropy` of a sigmoid is the
    loss; :func:`cross_entropy` refuses fewer than 2 logits).

    Args:
        values: the scores z_1 .. z_K (Values or numbers), one per class.

    Returns:
        The K probabilities, as Values, in the same order.

    Raises:
        TypeError: not a list, or an entry that is neither a Value nor a number.
        ValueError: no values, a NaN or infinite score, batches of different lengths.

    Example:
        >>> [round(p.data, 4) for p in softmax([Value(1.0), Value(2.0), Value(3.0)])]
        [0.09, 0.2447, 0.6652]
    """
    exps = [s.exp() for s in _shift(_logits("softmax", values))]
    total = Value.sum(exps)
    return [e / total for e in exps]


def _class_indices(name: str, target, n_classes: int, batch: int | None):
    """The target as an int (one example) or a 1-D int array (a batch), each in [0, K)."""
    import numpy as np

    if isinstance(target, Value):
        raise TypeError(
            f"{name}: target must be a class index (an int), not a Value: it is data, "
            "and has no gradient"
        )
    if batch is None:
        if isinstance(target, bool) or not isinstance(target, numbers.Real):
            raise TypeError(
                f"{name}: target must be a class index, an int from 0 to {n_classes - 1}; "
                f"got {type(target).__name__} {target!r}"
            )
        if not float(target).is_integer() or not 0 <= target < n_classes:
            raise ValueError(
                f"{name}: target {target!r} is not a class index; with "
                f"{plural(n_classes, 'logit')} it is a whole number from 0 to {n_classes - 1}"
            )
        return int(target)
    array = np.asarray(target)
    if array.dtype.kind not in "iuf" or array.ndim != 1:
        raise TypeError(
            f"{name}: for batched logits the target must be a list or 1-D array of class "
            f"indices, one per example; got {type(target).__name__}"
            + (f" of shape {array.shape}" if array.dtype.kind in "iuf" else "")
        )
    if len(array) != batch:
        raise ValueError(
            f"{name}: a batch of {plural(batch, 'example')} but {plural(len(array), 'target')}; "
            "pass one class index per example"
        )
    wrong = ~((array == np.round(array)) & (array >= 0) & (array < n_classes))
    if wrong.any():
        i = _first(wrong)
        raise ValueError(
            f"{name}: target {i} is {array[i].item()!r}, not a class index; with "
            f"{plural(n_classes, 'logit')} each target is a whole number from 0 to {n_classes - 1}"
        )
    return array.astype(np.int64)


def cross_entropy(logits: Sequence[Value | float], target) -> Value:
    """Softmax cross-entropy from logits: L = -log(softmax(z)_t) = log(sum_j exp(z_j)) - z_t.

    d(L)/d(z_j) = softmax(z)_j - (1 if j == t else 0), the documents' ``dZ = a - y``
    (one-hot y) for one example.

    Computed as a log-sum-exp with the max c = max_j z_j subtracted as a
    constant: L = log(sum_j exp(z_j - c)) - (z_t - c). Every exp is at most 1
    and the sum at least 1, so the loss is finite for logits of any size
    (``-log(softmax(z)[t])`` would take the log of 0 once the probability
    underflows). The graph: ``-`` (each z_j - c), ``exp``, ``sum``, ``log``,
    and a last ``-``.

    Args:
        logits: the scores z_0 .. z_{K-1}, Values (the last layer's outputs
            before any softmax) or numbers, one per class.
        target: the true class, an int from 0 to K-1. For batched logits, a
            list or 1-D array of class indices, one per example; the loss is
            then the mean over the batch: J = (1/m) * sum_i L_i, and
            d(J)/d(z_j) = (softmax(z)_j - y_j) / m, the ``dZ = (a - y) / m``
            of document 000's multiclass line done right.

    Raises:
        TypeError: logits not a list; a target that is not a class index (or
            is a Value: targets are data).
        ValueError: fewer than 2 logits (one logit's softmax is 1 whatever it is,
            so the loss would be 0 and its gradient 0: for one output, use a
            sigmoid and :func:`binary_cross_entropy`); a target outside 0..K-1; a
            NaN or infinite logit.

    Example:
        >>> z = [Value(1.0), Value(2.0), Value(3.0)]
        >>> L = cross_entropy(z, 2)
        >>> L.backward()
        >>> round(L.data, 6), [round(v.grad, 4) for v in z]    # softmax(z) - one_hot(2)
        (0.407606, [0.09, 0.2447, -0.3348])
    """
    z = _logits("cross_entropy", logits)
    if len(z) < 2:
        raise ValueError(
            "cross_entropy: 1 logit, but it needs one per class, at least 2 (the softmax of "
            "one logit is 1, so the loss and its gradient would be 0 whatever it is); for "
            "one output, use a sigmoid and binary_cross_entropy(prediction, target)"
        )
    batch = _length(z) if any(v.is_batched for v in z) else None
    t = _class_indices("cross_entropy", target, len(z), batch)
    shifted = _shift(z)
    log_sum_exp = Value.sum([s.exp() for s in shifted]).log()
    if batch is None:
        return log_sum_exp - shifted[t]
    import numpy as np

    # z_t - c for each example: the one-hot of its class (constants) times the shifted logits
    one_hot = [Value.batch((t == k).astype(np.float64)) for k in range(len(z))]
    picked = Value.weighted_sum(one_hot, shifted)
    return (log_sum_exp - picked).mean()
