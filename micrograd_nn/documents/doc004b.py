"""Document 004, second article, re-implemented: an all-sigmoid L-layer network with caches.

Document 004 holds two articles. The second, untitled and with no author
named (tagged #python #machine-learning), builds an L-layer network in which
every layer is sigmoid::

    params['W{l}'] = randn(n[l], n[l-1]) * 0.01, params['b{l}'] = 0   (np.random.seed(3))
    Z = W @ A_prev + b;  A = sigmoid(Z);  cache = ((A_prev, W, b), Z)
    cost = -(1/m) * (log(A) @ Y.T + log(1 - A) @ (1 - Y).T)
    one_layer_backward: dZ = dA * s (1 - s);  dW = (1/m) dZ @ A_prev.T;
                        db = (1/m) sum(dZ);  dA_prev = W.T @ dZ
    update: W{l} -= lr * dW{l}, b{l} -= lr * db{l}   (full batch, `epochs` times)

for "any binary data": it gives neither data nor layer sizes, learning rate or
epoch count. Chosen here:

* data: two moons (:func:`micrograd_nn.datasets.make_moons`), 200 samples,
  noise 0.1, drawn from the same seeded generator;
* ``layer_dims = [2, 4, 1]``, ``learning_rate = 5.0``, ``num_iterations =
  1500``: the cost falls from log 2 = 0.693 to about 0.26 within 300
  iterations (a nearly linear boundary), then to about 0.01 by iteration 1000
  and 0.005 by 1500, every moon classified correctly (seed 3). At the
  course's 0.0075 it would barely move: with every weight near 0.01 the
  output starts at 0.5 for every sample and the gradients are tiny.

  Why not a deeper network such as [2, 4, 3, 1]: with 0.01 weights in two
  hidden layers the units of a layer start out nearly alike and the signal
  through them is a product of small numbers, so the cost sits on a plateau
  at 0.693 (at learning rates 0.5 and 1 for more than 3000 iterations, at
  2.0 for about 1500, at 5.0 for about 250) before it falls. Leaving that
  plateau amplifies the smallest differences between the units: a change of
  1e-15 (relative) in the initial weights moves the weights after 1500
  iterations by about 4e-7, so no two implementations in floating point,
  this one and the Value engine included, can agree on that run to 1e-9 (the
  gradients still agree to 1e-13). The one-hidden-layer network learns
  without the plateau, and its run is well conditioned (the same 1e-15
  change moves its final weights by about 1e-14), so the comparison checks
  all 1500 iterations.

Errata, and what this module does about them:

* ``cost_function`` calls ``log(1-A)``, not ``np.log`` (``NameError``), and
  returns a (1, 1) array rather than a number. Fixed: ``np.log``, and the
  cost is a float.
* ``backprop`` stores the last layer's gradients under ``L-1``
  (``grads['dW'+str(L-1)]``); the loop then overwrites ``dW{L-1}`` with the
  real layer L-1 gradient, so ``dW{L}``, ``db{L}`` are lost. Here they are
  ``grads['dW{L}']``, ``grads['db{L}']`` (and ``dA{L-1}``, which the
  document gets right).
* ``update_parameters`` reads ``grads['W'+str(l+1)]`` and
  ``grads['b'+str(l+1)]`` (``KeyError``); it is ``grads['dW..']``,
  ``grads['db..']``.
* ``init_params`` calls ``np.random.seed(3)`` on the global RNG every time.
  Here :func:`setup` uses ``numpy.random.default_rng(seed)`` with the
  document's 3 as the default seed, drawing the data first, then the weights.
* Indentation is lost throughout; restored.

The document's ``train(X, Y, layer_dims, epochs, lr)`` initializes the
parameters itself; here that is ``train(init_params(layer_dims, rng), X, Y,
epochs, lr)``, so the comparison can start both sides from the same weights.
"""
from __future__ import annotations

import numpy as np

from ..datasets import make_moons
from .sources import Document

__all__ = [
    "ACTIVATIONS",
    "DOCUMENT",
    "LEARNING_RATE",
    "LOSS",
    "NUM_ITERATIONS",
    "TITLE",
    "backprop",
    "cost",
    "cost_function",
    "forward_prop",
    "gradients",
    "init_params",
    "layer_dims",
    "one_layer_backward",
    "setup",
    "sigmoid",
    "train",
    "update_parameters",
]

DOCUMENT = Document(
    title='',
    author='',
    venue='an untitled article (init_params, forward_prop, backprop, train), tagged #python #machine-learning',
    short='untitled #python post',
)
#: The layer sizes chosen here (the document leaves them to the reader).
layer_dims = [2, 4, 1]
TITLE = (
    "second article: all-sigmoid L-layer network [2, 4, 1], 0.01 * randn init, "
    "two moons (200, noise 0.1), binary cross-entropy"
)
ACTIVATIONS = ["sigmoid"] * (len(layer_dims) - 1)
LOSS = "binary_cross_entropy"
LEARNING_RATE = 5.0
NUM_ITERATIONS = 1500
SEED = 3  # the document's np.random.seed(3)

