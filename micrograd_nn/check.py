"""Check a hand-coded backprop against autograd, entry by entry, with a diagnosis.

:func:`check_backprop` takes gradients computed by hand (a student's numpy
backprop, or a document's code as printed), in the documents' layout, and
compares every entry with the Value engine's gradients of the same loss on
the same numbers. Each key gets a row saying whether it is right and, when it
is not, what is wrong with it: a constant factor (a missing or extra 1/m, a
factor 2, a flipped sign), a transposed matrix, a ``db`` not summed over the
samples, a missing key, a NaN, and which layer is the first wrong one in the
order backprop computes them (from the last layer down).

The layout (documents 000, 002, 003 and 004):

* ``parameters``: ``W1, b1, ..., WL, bL`` with ``W[l]`` of shape
  ``(n[l], n[l-1])`` and ``b[l]`` of shape ``(n[l], 1)``; no ``b`` keys at all
  for a network without biases (document 004's first article);
* ``X``: ``(n[0], m)``, one column per sample;
* ``Y``: ``(n[L], m)``, so ``(1, m)`` for one output. For ``cross_entropy``,
  either the class indices ``(1, m)`` (whole numbers 0 .. K-1) or their one-hot
  columns ``(K, m)``; the hand-coded gradients get Y exactly as given;
* ``Z[l] = W[l] @ A[l-1] + b[l]``, ``A[l] = g[l](Z[l])``, ``A[0] = X``;
* the loss J, the documents' definitions (``micrograd_nn.losses``):

  - ``bce`` (also ``binary_cross_entropy``): J = -(1/m) * sum(Y * log(AL) + (1 - Y) * log(1 - AL));
  - ``mse``: J = (1/m) * sum((AL - Y)**2), the mean over the samples of the
    squared error (document 001's ``mse_loss``; its per-sample L is the m = 1 case);
  - ``sse``: J = sum((AL - Y)**2), the sum, not the mean (document 004's first article);
  - ``cross_entropy``: J = -(1/m) * sum over samples of log(softmax(ZL)[y]),
    with a ``softmax`` last layer (document 000's multiclass case).

  The sums run over every entry of AL (the outputs and the samples); with
  one output, over the samples.
* ``grads``: ``dW1, db1, ..., dWL, dbL``, the derivatives of J, each of its
  parameter's shape. Other keys starting with ``dA`` or ``dZ`` (the documents'
  caches) are ignored; any other key is an error of its own row.

Example:
    >>> import numpy as np
    >>> parameters = {"W1": np.array([[0.5, -1.0]]), "b1": np.array([[0.25]])}
    >>> X, Y = np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[1.0, 0.0]])
    >>> def backprop(parameters, X, Y):            # sigmoid + bce: dZ = A - Y
    ...     A = 1 / (1 + np.exp(-(parameters["W1"] @ X + parameters["b1"])))
    ...     dZ = A - Y
    ...     return {"dW1": dZ @ X.T, "db1": dZ.sum(axis=1, keepdims=True)}   # no / m
    >>> report = check_backprop(backprop, parameters, X, Y, activations=["sigmoid"], loss="bce")
    >>> report.ok, report.rows[0].factor, report.first_wrong_layer
    (False, 2.0, 1)
"""
from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence, Union

from . import _checks, losses
from ._words import plural
from .nn import MLP

__all__ = ["ACTIVATIONS", "LOSSES", "BackpropReport", "GradientRow", "check_backprop"]

#: The activations a layer may have (``softmax``: the last layer only).
ACTIVATIONS = ("relu", "sigmoid", "tanh", "linear", "softmax")

#: The losses, each as the documents define it (see the module's docstring).
LOSSES = {
    "bce": "binary cross-entropy, the mean over the samples",
    "mse": "mean squared error: (1/m) * sum((AL - Y)**2)",
    "sse": "sum of squared errors: sum((AL - Y)**2), no 1/m",
    "cross_entropy": "softmax cross-entropy, the mean over the samples (a softmax last layer)",
}
_ALIASES = {"binary_cross_entropy": "bce"}

Grads = Union[Mapping[str, Any], Callable[[dict, Any, Any], Mapping[str, Any]]]


