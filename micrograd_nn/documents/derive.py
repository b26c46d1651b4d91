"""The derivation table: document 001's chain rule, factor by factor, beside autograd.

For the 2-2-1 network on one sample, one row per parameter (w1, w2, b1, w3, w4,
b2, w5, w6, b3: neuron by neuron, the order of the document's updates):
the document's factors by their names (w1: ``d_L_d_ypred * d_ypred_d_h1 *
d_h1_d_w1``), each factor's value, their product, the Value engine's grad
after ``backward()`` and the difference. The document's side comes from
:mod:`micrograd_nn.documents.doc001` (its ``partials``); the autograd side
from ``label_2_2_1(MLP(2, [2, 1], activation="sigmoid"))`` with the same
weights and the loss ``mse(model(x), y_true)`` = (y_true - o1)**2.

The table is written in each of :data:`~micrograd_nn.explain.FORMATS`, to paste:
``table.render(format)``, or ``str(table)`` (text), ``table.to_markdown()`` (a
GitHub pipe table, the chain rule in ``$...$`` math), ``table.to_latex()`` (a
standalone amsmath document, one ``align*`` line per parameter in the document's
notation: ``\\frac{\\partial L}{\\partial w_1} = \\frac{\\partial L}{\\partial y_{pred}}
\\cdot \\frac{\\partial y_{pred}}{\\partial h_1} \\cdot \\frac{\\partial h_1}{\\partial w_1}``)
and ``table.to_json()``.

``micrograd-nn derive [--format text|markdown|latex|json]`` prints the table for one
of document 001's people.
"""
from __future__ import annotations

import json
import math
import numbers
from dataclasses import dataclass, field
from typing import Sequence, Union

from .. import _checks
from ..datasets import EMILY, FRANK, PEOPLE
from ..explain import (
    FORMATS, latex_document, latex_number, latex_text, markdown_row, render_as,
)
from ..losses import mse
from ..nn import MLP, label_2_2_1
from . import doc001