N_SAMPLES = 200
NOISE = 0.1


def init_params(layer_dims: list[int], rng: np.random.Generator) -> dict:
    """``W{l}`` = 0.01 * N(0, 1) of shape (n[l], n[l-1]), ``b{l}`` = 0 of shape (n[l], 1)."""
    params = {}
    for l in range(1, len(layer_dims)):
        params["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * 0.01
        params["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return params


def sigmoid(Z):
    """(A, cache): A = 1 / (1 + e**-Z), cache = Z."""
    A = 1 / (1 + np.exp(-Z))
    return A, Z


def forward_prop(X, params: dict):
    """(A, caches): every layer linear then sigmoid; caches[l-1] = ((A_prev, W, b), Z)."""
    A = X
    caches = []
    L = len(params) // 2
    for l in range(1, L + 1):
        A_prev = A
        Z = params["W" + str(l)] @ A_prev + params["b" + str(l)]
        linear_cache = (A_prev, params["W" + str(l)], params["b" + str(l)])
        A, activation_cache = sigmoid(Z)
        caches.append((linear_cache, activation_cache))
    return A, caches


def cost_function(A, Y) -> float:
    """-(1/m) * (log(A) @ Y.T + log(1 - A) @ (1 - Y).T), as a float (np.log: erratum fixed)."""
    m = Y.shape[1]
    cost = (-1 / m) * (np.log(A) @ Y.T + np.log(1 - A) @ (1 - Y).T)
    return float(np.squeeze(cost))


def one_layer_backward(dA, cache):
    """(dA_prev, dW, db) for one sigmoid layer."""
    linear_cache, activation_cache = cache
    Z = activation_cache
    s = sigmoid(Z)[0]
    dZ = dA * s * (1 - s)
    A_prev, W, b = linear_cache
    m = A_prev.shape[1]
    dW = (1 / m) * (dZ @ A_prev.T)
    db = (1 / m) * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


def backprop(AL, Y, caches) -> dict:
    """grads['dW{l}'], grads['db{l}'] for l = 1..L (the last layer's under L: erratum fixed), and dA."""
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = one_layer_backward(
        dAL, caches[L - 1]
    )
    for l in reversed(range(L - 1)):
        dA_prev, dW, db = one_layer_backward(grads["dA" + str(l + 1)], caches[l])
        grads["dA" + str(l)] = dA_prev
        grads["dW" + str(l + 1)] = dW
        grads["db" + str(l + 1)] = db
    return grads


def update_parameters(parameters: dict, grads: dict, learning_rate: float) -> dict:
    """W{l} -= learning_rate * grads['dW{l}'] (the document reads grads['W{l}']: erratum fixed)."""
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = (
            parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        )
        parameters["b" + str(l + 1)] = (
            parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
        )
    return parameters


# ------------------------------------------------ the reference modules' interface


def setup(seed: int = SEED) -> tuple[dict, np.ndarray, np.ndarray]:
    """(initial parameters, X (2, 200), Y (1, 200)): moons then weights from ``default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    features, labels = make_moons(N_SAMPLES, noise=NOISE, seed=rng)
    X = features.T
    Y = labels.reshape(1, -1).astype(np.float64)
    return init_params(layer_dims, rng), X, Y


def gradients(parameters: dict, X, Y) -> dict:
    """{'dW1', 'db1', ..., 'dWL', 'dbL'}: d(cost)/d(parameter), the cost the mean cross-entropy."""
    AL, caches = forward_prop(X, parameters)
    grads = backprop(AL, Y, caches)
    return {key: value for key, value in grads.items() if not key.startswith("dA")}


def cost(parameters: dict, X, Y) -> float:
    AL, _ = forward_prop(X, parameters)
    return cost_function(AL, Y)


def train(
    parameters: dict,
    X,
    Y,
    num_iterations: int = NUM_ITERATIONS,
    learning_rate: float = LEARNING_RATE,
) -> tuple[dict, list[float]]:
    """The document's ``train`` loop from a copy of ``parameters``; returns (params, cost_history)."""
    params = {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}
    cost_history = []
    for i in range(num_iterations):
        Y_hat, caches = forward_prop(X, params)
        cost_history.append(cost_function(Y_hat, Y))
        grads = backprop(Y_hat, Y, caches)
        params = update_parameters(params, grads, learning_rate)
    return params, cost_history


def accuracy(parameters: dict, X, Y) -> float:
    """The fraction of samples where (A > 0.5) equals the label."""
    AL, _ = forward_prop(X, parameters)
    return float(np.mean((AL > 0.5) == Y))


def main(seed: int = SEED) -> None:
    """Train on the moons; print the cost every 200 iterations and the accuracy."""
    parameters, X, Y = setup(seed)
    params, cost_history = train(parameters, X, Y)
    for i in range(0, len(cost_history), 200):
        print(f"cost {cost_history[i]:.6f} at iteration {i}")
    print(
        f"cost {cost_history[-1]:.6f} at iteration {len(cost_history) - 1}, accuracy {accuracy(params, X, Y):.3f}"
    )


if __name__ == "__main__":
    main()
