"""The Value engine against the documents' hand-coded networks (``micrograd-nn compare``).

For each network of :mod:`micrograd_nn.documents`, both sides start from the
same weights, ``parameters, X, Y = setup(seed)`` and
``MLP.from_parameters(parameters)``, and are checked twice:

1. Gradients. The engine builds the document's loss over all m samples (the
   :mod:`micrograd_nn.losses` function the module names in ``LOSS``; for a
   per-sample network such as document 001, one sample at a time, each
   sample checked), calls ``backward()``, and every parameter's ``grad`` is
   compared with the hand-coded ``gradients(parameters, X, Y)``. A parameter
   passes if ``|a - b| <= 1e-12 * max(|a|, |b|)`` or ``|a - b| <= 1e-15``.
2. Training. The engine trains with the document's update rule (plain
   gradient descent, ``p -= lr * p.grad``, over the full batch, or per sample
   for document 001), and the final weights are compared with the hand-coded
   ``train()`` run for the same number of iterations (the document's whole
   run by default): the largest absolute difference must be at most 1e-9.
   Full-batch training runs as batched Values, one graph per iteration for
   all samples at once, so document 000's 10,000 iterations over 1000
   samples take seconds.

Example:
    >>> rows = compare(["doc004a"], iterations=10)
    >>> rows[0].name, rows[0].iterations, rows[0].passed
    ('doc004a', 10, True)
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass
from typing import Callable, Sequence

from .. import _checks
from .networks import NETWORKS, Network, get
from ..nn import MLP
from ..optim import SGD

__all__ = [
    "GRAD_ABS_TOL",
    "GRAD_REL_TOL",
    "WEIGHT_TOL",
    "Row",
    "check_names",
    "compare",
    "format_table",
]

GRAD_REL_TOL = 1e-12
GRAD_ABS_TOL = 1e-15
WEIGHT_TOL = 1e-9


@dataclass
class Row:
    """One network's result.

    Attributes:
        name, document: the registry name and a few words naming the document
            (its ``DOCUMENT.short``).
        seed: the seed ``setup`` was called with.
        n_parameters: how many scalar parameters were compared.
        iterations: training iterations (epochs for a per-sample network) run
            on both sides; document_iterations: the document's whole run.
        max_grad_diff: the largest ``|engine - reference|`` over every parameter's gradient.
        max_rel_grad_diff: the largest ``|a - b| / max(|a|, |b|)`` (0 where both are 0).
        max_weight_diff: the largest ``|engine - reference|`` over the weights after training.
        max_weight_change: how far training moved the weights (the reference's
            largest ``|final - initial|``), the scale the weight difference is read against.
        grads_passed, weights_passed, passed: the verdicts (passed = both).
        seconds: wall time for this network, both sides.
    """

    name: str
    document: str
    seed: int
    n_parameters: int
    iterations: int
    document_iterations: int
    max_grad_diff: float
    max_rel_grad_diff: float
    max_weight_diff: float
    max_weight_change: float
    grads_passed: bool
    weights_passed: bool
    passed: bool
    seconds: float

    @property
    def verdict(self) -> str:
        if self.passed:
            return "pass"
        failed = [
            what
            for what, ok in (("gradients", self.grads_passed), ("weights", self.weights_passed))
            if not ok
        ]
        return "FAIL: " + ", ".join(failed)


def check_names(names: Sequence[str] | None) -> list[str]:
    """The networks to compare (all when None), each checked to exist, in order, each once."""
    if names is None:
        return list(NETWORKS)
    if isinstance(names, str):
        names = [names]
    names = _checks.as_list(names, "compare: names must be a list of network names such as ['doc001']")
    for name in names:
        get(name)  # an unknown name raises ValueError listing the valid ones
    return list(dict.fromkeys(names))  # in the order given, each once


def _grads_layout(model: MLP) -> dict:
    """Every parameter's grad, in the documents' layout: {'dW1': (n1, n0), 'db1': (n1, 1), ...}."""
    import numpy as np

    grads = {}
    for i, layer in enumerate(model.layers, start=1):
        grads[f"dW{i}"] = np.array([[w.grad for w in n.w] for n in layer.neurons])
        if layer.neurons[0].b is not None:
            grads[f"db{i}"] = np.array([[n.b.grad] for n in layer.neurons])
    return grads


def _differences(engine: dict, reference: dict, what: str) -> list[tuple[float, float]]:
    """(|a - b|, max(|a|, |b|)) for every element, matching keys and shapes."""
    import numpy as np

    if set(engine) != set(reference):
        raise ValueError(
            f"the reference's {what} have the keys {sorted(reference)}, the engine's {sorted(engine)}"
        )
    pairs = []
    for key, a in engine.items():
        b = np.asarray(reference[key], dtype=np.float64)
        if b.size != a.size:
            raise ValueError(
                f"the reference's {what} {key!r} has shape {b.shape}, the engine's {a.shape}"
            )
        for x, y in zip(a.ravel().tolist(), b.ravel().tolist()):
            diff = abs(x - y)
            pairs.append((diff if not math.isnan(diff) else math.inf, max(abs(x), abs(y))))
    return pairs


def _check_gradients(network: Network, parameters: dict, X, Y) -> tuple[float, float, bool]:
    xs, ys = X.T.tolist(), Y[0].tolist()
    batches = [[i] for i in range(len(xs))] if network.per_sample else [list(range(len(xs)))]
    max_diff = max_rel = 0.0
    passed = True
    for batch in batches:
        model = network.model_from(parameters)
        predictions = [model(xs[i]) for i in batch]
        loss = network.loss(predictions if len(batch) > 1 else predictions[0], [ys[i] for i in batch])
        loss.backward()
        expected = network.reference.gradients(parameters, X[:, batch], Y[:, batch])
        for diff, scale in _differences(_grads_layout(model), expected, "gradients"):
            max_diff = max(max_diff, diff)
            max_rel = max(max_rel, diff / scale if scale > 0 else (0.0 if diff == 0 else math.inf))
            passed = passed and (diff <= GRAD_REL_TOL * scale or diff <= GRAD_ABS_TOL)
    return max_diff, max_rel, passed


def _train_engine(network: Network, parameters: dict, X, Y, iterations: int) -> dict:
    """Train the Value engine the document's way. Full-batch networks run as one
    batched graph per iteration (``model(list(X))``: one input column per
    feature), which is what makes the documents' whole runs take seconds."""
    model = network.model_from(parameters)
    optimizer = SGD(model.parameters(), lr=network.reference.LEARNING_RATE)
    for _ in range(iterations):
        if network.per_sample:
            for x, y in zip(X.T.tolist(), Y[0].tolist()):
                loss = network.loss(model(x), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        else:
            loss = network.loss(model(list(X)), Y[0])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model.to_parameters()


def _compare_one(name: str, seed: int | None, iterations: int | None) -> Row:
    network = NETWORKS[name]
    start = time.perf_counter()
    reference = network.reference
    if seed is None:
        seed = network.default_seed
    parameters, X, Y = network.setup(seed)
    n_parameters = sum(value.size for value in parameters.values())
    max_grad_diff, max_rel_grad_diff, grads_passed = _check_gradients(network, parameters, X, Y)

    if iterations is None:
        iterations = reference.NUM_ITERATIONS
    engine = _train_engine(network, parameters, X, Y, iterations)
    expected, _ = reference.train(
        parameters, X, Y, num_iterations=iterations, learning_rate=reference.LEARNING_RATE
    )
    max_weight_diff = max(
        (diff for diff, _ in _differences(engine, expected, "trained parameters")), default=0.0
    )
    weights_passed = max_weight_diff <= WEIGHT_TOL
    max_weight_change = max(
        (diff for diff, _ in _differences(expected, parameters, "trained parameters")), default=0.0
    )
    return Row(
        name=name,
        document=reference.DOCUMENT.short,
        seed=seed,
        n_parameters=n_parameters,
        iterations=iterations,
        document_iterations=reference.NUM_ITERATIONS,
        max_grad_diff=max_grad_diff,
        max_rel_grad_diff=max_rel_grad_diff,
        max_weight_diff=max_weight_diff,
        max_weight_change=max_weight_change,
        grads_passed=grads_passed,
        weights_passed=weights_passed,
        passed=grads_passed and weights_passed,
        seconds=time.perf_counter() - start,
    )


def compare(
    names: Sequence[str] | None = None,
    seed: int | None = None,
    iterations: int | None = None,
    on_row: Callable[[Row], None] | None = None,
) -> list[Row]:
    """Compare the Value engine with the hand-coded networks.

    Args:
        names: registry names (see :data:`NETWORKS`); None for all.
        seed: passed to every ``setup``; None for each document's own default.
        iterations: training iterations for every network; None for the
            document's whole run.
        on_row: called with each row as soon as it is done (for progress).

    Raises:
        ValueError: an unknown name (the message lists the valid ones), a
            negative seed, iterations < 1.
        TypeError: an argument of the wrong type.
    """
    names = check_names(names)  # every argument is checked before any work
    seed = _checks.seed(seed, "compare: seed")
    if iterations is not None:
        iterations = _checks.positive_int(iterations, "compare: iterations")
    if on_row is not None and not callable(on_row):
        raise TypeError(f"compare: on_row must be a function of one Row, got {type(on_row).__name__}")
    rows = []
    for name in names:
        row = _compare_one(name, seed, iterations)
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return rows


# ------------------------------------------------------------------ output

_COLUMNS = (
    ("network", "<", 7),
    ("document", "<", 24),
    ("params", ">", 6),
    ("iterations", ">", 12),
    ("max |grad diff|", ">", 15),
    ("max rel", ">", 8),
    ("max |weight diff|", ">", 17),
    ("moved", ">", 7),
    ("time", ">", 6),
    ("verdict", "<", 7),
)


def _cells(row: Row) -> list[str]:
    iterations = str(row.iterations)
    if row.iterations != row.document_iterations:
        iterations += f"/{row.document_iterations}"
    return [
        row.name,
        row.document,
        str(row.n_parameters),
        iterations,
        f"{row.max_grad_diff:.1e}",
        f"{row.max_rel_grad_diff:.1e}",
        f"{row.max_weight_diff:.1e}",
        f"{row.max_weight_change:.1e}",
        f"{row.seconds:.1f}s",
        row.verdict,
    ]


def _line(cells: list[str]) -> str:
    return "  ".join(
        f"{cell:{align}{width}}" for cell, (_, align, width) in zip(cells, _COLUMNS)
    ).rstrip()


def table_header() -> str:
    return _line([title for title, _, _ in _COLUMNS])


def table_row(row: Row) -> str:
    return _line(_cells(row))


def table_footer(rows: Sequence[Row]) -> str:
    failed = [row.name for row in rows if not row.passed]
    lines = [
        f"gradients: pass if |a - b| <= {GRAD_REL_TOL:g} * max(|a|, |b|) or <= {GRAD_ABS_TOL:g}; "
        f"weights after training: pass if max |a - b| <= {WEIGHT_TOL:g}",
        "iterations: a/b means a of the document's b; "
        "moved: how far training moved the weights",
    ]
    if failed:
        lines.append(f"{len(failed)} of {len(rows)} networks DISAGREE: {', '.join(failed)}")
    else:
        lines.append("the network agrees" if len(rows) == 1 else f"all {len(rows)} networks agree")
    return "\n".join(lines)


def format_table(rows: Sequence[Row]) -> str:
    """The rows as the table ``micrograd-nn compare`` prints."""
    return "\n".join([table_header(), *(table_row(row) for row in rows), table_footer(rows)])


def _json_safe(value):
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # "inf" or "nan": JSON has no such numbers
    return value


def to_json(rows: Sequence[Row]) -> str:
    """The rows as a JSON list of objects (the fields of :class:`Row`, plus ``verdict``)."""
    return json.dumps(
        [
            {**{k: _json_safe(v) for k, v in asdict(row).items()}, "verdict": row.verdict}
            for row in rows
        ],
        indent=2,
    )
