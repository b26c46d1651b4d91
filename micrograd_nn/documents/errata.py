"""The documents' code as written: each erratum run beside the fix.

The modules ``doc000`` .. ``doc004b`` re-implement the documents with their
errata fixed, and say so in their docstrings. This module runs the other
side: for each erratum, the document's lines AS PRINTED (re-implemented here
in the document's own names, beside the fixed module's functions, which
supply everything the erratum does not touch), and next to them the fixed
code, on the same numbers. Each row says

* what :func:`micrograd_nn.check_backprop` finds in the gradients the code as
  printed computes (which rows are wrong, a constant factor, the first wrong
  layer), or "gradients right" where the erratum is not in the gradients, or
  why they cannot be formed;
* what it does to training: the final cost as written and fixed, over the
  document's run or a shorter one (the row says which), or the exception the
  code as printed raises and where, caught from an actual run;
* for an erratum with nothing to run (a shape in the text), why not.

``micrograd-nn errata`` prints :func:`errata_table`; ``--markdown`` gives the
same table as a GitHub pipe table.

The documents are named as ``micrograd-nn list`` names them:

* ``doc000``: "Implementing Neuron Network from scratch in Python" (a blog
  post, May 2023, after week 4 of Andrew Ng's Deep Learning course);
* ``doc001``: "Implementing Neural Networks from Scratch" (after Victor Zhou's blog);
* ``doc002``: "Deep Neural Networks from scratch in Python" (Piotr Babel);
* ``doc003``: "Writing Python Code for Neural Networks from Scratch" (Aditi Mittal);
* ``doc004a``: "A beginner's guide to understanding the inner workings of Deep
  Learning" (the first article of document 004: a 2-layer network, no biases);
* ``doc004b``: document 004's second article (an L-layer sigmoid network with
  ``init_params``, ``forward_prop``, ``backprop``, ``train``).

Example:
    >>> row = doc004a_negative_gradient(iterations=10)
    >>> row.document, row.report["dW1"].factor, row.report["dW2"].factor
    ('doc004a', -1.0, -1.0)
"""
from __future__ import annotations

import functools
import json
import textwrap
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..check import BackpropReport, check_backprop
from . import doc000, doc001, doc002, doc003, doc004a, doc004b

__all__ = [
    "ERRATA",
    "ErrataTable",
    "Erratum",
    "errata_table",
    "verdict",
]


@dataclass
class Erratum:
    """One erratum of one document, run as printed beside the fix.

    Attributes:
        document: the id ``micrograd-nn list`` uses, ``doc000`` .. ``doc004b``.
        erratum: the erratum in a few words.
        gradients: what check_backprop says of the gradients as printed, in words.
        training: the effect on training (or the exception, or why nothing runs).
        report: check_backprop's report on the gradients as printed (None
            where they are not checked: the erratum is not in them, or they
            cannot be formed).
        fixed_report: check_backprop's report on the fixed gradients, where checked.
        cost_as_written, cost_fixed: the final costs of the two runs, where both run.
        error: the exception the code as printed raises, ``"KeyError: 'W5'"``, else None.
        where: the function (and step) that raises it.
        iterations: the length of the runs compared, None when nothing trains.
    """

    document: str
    erratum: str
    gradients: str
    training: str
    report: BackpropReport | None = field(default=None, repr=False)
    fixed_report: BackpropReport | None = field(default=None, repr=False)
    cost_as_written: float | None = None
    cost_fixed: float | None = None
    error: str | None = None
    where: str | None = None
    iterations: int | None = None

    def to_dict(self) -> dict:
        """Plain strings and numbers, ready for ``json.dumps``."""
        return {
            "document": self.document,
            "erratum": self.erratum,
            "gradients": self.gradients,
            "training": self.training,
            "wrong_rows": None if self.report is None else self.report.wrong,
            "first_wrong_layer": None if self.report is None else self.report.first_wrong_layer,
            "cost_as_written": self.cost_as_written,
            "cost_fixed": self.cost_fixed,
            "error": self.error,
            "where": self.where,
            "iterations": self.iterations,
        }


HEADER = ("document", "erratum", "gradients (check_backprop)", "training: as written vs fixed")
_WIDTHS = (8, 30, 38, 46)


@dataclass
class ErrataTable:
    """The rows of :func:`errata_table`; ``str()`` a text table, :meth:`to_markdown` a pipe table."""

    rows: list[Erratum]

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def find(self, document: str, words: str) -> Erratum:
        """The row of ``document`` whose erratum contains ``words``."""
        for row in self.rows:
            if row.document == document and words in row.erratum:
                return row
        raise KeyError(f"no erratum of {document} mentions {words!r}")

    def _cells(self, row: Erratum) -> tuple[str, str, str, str]:
        return (row.document, row.erratum, row.gradients, row.training)

    def __str__(self) -> str:
        """Fixed-width columns, each cell wrapped; code without its Markdown backticks."""
        lines = []
        for cells in [HEADER] + [self._cells(row) for row in self.rows]:
            wrapped = [
                textwrap.wrap(cell.replace("`", ""), width, break_on_hyphens=False) or [""]
                for cell, width in zip(cells, _WIDTHS)
            ]
            for i in range(max(len(w) for w in wrapped)):
                parts = [(w[i] if i < len(w) else "").ljust(width) for w, width in zip(wrapped, _WIDTHS)]
                lines.append("  ".join(parts).rstrip())
            lines.append("-" * (sum(_WIDTHS) + 2 * (len(_WIDTHS) - 1)) if cells is HEADER else "")
        return "\n".join(lines).rstrip() + "\n"

    def to_markdown(self) -> str:
        """A GitHub pipe table: a header row, the separator row, one line per erratum."""

        def line(cells) -> str:
            return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

        lines = [line(HEADER), "|" + "|".join("---" for _ in HEADER) + "|"]
        lines += [line(self._cells(row)) for row in self.rows]
        return "\n".join(lines) + "\n"

    def to_dict(self) -> list[dict]:
        return [row.to_dict() for row in self.rows]

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


# ---------------------------------------------------------------- words


def _g(x: float) -> str:
    return f"{x:.4g}"


