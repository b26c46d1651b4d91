"""Neurons, layers and multi-layer perceptrons built from :class:`Value`.

A neuron computes ``act(w1*x1 + ... + wn*xn + b)``; its weighted sum is one
``wsum`` node (document 001's ``sum_h1``) and its activation one more node, so
a drawing of a network reads like the document's derivation.

Parameters are labelled by their place, in the layered documents' notation:
``W1[j,k]`` is row j, column k of the first layer's weight matrix (shape
``(n1, n0)``, so ``parameters['W1'][j, k]`` in a document's dict) and
``b1[j]`` its bias. :func:`label_2_2_1` relabels a 2-2-1 network the way
document 001 names it: ``w1..w6``, ``b1..b3``, ``h1``, ``h2``, ``o1``.
"""
from __future__ import annotations

import numbers
from typing import Iterator, Sequence, Union

from . import _checks
from .engine import Value

__all__ = [
    "ACTIVATIONS",
    "BIAS_INITS",
    "INITS",
    "Layer",
    "MLP",
    "Module",
    "Neuron",
    "label_2_2_1",
]

ACTIVATIONS = ("sigmoid", "relu", "tanh", "linear")

#: Weight initialization schemes, and the document that uses each.
INITS = {
    "uniform": "uniform(-1, 1), as micrograd",
    "normal": "standard normal N(0, 1), documents 000, 001 and 003",
    "normal_0.01": "0.01 * N(0, 1), document 004 (second article)",
    "uniform01": "uniform [0, 1), document 004 (first article)",
    "he": "N(0, 2 / fan_in), He et al.",
    "xavier": "N(0, 1 / fan_in), Xavier (as in the documents' Coursera source)",
}

BIAS_INITS = {
    "zeros": "all biases 0 (documents 000, 002, 003, 004; micrograd)",
    "normal": "standard normal N(0, 1) (document 001)",
}

Input = Union[Value, float, int]
Seed = Union[int, None, "numpy.random.Generator"]  # noqa: F821 (numpy is imported lazily)


def _rng(seed: Seed):
    """A numpy Generator from an int, None (fresh entropy) or a Generator (used as is)."""
    import numpy as np  # lazily: `import micrograd_nn` stays fast

    if seed is not None and not isinstance(seed, (numbers.Integral, np.random.Generator)):
        raise TypeError(
            f"seed must be an int, None or a numpy.random.Generator, got {type(seed).__name__}"
        )
    return np.random.default_rng(seed)


def _draw_weights(rng, init: str, nin: int) -> list[float]:
    _checks.choice(init, INITS, "init")
    if init == "uniform":
        draws = rng.uniform(-1.0, 1.0, nin)
    elif init == "uniform01":
        draws = rng.random(nin)
    elif init == "normal":
        draws = rng.standard_normal(nin)
    elif init == "normal_0.01":
        draws = rng.standard_normal(nin) * 0.01
    elif init == "he":
        draws = rng.standard_normal(nin) * (2.0 / nin) ** 0.5
    else:  # xavier
        draws = rng.standard_normal(nin) * (1.0 / nin) ** 0.5
    return [float(d) for d in draws]


def _as_inputs(x: object, nin: int, owner: str) -> list[Value]:
    """Check x holds exactly nin numbers or Values; numbers become leaves x[0], x[1], ..."""
    if isinstance(x, (Value, numbers.Real)):
        x = [x]  # a single input, as a 1-input layer receives it from a 1-neuron layer
    x = _checks.as_list(x, f"{owner} takes a list of {nin} numbers or Values")
    if len(x) != nin:
        raise ValueError(
            f"{owner} expects {nin} input{'s' if nin != 1 else ''}, got {len(x)}; "
            f"pass a list of exactly {nin} numbers or Values"
        )
    inputs = []
    for k, xk in enumerate(x):
        if isinstance(xk, Value):
            inputs.append(xk)
        elif isinstance(xk, numbers.Real):
            inputs.append(Value(xk, label=f"x[{k}]"))
        else:
            raise TypeError(
                f"{owner} input {k} must be a number or a Value, got {type(xk).__name__} {xk!r}"
            )
    return inputs


