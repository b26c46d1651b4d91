"""Document 001, re-implemented: the 2-2-1 sigmoid network with every partial written out.

The document is "Implementing Neural Networks from Scratch", a lecture post
"inspired from VictorZhou's Blog" (no author named). Its network has two inputs,
a hidden layer h1, h2 and an output o1, all sigmoid::

    h1 = sigmoid(w1 * x[0] + w2 * x[1] + b1)
    h2 = sigmoid(w3 * x[0] + w4 * x[1] + b2)
    o1 = sigmoid(w5 * h1 + w6 * h2 + b3)

It learns to tell female (1) from male (0) from weight - 135 lb and
height - 66 in, on four people (Alice, Bob, Charlie, Diana), by per-sample SGD
(learning rate 0.1, 1000 epochs) on the squared error, and every partial
derivative is written out by hand under the document's names
(``d_L_d_ypred``, ``d_ypred_d_h1``, ``d_h1_d_w1``, ...). This module keeps
those names and that order, in plain floats, so it can serve as the hand-coded
oracle for the Value engine.

Errata, and what this module does about them:

* The document's code has lost its indentation; it is restored here.
* ``d_L_d_ypred = -2 * (y_true - y_pred)`` is the derivative of ONE sample's
  squared error L = (y_true - y_pred)**2, not of the mean squared error over
  the data set (that would carry a 1/n). The SGD step uses it per sample, so
  the per-sample L is what this module differentiates; ``mse_loss`` over the
  data set is only what training reports after each epoch.
* "Steve" is ``generate_test_data(182, 73)``: 182 kg and 73 cm. The arguments
  are swapped; it means 73 kg and 182 cm (:data:`STEVE`; the call as written
  is :data:`STEVE_AS_WRITTEN`).
* ``np.random.normal()`` draws from numpy's global RNG, so no run can be
  repeated. Here the nine draws, in the document's order w1..w6, b1..b3, come
  from ``numpy.random.default_rng(seed)``.

Numerics (the same functions, written so they never overflow or cancel):
``sigmoid`` uses e**x / (1 + e**x) for x < 0, where the document's
1 / (1 + e**-x) overflows ``exp``; ``deriv_sigmoid`` is f(x) * (1 - f(x))
computed as f(x) * f(-x), which keeps its digits where f(x) rounds to 1.

The module also offers the interface every ``reference`` module shares, in the
layered documents' layout (``W1`` (2, 2), ``b1`` (2, 1), ``W2`` (1, 2), ``b2``
(1, 1); samples as columns): :func:`setup`, :func:`gradients`, :func:`cost`
and :func:`train`.

Example:
    >>> weights = dict(w1=0, w2=1, w3=0, w4=1, w5=0, w6=1, b1=0, b2=0, b3=0)  # w = [0, 1], b = 0
    >>> net = OurNeuralNetwork.from_names(weights)
    >>> net.feedforward([2, 3])   # the document prints 0.7216325609518421
    0.7216325609518421
"""
from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np

from .._words import plural
from .sources import Document

__all__ = [
    "ACTIVATIONS",
    "ALL_Y_TRUES",
    "DATA",
    "DOCUMENT",
    "EMILY",
    "FRANK",
    "LEARNING_RATE",
    "LOSS",
    "NAMES",
    "NUM_ITERATIONS",
    "OurNeuralNetwork",
    "STEVE",
    "STEVE_AS_WRITTEN",
    "TITLE",
    "cost",
    "deriv_sigmoid",
    "generate_test_data",
    "gradients",
    "layout_from_names",
    "mse_loss",
    "names_from_layout",
    "setup",
    "sigmoid",
    "train",
]

DOCUMENT = Document(
    title='Implementing Neural Networks from Scratch',
    author='',
    venue="a lecture post inspired by Victor Zhou's blog",
    short='lecture post',
)
TITLE = (
    "2-2-1 sigmoid network (w1..w6, b1..b3), four people (weight, height -> female 1 / male 0), "
    "per-sample squared error, SGD, every partial derivative by hand"
)
ACTIVATIONS = ["sigmoid", "sigmoid"]
LOSS = "mse"
LEARNING_RATE = 0.1
NUM_ITERATIONS = 1000  # epochs of per-sample SGD
#: The default seed: its run ends near the document's (Emily 0.950 F, Frank 0.038 M).
SEED = 42