@dataclass
class GradientRow:
    """One key of the grads: what was given, against autograd.

    Attributes:
        key: ``dW1`` .. ``dWL``, ``db1`` .. ``dbL``, or an unexpected key.
        layer: the layer it belongs to (1 .. L), None for an unexpected key.
        ok: every entry within the tolerance, and the shape right.
        problem: one word for the kind of fault: ``"ok"``, ``"factor"``,
            ``"transposed"``, ``"not summed"``, ``"shape"``, ``"missing"``,
            ``"extra"``, ``"not finite"``, ``"not numbers"`` or ``"values"``
            (wrong otherwise).
        factor: c when the given array is c times the true one (for example
            0.25 = 1/m, 4.0 = m, 2.0, -1.0), else None; also set for a
            transposed array or an unsummed ``db`` that is c times right once
            transposed or summed. 1.0 only when the row is ok.
        transposed: the given array is the transpose of the true one (times
            ``factor`` if that is not None).
        diagnosis: the verdict in words.
        max_abs_error, max_rel_error: the largest ``|given - true|`` and
            ``|given - true| / |true|`` (0 where both are 0, inf where only
            the true entry is) over the entries; None when the shapes differ.
        index: the worst entry (the one furthest outside the tolerance, or
            with the largest error when all are inside), as a tuple; None
            when the shapes differ.
        shape: the given array's shape (None when missing or not numbers).
        expected_shape: the parameter's shape.
        given, true: the arrays (given None when missing or not numbers;
            true None for an unexpected key).
        values_right: the numbers are right and only their arrangement is
            wrong (transposed, not summed, a missing axis): a fault of this
            key alone, which no error in a layer above explains.
    """

    key: str
    layer: int | None
    ok: bool
    problem: str
    factor: float | None
    transposed: bool
    diagnosis: str
    max_abs_error: float | None
    max_rel_error: float | None
    index: tuple[int, ...] | None
    shape: tuple[int, ...] | None
    expected_shape: tuple[int, ...] | None
    given: Any = field(default=None, repr=False)
    true: Any = field(default=None, repr=False)
    values_right: bool = False


@dataclass
class BackpropReport:
    """What :func:`check_backprop` found.

    Attributes:
        rows: one :class:`GradientRow` per key, ``dW1, db1, ..., dWL, dbL``,
            then any unexpected keys. ``report["dW1"]`` finds a row by key,
            ``"dW1" in report`` says whether there is one, and ``for row in
            report`` (or ``report[0]``, ``len(report)``) goes through the rows.
        ok: every row is ok.
        first_wrong_layer: the highest layer with a wrong row, the first wrong
            one in the order backprop computes them (from the last layer
            down): fix it first, since an error there reaches every layer
            under it. None when every layer is right.
        cascade: True when every layer under ``first_wrong_layer`` is wrong
            too, and the first wrong layer's error can reach them (its dZ is
            wrong: see :meth:`reaches_below`), as a wrong dZ makes them.
        rtol, atol: the tolerance used (``atol`` None: 1e-12 times each key's
            largest true entry).
        m: the number of samples.
        ignored: keys of the grads that were not checked (``dA*``, ``dZ*``).
        loss, activations: as given.
    """

    rows: list[GradientRow]
    rtol: float
    atol: float | None
    m: int
    loss: str
    activations: list[str]
    ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)

    @property
    def wrong(self) -> list[str]:
        """The keys of the rows that are not ok."""
        return [row.key for row in self.rows if not row.ok]

    @property
    def first_wrong_layer(self) -> int | None:
        layers = [row.layer for row in self.rows if not row.ok and row.layer is not None]
        return max(layers) if layers else None

    @property
    def cascade(self) -> bool:
        first = self.first_wrong_layer
        if first is None or first == 1 or not self.reaches_below(first):
            return False
        # wrong numbers, not only arranged wrong: what an error coming from above makes
        wrong = {row.layer for row in self.rows if not row.ok and not row.values_right}
        return all(layer in wrong for layer in range(1, first))

    def reaches_below(self, layer: int) -> bool:
        """Whether the error of this layer can reach the layers under it.

        Backprop passes dA_prev = W.T @ dZ down, so what reaches them is dZ. The
        layer's db is dZ summed over the samples: a wrong db (wrong numbers, not
        just their arrangement) means a wrong dZ; a right db, a dZ that is most
        likely right, and a wrong dW then a fault of the dW line alone. Without
        biases (or with db missing) the dW row stands in for it.
        """
        rows = {row.key: row for row in self.rows if row.layer == layer}
        for key in (f"db{layer}", f"dW{layer}"):
            row = rows.get(key)
            if row is not None and row.problem not in ("missing", "not numbers"):
                return not row.ok and not row.values_right
        return False

    def __getitem__(self, key: str | int) -> GradientRow:
        """The row of ``key`` (``report["dW1"]``), or by position (``report[0]``)."""
        if isinstance(key, numbers.Integral) and not isinstance(key, bool):  # np.int64 too
            key = int(key)
            if not -len(self.rows) <= key < len(self.rows):
                raise IndexError(f"row {key} of {len(self.rows)}: the rows are numbered from 0")
            return self.rows[key]
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"no row {key!r}; the rows are {', '.join(row.key for row in self.rows)}")

    def __iter__(self):
        """The rows, in order (``for row in report``)."""
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, key: object) -> bool:
        """Whether a row has this key (``"dW1" in report``)."""
        return any(row.key == key for row in self.rows)

    def summary(self) -> str:
        """One line: how many rows are wrong, and the first wrong layer."""
        tolerance = f"rtol {self.rtol:g}"
        if self.atol is not None:
            tolerance += f", atol {self.atol:g}"
        if self.ok:
            return f"all {len(self.rows)} gradients right ({tolerance}, m = {self.m})"
        text = f"{len(self.wrong)} of {len(self.rows)} gradients wrong ({tolerance}, m = {self.m})"
        first = self.first_wrong_layer
        if first is not None:
            text += f"; first wrong layer: {first}"
            if self.cascade:
                text += (
                    " (every layer under it is wrong too: backprop runs down from it;"
                    f" fix layer {first} first)"
                )
        return text

    def __str__(self) -> str:
        header = ("key", "shape", "ok", "max abs err", "max rel err", "worst", "diagnosis")
        lines = [header]
        for row in self.rows:
            lines.append((
                row.key,
                _shape_text(row.shape),
                "ok" if row.ok else "WRONG",
                _number(row.max_abs_error),
                _number(row.max_rel_error),
                "-" if row.index is None else "[" + ", ".join(map(str, row.index)) + "]",
                row.diagnosis,
            ))
        widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
        text = [
            "  ".join(cell.ljust(width) for cell, width in zip(line[:-1], widths)) + "  " + line[-1]
            for line in lines
        ]
        text.append(self.summary())
        if self.ignored:
            ignored = ", ".join(self.ignored)
            text.append(f"not checked: {ignored} (intermediate results, not parameters)")
        return "\n".join(line.rstrip() for line in text)