class Module:
    """Base class: anything with parameters."""

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """Yield (label, parameter) pairs in a fixed order."""
        raise NotImplementedError

    def parameters(self) -> list[Value]:
        """The parameters, in the order of ``named_parameters()``."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0.0."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """One neuron: ``act(w . x + b)``.

    Args:
        nin: number of inputs.
        activation: "sigmoid", "relu", "tanh" or "linear".
        bias: whether the neuron has a bias (document 004's first network has none).
        seed: an int, None or a ``numpy.random.Generator`` to draw the weights from.
        init: weight scheme, a key of :data:`INITS`.
        bias_init: "zeros" or "normal".

    Attributes:
        w: the weights (list of Value), b: the bias (a Value, or None).
        name: labels the forward nodes: the weighted sum is ``sum_<name>``,
            the output ``<name>`` (document 001: ``sum_h1``, ``h1``).
    """

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        bias: bool = True,
        seed: Seed = None,
        init: str = "uniform",
        bias_init: str = "zeros",
    ) -> None:
        nin = _checks.positive_int(nin, "nin")
        self.activation = _checks.choice(activation, ACTIVATIONS, "activation")
        _checks.choice(bias_init, BIAS_INITS, "bias_init")
        rng = _rng(seed)
        self.w = [Value(d, label=f"w{k + 1}") for k, d in enumerate(_draw_weights(rng, init, nin))]
        self.b: Value | None = None
        if _checks.boolean(bias, "bias"):
            b0 = float(rng.standard_normal()) if bias_init == "normal" else 0.0
            self.b = Value(b0, label="b")
        self.name = "a"

    @property
    def nin(self) -> int:
        return len(self.w)

    def __call__(self, x: Sequence[Input] | Input) -> Value:
        return self._forward(_as_inputs(x, self.nin, repr(self)))

    def _forward(self, inputs: list[Value]) -> Value:
        z = Value.weighted_sum(self.w, inputs, self.b)
        if self.activation == "linear":
            z.label = self.name
            return z
        z.label = f"sum_{self.name}"
        out = getattr(z, self.activation)()
        out.label = self.name
        return out

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for w in self.w:
            yield w.label, w
        if self.b is not None:
            yield self.b.label, self.b

    def __repr__(self) -> str:
        kind = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "linear": "Linear"}
        return f"{kind[self.activation]}Neuron({self.nin})"


class Layer(Module):
    """``nout`` neurons reading the same inputs.

    Calling a layer returns a Value when it has one neuron, else a list.
    Parameters are labelled ``W[j,k]`` and ``b[j]`` (``W1[j,k]`` inside an MLP).
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        bias: bool = True,
        seed: Seed = None,
        init: str = "uniform",
        bias_init: str = "zeros",
    ) -> None:
        nin = _checks.positive_int(nin, "nin")
        nout = _checks.positive_int(nout, "nout")
        rng = _rng(seed)
        self.neurons = [
            Neuron(nin, activation, bias=bias, seed=rng, init=init, bias_init=bias_init)
            for _ in range(nout)
        ]
        self._set_labels("")

    def _set_labels(self, index: str) -> None:
        for j, neuron in enumerate(self.neurons):
            for k, w in enumerate(neuron.w):
                w.label = f"W{index}[{j},{k}]"
            if neuron.b is not None:
                neuron.b.label = f"b{index}[{j}]"
            neuron.name = f"A{index}[{j}]"

    @property
    def nin(self) -> int:
        return self.neurons[0].nin

    @property
    def activation(self) -> str:
        return self.neurons[0].activation

    def __call__(self, x: Sequence[Input] | Input) -> Value | list[Value]:
        outs = self._forward(_as_inputs(x, self.nin, repr(self)))
        return outs[0] if len(outs) == 1 else outs

    def _forward(self, inputs: list[Value]) -> list[Value]:
        return [n._forward(inputs) for n in self.neurons]

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for n in self.neurons:
            yield from n.named_parameters()

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {len(self.neurons)}, activation={self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron.

    Args:
        nin: number of inputs.
        nouts: the size of each layer, e.g. ``[16, 16, 1]``.
        activation: one name for every layer, a list with one per layer, or
            None for micrograd's default (ReLU hidden layers, linear output).
        bias, seed, init, bias_init: as for :class:`Neuron`; one ``seed``
            makes the whole network reproducible.

    Calling the MLP returns a Value when the last layer has one neuron, else a
    list. One-neuron hidden layers are fine: ``MLP(2, [16, 1, 1])``.

    Example:
        >>> model = MLP(2, [4, 1], activation=["tanh", "sigmoid"], seed=0)
        >>> [name for name, _ in model.named_parameters()][:3]
        ['W1[0,0]', 'W1[0,1]', 'b1[0]']
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str | Sequence[str] | None = None,
        bias: bool = True,
        seed: Seed = None,
        init: str = "uniform",
        bias_init: str = "zeros",
    ) -> None:
        nin = _checks.positive_int(nin, "nin")
        nouts = _checks.as_list(nouts, "nouts must be a list of layer sizes such as [16, 16, 1]")
        if len(nouts) == 0:
            raise ValueError("nouts is empty; give at least one layer size, such as [1]")
        sizes = [nin] + [_checks.positive_int(n, f"layer size nouts[{i}]") for i, n in enumerate(nouts)]
        if activation is None:
            activations = ["relu"] * (len(nouts) - 1) + ["linear"]
        elif isinstance(activation, str):
            activations = [activation] * len(nouts)
        else:
            activations = _checks.as_list(activation, "activation must be a name or a list of names, one per layer")
            if len(activations) != len(nouts):
                raise ValueError(
                    f"activation has {len(activations)} entries for {len(nouts)} layers; "
                    "give one name per layer, or a single name for all"
                )
        rng = _rng(seed)
        self.layers = [
            Layer(sizes[i], sizes[i + 1], act, bias=bias, seed=rng, init=init, bias_init=bias_init)
            for i, act in enumerate(activations)
        ]
        for i, layer in enumerate(self.layers):
            layer._set_labels(str(i + 1))

    @property
    def nin(self) -> int:
        return self.layers[0].nin

    def __call__(self, x: Sequence[Input] | Input) -> Value | list[Value]:
        values = _as_inputs(x, self.nin, repr(self))
        for layer in self.layers:
            values = layer._forward(values)  # lists all the way: 1-neuron layers are fine
        return values[0] if len(values) == 1 else values

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for layer in self.layers:
            yield from layer.named_parameters()

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(repr(layer) for layer in self.layers)}]"


