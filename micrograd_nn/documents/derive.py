"""The derivation table: document 001's chain rule, factor by factor, beside autograd.

For the 2-2-1 network on one sample, one row per parameter (w1, w2, b1, w3, w4,
b2, w5, w6, b3: neuron by neuron, the order of the document's updates):
the document's factors by their names (w1: ``d_L_d_ypred * d_ypred_d_h1 *
d_h1_d_w1``), each factor's value, their product, the Value engine's grad
after ``backward()`` and the difference. The document's side comes from
:mod:`micrograd_nn.documents.doc001` (its ``partials``); the autograd side
from ``label_2_2_1(MLP(2, [2, 1], activation="sigmoid"))`` with the same
weights and the loss ``mse(model(x), y_true)`` = (y_true - o1)**2.

``micrograd-nn derive`` prints the table for one of document 001's people.
"""
from __future__ import annotations

import json
import math
import numbers
from dataclasses import dataclass, field
from typing import Sequence, Union

from .. import _checks
from ..datasets import EMILY, FRANK, PEOPLE
from ..losses import mse
from ..nn import MLP, label_2_2_1
from . import doc001

__all__ = [
    "FACTORS", "Row", "SAMPLES", "Table", "derivation_table", "sample_input", "sgd_step_text"
]

#: parameter -> the document's factors whose product is d_L_d_<parameter>, in its order.
FACTORS = {
    "w1": ("d_L_d_ypred", "d_ypred_d_h1", "d_h1_d_w1"),
    "w2": ("d_L_d_ypred", "d_ypred_d_h1", "d_h1_d_w2"),
    "b1": ("d_L_d_ypred", "d_ypred_d_h1", "d_h1_d_b1"),
    "w3": ("d_L_d_ypred", "d_ypred_d_h2", "d_h2_d_w3"),
    "w4": ("d_L_d_ypred", "d_ypred_d_h2", "d_h2_d_w4"),
    "b2": ("d_L_d_ypred", "d_ypred_d_h2", "d_h2_d_b2"),
    "w5": ("d_L_d_ypred", "d_ypred_d_w5"),
    "w6": ("d_L_d_ypred", "d_ypred_d_w6"),
    "b3": ("d_L_d_ypred", "d_ypred_d_b3"),
}

#: name -> (x, y_true or None): the four labelled people and the two the document predicts.
SAMPLES = {name: (list(x), y) for name, (x, y) in PEOPLE.items()}
SAMPLES.update({"Emily": (list(EMILY), None), "Frank": (list(FRANK), None)})
#: The document's predictions for the unlabelled two (Emily 0.951 F, Frank 0.039 M).
DOCUMENT_LABELS = {"Emily": 1.0, "Frank": 0.0}

Weights = Union[MLP, dict]


@dataclass
class Row:
    """One parameter's line of the table."""

    parameter: str
    factors: tuple[str, ...]
    values: tuple[float, ...]
    product: float
    autograd: float

    @property
    def difference(self) -> float:
        """autograd - product."""
        return self.autograd - self.product