def _number(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.1e}" if math.isfinite(x) else str(x)


def _shape_text(shape) -> str:
    if shape is None:
        return "-"
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


# ---------------------------------------------------------------- checking


def check_backprop(
    grads: Grads,
    parameters: Mapping[str, Any],
    X,
    Y,
    *,
    activations: Sequence[str],
    loss: str,
    rtol: float = 1e-7,
    atol: float | None = None,
) -> BackpropReport:
    """Compare hand-coded gradients with autograd's, entry by entry, and say what is wrong.

    Autograd: the network is built with the Value engine from ``parameters``
    (:meth:`MLP.from_parameters`), all m samples go through it at once as a
    batch (one batched Value per input row of X), the loss J is formed with
    :mod:`micrograd_nn.losses`, and ``backward()`` gives every parameter's
    true gradient. The layout and the losses are in this module's docstring.

    An entry is right when ``|given - true| <= rtol * |true| + atol``, and a
    row when every entry is right and the shape is the parameter's.

    Args:
        grads: ``{'dW1': ..., 'db1': ..., ...}`` (numpy arrays or nested
            lists), or a function ``grads(parameters, X, Y)`` returning such a
            dict, called once on copies of the arrays. What it raises is not
            caught: the traceback points into the hand-coded backprop.
        parameters: ``{'W1': (n1, n0), 'b1': (n1, 1), ...}``.
        X: the inputs, ``(n0, m)``, one column per sample.
        Y: the targets, ``(nL, m)``; for ``cross_entropy`` class indices
            ``(1, m)`` or one-hot ``(K, m)``.
        activations: one per layer: ``relu``, ``sigmoid``, ``tanh``,
            ``linear``, or ``softmax`` (the last layer only).
        loss: ``bce`` (or ``binary_cross_entropy``), ``mse``, ``sse`` or
            ``cross_entropy`` (the mean over the samples, except ``sse``: the sum).
        rtol: the relative tolerance, 1e-7 by default.
        atol: the absolute tolerance; None (the default) takes 1e-12 times
            the largest true entry of each key, so that an entry that is 0 up
            to rounding compares on the scale of its array.

    Returns:
        A :class:`BackpropReport`: ``.ok``, ``.rows``, ``.first_wrong_layer``,
        and ``str(report)``, a table with one row per key.

    Raises:
        TypeError, ValueError: bad ``parameters``, ``X``, ``Y`` or options
            (missing keys, wrong shapes, unknown names, non-finite numbers,
            a softmax that is not the last layer), or a ``grads`` function
            that returns something other than a dict. A wrong or missing
            gradient is never an error: it is a failing row.
    """
    import numpy as np

    at_least_0 = dict(low_open=False, high_open=True)
    rtol = _checks.number_in(rtol, "check_backprop: rtol", 0.0, math.inf, **at_least_0)
    if atol is not None:
        atol = _checks.number_in(atol, "check_backprop: atol", 0.0, math.inf, **at_least_0)
    weights, has_bias = _check_parameters(parameters)
    L = len(weights)
    activations = _check_activations(activations, L)
    loss = _check_loss(loss, activations)
    X = _array(X, "X")
    n0 = weights[0].shape[1]
    if X.ndim == 2 and X.shape[0] == n0 and X.shape[1] == 0:
        raise ValueError(
            f"check_backprop: X has shape {X.shape}: no samples; pass at least one column"
        )
    if X.ndim != 2 or X.shape[0] != n0:
        raise ValueError(
            f"check_backprop: X has shape {X.shape}, expected ({n0}, m): one row per input "
            f"(W1 has {plural(n0, 'column')}), one column per sample; for samples as rows pass X.T"
        )
    m = X.shape[1]
    Y = _array(Y, "Y")
    targets = _check_targets(Y, loss, weights[-1].shape[0], m)
    true = _true_gradients(parameters, X, targets, activations, loss, has_bias)

    if callable(grads):
        copies = {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}
        given = grads(copies, X.copy(), Y.copy())
        what = "the grads function returned"
    else:
        given = grads
        what = "grads is"
    if not isinstance(given, Mapping):
        raise TypeError(
            f"check_backprop: {what} a {type(given).__name__}; it must be a dict "
            "{'dW1': ..., 'db1': ..., ...} with one entry per parameter"
        )

    rows = [
        _row(key, l, given, true[key], m, rtol, atol)
        for l in range(1, L + 1)
        for key in ((f"dW{l}", f"db{l}") if has_bias else (f"dW{l}",))
    ]
    ignored = []
    for key in given:
        if key in true:
            continue
        if isinstance(key, str) and key.startswith(("dA", "dZ")):  # dA_prev, dZ1: caches
            ignored.append(key)
        else:
            rows.append(_extra_row(key, given[key], true, L, has_bias))
    for row in rows:
        if not row.ok and row.given is not None:
            other = _whose(row, true, rtol, atol)
            if other is not None:
                row.diagnosis += f"; it is the true {other}: stored under the wrong key?"
    report = BackpropReport(rows, rtol, atol, m, loss, activations, ignored)
    first = report.first_wrong_layer
    if first is not None and report.reaches_below(first):
        for row in report.rows:
            if not row.ok and row.layer is not None and row.layer < first and not row.values_right:
                row.diagnosis += (
                    f"; backprop reaches layer {row.layer} through layer {first}, which is wrong:"
                    f" fix layer {first} first"
                )
    return report