def label_2_2_1(model: MLP) -> MLP:
    """Name a 2-2-1 network's parts the way document 001 does, and return it.

    Weights ``w1..w6``, biases ``b1..b3``, hidden neurons ``h1``, ``h2`` (their
    sums ``sum_h1``, ``sum_h2``) and the output neuron ``o1`` (``sum_o1``)::

        h1 = sigmoid(w1 * x[0] + w2 * x[1] + b1)
        h2 = sigmoid(w3 * x[0] + w4 * x[1] + b2)
        o1 = sigmoid(w5 * h1 + w6 * h2 + b3)

    Raises:
        ValueError: the model is not 2 inputs, 2 hidden neurons, 1 output, with biases.
    """
    if not (
        isinstance(model, MLP)
        and [model.nin] + [len(layer.neurons) for layer in model.layers] == [2, 2, 1]
        and all(n.b is not None for layer in model.layers for n in layer.neurons)
    ):
        raise ValueError(
            f"label_2_2_1 needs an MLP(2, [2, 1]) with biases (document 001's network), got {model!r}"
        )
    (h1, h2), (o1,) = model.layers[0].neurons, model.layers[1].neurons
    names = ((h1, "h1", "w1", "w2", "b1"), (h2, "h2", "w3", "w4", "b2"), (o1, "o1", "w5", "w6", "b3"))
    for neuron, name, first, second, bias in names:
        neuron.name = name
        neuron.w[0].label, neuron.w[1].label, neuron.b.label = first, second, bias
    return model