@dataclass
class Table:
    """The derivation table for one sample; ``str()`` prints it aligned."""

    x: list[float]
    y_true: float
    y_pred: float
    loss: float
    weights: dict[str, float]
    rows: list[Row]
    sample: str = ""
    note: str = ""
    forward: dict[str, float] = field(default_factory=dict)

    @property
    def max_difference(self) -> float:
        return max(abs(row.difference) for row in self.rows)

    def to_dict(self) -> dict:
        """Plain numbers and strings, ready for ``json.dumps``."""
        return {
            "sample": self.sample,
            "x": list(self.x),
            "y_true": self.y_true,
            "y_pred": self.y_pred,
            "loss": self.loss,
            "note": self.note,
            "weights": dict(self.weights),
            "forward": dict(self.forward),
            "rows": [
                {
                    "parameter": row.parameter,
                    "factors": dict(zip(row.factors, row.values)),
                    "product": row.product,
                    "autograd": row.autograd,
                    "difference": row.difference,
                }
                for row in self.rows
            ],
        }

    def __str__(self) -> str:
        who = f" ({self.sample})" if self.sample else ""
        x = ", ".join(f"{v:g}" for v in self.x)
        lines = [
            f"Document 001's chain rule on one sample{who}: x = [{x}], y_true = {self.y_true:g}",
            f"  y_pred = o1 = {self.y_pred:.10g}   L = (y_true - y_pred)**2 = {self.loss:.10g}",
        ]
        lines.append("  " + ", ".join(f"{name} = {v:.6g}" for name, v in self.weights.items()))
        if self.note:
            lines.append(f"  ({self.note})")
        lines.append("")
        header = (
            "param", "document's factors", "factor values", "product", "autograd grad", "difference"
        )
        cells = [header] + [
            (
                row.parameter,
                " * ".join(row.factors),
                " * ".join(f"{v + 0.0:.6g}" for v in row.values),  # + 0.0: no "-0"
                f"{row.product + 0.0:.12g}",
                f"{row.autograd + 0.0:.12g}",
                f"{row.difference:.1e}" if row.difference else "0",
            )
            for row in self.rows
        ]
        widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
        right = (False, False, False, True, True, True)  # numbers right-aligned
        for line in cells:
            cells_text = [c.rjust(w) if r else c.ljust(w) for c, w, r in zip(line, widths, right)]
            lines.append("  ".join(cells_text).rstrip())
        lines.append("")
        lines.append(
            "product = the document's factors multiplied; autograd grad = the Value engine's "
            "grad after loss.backward(); difference = autograd grad - product"
        )
        return "\n".join(lines)


def _weights_of(model_or_weights: Weights) -> dict[str, float]:
    """{'w1': ..., 'b3': ...} from a 2-2-1 MLP, a dict of those names, or the layered layout."""
    if isinstance(model_or_weights, MLP):
        model = model_or_weights
        shape = [model.nin] + [len(layer.neurons) for layer in model.layers]
        sigmoid = all(layer.activation == "sigmoid" for layer in model.layers)
        biases = all(n.b is not None for layer in model.layers for n in layer.neurons)
        if shape != [2, 2, 1] or not sigmoid or not biases:
            raise ValueError(
                "derivation_table needs document 001's network, a sigmoid MLP(2, [2, 1]) "
                f"with biases; got {model!r}"
            )
        (h1, h2), (o1,) = model.layers[0].neurons, model.layers[1].neurons
        values = [h1.w[0], h1.w[1], h2.w[0], h2.w[1], o1.w[0], o1.w[1], h1.b, h2.b, o1.b]
        return {name: v.data for name, v in zip(doc001.NAMES, values)}
    if isinstance(model_or_weights, dict):
        if set(model_or_weights) == {"W1", "b1", "W2", "b2"}:
            return doc001.names_from_layout(model_or_weights)
        doc001._check_names(model_or_weights)
        weights = {}
        for name in doc001.NAMES:
            value = model_or_weights[name]
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(
                    f"derivation_table: weight {name} must be a number, got {type(value).__name__}"
                )
            weights[name] = float(value)
        return weights
    raise TypeError(
        "derivation_table takes a 2-2-1 sigmoid MLP, a dict {'w1': ..., 'b3': ...} or the layout "
        f"{{'W1', 'b1', 'W2', 'b2'}}; got {type(model_or_weights).__name__}"
    )