#: The parameters in the document's order of drawing.
NAMES = ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")

#: The document's data set: [weight - 135 lb, height - 66 in] for Alice, Bob, Charlie, Diana.
DATA = [[-2.0, -1.0], [25.0, 6.0], [17.0, 4.0], [-15.0, -6.0]]
#: 1 = female, 0 = male.
ALL_Y_TRUES = [1.0, 0.0, 0.0, 1.0]
EMILY = [-7.0, -3.0]  # 128 pounds, 63 inches; the document predicts 0.951 (F)
FRANK = [20.0, 2.0]  # 155 pounds, 68 inches; the document predicts 0.039 (M)


def sigmoid(x: float) -> float:
    """f(x) = 1 / (1 + e**-x)."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # the same number, without overflowing exp(-x) for x < -709
    return e / (1.0 + e)


def deriv_sigmoid(x: float) -> float:
    """f'(x) = f(x) * (1 - f(x)), with 1 - f(x) written f(-x)."""
    return sigmoid(x) * sigmoid(-x)


def mse_loss(y_true: Sequence[float], y_pred: Sequence[float]) -> float:
    """The mean squared error over a data set: mean((y_true - y_pred)**2).

    >>> mse_loss([1, 0, 0, 1], [0, 0, 0, 0])   # the document prints 0.5
    0.5
    """
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"mse_loss: y_true has shape {y_true.shape} but y_pred {y_pred.shape}")
    return float(((y_true - y_pred) ** 2).mean())


def generate_test_data(kg: float, cm: float) -> list[float]:
    """Metric units to the network's inputs: [kg * 2.20462 - 135, cm * 0.393701 - 66]."""
    return [kg * 2.20462 - 135, cm * 0.393701 - 66]


#: "Steve" as called, generate_test_data(182, 73): 182 kg, 73 cm (the document prints 0.040, M).
STEVE_AS_WRITTEN = generate_test_data(182, 73)
#: What it means: 73 kg, 182 cm.
STEVE = generate_test_data(73, 182)