def _array(value, name: str):
    """A float64 array of the numbers in ``value``; TypeError/ValueError otherwise."""
    import numpy as np

    try:
        array = np.asarray(value)
    except ValueError:
        raise ValueError(f"check_backprop: {name} is not a rectangular array of numbers") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"check_backprop: {name} must be an array of numbers, got {type(value).__name__}"
            + (f" of dtype {array.dtype}" if hasattr(array, "dtype") else "")
        )
    array = array.astype(np.float64)
    bad = np.argwhere(~np.isfinite(array))
    if len(bad):
        where = [int(i) for i in bad[0]]
        raise ValueError(
            f"check_backprop: {name} holds {float(array[tuple(where)])!r} at {where}; "
            f"{name} must hold finite numbers"
        )
    return array


def _check_parameters(parameters):
    """[W1, ..., WL] as arrays, and whether the network has biases (from_parameters's checks)."""
    from .nn import _check_parameters as check

    try:
        weights, biases = check(parameters)
    except (TypeError, ValueError) as error:
        message = str(error).replace("from_parameters: ", "")
        message = message.replace("from_parameters takes a dict", "they must be a dict")
        raise type(error)(f"check_backprop: parameters: {message}") from None
    return weights, biases is not None


def _check_activations(activations, L: int) -> list[str]:
    if isinstance(activations, str):
        raise TypeError(
            f"check_backprop: activations must be a list with one name per layer ({L} here), "
            f"such as {['relu'] * (L - 1) + ['sigmoid']}; got the str {activations!r}"
        )
    names = _checks.as_list(
        activations, "check_backprop: activations must be a list of names, one per layer"
    )
    if len(names) != L:
        raise ValueError(
            f"check_backprop: {plural(len(names), 'activation')} for {plural(L, 'layer')} "
            f"(the parameters have W1..W{L}); give one per layer"
        )
    for l, name in enumerate(names, start=1):
        _choice(name, ACTIVATIONS, f"activation of layer {l}")
        if name == "softmax" and l != L:
            raise ValueError(
                f"check_backprop: activation of layer {l} is 'softmax', but softmax is for the "
                f"last layer only (layer {L}); use relu, sigmoid, tanh or linear for the hidden "
                "layers"
            )
    return list(names)


