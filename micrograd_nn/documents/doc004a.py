"""Document 004, first article, re-implemented: a 2-layer sigmoid network without biases.

Document 004 holds two articles. The first is "A beginner's guide to
understanding the inner workings of Deep Learning", by the author of the book
*Neural Network Projects with Python* (Packt), who is not named in the text.
Its ``NeuralNetwork`` class, in the article's layout (samples as ROWS)::

    input (4, 3), weights1 (3, 4), weights2 (4, 1), y (4, 1), all weights uniform [0, 1)
    layer1 = sigmoid(input @ weights1);  output = sigmoid(layer1 @ weights2)
    Loss = sum((y - output)**2)                       (sum of squares, not a mean)
    d_weights2 = layer1.T @ (2 (y - output) * sigmoid_derivative(output))
    d_weights1 = input.T @ ((2 (y - output) * sigmoid_derivative(output)) @ weights2.T
                            * sigmoid_derivative(layer1))
    weights1 += d_weights1;  weights2 += d_weights2

trained for 1500 iterations on (0,0,1), (0,1,1), (1,0,1), (1,1,1) -> 0, 1, 1, 0
(the XOR of the first two inputs; the constant third input does the job of
the missing biases in the hidden layer). The article reports a loss that
falls monotonically and predictions close to the targets.

``d_weights`` is the NEGATIVE gradient of the loss, and the update adds it:
gradient descent with a learning rate of 1. The interface below speaks the
other documents' layout, ``W1 = weights1.T`` (4, 3) and ``W2 = weights2.T``
(1, 4), no ``b`` keys, samples as columns, and :func:`gradients` returns
the gradient itself, ``dW1 = -d_weights1.T``; inside, the article's names and
layout are kept.

Errata, and what this module does about them:

* ``sigmoid`` and ``sigmoid_derivative`` are used but never shown; they are
  written here, the standard way.
* ``sigmoid_derivative`` takes the already-activated output: it is
  ``s * (1 - s)`` of a sigmoid output ``s``, not of the pre-activation (which
  the name suggests and which the code never keeps).
* The update adds ``2 * (y - output) * ...``, the negative gradient, with an
  implied learning rate of 1; here ``learning_rate`` scales ``d_weights``
  (default 1.0, the article's).
* The text and figures speak of "weights and biases" throughout, but "for
  simplicity, we have assumed the biases to be 0": the network has none.
* The loss equation, the data table, the 1500-iteration loop and the final
  predictions are images in the article, lost here; the data is the
  article's, from :func:`micrograd_nn.datasets.three_input`.
* ``np.random.rand`` draws from the global RNG, unseeded. Here ``weights1``
  then ``weights2`` come from ``numpy.random.default_rng(seed)``.
"""
from __future__ import annotations

import numpy as np

from ..datasets import three_input
from .sources import Document

__all__ = [
    "ACTIVATIONS",
    "DOCUMENT",
    "LEARNING_RATE",
    "LOSS",
    "NUM_ITERATIONS",
    "TITLE",
    "NeuralNetwork",
    "cost",
    "gradients",
    "setup",
    "sigmoid",
    "sigmoid_derivative",
    "train",
]

DOCUMENT = Document(
    title="A beginner's guide to understanding the inner workings of Deep Learning",
    author='',
    venue='an article by the author of the book Neural Network Projects with Python (Packt)',
    short="beginner's guide",
)
TITLE = (
    "first article: 3-4-1 sigmoid network without biases, 4 samples, "
    "sum of squares, weights += d_weights"
)
ACTIVATIONS = ["sigmoid", "sigmoid"]
LOSS = "sse"
LEARNING_RATE = 1.0  # implied: weights += d_weights
NUM_ITERATIONS = 1500


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    """The sigmoid's slope, given its OUTPUT x = sigmoid(z): x * (1 - x)."""
    return x * (1 - x)