class OurNeuralNetwork:
    """The document's network: attributes w1..w6 and b1..b3 (floats).

    Args:
        seed: an int, None or a ``numpy.random.Generator``; the nine
            parameters are drawn from N(0, 1) in the order w1..w6, b1..b3 (the
            document draws them from the global RNG).
    """

    def __init__(self, seed: int | np.random.Generator | None = None) -> None:
        rng = np.random.default_rng(seed)
        # Weights
        self.w1 = float(rng.normal())
        self.w2 = float(rng.normal())
        self.w3 = float(rng.normal())
        self.w4 = float(rng.normal())
        self.w5 = float(rng.normal())
        self.w6 = float(rng.normal())
        # Biases
        self.b1 = float(rng.normal())
        self.b2 = float(rng.normal())
        self.b3 = float(rng.normal())

    @classmethod
    def from_names(cls, names: dict[str, float]) -> OurNeuralNetwork:
        """A network with the given parameters, a dict with exactly the keys w1..w6, b1..b3."""
        _check_names(names)
        net = cls.__new__(cls)
        for name in NAMES:
            setattr(net, name, float(names[name]))
        return net

    def names(self) -> dict[str, float]:
        """The parameters as {'w1': ..., ..., 'b3': ...}, in the document's order."""
        return {name: getattr(self, name) for name in NAMES}

    def feedforward(self, x: Sequence[float]) -> float:
        """o1 for one input x = [weight - 135, height - 66]."""
        h1 = sigmoid(self.w1 * x[0] + self.w2 * x[1] + self.b1)
        h2 = sigmoid(self.w3 * x[0] + self.w4 * x[1] + self.b2)
        o1 = sigmoid(self.w5 * h1 + self.w6 * h2 + self.b3)
        return o1

    def partials(self, x: Sequence[float], y_true: float) -> dict[str, float]:
        """The document's derivation for one sample, every named quantity.

        The loss is that sample's squared error, L = (y_true - y_pred)**2.

        Returns:
            a dict with the forward values (sum_h1, h1, sum_h2, h2, sum_o1,
            o1, y_pred, L), the document's factors (d_L_d_ypred,
            d_ypred_d_w5, ..., d_h2_d_b2) and their products d_L_d_w1 ..
            d_L_d_b3, multiplied in the document's order.
        """
        x0, x1 = float(x[0]), float(x[1])
        y_true = float(y_true)
        # --- Do a feedforward (we'll need these values later)
        sum_h1 = self.w1 * x0 + self.w2 * x1 + self.b1
        h1 = sigmoid(sum_h1)
        sum_h2 = self.w3 * x0 + self.w4 * x1 + self.b2
        h2 = sigmoid(sum_h2)
        sum_o1 = self.w5 * h1 + self.w6 * h2 + self.b3
        o1 = sigmoid(sum_o1)
        y_pred = o1

        # --- Calculate partial derivatives.
        # --- Naming: d_L_d_w1 represents "partial L / partial w1"
        d_L_d_ypred = -2 * (y_true - y_pred)

        # Neuron o1
        d_ypred_d_w5 = h1 * deriv_sigmoid(sum_o1)
        d_ypred_d_w6 = h2 * deriv_sigmoid(sum_o1)
        d_ypred_d_b3 = deriv_sigmoid(sum_o1)
        d_ypred_d_h1 = self.w5 * deriv_sigmoid(sum_o1)
        d_ypred_d_h2 = self.w6 * deriv_sigmoid(sum_o1)

        # Neuron h1
        d_h1_d_w1 = x0 * deriv_sigmoid(sum_h1)
        d_h1_d_w2 = x1 * deriv_sigmoid(sum_h1)
        d_h1_d_b1 = deriv_sigmoid(sum_h1)

        # Neuron h2
        d_h2_d_w3 = x0 * deriv_sigmoid(sum_h2)
        d_h2_d_w4 = x1 * deriv_sigmoid(sum_h2)
        d_h2_d_b2 = deriv_sigmoid(sum_h2)

        return {
            "sum_h1": sum_h1, "h1": h1, "sum_h2": sum_h2, "h2": h2,
            "sum_o1": sum_o1, "o1": o1, "y_pred": y_pred, "L": (y_true - y_pred) ** 2,
            "d_L_d_ypred": d_L_d_ypred,
            "d_ypred_d_w5": d_ypred_d_w5, "d_ypred_d_w6": d_ypred_d_w6,
            "d_ypred_d_b3": d_ypred_d_b3,
            "d_ypred_d_h1": d_ypred_d_h1, "d_ypred_d_h2": d_ypred_d_h2,
            "d_h1_d_w1": d_h1_d_w1, "d_h1_d_w2": d_h1_d_w2, "d_h1_d_b1": d_h1_d_b1,
            "d_h2_d_w3": d_h2_d_w3, "d_h2_d_w4": d_h2_d_w4, "d_h2_d_b2": d_h2_d_b2,
            # The chain rule, as the update lines multiply it.
            "d_L_d_w1": d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w1,
            "d_L_d_w2": d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w2,
            "d_L_d_b1": d_L_d_ypred * d_ypred_d_h1 * d_h1_d_b1,
            "d_L_d_w3": d_L_d_ypred * d_ypred_d_h2 * d_h2_d_w3,
            "d_L_d_w4": d_L_d_ypred * d_ypred_d_h2 * d_h2_d_w4,
            "d_L_d_b2": d_L_d_ypred * d_ypred_d_h2 * d_h2_d_b2,
            "d_L_d_w5": d_L_d_ypred * d_ypred_d_w5,
            "d_L_d_w6": d_L_d_ypred * d_ypred_d_w6,
            "d_L_d_b3": d_L_d_ypred * d_ypred_d_b3,
        }  # fmt: skip

    def train(
        self,
        data: Sequence[Sequence[float]],
        all_y_trues: Sequence[float],
        learn_rate: float = LEARNING_RATE,
        epochs: int = NUM_ITERATIONS,
        echo: Callable[[str], None] | None = None,
    ) -> list[float]:
        """Per-sample SGD, the document's loop; returns the mse over ``data`` after each epoch.

        Args:
            data: n inputs of 2 numbers; all_y_trues: their n labels.
            echo: if given, called with the document's "Epoch %d loss: %.3f"
                line every 10 epochs.
        """
        if len(data) != len(all_y_trues):
            raise ValueError(
                f"train: {plural(len(data), 'sample')} in data but "
                f"{plural(len(all_y_trues), 'label')}"
            )
        history = []
        for epoch in range(epochs):
            for x, y_true in zip(data, all_y_trues):
                p = self.partials(x, y_true)
                d_L_d_ypred = p["d_L_d_ypred"]
                # --- Update weights and biases, each as the document writes it
                # Neuron h1
                self.w1 -= learn_rate * d_L_d_ypred * p["d_ypred_d_h1"] * p["d_h1_d_w1"]
                self.w2 -= learn_rate * d_L_d_ypred * p["d_ypred_d_h1"] * p["d_h1_d_w2"]
                self.b1 -= learn_rate * d_L_d_ypred * p["d_ypred_d_h1"] * p["d_h1_d_b1"]
                # Neuron h2
                self.w3 -= learn_rate * d_L_d_ypred * p["d_ypred_d_h2"] * p["d_h2_d_w3"]
                self.w4 -= learn_rate * d_L_d_ypred * p["d_ypred_d_h2"] * p["d_h2_d_w4"]
                self.b2 -= learn_rate * d_L_d_ypred * p["d_ypred_d_h2"] * p["d_h2_d_b2"]
                # Neuron o1
                self.w5 -= learn_rate * d_L_d_ypred * p["d_ypred_d_w5"]
                self.w6 -= learn_rate * d_L_d_ypred * p["d_ypred_d_w6"]
                self.b3 -= learn_rate * d_L_d_ypred * p["d_ypred_d_b3"]
            # --- Calculate total loss at the end of each epoch
            loss = mse_loss(all_y_trues, [self.feedforward(x) for x in data])
            history.append(loss)
            if echo is not None and epoch % 10 == 0:
                echo("Epoch %d loss: %.3f" % (epoch, loss))
        return history