def _choice(value, choices, what: str) -> str:
    """_checks.choice, its message naming check_backprop as every other one here does."""
    try:
        return _checks.choice(value, choices, what)
    except (TypeError, ValueError) as error:
        raise type(error)(f"check_backprop: {error}") from None


def _check_loss(loss, activations: list[str]) -> str:
    if isinstance(loss, str):
        loss = _ALIASES.get(loss, loss)
    loss = _choice(loss, LOSSES, "loss")
    last = activations[-1]
    if loss == "cross_entropy" and last != "softmax":
        raise ValueError(
            f"check_backprop: loss 'cross_entropy' needs a softmax last layer, got {last!r}; "
            "make the last activation 'softmax' (for one sigmoid output use loss 'bce')"
        )
    if loss == "bce" and last == "softmax":
        raise ValueError(
            "check_backprop: loss 'bce' with a softmax last layer; a softmax output goes with "
            "loss 'cross_entropy' (or use a sigmoid last layer with 'bce')"
        )
    return loss


def _check_targets(Y, loss: str, nL: int, m: int):
    """The targets for the engine's loss: Y (nL, m); for cross_entropy the class indices (m,)."""
    import numpy as np

    if loss == "cross_entropy":
        if nL < 2:
            raise ValueError(
                f"check_backprop: a softmax over {nL} output gives 1 always; the last layer "
                "needs at least 2 units (one per class)"
            )
        if Y.shape == (1, m):
            wrong = ~((Y[0] == np.round(Y[0])) & (Y[0] >= 0) & (Y[0] < nL))
            if wrong.any():
                i = int(np.flatnonzero(wrong)[0])
                raise ValueError(
                    f"check_backprop: Y[0, {i}] is {Y[0, i]!r}; for cross_entropy Y of shape "
                    f"(1, m) holds class indices, whole numbers from 0 to {nL - 1}"
                )
            return Y[0].astype(np.int64)
        if Y.shape == (nL, m):
            one_hot = ((Y == 0.0) | (Y == 1.0)).all() and (Y.sum(axis=0) == 1.0).all()
            if not one_hot:
                raise ValueError(
                    f"check_backprop: Y of shape ({nL}, m) must be one-hot for cross_entropy: "
                    "each column all 0 but one 1 (or pass the class indices, shape (1, m))"
                )
            return Y.argmax(axis=0)
        raise ValueError(
            f"check_backprop: Y has shape {Y.shape}; for cross_entropy with {plural(nL, 'class')} and "
            f"m = {m} pass the class indices, shape (1, {m}), or one-hot columns, shape ({nL}, {m})"
        )
    if Y.shape != (nL, m):
        hint = "; for a 1-D array use Y.reshape(1, -1)" if Y.ndim == 1 and nL == 1 else ""
        units = plural(nL, "unit")
        raise ValueError(
            f"check_backprop: Y has shape {Y.shape}, expected ({nL}, {m}): one row per output "
            f"(the last layer has {units}), one column per sample, as X{hint}"
        )
    if loss == "bce" and not ((Y >= 0.0) & (Y <= 1.0)).all():
        raise ValueError(
            "check_backprop: for loss 'bce' the targets Y must lie in [0, 1] (0/1 labels)"
        )
    return Y


def _true_gradients(
    parameters, X, targets, activations: list[str], loss: str, has_bias: bool
) -> dict:
    """Autograd's dW1, db1, ...: the network as batched Values, the loss, backward()."""
    import numpy as np

    from .engine import Value

    hidden = [name if name != "softmax" else "linear" for name in activations]
    model = MLP.from_parameters(parameters, activation=hidden)
    outputs = model(list(X))
    outputs = outputs if isinstance(outputs, list) else [outputs]
    try:
        if loss == "cross_entropy":
            J = losses.cross_entropy(outputs, targets)
        else:
            if activations[-1] == "softmax":
                outputs = losses.softmax(outputs)
            function = {
                "bce": losses.binary_cross_entropy, "mse": losses.mse, "sse": losses.sse
            }[loss]
            terms = [function(a, targets[k]) for k, a in enumerate(outputs)]
            J = terms[0] if len(terms) == 1 else Value.sum(terms)
    except (ValueError, OverflowError, ZeroDivisionError) as error:
        raise ValueError(
            f"check_backprop: the loss {loss!r} cannot be computed on these numbers: {error}"
        ) from None
    J.backward()
    true = {}
    for l, layer in enumerate(model.layers, start=1):
        W = np.asarray(parameters[f"W{l}"])
        true[f"dW{l}"] = np.array([[w.grad for w in n.w] for n in layer.neurons]).reshape(W.shape)
        if has_bias:
            b = np.asarray(parameters[f"b{l}"])
            true[f"db{l}"] = np.array([n.b.grad for n in layer.neurons]).reshape(b.shape)
    return true