__all__ = [
    "FACTORS", "FORMATS", "Row", "SAMPLES", "Table", "chain_rule_latex", "derivation_table",
    "factor_latex", "sample_input", "sgd_step_text",
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


def _symbol(name: str) -> str:
    """A quantity of the document in its math: L, y_{pred}, h_1, w_1, b_3."""
    if name == "ypred":
        return "y_{pred}"
    if name == "ytrue":
        return "y_{true}"
    letters, digits = name.rstrip("0123456789"), name[len(name.rstrip("0123456789")):]
    return f"{letters}_{digits}" if digits else letters


def _forward_symbol(name: str) -> str:
    """sum_h1 as the code names it (upright), h1 as h_1."""
    return rf"\text{{{latex_text(name)}}}" if "_" in name else _symbol(name)


def factor_latex(factor: str) -> str:
    r"""A factor's code name as the document's partial derivative.

    >>> print(factor_latex("d_ypred_d_h1"))
    \frac{\partial y_{pred}}{\partial h_1}
    """
    top, _, bottom = factor[len("d_"):].partition("_d_")
    if not factor.startswith("d_") or not top or not bottom:
        raise ValueError(f"factor_latex: {factor!r} is not a name like d_L_d_ypred")
    return rf"\frac{{\partial {_symbol(top)}}}{{\partial {_symbol(bottom)}}}"


def chain_rule_latex(parameter: str) -> str:
    r"""The document's chain rule for ``parameter`` (w1..w6, b1..b3) in LaTeX.

    >>> print(chain_rule_latex("b3"))  # doctest: +NORMALIZE_WHITESPACE
    \frac{\partial L}{\partial b_3} = \frac{\partial L}{\partial y_{pred}}
        \cdot \frac{\partial y_{pred}}{\partial b_3}
    """
    if parameter not in FACTORS:
        raise ValueError(
            f"chain_rule_latex: unknown parameter {parameter!r}; "
            f"choose one of: {', '.join(FACTORS)}"
        )
    factors = r" \cdot ".join(factor_latex(f) for f in FACTORS[parameter])
    return f"{factor_latex(f'd_L_d_{parameter}')} = {factors}"


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
    """The derivation table for one sample; ``str()`` prints it aligned.

    :meth:`render` writes it in any of :data:`FORMATS` (text, markdown, latex, json);
    :meth:`to_markdown`, :meth:`to_latex` and :meth:`to_json` are the same by name.
    """

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
                    "chain_rule": chain_rule_latex(row.parameter),
                    "factors": dict(zip(row.factors, row.values)),
                    "product": row.product,
                    "autograd": row.autograd,
                    "difference": row.difference,
                }
                for row in self.rows
            ],
        }

    def render(self, format: str = "text") -> str:
        """The table as ``format``, one of :data:`FORMATS`: text (``str()``), markdown
        (a pipe table), latex (a standalone document) or json."""
        return render_as(self, format, "derivation table")

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON."""
        return json.dumps(self.to_dict(), indent=2)

    def to_markdown(self) -> str:
        """A GitHub pipe table, one line per parameter: the chain rule in the document's
        notation (``$...$`` math), the factor values, their product, autograd's grad and
        the difference. Every line starts with ``|``; the sample and weights are in the
        text, LaTeX and JSON forms."""
        header = (
            "param", "chain rule", "factor values", "product", "autograd grad", "difference"
        )
        lines = [markdown_row(header), "|---|---|---|---:|---:|---:|"]
        for row in self.rows:
            lines.append(markdown_row((
                row.parameter,
                f"${chain_rule_latex(row.parameter)}$",
                " × ".join(f"{v + 0.0:.6g}" for v in row.values),
                f"{row.product + 0.0:.12g}",
                f"{row.autograd + 0.0:.12g}",
                f"{row.difference:.1e}" if row.difference else "0",
            )))  # fmt: skip
        return "\n".join(lines)

    def latex_lines(self) -> list[str]:
        """The ``align*`` environment: for each parameter its chain rule, then the factor
        values = the product, and autograd's grad."""
        lines = [r"\begin{align*}"]
        for i, row in enumerate(self.rows):
            values = r" \cdot ".join(latex_number(v, 6, parenthesize=True) for v in row.values)
            product = latex_number(row.product, 12)
            end = r" \\[4pt]" if i < len(self.rows) - 1 else ""
            left, _, right = chain_rule_latex(row.parameter).partition(" = ")
            lines += [
                rf"{left} &= {right} \\",
                rf"&= {values} = {product} \\",
                rf"&\phantom{{=}}\ \text{{autograd: }} {latex_number(row.autograd, 12)}{end}",
            ]
        lines.append(r"\end{align*}")
        return lines

    def to_latex(self, standalone: bool = True) -> str:
        """The chain rule of every parameter in amsmath's ``align*``, with the sample, its
        forward values and the weights: a complete document (article, amsmath) to compile,
        or with ``standalone=False`` the environment alone, to paste into your own."""
        if not standalone:
            return "\n".join(self.latex_lines())
        who = f" ({self.sample})" if self.sample else ""
        x = ", ".join(latex_number(v) for v in self.x)
        weights = ", ".join(
            f"${_symbol(name)} = {latex_number(v)}$" for name, v in self.weights.items()
        )
        forward = ", ".join(
            f"${_forward_symbol(name)} = {latex_number(v, 10)}$"
            for name, v in self.forward.items()
        )
        body = [
            f"One sample: $x = ({x})$, $y_{{true}} = {latex_number(self.y_true)}$; "
            f"$y_{{pred}} = o_1 = {latex_number(self.y_pred, 10)}$, "
            f"$L = {{(y_{{true}} - y_{{pred}})}}^2 = {latex_number(self.loss, 10)}$.",
            "",
            f"Weights and biases: {weights}.",
        ]
        if self.note:
            body += ["", f"({latex_text(self.note)})"]
        body += ["", f"Forward pass: {forward}.", "", *self.latex_lines(), ""]
        body.append(
            "Each line multiplies the document's factors; autograd is the Value engine's grad "
            r"after \texttt{loss.backward()}."
        )
        return latex_document(f"Document 001's chain rule on one sample{who}", body)

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
    x = _checks.as_list(
        x, "derivation_table: x must be a list of 2 numbers (weight - 135, height - 66)"
    )
    if len(x) != 2:
        raise ValueError(
            f"derivation_table: x must hold 2 numbers (weight - 135, height - 66), got {len(x)}"
        )
    for name, value in (("x[0]", x[0]), ("x[1]", x[1]), ("y_true", y_true), *weights.items()):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"derivation_table: {name} must be a number, got {type(value).__name__} {value!r}"
            )
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
