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

import functools
import math
import numbers
import os
import re
from pathlib import Path
from typing import Iterator, Mapping, Sequence, Union

from . import _checks, _saving
from ._words import plural
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
    """A numpy Generator from an int or a Generator (used as is); for None, from a seed
    drawn from Python's ``random`` module, so that ``random.seed(1337)`` makes
    ``MLP(...)`` repeatable as in micrograd (the module's state is read, never set)."""
    if seed is None:
        import random

        seed = random.getrandbits(64)
    return _checks.rng(seed, "seed")


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


_INFINITIES = (math.inf, -math.inf)


def _refuse_nonlin(nonlin: object, activation: object, owner: str) -> None:
    """micrograd's ``nonlin=True/False`` (or a bool where the activation goes): say the name here."""
    if nonlin is None and not isinstance(activation, bool):
        return
    flag = nonlin if nonlin is not None else activation
    switch = f"{owner}: nonlin={_checks.quote(flag)} is micrograd's switch"
    if isinstance(flag, str) and flag in ACTIVATIONS:  # an activation under micrograd's name
        raise TypeError(f"{switch}; here the activation is named: pass activation={flag!r}")
    if nonlin is not None and isinstance(activation, str) and activation != "relu":
        raise TypeError(f"{switch}, and activation={activation!r} already names the "
                        "activation; drop nonlin")
    suggestion = ("activation='relu' (or 'sigmoid', 'tanh')" if flag is True
                  else "activation='linear' (or 'sigmoid', 'tanh', 'relu')" if flag is False
                  else f"pass activation as one of {', '.join(map(repr, ACTIVATIONS))}")
    raise TypeError(f"{switch}; here the activation is named: {suggestion}")


@functools.lru_cache(maxsize=None)
def _input_labels(nin: int) -> tuple[str, ...]:
    """The labels of a network's input leaves, x[0], x[1], ... (made once per size)."""
    return tuple(f"x[{k}]" for k in range(nin))


