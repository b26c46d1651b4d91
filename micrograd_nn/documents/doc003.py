"""Document 003, re-implemented: a ``Layer`` class that holds its own W, b and activation.

The document is "Writing Python Code for Neural Networks from Scratch" by
Aditi Mittal, a Medium article. Each ``Layer`` keeps its
weights ``W`` (neurons, inputs), biases ``b`` (neurons, 1) and activation, and
learns inside its own ``backprop``::

    lyr = [Layer(2, 3, 'tanh'), Layer(3, 1, 'sigmoid')]
    feedforward:  Z = W @ A1 + b;  A = act(Z)        (A1 is the layer's INPUT)
    cost = 1/m * sum(logloss(y, A)),  logloss(y, a) = -(y log a + (1 - y) log(1 - a))
    backprop(dA): dZ = d_act(Z) * dA;  dW = 1/m dZ @ A1.T;  db = 1/m sum(dZ)
                  dA1 = W.T @ dZ;  W -= learning_rate * dW;  b -= learning_rate * db

on XOR (``x`` of shape (2, 4), ``y`` (1, 4)), with ``learning_rate = 0.1`` a
class attribute, for 1500 epochs, full batch, starting each backward pass
from ``dA = d_logloss(y, A) = (A - y) / (A (1 - A))``.

The update happens inside ``backprop``, layer by layer from the output back,
but ``dA1`` is computed from ``W`` *before* ``W`` is updated, so every layer's
gradient is that of the same, not yet updated, network: it is plain
full-batch gradient descent, the same step as computing all the gradients
first and then updating. (Had ``dA1`` been computed after the update, the
lower layers would see a half-updated network.) So the Value engine's
``p -= lr * p.grad`` reproduces it exactly. ``backprop(dA, update=False)``
computes and stores ``dW`` and ``db`` without stepping, which is what
:func:`gradients` needs.

Errata, and what this module does about them:

* ``__init__`` reads ``self.activationFunctions``; the class attribute is
  ``activationFns`` (``AttributeError``). Here it reads ``activationFns``, and
  an unknown activation raises ``ValueError`` (the document's ``.get`` would
  return None and fail to unpack).
* Typographic dashes stand for minus signs (``1 — np.square(...)``,
  ``(a — y)``, ``self.W — self.learning_rate * dW``) and typographic quotes
  for ``'`` (``‘tanh’``): neither is Python. Plain ``-`` and ``'`` here.
* All indentation is lost; restored.
* "The cost can be calculated as :" ends with no formula (an image was lost);
  it is the mean log loss the training loop computes.
* ``np.random.randn`` draws from the global RNG, unseeded. Here each Layer
  draws from a ``numpy.random.Generator``; :func:`setup` passes one
  ``default_rng(seed)`` to both layers, first layer first.
"""
from __future__ import annotations

import numpy as np

from ..datasets import xor
from .sources import Document

__all__ = [
    "ACTIVATIONS",
    "DOCUMENT",
    "LEARNING_RATE",
    "LOSS",
    "NUM_ITERATIONS",
    "TITLE",
    "Layer",
    "cost",
    "d_logloss",
    "gradients",
    "logloss",
    "predict",
    "setup",
    "train",
]

DOCUMENT = Document(
    title='Writing Python Code for Neural Networks from Scratch',
    author='Aditi Mittal',
    venue='a Medium article',
    short='Mittal, Medium',
)
TITLE = (
    "Layer objects [Layer(2, 3, 'tanh'), Layer(3, 1, 'sigmoid')], XOR (4 samples), mean log loss"
)
ACTIVATIONS = ["tanh", "sigmoid"]
LOSS = "binary_cross_entropy"
LEARNING_RATE = 0.1
NUM_ITERATIONS = 1500  # the document's epochs


# Activation functions
def tanh(x):
    return np.tanh(x)


def d_tanh(x):
    return 1 - np.square(np.tanh(x))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def d_sigmoid(x):
    return (1 - sigmoid(x)) * sigmoid(x)


# Loss functions
def logloss(y, a):
    """Per sample: -(y log a + (1 - y) log(1 - a))."""
    return -(y * np.log(a) + (1 - y) * np.log(1 - a))


def d_logloss(y, a):
    """d(logloss)/d(a) per sample: (a - y) / (a (1 - a))."""
    return (a - y) / (a * (1 - a))