def _factor_text(factor: float, m: int) -> str:
    if factor == float(m):
        return f"{factor:g} (= m: the 1/m missing)"
    if factor == 1.0 / m:
        return f"1/m = 1/{m}"
    if factor == -1.0:
        return "-1 (the sign flipped)"
    return f"{factor:g}"


def verdict(report: BackpropReport) -> str:
    """check_backprop's report in a few words: the wrong rows, their factor, the first wrong layer."""
    rows = report.rows
    if report.ok:
        return f"gradients right (all {len(rows)} rows)"
    groups: dict[tuple, list[str]] = {}
    for row in rows:
        if not row.ok:
            groups.setdefault((row.problem, row.factor), []).append(row.key)
    parts = []
    for (problem, factor), keys in groups.items():
        names = ", ".join(keys)
        if problem == "factor":
            parts.append(f"{names}: factor {_factor_text(factor, report.m)}")
        elif problem == "missing":
            parts.append(f"{names} missing")
        elif problem == "not summed":
            parts.append(f"{names} not summed over the samples (shape (n, m))")
        elif problem == "values":
            parts.append(f"{names} wrong values")
        else:
            parts.append(f"{names}: {problem}")
    wrong = len(report.wrong)
    text = f"{wrong} of {len(rows)} rows wrong: " + "; ".join(parts)
    first = report.first_wrong_layer
    if first is not None:
        text += f"; first wrong layer {first}"
        if report.cascade:
            text += " (every layer under it wrong too)"
    return text


def _raised(call: Callable[[], object]) -> str | None:
    """Run ``call``; ``"KeyError: 'W5'"`` for what it raises, None if it returns."""
    try:
        call()
    except Exception as error:  # the document's code as printed: whatever it raises is the finding
        return f"{type(error).__name__}: {error}"
    return None


def _compiles(source: str) -> str | None:
    """``"SyntaxError: ..."`` when the printed source is not Python, else None."""
    try:
        compile(source, "<as printed>", "exec")
    except SyntaxError as error:  # IndentationError included, named as Python names it
        return f"{type(error).__name__}: {error.msg}"
    return None


def _copy(parameters: dict) -> dict:
    return {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}


def _only_parameters(grads: dict) -> dict:
    return {key: value for key, value in grads.items() if key[:2] in ("dW", "db")}


# ================================================================ doc000

#: doc000's rows train this many iterations (the document: 10000), to keep the table quick.
DOC000_ITERATIONS = 2000


@functools.lru_cache(maxsize=None)
def _doc000_setup():
    return doc000.setup()


def _doc000_data():
    parameters, X, Y = _doc000_setup()
    return _copy(parameters), X, Y


def _doc000_check(grads: dict) -> BackpropReport:
    parameters, X, Y = _doc000_data()
    return check_backprop(grads, parameters, X, Y, activations=doc000.ACTIVATIONS, loss="bce")


@functools.lru_cache(maxsize=None)
def _doc000_fixed_run(iterations: int):
    parameters, X, Y = _doc000_data()
    final, _ = doc000.train(parameters, X, Y, iterations)
    return final, doc000.cost(final, X, Y)


def relu_backward_g_prime_times_z(dA, activation_cache):
    """Document 000's ``da/dz = g'(z) * z`` in relu_backward: dZ = dA * g'(Z) * Z."""
    Z = activation_cache
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ * Z


def sigmoid_backward_g_prime_times_z(dA, activation_cache):
    """Document 000's ``da/dz = g'(z) * z`` in sigmoid_backward: dZ = dA * s * (1 - s) * Z."""
    Z = activation_cache
    s = 1 / (1 + np.exp(-Z))
    return dA * s * (1 - s) * Z


def linear_backward_db_equals_dz(dZ, cache):
    """Document 000's summary ``db[l] = dz[l]``: db is dz itself, (n[l], m), not summed.

    The code's dZ is m times dJ/dZ (its dAL has no 1/m), so the summary's dz is dZ / m.
    """
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = dZ / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def _doc000_backward(AL, Y, caches, relu_backward, sigmoid_backward, linear_backward) -> dict:
    """Document 000's L_model_backward with the given relu_backward, sigmoid_backward, linear_backward."""
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    linear_cache, activation_cache = caches[L - 1]
    dZ = sigmoid_backward(dAL, activation_cache)
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = linear_backward(dZ, linear_cache)
    for l in reversed(range(L - 1)):
        linear_cache, activation_cache = caches[l]
        dZ = relu_backward(grads["dA" + str(l + 1)], activation_cache)
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = linear_backward(
            dZ, linear_cache
        )
    return grads


def _doc000_variant(relu_backward=doc000.relu_backward, sigmoid_backward=doc000.sigmoid_backward,
                    linear_backward=doc000.linear_backward):  # fmt: skip
    def grads(parameters, X, Y):
        AL, caches = doc000.L_model_forward(X, parameters)
        return _only_parameters(
            _doc000_backward(AL, Y, caches, relu_backward, sigmoid_backward, linear_backward)
        )

    return grads


def _doc000_train(grads_function, iterations: int) -> tuple[float, int | None]:
    """Full-batch gradient descent with the document's update, lr 0.1.

    Returns:
        (the final cost, the first iteration whose cost is not finite, or None).
    """
    parameters, X, Y = _doc000_data()
    first_nan = None
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # a diverging run is a finding
        for i in range(iterations):
            if first_nan is None and not np.isfinite(doc000.cost(parameters, X, Y)):
                first_nan = i
            grads = grads_function(parameters, X, Y)
            parameters = doc000.update_parameters(parameters, grads, doc000.LEARNING_RATE)
        return doc000.cost(parameters, X, Y), first_nan


def _run_words(iterations: int, document: int, what: str = "iterations") -> str:
    if iterations == document:
        return f"the document's {document} {what}"
    return f"{iterations} {what} (the document: {document})"


def _costs(as_written: float, fixed: float, run: str, name: str = "cost") -> str:
    return f"final {name} {_g(as_written)} as written vs {_g(fixed)} fixed, {run}"