class NeuralNetwork:
    """The article's network, in its layout.

    ``input`` (m, 3), ``weights1`` (3, 4), ``weights2`` (4, 1), ``y`` (m, 1).

    Args:
        x, y: the data, one sample per row.
        rng: a ``numpy.random.Generator`` (or an int seed, or None) for the
            uniform [0, 1) weights, ``weights1`` drawn first.
        learning_rate: scales the article's ``d_weights`` in the update (1.0 in the article).
    """

    def __init__(self, x, y, rng=None, learning_rate: float = LEARNING_RATE) -> None:
        rng = np.random.default_rng(rng)
        self.input = x
        self.weights1 = rng.random((self.input.shape[1], 4))
        self.weights2 = rng.random((4, 1))
        self.y = y
        self.output = np.zeros(self.y.shape)
        self.learning_rate = learning_rate

    def feedforward(self) -> None:
        self.layer1 = sigmoid(self.input @ self.weights1)
        self.output = sigmoid(self.layer1 @ self.weights2)

    def loss(self) -> float:
        """The sum of squares, sum((y - output)**2), of the last feedforward."""
        return float(np.sum((self.y - self.output) ** 2))

    def d_weights(self):
        """(d_weights1, d_weights2), the chain rule as the article writes it: the NEGATIVE gradient."""
        delta2 = 2 * (self.y - self.output) * sigmoid_derivative(self.output)
        d_weights2 = self.layer1.T @ delta2
        d_weights1 = self.input.T @ ((delta2 @ self.weights2.T) * sigmoid_derivative(self.layer1))
        return d_weights1, d_weights2

    def backprop(self) -> None:
        """The article's update: weights += d_weights (times ``learning_rate``, 1 in the article)."""
        d_weights1, d_weights2 = self.d_weights()
        self.weights1 += self.learning_rate * d_weights1  # 1.0 * d is d, bit for bit
        self.weights2 += self.learning_rate * d_weights2


def _network(parameters: dict, X, Y, learning_rate: float = LEARNING_RATE) -> NeuralNetwork:
    """A NeuralNetwork with copies of W1.T, W2.T, on X.T, Y.T (the article's layout)."""
    if set(parameters) != {"W1", "W2"}:
        raise ValueError(
            f"document 004 (first article) has parameters W1 and W2 only (no biases), got {sorted(parameters)}"
        )
    nn = NeuralNetwork(
        np.asarray(X, dtype=np.float64).T,
        np.asarray(Y, dtype=np.float64).T,
        rng=0,
        learning_rate=learning_rate,
    )
    nn.weights1 = np.array(parameters["W1"], dtype=np.float64).T.copy()
    nn.weights2 = np.array(parameters["W2"], dtype=np.float64).T.copy()
    return nn


# ------------------------------------------------ the reference modules' interface


def setup(seed: int = 1) -> tuple[dict, np.ndarray, np.ndarray]:
    """({'W1': weights1.T (4, 3), 'W2': weights2.T (1, 4)}, X (3, 4), Y (1, 4))."""
    x, y = three_input()
    nn = NeuralNetwork(x, y, rng=np.random.default_rng(seed))
    return {"W1": nn.weights1.T.copy(), "W2": nn.weights2.T.copy()}, x.T.copy(), y.T.copy()


def gradients(parameters: dict, X, Y) -> dict:
    """{'dW1', 'dW2'}: d(Loss)/d(W) of the sum of squares: the article's -d_weights, transposed."""
    nn = _network(parameters, X, Y)
    nn.feedforward()
    d_weights1, d_weights2 = nn.d_weights()
    return {"dW1": -d_weights1.T, "dW2": -d_weights2.T}


def cost(parameters: dict, X, Y) -> float:
    """sum((y - output)**2) over the samples."""
    nn = _network(parameters, X, Y)
    nn.feedforward()
    return nn.loss()


def train(
    parameters: dict,
    X,
    Y,
    num_iterations: int = NUM_ITERATIONS,
    learning_rate: float = LEARNING_RATE,
) -> tuple[dict, list[float]]:
    """The article's loop, feedforward() then backprop(), from copies of the weights.

    Returns:
        ({'W1', 'W2'} after training, the loss of each iteration, before its update).
    """
    nn = _network(parameters, X, Y, learning_rate)
    losses = []
    for i in range(num_iterations):
        nn.feedforward()
        losses.append(nn.loss())
        nn.backprop()
    return {"W1": nn.weights1.T.copy(), "W2": nn.weights2.T.copy()}, losses


def predict(parameters: dict, X):
    """The outputs for the columns of X, shape (1, m)."""
    nn = _network(parameters, X, np.zeros((1, np.shape(X)[1])))
    nn.feedforward()
    return nn.output.T


def main(seed: int = 1) -> None:
    """The article's run: 1500 iterations, then the loss and the predictions."""
    parameters, X, Y = setup(seed)
    params, losses = train(parameters, X, Y)
    print(f"loss {losses[0]:.4f} at iteration 0, {losses[-1]:.6f} at iteration {len(losses) - 1}")
    print("predictions:", predict(params, X).round(4), "targets:", Y)


if __name__ == "__main__":
    main()