# ---------------------------------------------------------------- diagnosis


def _given_array(value):
    """(float64 array, None) or (None, what it is) when it is not an array of numbers."""
    import numpy as np

    try:
        array = np.asarray(value)
    except ValueError:
        return None, "not a rectangular array"
    if array.dtype.kind not in "biuf":
        return None, f"a {type(value).__name__}" + (
            f" of dtype {array.dtype}" if isinstance(value, np.ndarray) else ""
        )
    return array.astype(np.float64), None


def _tolerance(true, rtol: float, atol: float | None):
    import numpy as np

    if atol is None:
        atol = 1e-12 * float(np.max(np.abs(true), initial=0.0))
    return rtol * np.abs(true) + atol


def _close(given, true, rtol: float, atol: float | None) -> bool:
    import numpy as np

    return bool(np.all(np.abs(given - true) <= _tolerance(true, rtol, atol)))


def _factor(given, true, rtol: float, atol: float | None, m: int) -> float | None:
    """c when given == c * true within the tolerance (c != 1), snapped to a round value.

    A single number is always some multiple of another: for one entry, only a
    round factor (2, -1, m, 1/m, ...) is reported."""
    import numpy as np

    tt = float(np.sum(true * true))
    if tt == 0.0:
        return None
    c = float(np.sum(given * true)) / tt
    if not math.isfinite(c) or abs(c - 1.0) <= 10 * rtol:
        return None
    scale = abs(c) if c != 0.0 else 1.0
    if not np.all(np.abs(given - c * true) <= scale * _tolerance(true, rtol, atol)):
        return None
    c = _round(c, m)
    if np.count_nonzero(true) < 2 and c not in _candidates(m) and c != 0.0:
        return None
    return c


def _round(c: float, m: int) -> float:
    """c snapped to a round value near it (0.25 for 0.2500000000000001), else c."""
    for candidate in _candidates(m):
        if abs(c - candidate) <= 1e-9 * abs(candidate):
            return candidate
    return c


def _candidates(m: int) -> list[float]:
    values = []
    for sign in (1.0, -1.0):
        for v in (1.0, 2.0, 0.5, float(m), 1.0 / m, 2.0 * m, 2.0 / m, m / 2.0, 0.5 / m):
            values.append(sign * v)
    return values


def _factor_words(c: float, m: int, what: str = "the true gradient") -> str:
    """c in words: what it most likely means. The readings come in order of preference
    (-1, 2, -2, 0.5, -0.5, then those with m); where two are the same number (2 = m when
    m = 2, 0.5 = 2/m when m = 4), the first is said, and the others after it."""
    c = _round(c, m)
    if c == 0.0:
        return f"all zeros where {what} is not"
    readings = [  # (factor, its words, its cause in short)
        (-1.0, f"{what} with its sign flipped (factor -1)", "the sign flipped"),
        (2.0, f"2 times {what} (an extra factor 2)", "an extra factor 2"),
        (-2.0, f"-2 times {what}: the sign flipped and an extra factor 2",
         "the sign flipped and an extra factor 2"),
        (0.5, f"half {what} (factor 0.5: a factor 2 missing)", "a factor 2 missing"),
        (-0.5, f"-0.5 times {what}: the sign flipped and a factor 2 missing",
         "the sign flipped and a factor 2 missing"),
    ]
    if m > 1:  # with m = 1, a missing or extra 1/m changes nothing: it is no reading
        readings += [
            (float(m), f"m = {m} times {what}: the 1/m is missing", "the 1/m missing"),
            (1.0 / m, f"1/m = 1/{m} times {what}: divided by m once too often",
             "divided by m once too often"),
            (-float(m), f"-m = -{m} times {what}: the 1/m missing and the sign flipped",
             "the 1/m missing and the sign flipped"),
            (-1.0 / m, f"-1/m times {what}: the sign flipped and divided by m once too often",
             "the sign flipped and divided by m once too often"),
            (2.0 * m, f"2m = {2 * m} times {what}: the 1/m missing and an extra factor 2",
             "the 1/m missing and an extra factor 2"),
            (2.0 / m, f"2/m times {what}: an extra factor 2 and an extra 1/m",
             "an extra factor 2 and an extra 1/m"),
        ]
    names: dict[float, str] = {}
    also: dict[float, list[str]] = {}
    for factor, words, cause in readings:
        if factor == 1.0:  # 2/m with m = 2: that is the true gradient
            continue
        if factor in names:
            also.setdefault(factor, []).append(cause)
        else:
            names[factor] = words
    if c not in names:
        return f"{c:.6g} times {what}"
    if c in also:
        return f"{names[c]}; or, with m = {m}, {' or '.join(also[c])}"
    return names[c]