class Layer:
    """One layer: W (neurons, inputs), b (neurons, 1), an activation, and its own update.

    Args:
        inputs, neurons: the layer's sizes.
        activation: 'tanh' or 'sigmoid'.
        rng: a ``numpy.random.Generator`` (or an int seed, or None) to draw
            ``W`` from N(0, 1); ``b`` starts at 0.
    """

    activationFns = {
        "tanh": (tanh, d_tanh),
        "sigmoid": (sigmoid, d_sigmoid),
    }
    learning_rate = LEARNING_RATE

    def __init__(self, inputs: int, neurons: int, activation: str, rng=None) -> None:
        if activation not in self.activationFns:
            raise ValueError(
                f"Layer: unknown activation {activation!r}; choose one of: {', '.join(self.activationFns)}"
            )
        self.W = np.random.default_rng(rng).standard_normal((neurons, inputs))
        self.b = np.zeros((neurons, 1))
        self.activation = activation
        self.act, self.d_act = self.activationFns[activation]

    @classmethod
    def from_parameters(cls, W, b, activation: str) -> Layer:
        """A Layer holding copies of the given W and b."""
        layer = cls(1, 1, activation, rng=0)
        layer.W = np.array(W, dtype=np.float64)
        layer.b = np.array(b, dtype=np.float64).reshape(-1, 1)
        return layer

    def feedforward(self, A1):
        """A = act(W @ A1 + b); A1 (this layer's input), Z and A are kept for backprop."""
        self.A1 = A1
        self.Z = self.W @ self.A1 + self.b
        self.A = self.act(self.Z)
        return self.A

    def backprop(self, dA, update: bool = True):
        """From dA = d(loss)/d(A) per sample, return dA1 = d(loss)/d(input).

        Stores ``dW`` and ``db`` (d(cost)/d(W), d(cost)/d(b), the 1/m
        included); with ``update`` (the document's behaviour) then steps W and
        b by ``-learning_rate`` times them. ``dA1`` uses W before its update.
        """
        dZ = self.d_act(self.Z) * dA
        m = dZ.shape[1]
        self.dW = 1 / m * (dZ @ self.A1.T)
        self.db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
        dA1 = self.W.T @ dZ
        if update:
            self.W = self.W - self.learning_rate * self.dW
            self.b = self.b - self.learning_rate * self.db
        return dA1


def _layers(parameters: dict) -> list[Layer]:
    return [
        Layer.from_parameters(parameters[f"W{l}"], parameters[f"b{l}"], activation)
        for l, activation in enumerate(ACTIVATIONS, start=1)
    ]


def _parameters(lyr: list[Layer]) -> dict:
    parameters = {}
    for l, layer in enumerate(lyr, start=1):
        parameters[f"W{l}"], parameters[f"b{l}"] = layer.W.copy(), layer.b.copy()
    return parameters


def _forward(lyr: list[Layer], x):
    A = x
    for layer in lyr:
        A = layer.feedforward(A)
    return A


# ------------------------------------------------ the reference modules' interface


def setup(seed: int = 1) -> tuple[dict, np.ndarray, np.ndarray]:
    """(initial parameters, x (2, 4), y (1, 4)): XOR; both layers' W from ``default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    lyr = [Layer(2, 3, "tanh", rng), Layer(3, 1, "sigmoid", rng)]
    x, y = xor()
    return _parameters(lyr), x, y


def gradients(parameters: dict, X, Y) -> dict:
    """{'dW1', 'db1', 'dW2', 'db2'}: d(cost)/d(parameter), from backprop without the update."""
    lyr = _layers(parameters)
    dA = d_logloss(Y, _forward(lyr, X))
    for layer in reversed(lyr):
        dA = layer.backprop(dA, update=False)
    grads = {}
    for l, layer in enumerate(lyr, start=1):
        grads[f"dW{l}"], grads[f"db{l}"] = layer.dW, layer.db
    return grads


def cost(parameters: dict, X, Y) -> float:
    """1/m * sum(logloss(y, A)), the mean log loss."""
    m = Y.shape[1]
    return float(1 / m * np.sum(logloss(Y, _forward(_layers(parameters), X))))


def train(
    parameters: dict,
    X,
    Y,
    num_iterations: int = NUM_ITERATIONS,
    learning_rate: float = LEARNING_RATE,
) -> tuple[dict, list[float]]:
    """The document's loop: per epoch feedforward, cost, then backprop (which updates), output first.

    The layers are built from copies of ``parameters``; ``learning_rate`` is
    set on each layer (the class attribute stays 0.1).

    Returns:
        (final parameters, the cost of each epoch, before its update).
    """
    lyr = _layers(parameters)
    for layer in lyr:
        layer.learning_rate = learning_rate
    m = Y.shape[1]
    costs = []
    for epoch in range(num_iterations):
        A = _forward(lyr, X)
        costs.append(float(1 / m * np.sum(logloss(Y, A))))
        dA = d_logloss(Y, A)
        for layer in reversed(lyr):
            dA = layer.backprop(dA)
    return _parameters(lyr), costs


def predict(parameters: dict, X):
    """The network's outputs A for the columns of X, shape (1, m)."""
    return _forward(_layers(parameters), X)


def main(seed: int = 1) -> None:
    """The document's run: train 1500 epochs on XOR and print the predictions."""
    parameters, x, y = setup(seed)
    params, costs = train(parameters, x, y)
    print(f"cost {costs[0]:.4f} at epoch 0, {costs[-1]:.4f} at epoch {len(costs) - 1}")
    print("predictions:", predict(params, x), "targets:", y)


if __name__ == "__main__":
    main()