# ------------------------------------------------ the reference modules' interface


def _check_names(names: dict) -> None:
    if not isinstance(names, dict) or set(names) != set(NAMES):
        got = sorted(names) if isinstance(names, dict) else type(names).__name__
        raise ValueError(
            f"document 001's parameters are a dict with the keys {', '.join(NAMES)}; got {got}"
        )


_SHAPES = {"W1": (2, 2), "b1": (2, 1), "W2": (1, 2), "b2": (1, 1)}


def names_from_layout(parameters: dict) -> dict[str, float]:
    """{'W1', 'b1', 'W2', 'b2'} arrays to {'w1': ..., 'b3': ...}.

    W1 = [[w1, w2], [w3, w4]], b1 = [[b1], [b2]], W2 = [[w5, w6]], b2 = [[b3]].
    """
    if not isinstance(parameters, dict) or set(parameters) != set(_SHAPES):
        got = sorted(parameters) if isinstance(parameters, dict) else type(parameters).__name__
        raise ValueError(f"document 001's layout is a dict with the keys W1, b1, W2, b2; got {got}")
    arrays = {}
    for key, shape in _SHAPES.items():
        arrays[key] = np.asarray(parameters[key], dtype=float)
        if arrays[key].shape != shape:
            raise ValueError(
                f"parameters[{key!r}] must have shape {shape}, got {arrays[key].shape}"
            )
    (w1, w2), (w3, w4) = arrays["W1"].tolist()
    (b1,), (b2,) = arrays["b1"].tolist()
    ((w5, w6),) = arrays["W2"].tolist()
    ((b3,),) = arrays["b2"].tolist()
    return dict(w1=w1, w2=w2, w3=w3, w4=w4, w5=w5, w6=w6, b1=b1, b2=b2, b3=b3)