def _as_inputs(x: object, nin: int, owner: Module) -> list[Value]:
    """Check x holds exactly nin inputs; numbers become leaves x[0], x[1], ...

    Each input is a number, a Value, or, for a batch, a 1-D numpy array with
    one entry per example (one column of the data, such as ``X[:, k]``), which
    becomes a batched leaf ``x[k]``. The batched inputs must all have the same
    length; a number among them is shared by every example. A 2-D array is
    refused: whether its rows are examples or inputs cannot be told apart.
    A plain number that is NaN or infinite is refused (a ValueError naming its
    index); a Value holding one passes, as :func:`~micrograd_nn.detect_anomaly`
    is the tool for those. ``owner`` (the module called) names the culprit in
    error messages.
    """
    if x.__class__ is not list:  # a list is the common case, and needs no conversion
        if isinstance(x, (Value, numbers.Real)):
            x = [x]  # a single input, as a 1-input layer receives it from a 1-neuron layer
        elif getattr(x, "ndim", 1) > 1:
            raise ValueError(
                f"{owner!r} takes a list of {plural(nin, 'input')}, got a {x.ndim}-D array of shape {x.shape}; "
                f"for a batch pass one 1-D array per input (its column): [X[:, 0], X[:, 1], ...] "
                f"or list(X.T) for X of shape (m, {nin}), one row per example"
            )
        x = _checks.as_list(x, f"{owner!r} takes a list of {nin} numbers or Values")
    if len(x) != nin:
        raise ValueError(
            f"{owner!r} expects {plural(nin, 'input')}, got {len(x)}; "
            f"pass a list of exactly {nin} numbers or Values"
        )
    inputs = []
    lengths = []  # of the batched inputs
    labels = _input_labels(nin)
    for k, xk in enumerate(x):
        if isinstance(xk, Value):
            if xk.is_batched:
                lengths.append(len(xk.data))
            inputs.append(xk)
        elif xk.__class__ is float or isinstance(xk, numbers.Real):
            if xk != xk or xk in _INFINITIES:  # NaN, inf, -inf: cheap for floats and ints alike
                raise ValueError(
                    f"{owner!r} input {k} is {float(xk)!r}; inputs must be finite numbers "
                    "(drop or fill in that sample)"
                )
            inputs.append(Value(xk, label=labels[k]))
        elif getattr(xk, "ndim", None) == 1 and xk.dtype.kind in "biuf":  # a numpy column
            inputs.append(Value.batch(xk, label=labels[k]))
            lengths.append(len(xk))
        else:
            raise TypeError(
                f"{owner!r} input {k} must be a number or a Value, got {type(xk).__name__} {xk!r}; "
                "for a batch, a 1-D numpy array of numbers (one entry per example)"
            )
    if lengths and len(set(lengths)) > 1:
        raise ValueError(
            f"{owner!r}: the batched inputs have different lengths ({', '.join(map(str, lengths))}); "
            "pass one column per input, each with one entry per example of the same batch"
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
        seed: an int or a ``numpy.random.Generator`` to draw the weights from
            (an explicit seed always wins); None draws the seed from Python's
            ``random`` module, so ``random.seed(1337)`` before ``MLP(...)``
            repeats a network, as in micrograd.
        init: weight scheme, a key of :data:`INITS`.
        bias_init: "zeros" or "normal".
        nonlin: micrograd's ``nonlin=True/False``, refused with a TypeError that
            names the ``activation`` to pass instead.

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
        *,
        nonlin: object = None,
    ) -> None:
        _refuse_nonlin(nonlin, activation, "Neuron")
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
        return self._forward(_as_inputs(x, self.nin, self))

    def _forward(self, inputs: list[Value]) -> Value:
        try:
            z = Value.weighted_sum(self.w, inputs, self.b)
        except TypeError:  # free on the normal path: find what is not a number
            self._bad_parameter()
            raise
        if self.activation == "linear":
            z.label = self.name
            return z
        z.label = f"sum_{self.name}"
        out = getattr(z, self.activation)()
        out.label = self.name
        return out

    def _bad_parameter(self) -> None:
        """A TypeError naming the first parameter whose ``data`` is not a number (if any)."""
        for label, p in self.named_parameters():
            data = p.data
            if isinstance(data, bool) or not isinstance(data, numbers.Real):
                raise TypeError(
                    f"{self!r}: parameter {label} holds {type(data).__name__} "
                    f"{_checks.quote(data)}, not a number; assign it a float "
                    "(p.data = float(text)) before the next call"
                ) from None

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
        *,
        nonlin: object = None,
    ) -> None:
        _refuse_nonlin(nonlin, activation, "Layer")
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
        outs = self._forward(_as_inputs(x, self.nin, self))
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
            makes the whole network reproducible, and so does
            ``random.seed(n)`` when no ``seed`` is given (micrograd's habit).

    Calling the MLP returns a Value when the last layer has one neuron, else a
    list. One-neuron hidden layers are fine: ``MLP(2, [16, 1, 1])``. A whole
    data set ``X`` of shape (m, nin) goes through at once as a batch, one 1-D
    column per input: ``model([X[:, 0], X[:, 1]])`` (or ``model(list(X.T))``)
    returns batched Values, one entry per example.

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
                    f"activation has {plural(len(activations), 'entry')} for {plural(len(nouts), 'layer')}; "
                    "give one name per layer, or a single name for all"
                )
        rng = _rng(seed)
        self.layers = [
            Layer(sizes[i], sizes[i + 1], act, bias=bias, seed=rng, init=init, bias_init=bias_init)
            for i, act in enumerate(activations)
        ]
        for i, layer in enumerate(self.layers):
            layer._set_labels(str(i + 1))

    @classmethod
    def from_parameters(
        cls, parameters: Mapping[str, object], activation: str | Sequence[str] | None = None
    ) -> MLP:
        """An MLP holding exactly the weights of a layered document's ``parameters`` dict.

        The layout is the documents' (000, 002, 004): ``W1`` of shape ``(n1, n0)``,
        ``b1`` of shape ``(n1, 1)`` (or ``(n1,)``), ``W2`` of shape ``(n2, n1)``,
        and so on, so that ``Z1 = W1 @ X + b1`` for ``X`` of shape ``(n0, m)``.
        A dict without any ``b`` keys gives a network without biases (document
        004's first article). ``parameters['W1'][j, k]`` becomes the parameter
        labelled ``W1[j,k]``, copied bit for bit with ``float()``.

        Args:
            parameters: ``{'W1': ..., 'b1': ..., ...}``; numpy arrays or nested
                lists of real numbers. Nothing else may be in it.
            activation: as for :class:`MLP`: one name, one per layer, or None
                (ReLU hidden layers, linear output).

        Raises:
            TypeError: ``parameters`` is not a dict, or a value is not numeric.
            ValueError: a key other than W1..WL and b1..bL; layers missing
                (W1, W3 without W2); biases for some layers only; a shape that
                does not chain (``W2.shape[1] != W1.shape[0]``) or a bias whose
                shape does not match its W; a value that is NaN or infinite.
                The message names the key, the shape found and the shape expected.

        Example:
            >>> import numpy as np
            >>> params = {"W1": np.array([[0.5, -1.0]]), "b1": np.array([[0.25]])}
            >>> model = MLP.from_parameters(params, activation="linear")
            >>> model([2.0, 1.0]).data                  # 0.5*2 - 1*1 + 0.25
            0.25
            >>> [name for name, _ in model.named_parameters()]
            ['W1[0,0]', 'W1[0,1]', 'b1[0]']
        """
        weights, biases = _check_parameters(parameters)
        sizes = [weights[0].shape[1]] + [W.shape[0] for W in weights]
        model = cls(sizes[0], sizes[1:], activation=activation, bias=biases is not None, seed=0)
        for i, layer in enumerate(model.layers):
            W = weights[i]
            for j, neuron in enumerate(layer.neurons):
                for k, w in enumerate(neuron.w):
                    w.data = float(W[j, k])
                if biases is not None:
                    neuron.b.data = float(biases[i][j])
        return model

    def to_parameters(self) -> dict:
        """The weights as a document's ``parameters`` dict of numpy float64 arrays.

        ``{'W1': (n1, n0), 'b1': (n1, 1), 'W2': ..., ...}`` in that order (the
        order the documents' ``initialize_parameters`` builds it), without
        ``b`` keys for a network without biases: the inverse of
        :meth:`from_parameters`, bit for bit.

        Raises:
            ValueError: some neurons of the network have biases and others not,
                which the documents' layout cannot hold.
        """
        import numpy as np

        parameters = {}
        has_bias = {n.b is not None for layer in self.layers for n in layer.neurons}
        if len(has_bias) > 1:
            raise ValueError(
                "to_parameters: some neurons have a bias and others do not; the "
                "documents' layout needs biases on every neuron or on none"
            )
        for i, layer in enumerate(self.layers, start=1):
            neurons = layer.neurons
            parameters[f"W{i}"] = np.array([[w.data for w in n.w] for n in neurons], dtype=np.float64)
            if has_bias == {True}:
                parameters[f"b{i}"] = np.array([[n.b.data] for n in neurons], dtype=np.float64)
        return parameters

    def save(self, path: str | os.PathLike) -> Path:
        """Write the network to ``path`` as JSON, atomically; return the path.

        The file holds the architecture (sizes, activations, bias), every
        weight in the documents' layout (``W1``, ``b1``, ...) written so that
        it reads back bit for bit, and the labels when they are not the
        defaults (document 001's ``w1..w6``). ``micrograd_nn.serialize.load(path)``
        gives the network back. See :mod:`micrograd_nn.serialize` for the format.

        Raises:
            ValueError: a weight is NaN or infinite (JSON cannot hold it).
            OSError: the file cannot be written; a file there before is left whole.
        """
        return _saving.save(self, path)

    @property
    def nin(self) -> int:
        return self.layers[0].nin

    def __call__(self, x: Sequence[Input] | Input) -> Value | list[Value]:
        values = _as_inputs(x, self.nin, self)
        for layer in self.layers:
            values = layer._forward(values)  # lists all the way: 1-neuron layers are fine
        return values[0] if len(values) == 1 else values

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for layer in self.layers:
            yield from layer.named_parameters()

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(repr(layer) for layer in self.layers)}]"