def _entry(index) -> str:
    return "[" + ", ".join(map(str, index)) + "]"


def _missing_row(key: str, layer: int, true) -> GradientRow:
    name = f"{key[1]}{layer}"
    shape = _shape_text(true.shape)
    return GradientRow(
        key, layer, False, "missing", None, False,
        f"missing: no {key!r} in the grads (the gradient of {name}, shape {shape})",
        None, None, None, None, tuple(true.shape), None, true,
    )


def _row(
    key: str, layer: int, given: Mapping, true, m: int, rtol: float, atol: float | None
) -> GradientRow:
    """The row of one expected key: its diagnosis, from the most specific fault to the least."""
    import numpy as np

    if key not in given:
        return _missing_row(key, layer, true)
    array, what = _given_array(given[key])
    expected = tuple(true.shape)
    if array is None:
        return GradientRow(
            key, layer, False, "not numbers", None, False,
            f"not an array of numbers: {what}", None, None, None, None, expected, None, true,
        )
    shape = tuple(array.shape)

    def row(ok, problem, factor, transposed, diagnosis, values_right=False):
        abs_err = rel_err = index = None
        if shape == expected:
            diff = np.abs(array - true)
            with np.errstate(divide="ignore", invalid="ignore"):
                rel = np.where(diff == 0.0, 0.0, diff / np.abs(true))
            badness = diff / np.maximum(_tolerance(true, rtol, atol), np.finfo(float).tiny)
            badness = np.where(np.isnan(badness), np.inf, badness)
            abs_err = float(np.nanmax(np.where(np.isnan(diff), np.inf, diff)))
            rel_err = float(np.nanmax(np.where(np.isnan(rel), np.inf, rel)))
            index = tuple(int(i) for i in np.unravel_index(int(np.argmax(badness)), shape))
        return GradientRow(key, layer, ok, problem, factor, transposed, diagnosis,
                           abs_err, rel_err, index, shape, expected, array, true, values_right)

    bad = ~np.isfinite(array)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        kinds = sorted({"NaN" if np.isnan(v) else "inf" for v in array[bad]})
        return row(False, "not finite", None, False,
                   f"holds {' and '.join(kinds)} ({int(bad.sum())} of {plural(array.size, 'entry')}, "
                   f"the first at {_entry(first)}): a division by 0 or an overflow upstream")

    if shape == expected:
        if _close(array, true, rtol, atol):
            return row(True, "ok", None, False, "right")
        c = _factor(array, true, rtol, atol, m)
        if c is not None:
            c = _round(c, m)
            return row(False, "factor", c, False, _factor_words(c, m))
        square = array.ndim == 2 and shape[0] == shape[1] > 1
        if square and not _close(true, true.T, rtol, atol):
            transposed = _transposed(array.T, true, m, rtol, atol, key)
            if transposed is not None:
                factor, words = transposed
                return row(False, "transposed", factor, True, words, values_right=factor is None)
        wrong = ~(np.abs(array - true) <= _tolerance(true, rtol, atol))
        worst = np.unravel_index(int(np.argmax(np.abs(array - true) / np.maximum(
            _tolerance(true, rtol, atol), np.finfo(float).tiny))), shape)
        worst = tuple(int(j) for j in worst)
        flipped = int(np.sum(wrong & (np.sign(array) == -np.sign(true)) & (true != 0)))
        words = (
            f"wrong values in {int(wrong.sum())} of {plural(array.size, 'entry')} (worst at "
            f"{_entry(worst)}: given {array[worst]:.6g}, true {true[worst]:.6g})"
        )
        if flipped and flipped == int(wrong.sum()):
            words += "; the wrong entries have the sign flipped"
        return row(False, "values", None, False, words)

    # the shape is wrong: say how
    shapes = f"shape {_shape_text(shape)}, expected {_shape_text(expected)}"
    if array.ndim == 2 and shape == expected[::-1]:
        transposed = _transposed(array.T, true, m, rtol, atol, key)
        if transposed is not None:
            factor, words = transposed
            return row(False, "transposed", factor, True, words, values_right=factor is None)
        return row(False, "shape", None, False,
                   f"{shapes} (the transpose's shape, but not the transposed values either)")
    summed = _summed(array, expected, m)
    if summed is not None:
        axis_words = f"{shapes}: not summed over the samples"
        # Where the given array, summed, is right or a named factor off, the hint is to sum
        # it: the formula's "/ m" would be right or wrong by whether the dZ has the 1/m in it.
        sum_hint = ""
        if key.startswith("db"):
            sum_hint = f" (sum it: np.sum({key}, axis=1, keepdims=True))"
        if _close(summed, true, rtol, atol):
            return row(False, "not summed", None, False,
                       f"{axis_words}{sum_hint}; summed, it is right", values_right=True)
        c = _factor(summed, true, rtol, atol, m)
        if c is not None:
            c = _round(c, m)
            return row(False, "not summed", c, False,
                       f"{axis_words}{sum_hint}; summed, it is {_factor_words(c, m)}")
        hint = " (db = np.sum(dZ, axis=1, keepdims=True) / m)" if key.startswith("db") else ""
        return row(False, "not summed", None, False,
                   f"{axis_words}{hint}; summed, it is still wrong")
    if array.size == true.size:
        flat = array.reshape(expected)
        if _close(flat, true, rtol, atol):
            hint = ""
            if array.ndim == 1 and len(expected) == 2:
                hint = " (keepdims=True missing? b - lr * db would broadcast to a matrix)"
            return row(False, "shape", None, False,
                       f"{shapes}{hint}; the values are right",
                       values_right=True)
    return row(False, "shape", None, False, shapes)