def derivation_table(
    model_or_weights: Weights, x: Sequence[float], y_true: float, sample: str = "", note: str = ""
) -> Table:
    """Document 001's factors and autograd's grads for one sample, side by side.

    Args:
        model_or_weights: a sigmoid ``MLP(2, [2, 1])`` (read, never changed),
            a dict with the keys w1..w6, b1..b3, or the layout {'W1', 'b1', 'W2', 'b2'}.
        x: the sample's two inputs; y_true: its label.
        sample, note: shown in the table's heading.

    Example:
        >>> table = derivation_table({n: 0.5 for n in doc001.NAMES}, [-2, -1], 1.0)
        >>> row = table.rows[0]
        >>> row.parameter, row.factors
        ('w1', ('d_L_d_ypred', 'd_ypred_d_h1', 'd_h1_d_w1'))
        >>> abs(row.autograd - row.product) < 1e-15
        True
    """
    weights = _weights_of(model_or_weights)
    x = _checks.as_list(x, "derivation_table: x must be a list of 2 numbers (weight - 135, height - 66)")
    if len(x) != 2:
        raise ValueError(
            f"derivation_table: x must hold 2 numbers (weight - 135, height - 66), got {len(x)}"
        )
    for name, value in (("x[0]", x[0]), ("x[1]", x[1]), ("y_true", y_true), *weights.items()):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"derivation_table: {name} must be a number, got {type(value).__name__} {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"derivation_table: {name} is {value!r}; it must be a finite number")
    x = [float(v) for v in x]
    y_true = float(y_true)

    # The document's side.
    partials = doc001.OurNeuralNetwork.from_names(weights).partials(x, y_true)

    # Autograd's side: a fresh labelled network with the same weights.
    model = label_2_2_1(MLP(2, [2, 1], activation="sigmoid", seed=0))
    params = dict(model.named_parameters())
    for name, value in weights.items():
        params[name].data = value
    loss = mse(model(x), y_true)
    loss.backward()

    rows = []
    for name, factors in FACTORS.items():  # neuron by neuron, the order of the document's updates
        rows.append(
            Row(
                parameter=name,
                factors=factors,
                values=tuple(partials[f] for f in factors),
                product=partials[f"d_L_d_{name}"],
                autograd=params[name].grad,
            )
        )
    forward = {k: partials[k] for k in ("sum_h1", "h1", "sum_h2", "h2", "sum_o1", "o1")}
    return Table(
        x=x, y_true=y_true, y_pred=partials["y_pred"], loss=partials["L"], weights=weights,
        rows=rows, sample=sample, note=note, forward=forward,
    )  # fmt: skip


def sample_input(name: str, target: int | None = None) -> tuple[str, list[float], float, str]:
    """(name as the document spells it, x, y_true, note) for one of document 001's people.

    The name may be in any case ("bob").

    Emily and Frank have no label in the document's data: ``target`` chooses
    one, else the document's predictions are used (Emily 1 = F, Frank 0 = M),
    and the note says so.

    Raises:
        ValueError: an unknown name (the message lists the valid ones) or a
            target other than 0 or 1.
    """
    if not isinstance(name, str):
        raise TypeError(
            f"sample must be a name, one of: {', '.join(SAMPLES)}; got {type(name).__name__}"
        )
    matches = [known for known in SAMPLES if known.lower() == name.lower()]
    if not matches:
        raise ValueError(f"unknown sample {name!r}; choose one of: {', '.join(SAMPLES)}")
    name = matches[0]
    x, label = SAMPLES[name]
    if target is not None:
        if target not in (0, 1):
            raise ValueError(f"target must be 0 (male) or 1 (female), got {target!r}")
        return name, x, float(target), f"y_true = {target:g}, as given"
    if label is None:
        label = DOCUMENT_LABELS[name]
        sex = "female" if label == 1.0 else "male"
        return name, x, label, (
            f"{name} has no label in the document's data; using y_true = {label:g} ({sex}), "
            "the document's prediction; choose with --target"
        )
    return name, x, label, ""


def sgd_step_text(
    model: MLP, sample: str = "Alice", learn_rate: float = doc001.LEARNING_RATE
) -> str:
    """The table for one SGD step on one person, then each update ``p -= lr * d_L_d_p``.

    For the walk-through. The model is read, never changed.
    """
    name, x, y_true, note = sample_input(sample)
    table = derivation_table(model, x, y_true, sample=name, note=note)
    lines = [str(table), "", f"One SGD step, learning rate {learn_rate:g}:"]
    for row in table.rows:
        name, old = row.parameter, table.weights[row.parameter]
        new = old - learn_rate * row.product
        lines.append(
            f"  {name} <- {name} - {learn_rate:g} * d_L_d_{name} = {old:+.10f} - {learn_rate:g} * "
            f"({row.product:+.10f}) = {new:+.10f}"
        )
    return "\n".join(lines)