def _parameter_array(parameters: Mapping[str, object], key: str):
    """parameters[key] as a float64 array; a TypeError if it is not real numbers."""
    import numpy as np

    value = parameters[key]
    try:
        array = np.asarray(value)
    except ValueError:  # ragged nested lists
        raise ValueError(
            f"from_parameters: parameters[{key!r}] is not a rectangular array of numbers"
        ) from None
    if array.dtype.kind not in "iuf":
        raise TypeError(
            f"from_parameters: parameters[{key!r}] must hold real numbers (an array of floats), "
            f"got {type(value).__name__} of dtype {array.dtype}"
        )
    return array.astype(np.float64)


def _check_parameters(parameters: Mapping[str, object]):
    """Validate a documents'-layout dict; return ([W1, ..., WL], [b1 flat, ...] or None)."""
    import numpy as np

    if not isinstance(parameters, Mapping):
        raise TypeError(
            "from_parameters takes a dict such as {'W1': W1, 'b1': b1, ...}, "
            f"got {type(parameters).__name__}"
        )
    w_layers, b_layers = set(), set()
    for key in parameters:
        match = re.fullmatch(r"([Wb])([1-9][0-9]*)", key) if isinstance(key, str) else None
        if match is None:
            raise ValueError(
                f"from_parameters: unexpected key {key!r}; the keys are W1..WL and b1..bL "
                "(one W per layer, and a b for every layer or for none)"
            )
        (w_layers if match.group(1) == "W" else b_layers).add(int(match.group(2)))
    if not w_layers:
        raise ValueError("from_parameters: no weights; the dict needs at least 'W1', shape (n1, n0)")
    L = max(w_layers)
    for l in range(1, L + 1):
        if l not in w_layers:
            found = ", ".join(f"W{i}" for i in sorted(w_layers))
            raise ValueError(
                f"from_parameters: missing 'W{l}'; the layers must be numbered W1..W{L} "
                f"without gaps (found {found})"
            )
    if b_layers:
        extra = sorted(b_layers - w_layers)
        if extra:
            raise ValueError(
                f"from_parameters: 'b{extra[0]}' has no weights 'W{extra[0]}' (the layers are W1..W{L})"
            )
        missing = sorted(w_layers - b_layers)
        if missing:
            raise ValueError(
                f"from_parameters: missing 'b{missing[0]}'; give a bias for every layer (b1..b{L}) "
                "or for none (a network without biases)"
            )
    weights, biases = [], [] if b_layers else None
    for l in range(1, L + 1):
        W = _parameter_array(parameters, f"W{l}")
        if l == 1:
            if W.ndim != 2 or 0 in W.shape:
                raise ValueError(
                    f"from_parameters: 'W1' has shape {W.shape}, expected (n1, n0): "
                    "one row per neuron of layer 1, one column per input"
                )
        else:
            n_prev = weights[-1].shape[0]
            if W.ndim != 2 or W.shape[1] != n_prev or W.shape[0] == 0:
                n_this = W.shape[0] if W.ndim == 2 and W.shape[0] else f"n{l}"
                raise ValueError(
                    f"from_parameters: 'W{l}' has shape {W.shape}, expected ({n_this}, {n_prev}): "
                    f"W{l} needs one column per neuron of layer {l - 1} "
                    f"(W{l - 1} has {n_prev} rows)"
                )
        weights.append(W)
        if biases is not None:
            b = _parameter_array(parameters, f"b{l}")
            n = W.shape[0]
            if b.shape not in ((n, 1), (n,)):
                raise ValueError(
                    f"from_parameters: 'b{l}' has shape {b.shape}, expected ({n}, 1) or ({n},): "
                    f"one bias per row of W{l}"
                )
            biases.append(b.reshape(n))
    for key, array in zip(
        [f"W{l}" for l in range(1, L + 1)] + [f"b{l}" for l in range(1, L + 1)],
        weights + (biases or []),
    ):
        bad = np.argwhere(~np.isfinite(array))
        if len(bad):
            where = tuple(int(i) for i in bad[0])
            raise ValueError(
                f"from_parameters: '{key}' holds a non-finite value, {float(array[where])!r} "
                f"at index {where[0] if len(where) == 1 else list(where)}; "
                "every weight must be a finite number"
            )
    return weights, biases


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