def doc000_g_prime_times_z(iterations: int = DOC000_ITERATIONS) -> Erratum:
    """``da/dz = g'(z) * z``: dZ = dA * g'(Z) * Z in both backward functions."""
    variant = _doc000_variant(relu_backward_g_prime_times_z, sigmoid_backward_g_prime_times_z)
    report = _doc000_check(variant)
    written, first_nan = _doc000_train(variant, iterations)
    _, fixed = _doc000_fixed_run(iterations)
    training = _costs(written, fixed, _run_words(iterations, doc000.NUM_ITERATIONS))
    if first_nan is not None:
        training += f"; as written the cost is nan from iteration {first_nan} (AL reaches 0 exactly, log(0); then every weight is nan)"
    return Erratum(
        "doc000", "`da/dz = g'(z) * z` (it is `g'(z)`), coded into relu_backward and sigmoid_backward",
        verdict(report), training, report=report, cost_as_written=written, cost_fixed=fixed, iterations=iterations,
    )  # fmt: skip


#: compute_cost's line as printed: one ')' too many, and np.sum closed after the first term.
COMPUTE_COST_AS_PRINTED = (
    "cost = (-1/m) * np.sum(np.multiply(Y, np.log(AL))) + np.multiply(1-Y, np.log(1-AL)))"
)


def compute_cost_sum_closed_early(AL, Y):
    """compute_cost with the printed line's extra ')' dropped: only ``Y * log(AL)`` is summed
    and scaled; ``(1 - Y) * log(1 - AL)`` is added entry by entry, so the cost is an array."""
    m = Y.shape[1]
    cost = (-1 / m) * np.sum(np.multiply(Y, np.log(AL))) + np.multiply(1 - Y, np.log(1 - AL))
    return np.squeeze(cost)


def doc000_compute_cost(iterations: int = DOC000_ITERATIONS) -> Erratum:
    """compute_cost closes np.sum after the first term."""
    syntax = _compiles(COMPUTE_COST_AS_PRINTED)
    parameters, X, Y = _doc000_data()
    report = _doc000_check(doc000.gradients)
    final, fixed = _doc000_fixed_run(iterations)
    AL, _ = doc000.L_model_forward(X, final)
    written = compute_cost_sum_closed_early(AL, Y)
    training = (
        f"as printed: {syntax} (one `)` too many); with it dropped the cost is an array of shape "
        f"{written.shape}, from {_g(written.min())} to {_g(written.max())}, not a number; fixed: "
        f"{_g(fixed)} after {_run_words(iterations, doc000.NUM_ITERATIONS)}; training is the same: "
        "the gradients never read the cost"
    )
    return Erratum(
        "doc000", "`compute_cost` closes `np.sum` after `Y * log(AL)`: `(1 - Y) * log(1 - AL)` neither summed nor scaled",
        "gradients right (the cost is not in them)", training, report=report, cost_fixed=fixed,
        error=syntax, where="compute_cost", iterations=iterations,
    )  # fmt: skip