def _transposed(array_t, true, m: int, rtol: float, atol: float | None, key: str = "dW"):
    """(factor or None, words) when array_t, the given array transposed, is right or c times
    right; else None."""
    hint = "dW = dZ @ A_prev.T"
    if key.startswith("db"):  # a row for the column: summed over axis 0, or a .T too many
        hint = "db = np.sum(dZ, axis=1, keepdims=True): one row per unit"
    if _close(array_t, true, rtol, atol):
        shapes = f"shape {_shape_text(array_t.shape[::-1])}, expected {_shape_text(true.shape)}"
        return None, f"transposed: {shapes}; its transpose is right ({hint})"
    c = _factor(array_t, true, rtol, atol, m)
    if c is not None:
        c = _round(c, m)
        return c, (f"transposed, and {_factor_words(c, m)} ({hint})")
    return None


def _summed(array, expected: tuple, m: int):
    """The array summed over its samples' axis, when its shape is the expected one with an
    axis of m samples instead of 1 (db of (n, m) for (n, 1)) or added last; else None."""
    shape = array.shape
    if m > 1 and len(shape) == len(expected):
        axes = [i for i, (a, b) in enumerate(zip(shape, expected)) if a != b]
        if len(axes) == 1 and expected[axes[0]] == 1 and shape[axes[0]] == m:
            return array.sum(axis=axes[0], keepdims=True)
    if len(shape) == len(expected) + 1 and shape[:-1] == expected and shape[-1] == m:
        return array.sum(axis=-1)
    return None


def _whose(row: GradientRow, true: dict, rtol: float, atol: float | None) -> str | None:
    """The other key whose true gradient the row's given array is, if any."""
    for key, array in true.items():
        if key != row.key and row.given.shape == array.shape:
            if _close(row.given, array, rtol, atol) and bool(array.any()):
                return key
    return None


def _extra_row(key, value, true: dict, L: int, has_bias: bool) -> GradientRow:
    import numpy as np

    keys = ", ".join(true)
    match = re.fullmatch(r"d([Wb])([0-9]+)", key) if isinstance(key, str) else None
    if match and match.group(1) == "b" and not has_bias:
        words = f"unexpected key: the network has no biases, so there is no {key}"
    elif match:
        words = f"unexpected key: the network has layers 1 to {L}, so there is no {key}"
    else:
        words = f"unexpected key {key!r}; the keys are {keys}"
    array, _ = _given_array(value)
    shape = None if array is None else tuple(np.shape(array))
    return GradientRow(str(key), None, False, "extra", None, False, words,
                       None, None, None, shape, None, array, None)