def layout_from_names(names: dict[str, float]) -> dict[str, np.ndarray]:
    """{'w1': ..., 'b3': ...} to the layout {'W1', 'b1', 'W2', 'b2'} (undoes names_from_layout)."""
    _check_names(names)
    n = {k: float(v) for k, v in names.items()}
    return {
        "W1": np.array([[n["w1"], n["w2"]], [n["w3"], n["w4"]]]),
        "b1": np.array([[n["b1"]], [n["b2"]]]),
        "W2": np.array([[n["w5"], n["w6"]]]),
        "b2": np.array([[n["b3"]]]),
    }


def _samples(X, Y) -> tuple[list[list[float]], list[float]]:
    """X (2, m) and Y (1, m), samples as columns, to the document's rows."""
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    if X.ndim != 2 or X.shape[0] != 2 or Y.shape != (1, X.shape[1]):
        raise ValueError(
            "X must have shape (2, m) and Y (1, m), samples as columns; "
            f"got X {X.shape}, Y {Y.shape}"
        )
    return X.T.tolist(), Y[0].tolist()


def setup(seed: int = SEED) -> tuple[dict, np.ndarray, np.ndarray]:
    """(initial parameters, X (2, 4), Y (1, 4)): the four people, samples as columns.

    The nine parameters are drawn from N(0, 1) by ``numpy.random.default_rng(seed)``
    in the order w1..w6, b1..b3, as :class:`OurNeuralNetwork` draws them.
    """
    parameters = layout_from_names(OurNeuralNetwork(seed).names())
    return parameters, np.array(DATA).T, np.array([ALL_Y_TRUES])


def gradients(parameters: dict, X, Y) -> dict[str, np.ndarray]:
    """For ONE sample, X (2, 1) and Y (1, 1): the partials of L = (y - o1)**2.

    Returns {'dW1': [[d_L_d_w1, d_L_d_w2], [d_L_d_w3, d_L_d_w4]], 'db1':
    [[d_L_d_b1], [d_L_d_b2]], 'dW2': [[d_L_d_w5, d_L_d_w6]], 'db2': [[d_L_d_b3]]}.
    """
    xs, ys = _samples(X, Y)
    if len(xs) != 1:
        raise ValueError(
            f"gradients takes one sample, X (2, 1) and Y (1, 1), because document 001 steps per "
            f"sample; got {plural(len(xs), 'sample')}"
        )
    p = OurNeuralNetwork.from_names(names_from_layout(parameters)).partials(xs[0], ys[0])
    grads = layout_from_names({name: p[f"d_L_d_{name}"] for name in NAMES})
    return {"d" + key: value for key, value in grads.items()}


def cost(parameters: dict, X, Y) -> float:
    """The mse over the samples given (the columns of X and Y)."""
    xs, ys = _samples(X, Y)
    net = OurNeuralNetwork.from_names(names_from_layout(parameters))
    return mse_loss(ys, [net.feedforward(x) for x in xs])


def train(
    parameters: dict,
    X,
    Y,
    num_iterations: int = NUM_ITERATIONS,
    learning_rate: float = LEARNING_RATE,
) -> tuple[dict[str, np.ndarray], list[float]]:
    """Per-sample SGD epochs over the columns of X, in order, from a copy of ``parameters``.

    Returns:
        (the final parameters in the layout, the mse over X after each epoch).
    """
    xs, ys = _samples(X, Y)
    net = OurNeuralNetwork.from_names(names_from_layout(parameters))
    history = net.train(xs, ys, learn_rate=learning_rate, epochs=num_iterations)
    return layout_from_names(net.names()), history


def main(seed: int = SEED) -> None:
    """The document's script: train on the four people, then predict Emily, Frank and Steve."""
    network = OurNeuralNetwork(seed)
    network.train(DATA, ALL_Y_TRUES, echo=print)
    print("Emily: %.3f" % network.feedforward(EMILY))  # the document: 0.951 - F
    print("Frank: %.3f" % network.feedforward(FRANK))  # the document: 0.039 - M
    print("Steve (73 kg, 182 cm): %.3f" % network.feedforward(STEVE))


if __name__ == "__main__":
    main()