def _softmax(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def dZ_from_document_dA(AL, Y):
    """The multiclass line ``dJ/da[L] = (1/m) * (1/(1 - a[L]) * Y)``, through the softmax to dZ.

    In the code's units (dA and dZ are m times J's; linear_backward divides
    by m): dAL = 1/(1 - AL) * Y, then the softmax's Jacobian,
    dZ = AL * (dAL - sum over the classes of AL * dAL).
    """
    dAL = 1 / (1 - AL) * Y
    return AL * (dAL - np.sum(AL * dAL, axis=0, keepdims=True))


def dZ_right(AL, Y):
    """The right one, ``dZ = (a - y) / m``: in the code's units (m times J's), AL - Y."""
    return AL - Y


def _doc000_multiclass(dZ_last):
    """grads(parameters, X, Y) for doc000's network with a softmax last layer (Y one-hot)."""

    def grads(parameters, X, Y):
        L = len(parameters) // 2
        A, caches = X, []
        for l in range(1, L):
            A, cache = doc000.linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
            caches.append(cache)
        ZL, linear_cache = doc000.forward_pass(A, parameters["W" + str(L)], parameters["b" + str(L)])
        AL = _softmax(ZL)
        out = {}
        dA_prev, out["dW" + str(L)], out["db" + str(L)] = doc000.linear_backward(dZ_last(AL, Y), linear_cache)
        for l in reversed(range(L - 1)):
            dA_prev, out["dW" + str(l + 1)], out["db" + str(l + 1)] = doc000.linear_activation_backward(
                dA_prev, caches[l], "relu"
            )
        return out

    return grads


def _cross_entropy(parameters, X, Y) -> float:
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A = np.maximum(parameters["W" + str(l)] @ A + parameters["b" + str(l)], 0)
    AL = _softmax(parameters["W" + str(L)] @ A + parameters["b" + str(L)])
    return float(-np.sum(Y * np.log(AL)) / Y.shape[1])


def doc000_multiclass(iterations: int = DOC000_ITERATIONS) -> Erratum:
    """The multiclass line ``dJ/da[L] = (1/m) * (1/(1 - a[L]) * Y)``, on a 2-class softmax output."""
    _, X, Y = _doc000_data()
    Y2 = np.vstack([1 - Y, Y])  # one-hot: class 0 and class 1 of the moons
    layer_dims = doc000.layer_dims[:-1] + [2]
    start = doc000.initialize_parameters(layer_dims, np.random.default_rng(doc000.SEED))
    options = dict(activations=["relu", "relu", "softmax"], loss="cross_entropy")
    report = check_backprop(_doc000_multiclass(dZ_from_document_dA), start, X, Y2, **options)
    fixed_report = check_backprop(_doc000_multiclass(dZ_right), start, X, Y2, **options)
    costs = []
    for dZ_last in (dZ_from_document_dA, dZ_right):
        grads_function, parameters = _doc000_multiclass(dZ_last), _copy(start)
        for _ in range(iterations):
            parameters = doc000.update_parameters(parameters, grads_function(parameters, X, Y2), doc000.LEARNING_RATE)
        costs.append(_cross_entropy(parameters, X, Y2))
    gradients = f"the document's line: {verdict(report)}"
    if report[f"db{len(layer_dims) - 1}"].ok:
        counts = Y2.sum(axis=1).astype(int).tolist()
        # With 2 classes the line's dZ is (a - y) - (y1 - y0), one per sample: summed for db,
        # the +-1s cancel when the classes are balanced.
        gradients += (
            f" (db{len(layer_dims) - 1} right by chance: its error, +-1 per sample, cancels over "
            f"{counts[0]} + {counts[1]} moons)"
        )
    gradients += f"; `dZ = (a - y) / m`: {verdict(fixed_report)}"
    run = f"{iterations} iterations, layer_dims [2, 4, 4, 2], softmax cross-entropy, lr 0.1"
    return Erratum(
        "doc000", "multiclass `dJ/da[L] = (1/m) * (1/(1 - a[L]) * Y)` (softmax output, cross-entropy)",
        gradients, _costs(costs[0], costs[1], run), report=report, fixed_report=fixed_report,
        cost_as_written=costs[0], cost_fixed=costs[1], iterations=iterations,
    )  # fmt: skip


def doc000_db_equals_dz(iterations: int = DOC000_ITERATIONS) -> Erratum:
    """The summary's ``db[l] = dz[l]``, without the sum over the samples."""
    variant = _doc000_variant(linear_backward=linear_backward_db_equals_dz)
    report = _doc000_check(variant)
    written, _ = _doc000_train(variant, iterations)
    _, fixed = _doc000_fixed_run(iterations)
    training = (
        _costs(written, fixed, _run_words(iterations, doc000.NUM_ITERATIONS))
        + "; `b - lr * db` broadcasts every b to (n, m): one bias per sample"
    )
    return Erratum(
        "doc000", "the summary's `db[l] = dz[l]` (no sum over the samples; the code has it)",
        verdict(report), training, report=report, cost_as_written=written, cost_fixed=fixed,
        iterations=iterations,
    )  # fmt: skip


def forward_pass_as_printed(A, W, b):
    """Document 000's forward_pass: Z = np.dot(W, A) + b."""
    Z = np.dot(W, A) + b
    return Z, (A, W, b)


def L_model_forward_as_printed(X, parameters):
    """Document 000's L_model_forward: every hidden layer reads ``'W' + str(1)`` (the digit one).

    The printed ``parameters['b'-`` is cut off; it is read as ``'b' + str(1)`` too
    (np.dot fails before the bias is added either way).
    """
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A_prev = A
        Z, linear_cache = forward_pass_as_printed(A_prev, parameters["W" + str(1)], parameters["b" + str(1)])
        A, activation_cache = doc000.relu(Z)
        caches.append((linear_cache, activation_cache))
    Z, linear_cache = forward_pass_as_printed(A, parameters["W" + str(L)], parameters["b" + str(L)])
    AL, activation_cache = doc000.sigmoid(Z)
    caches.append((linear_cache, activation_cache))
    return AL, caches


def doc000_forward_w1(iterations: int = DOC000_ITERATIONS) -> Erratum:
    """L_model_forward reads ``parameters['W' + str(1)]`` for every hidden layer."""
    parameters, X, Y = _doc000_data()
    error = _raised(lambda: L_model_forward_as_printed(X, parameters))
    _, fixed = _doc000_fixed_run(iterations)
    shapes = ", ".join(f"{k} {parameters[k].shape}" for k in ("W1", "W2"))
    training = (
        f"raises {error} at L_model_forward, layer 2 (W1 again, on A1; {shapes}): it runs only when "
        f"all hidden layers have W1's shape; fixed: cost {_g(fixed)}, "
        f"{_run_words(iterations, doc000.NUM_ITERATIONS)}"
    )
    return Erratum(
        "doc000", "`L_model_forward` reads `parameters['W' + str(1)]` (the digit one) for every hidden layer",
        "cannot be formed as printed (the forward pass raises); fixed: gradients right", training,
        cost_fixed=fixed, error=error, where="L_model_forward", iterations=iterations,
    )  # fmt: skip


def initialize_parameters_as_printed(layer_dims, rng):
    """Document 000's initialize_parameters as indented: ``return parameters`` inside the loop."""
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
        return parameters


def doc000_return_in_loop(iterations: int = DOC000_ITERATIONS) -> Erratum:
    """initialize_parameters as indented returns after layer 1."""
    _, X, Y = _doc000_data()
    parameters = initialize_parameters_as_printed(doc000.layer_dims, np.random.default_rng(doc000.SEED))

    def one_iteration():
        AL, caches = doc000.L_model_forward(X, parameters)
        doc000.L_model_backward(AL, Y, caches)

    error = _raised(one_iteration)
    keys = ", ".join(parameters)
    training = (
        f"only {keys}: the network is one sigmoid layer of 4 outputs, AL (4, m); raises {error} "
        "at L_model_backward (`Y.reshape(AL.shape)`)"
    )
    return Erratum(
        "doc000", "`initialize_parameters` as indented: `return parameters` inside the loop (indentation lost)",
        "cannot be formed (the backward pass raises)", training, error=error, where="L_model_backward",
    )  # fmt: skip


# ================================================================ doc001


def _doc001_people():
    return doc001.setup()


def grads_per_sample_summed(parameters, X, Y) -> dict:
    """Document 001's gradients over the data set as its code forms them: each sample's
    ``d_L_d_ypred = -2 * (y_true - y_pred)`` and its chain rule, added up over the samples
    (what one epoch's steps add up to), taken for the derivative of ``mse_loss``."""
    net = doc001.OurNeuralNetwork.from_names(doc001.names_from_layout(parameters))
    total = {name: 0.0 for name in doc001.NAMES}
    for x, y_true in zip(np.asarray(X).T.tolist(), np.asarray(Y)[0].tolist()):
        p = net.partials(x, y_true)  # d_L_d_ypred = -2 * (y_true - y_pred), one sample's
        for name in doc001.NAMES:
            total[name] += p["d_L_d_" + name]
    return {"d" + key: value for key, value in doc001.layout_from_names(total).items()}


@functools.lru_cache(maxsize=None)
def _doc001_run(learning_rate: float, epochs: int):
    parameters, X, Y = _doc001_people()
    final, history = doc001.train(parameters, X, Y, epochs, learning_rate)
    return final, history[-1]


def doc001_per_sample(epochs: int = doc001.NUM_ITERATIONS) -> Erratum:
    """``d_L_d_ypred = -2 * (y_true - y_pred)``: one sample's, used as the mean's."""
    parameters, X, Y = _doc001_people()
    report = check_backprop(grads_per_sample_summed, parameters, X, Y, activations=["sigmoid", "sigmoid"], loss="mse")
    n = X.shape[1]
    _, written = _doc001_run(doc001.LEARNING_RATE, epochs)
    # -2/n * (y_true - y_pred) scales every step of the document's loop by 1/n: the same as lr / n.
    _, fixed = _doc001_run(doc001.LEARNING_RATE / n, epochs)
    training = (
        f"per-sample SGD, lr 0.1, {_run_words(epochs, doc001.NUM_ITERATIONS, 'epochs')}: final mse "
        f"{_g(written)} as written vs {_g(fixed)} with the mean's `-2/n * (y_true - y_pred)` "
        f"(n = {n}: steps {n} times smaller)"
    )
    return Erratum(
        "doc001", "`d_L_d_ypred = -2 * (y_true - y_pred)` is one sample's, used as the derivative of `mse_loss` over the data set",
        f"summed over the {n} people, against `mse_loss`: {verdict(report)}", training, report=report,
        cost_as_written=written, cost_fixed=fixed, iterations=epochs,
    )  # fmt: skip


def doc001_steve(epochs: int = doc001.NUM_ITERATIONS) -> Erratum:
    """Steve is ``generate_test_data(182, 73)``: the kilograms and centimetres swapped."""
    final, _ = _doc001_run(doc001.LEARNING_RATE, epochs)
    net = doc001.OurNeuralNetwork.from_names(doc001.names_from_layout(final))
    written, fixed = net.feedforward(doc001.STEVE_AS_WRITTEN), net.feedforward(doc001.STEVE)
    training = (
        f"training unchanged; Steve's prediction {written:.6f} as written (182 kg, 73 cm) vs "
        f"{fixed:.6f} (73 kg, 182 cm), {abs(written - fixed):.0e} apart: both saturate the hidden "
        f"units (male either way), after {_run_words(epochs, doc001.NUM_ITERATIONS, 'epochs')}"
    )
    return Erratum(
        "doc001", "\"Steve\" is `generate_test_data(182, 73)`: kilograms and centimetres swapped",
        "gradients right (not in them)", training, cost_as_written=written, cost_fixed=fixed, iterations=epochs,
    )  # fmt: skip


#: The document's first lines of code as printed: every block's body at column 0.
SIGMOID_AS_PRINTED = (
    "def sigmoid(x):\n"
    "# Activation function: f(x) = 1 / (1 + e^(-x))\n"
    "return 1 / (1 + np.exp(-x))\n"
)


def doc001_indentation(epochs: int = doc001.NUM_ITERATIONS) -> Erratum:
    """Indentation lost: no block of the code as printed compiles; re-indented, it is right."""
    error = _compiles(SIGMOID_AS_PRINTED)
    parameters, X, Y = _doc001_people()
    reports = [
        check_backprop(grads_per_sample_summed, parameters, X[:, [i]], Y[:, [i]],
                       activations=["sigmoid", "sigmoid"], loss="mse")
        for i in range(X.shape[1])
    ]
    n = X.shape[1]
    right = sum(report.ok for report in reports)
    _, written = _doc001_run(doc001.LEARNING_RATE, epochs)
    gradients = (
        f"cannot be formed as printed (not Python); re-indented: each person's gradients "
        f"right for {right} of {n} people (m = 1, one sample's squared error)"
    )
    training = (
        f"does not compile: {error} (`def sigmoid(x):`, the first line); re-indented as Victor "
        f"Zhou's original (the loss printed inside the epoch loop): final mse {_g(written)}, "
        f"{_run_words(epochs, doc001.NUM_ITERATIONS, 'epochs')}"
    )
    return Erratum(
        "doc001", "indentation lost: every `def`, `class` and `for` body at column 0",
        gradients, training, report=reports[0], cost_as_written=written, error=error,
        where="sigmoid", iterations=epochs,
    )


# ================================================================ doc002


def L_model_forward_without_A0(X, parameters, nn_architecture):
    """Document 002's L_model_forward: forward_cache holds Z1..ZL and A1..AL, never A0."""
    forward_cache = {}
    A = X
    number_of_layers = len(nn_architecture)
    for l in range(1, number_of_layers):
        A_prev = A
        W = parameters["W" + str(l)]
        b = parameters["b" + str(l)]
        activation = nn_architecture[l]["activation"]
        Z, A = doc002.linear_activation_forward(A_prev, W, b, activation)
        forward_cache["Z" + str(l)] = Z
        forward_cache["A" + str(l)] = A
    AL = A
    return AL, forward_cache


def update_parameters_range_as_printed(parameters, grads, learning_rate):
    """Document 002's update_parameters: ``L = len(parameters)``, ``for l in range(1, L)``.

    The printed lines are cut after ``parameters["W" + str(l)]``; the rest is
    read as ``- learning_rate * grads["dW" + str(l)]``.
    """
    L = len(parameters)
    for l in range(1, L):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


@functools.lru_cache(maxsize=None)
def _doc002_fixed_run(iterations: int):
    parameters, X, Y = doc002.setup()
    final, _ = doc002.train(parameters, X, Y, iterations)
    return doc002.cost(final, X, Y)


def _doc002_check(grads) -> BackpropReport:
    parameters, X, Y = doc002.setup()
    return check_backprop(grads, parameters, X, Y, activations=doc002.ACTIVATIONS, loss="bce")


def doc002_A0(iterations: int = doc002.NUM_ITERATIONS) -> Erratum:
    """L_model_forward never stores A0, which L_model_backward reads for layer 1."""
    parameters, X, Y = doc002.setup()
    arch = doc002.nn_architecture

    def one_iteration():
        AL, forward_cache = L_model_forward_without_A0(X, parameters, arch)
        doc002.L_model_backward(AL, Y, parameters, forward_cache, arch)

    error = _raised(one_iteration)
    fixed_report = _doc002_check(doc002.gradients)
    fixed = _doc002_fixed_run(iterations)
    return Erratum(
        "doc002", "`L_model_forward` never stores `A0` (= X), which `L_model_backward` reads for layer 1",
        f"cannot be formed as printed (the backward pass raises); with A0 stored: {verdict(fixed_report)}",
        f"raises {error} at L_model_backward, layer 1 (`forward_cache['A' + str(l-1)]`); fixed: cost "
        f"{_g(fixed)}, {_run_words(iterations, doc002.NUM_ITERATIONS)}",
        fixed_report=fixed_report, cost_fixed=fixed, error=error, where="L_model_backward", iterations=iterations,
    )  # fmt: skip


def doc002_update_range(iterations: int = doc002.NUM_ITERATIONS) -> Erratum:
    """update_parameters loops ``range(1, len(parameters))``: two entries per layer."""
    parameters, X, Y = doc002.setup()
    arch = doc002.nn_architecture
    AL, forward_cache = doc002.L_model_forward(X, parameters, arch)
    grads = doc002.L_model_backward(AL, Y, parameters, forward_cache, arch)
    error = _raised(lambda: update_parameters_range_as_printed(_copy(parameters), grads, doc002.LEARNING_RATE))
    report = _doc002_check(doc002.gradients)
    fixed = _doc002_fixed_run(iterations)
    L = len(parameters)
    return Erratum(
        "doc002", "`update_parameters` loops `range(1, len(parameters))`: 2 entries per layer, so layers 5 to 7 of 4",
        "gradients right (the erratum is in the update)",
        f"raises {error} at update_parameters, l = 5 of range(1, {L}), in the first iteration (A0 "
        f"stored); fixed: cost {_g(fixed)}, {_run_words(iterations, doc002.NUM_ITERATIONS)}",
        report=report, cost_fixed=fixed, error=error, where="update_parameters", iterations=iterations,
    )  # fmt: skip


# ================================================================ doc003


def layer_class_as_printed():
    """Document 003's Layer class as printed (plain minus signs): __init__ reads
    ``self.activationFunctions``, the class attribute is ``activationFns``."""

    class Layer:
        activationFns = {
            "tanh": (doc003.tanh, doc003.d_tanh),
            "sigmoid": (doc003.sigmoid, doc003.d_sigmoid),
        }
        learning_rate = 0.1

        def __init__(self, inputs, neurons, activation):
            self.W = np.random.default_rng(0).standard_normal((neurons, inputs))
            self.b = np.zeros((neurons, 1))
            self.act, self.d_act = self.activationFunctions.get(activation)

    return Layer


#: d_tanh as printed: a typographic dash for the minus sign.
D_TANH_AS_PRINTED = "def d_tanh(x):\n    return 1 \u2014 np.square(np.tanh(x))\n"


def _doc003_check() -> BackpropReport:
    parameters, X, Y = doc003.setup()
    return check_backprop(doc003.gradients, parameters, X, Y, activations=["tanh", "sigmoid"], loss="bce")


def doc003_activation_functions() -> Erratum:
    """``self.activationFunctions`` for the class attribute ``activationFns``."""
    Layer = layer_class_as_printed()
    error = _raised(lambda: [Layer(2, 3, "tanh"), Layer(3, 1, "sigmoid")])
    return Erratum(
        "doc003", "`__init__` reads `self.activationFunctions`; the class attribute is `activationFns`",
        f"cannot be formed as printed (no Layer can be built); fixed: {verdict(_doc003_check())}",
        f"raises {error} at Layer.__init__ (`Layer(2, 3, 'tanh')`), before any training",
        error=error, where="Layer.__init__",
    )  # fmt: skip


def doc003_dashes() -> Erratum:
    """Typographic dashes for minus signs: the code is not Python."""
    error = _compiles(D_TANH_AS_PRINTED)
    return Erratum(
        "doc003", "typographic dashes for minus signs (`1 \u2014 np.square(...)`, `(a \u2014 y)`, `self.W \u2014 ...`)",
        "cannot be formed as printed (not Python); fixed: gradients right (the row above)",
        f"does not compile: {error}, in d_tanh, d_sigmoid, d_logloss and backprop",
        error=error, where="d_tanh",
    )  # fmt: skip


# ================================================================ doc004a


def _doc004a_d_weights(nn, sigmoid_derivative):
    """The article's two chain-rule lines, with the given sigmoid_derivative."""
    d_weights2 = np.dot(nn.layer1.T, (2 * (nn.y - nn.output) * sigmoid_derivative(nn.output)))
    d_weights1 = np.dot(
        nn.input.T,
        (np.dot(2 * (nn.y - nn.output) * sigmoid_derivative(nn.output), nn.weights2.T) * sigmoid_derivative(nn.layer1)),
    )  # fmt: skip
    return d_weights1, d_weights2


def _doc004a_grads(sigmoid_derivative, sign: float = 1.0):
    """grads(parameters, X, Y) that take the article's d_weights (times sign) for dL/dW."""

    def grads(parameters, X, Y):
        nn = doc004a._network(parameters, X, Y)
        nn.feedforward()
        d_weights1, d_weights2 = _doc004a_d_weights(nn, sigmoid_derivative)
        return {"dW1": sign * d_weights1.T, "dW2": sign * d_weights2.T}

    return grads


def _doc004a_train(sigmoid_derivative, iterations: int, sign: float = 1.0) -> float:
    """The article's loop, ``weights += sign * d_weights``; the final sum of squares."""
    return _doc004a_losses(sigmoid_derivative, iterations, sign)[-1]


def _doc004a_losses(sigmoid_derivative, iterations: int, sign: float = 1.0) -> list[float]:
    """The sum of squares before each step of the article's loop, and after the last."""
    parameters, X, Y = doc004a.setup()
    nn = doc004a._network(parameters, X, Y)
    losses = []
    for _ in range(iterations):
        nn.feedforward()
        losses.append(nn.loss())
        d_weights1, d_weights2 = _doc004a_d_weights(nn, sigmoid_derivative)
        nn.weights1 += sign * d_weights1
        nn.weights2 += sign * d_weights2
    nn.feedforward()
    return losses + [nn.loss()]


def _first_below(losses: list[float], level: float) -> int | None:
    return next((i for i, loss in enumerate(losses) if loss < level), None)


def _doc004a_check(grads) -> BackpropReport:
    parameters, X, Y = doc004a.setup()
    return check_backprop(grads, parameters, X, Y, activations=["sigmoid", "sigmoid"], loss="sse")


def doc004a_negative_gradient(iterations: int = doc004a.NUM_ITERATIONS) -> Erratum:
    """``d_weights`` is the negative gradient, and the update adds it."""
    report = _doc004a_check(_doc004a_grads(doc004a.sigmoid_derivative))
    written = _doc004a_train(doc004a.sigmoid_derivative, iterations)
    parameters, X, Y = doc004a.setup()
    fixed = doc004a.cost(doc004a.train(parameters, X, Y, iterations)[0], X, Y)
    ascent = _doc004a_train(doc004a.sigmoid_derivative, iterations, sign=-1.0)
    run = _run_words(iterations, doc004a.NUM_ITERATIONS)
    training = (
        f"`weights += d_weights` is a descent step (lr 1): final loss {_g(written)} as written, "
        f"{_g(fixed)} fixed, {run}; `d_weights` taken for the gradient (`weights -= d_weights`) "
        f"climbs to {_g(ascent)}"
    )
    return Erratum(
        "doc004a", "`d_weights` is the NEGATIVE gradient of the sum of squares, and the update adds it",
        f"`d_weights` taken for dL/dW: {verdict(report)}", training, report=report,
        cost_as_written=written, cost_fixed=fixed, iterations=iterations,
    )  # fmt: skip


def sigmoid_derivative_by_its_name(x):
    """sigmoid_derivative as its name says (the article never shows it): s(x) * (1 - s(x))."""
    s = doc004a.sigmoid(x)
    return s * (1 - s)


def doc004a_sigmoid_derivative(iterations: int = doc004a.NUM_ITERATIONS) -> Erratum:
    """``sigmoid_derivative`` is not shown and takes the already-activated output."""
    report = _doc004a_check(_doc004a_grads(sigmoid_derivative_by_its_name, sign=-1.0))
    written_losses = _doc004a_losses(sigmoid_derivative_by_its_name, iterations)
    fixed_losses = _doc004a_losses(doc004a.sigmoid_derivative, iterations)
    written, fixed = written_losses[-1], fixed_losses[-1]
    training = _costs(written, fixed, _run_words(iterations, doc004a.NUM_ITERATIONS), "loss")
    below = _first_below(written_losses, 0.5), _first_below(fixed_losses, 0.5)
    if below[0] is not None and below[1] is not None and below[0] > below[1]:
        # steps of lr 1 on the wrong slope overshoot: the run is chaotic, its end rounding's
        jump = max(written_losses[below[0]:])
        training += (
            f"; as written the loss first falls below 0.5 at iteration {below[0]} (fixed: "
            f"{below[1]}), then jumps about (up to {_g(jump)}), so the final loss as written "
            "depends on rounding: the same sums in another order end elsewhere"
        )
    return Erratum(
        "doc004a", "`sigmoid_derivative` is not shown and is applied to the activated output: read by its name, "
        "`s(x) * (1 - s(x))` of an output applies the sigmoid twice",
        f"with `-d_weights` for dL/dW: {verdict(report)}", training, report=report,
        cost_as_written=written, cost_fixed=fixed, iterations=iterations,
    )  # fmt: skip


# ================================================================ doc004b


def cost_function_as_printed(A, Y):
    """Document 004b's cost_function: ``log``, not ``np.log``, in the second term."""
    m = Y.shape[1]
    cost = (-1 / m) * (np.dot(np.log(A), Y.T) + np.dot(log(1 - A), 1 - Y.T))  # noqa: F821 (as printed)
    return cost


def sigmoid_as_printed(Z):
    """Document 004b's sigmoid: returns (A, cache)."""
    A = 1 / (1 + np.exp(np.dot(-1, Z)))
    cache = Z
    return A, cache


def one_layer_backward_as_printed(dA, cache):
    """Document 004b's one_layer_backward: ``dA*sigmoid(Z)*(1-sigmoid(Z))`` on a sigmoid that
    returns the tuple (A, cache)."""
    linear_cache, activation_cache = cache
    Z = activation_cache
    dZ = dA * sigmoid_as_printed(Z) * (1 - sigmoid_as_printed(Z))
    A_prev, W, b = linear_cache
    m = A_prev.shape[1]
    dW = (1 / m) * np.dot(dZ, A_prev.T)
    db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def backprop_as_printed(AL, Y, caches, one_layer_backward=doc004b.one_layer_backward):
    """Document 004b's backprop: the last layer's grads stored under ``L-1``."""
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    current_cache = caches[L - 1]
    grads["dA" + str(L - 1)], grads["dW" + str(L - 1)], grads["db" + str(L - 1)] = one_layer_backward(dAL, current_cache)
    for l in reversed(range(L - 1)):
        current_cache = caches[l]
        dA_prev_temp, dW_temp, db_temp = one_layer_backward(grads["dA" + str(l + 1)], current_cache)
        grads["dA" + str(l)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp
    return grads


def update_parameters_as_printed(parameters, grads, learning_rate):
    """Document 004b's update_parameters: reads ``grads['W..']``, ``grads['b..']``."""
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["W" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["b" + str(l + 1)]
    return parameters


def _doc004b_iteration(backprop, update_parameters):
    """One iteration of the document's train loop (the cost fixed) with the given pieces."""
    parameters, X, Y = doc004b.setup()
    params = _copy(parameters)
    Y_hat, caches = doc004b.forward_prop(X, params)
    doc004b.cost_function(Y_hat, Y)
    grads = backprop(Y_hat, Y, caches)
    update_parameters(params, grads, doc004b.LEARNING_RATE)


@functools.lru_cache(maxsize=None)
def _doc004b_fixed_run(iterations: int) -> float:
    parameters, X, Y = doc004b.setup()
    final, _ = doc004b.train(parameters, X, Y, iterations)
    return doc004b.cost(final, X, Y)


def _doc004b_check(grads) -> BackpropReport:
    parameters, X, Y = doc004b.setup()
    activations = ["sigmoid"] * (len(doc004b.layer_dims) - 1)
    return check_backprop(grads, parameters, X, Y, activations=activations, loss="bce")


def doc004b_log(iterations: int = doc004b.NUM_ITERATIONS) -> Erratum:
    """cost_function calls ``log``, not ``np.log``."""
    parameters, X, Y = doc004b.setup()
    AL, _ = doc004b.forward_prop(X, parameters)
    error = _raised(lambda: cost_function_as_printed(AL, Y))
    fixed = _doc004b_fixed_run(iterations)
    return Erratum(
        "doc004b", "`cost_function` calls `log(1-A)`, not `np.log`",
        "gradients right (the cost is not in them)",
        f"raises {error} at cost_function, in the first iteration; fixed: cost {_g(fixed)}, "
        f"{_run_words(iterations, doc004b.NUM_ITERATIONS)}",
        cost_fixed=fixed, error=error, where="cost_function", iterations=iterations,
    )  # fmt: skip


def doc004b_sigmoid_tuple() -> Erratum:
    """one_layer_backward multiplies by sigmoid(Z), which returns a tuple (found here)."""
    parameters, X, Y = doc004b.setup()
    AL, caches = doc004b.forward_prop(X, parameters)
    error = _raised(lambda: backprop_as_printed(AL, Y, caches, one_layer_backward_as_printed))
    return Erratum(
        "doc004b", "`one_layer_backward` computes `dA*sigmoid(Z)*(1-sigmoid(Z))`, but `sigmoid` returns the tuple `(A, cache)`",
        "cannot be formed as printed (the backward pass raises)",
        f"raises {error} at one_layer_backward (`1-sigmoid(Z)`), in the first iteration",
        error=error, where="one_layer_backward",
    )  # fmt: skip


def doc004b_last_layer_under_L_minus_1() -> Erratum:
    """backprop stores the last layer's grads under ``L-1``."""

    def grads(parameters, X, Y):
        AL, caches = doc004b.forward_prop(X, parameters)
        return _only_parameters(backprop_as_printed(AL, Y, caches))

    report = _doc004b_check(grads)
    as_printed = _raised(lambda: _doc004b_iteration(backprop_as_printed, update_parameters_as_printed))
    dW_read = _raised(lambda: _doc004b_iteration(backprop_as_printed, doc004b.update_parameters))
    L = len(doc004b.layer_dims) - 1
    return Erratum(
        "doc004b", f"`backprop` stores the last layer's grads under `L-1`, which the loop then overwrites (L = {L})",
        verdict(report),
        f"raises {as_printed} at update_parameters (it reads `grads['W..']` too); with `grads['dW..']` "
        f"read: {dW_read}",
        report=report, error=as_printed, where="update_parameters",
    )  # fmt: skip


def doc004b_update_reads_W(iterations: int = doc004b.NUM_ITERATIONS) -> Erratum:
    """update_parameters reads ``grads['W..']`` for ``grads['dW..']``."""
    report = _doc004b_check(doc004b.gradients)
    error = _raised(lambda: _doc004b_iteration(doc004b.backprop, update_parameters_as_printed))
    fixed = _doc004b_fixed_run(iterations)
    return Erratum(
        "doc004b", "`update_parameters` reads `grads['W'+str(l+1)]` and `grads['b'+str(l+1)]`, not `grads['dW..']`",
        verdict(report) + ", with backprop's `L-1` fixed",
        f"raises {error} at update_parameters, in the first iteration; fixed: cost {_g(fixed)}, "
        f"{_run_words(iterations, doc004b.NUM_ITERATIONS)}",
        report=report, cost_fixed=fixed, error=error, where="update_parameters", iterations=iterations,
    )  # fmt: skip


# ================================================================ text only


def _text_only() -> list[Erratum]:
    nothing = "nothing to run: "
    return [
        Erratum("doc000", "the shape example: `a[0] = (250, 3)` (it is `(3, 250)`), `w[2] = (2, 3)` (it is `(2, 4)`), "
                "\"layers dims=[3,4,3,2,1]\" (the example is `[3, 4, 2, 1]`)", "-",
                nothing + "shapes in the text; the code's shapes are right (the checker checks them)"),
        Erratum("doc000", "\"grads ... contains dW, db for each layer, except the first layer\"", "-",
                nothing + "the code's grads hold every layer's, the first included"),
        Erratum("doc002", "4 inputs in the architecture, 3 features in the text; no data given", "-",
                nothing + "no data to run on (the re-implementation generates a seeded weather set)"),
    ]  # fmt: skip


#: Every row, in the table's order: (document, the function that runs it).
ERRATA: list[tuple[str, Callable[[], Erratum]]] = [
    ("doc000", doc000_g_prime_times_z),
    ("doc000", doc000_compute_cost),
    ("doc000", doc000_multiclass),
    ("doc000", doc000_db_equals_dz),
    ("doc000", doc000_forward_w1),
    ("doc000", doc000_return_in_loop),
    ("doc001", doc001_per_sample),
    ("doc001", doc001_steve),
    ("doc001", doc001_indentation),
    ("doc002", doc002_A0),
    ("doc002", doc002_update_range),
    ("doc003", doc003_activation_functions),
    ("doc003", doc003_dashes),
    ("doc004a", doc004a_negative_gradient),
    ("doc004a", doc004a_sigmoid_derivative),
    ("doc004b", doc004b_log),
    ("doc004b", doc004b_sigmoid_tuple),
    ("doc004b", doc004b_last_layer_under_L_minus_1),
    ("doc004b", doc004b_update_reads_W),
]


def errata_table(documents: list[str] | None = None, *, text_only: bool = True) -> ErrataTable:
    """Run every erratum (of ``documents``, default all) as printed and fixed; the table.

    Args:
        documents: ids such as ``["doc000", "doc004b"]``; None for all six.
        text_only: also list the errata that have nothing to run.

    Raises:
        ValueError: an unknown document id (the message lists the valid ones).
    """
    known = sorted({document for document, _ in ERRATA})
    if documents is not None:
        if isinstance(documents, str):
            documents = [documents]
        unknown = [d for d in documents if d not in known]
        if unknown:
            raise ValueError(f"errata: unknown document {unknown[0]!r}; choose from {', '.join(known)}")
    chosen = set(known if documents is None else documents)
    rows = [function() for document, function in ERRATA if document in chosen]
    if text_only:
        rows += [row for row in _text_only() if row.document in chosen]
        order = {d: i for i, d in enumerate(known)}
        rows.sort(key=lambda row: order[row.document])  # stable: each document's run rows first
    return ErrataTable(rows)
