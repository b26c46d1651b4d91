"""Document 002, re-implemented: a deep network configured by a list of layer dicts.

The document is "Deep Neural Networks from scratch in Python" by Piotr Babel,
a Medium article (Jun 11). The network is described by
``nn_architecture``, one ``{"layer_size", "activation"}`` dict per layer, the
input layer first::

    [4 (input), 5 relu, 4 relu, 3 relu, 1 sigmoid]
    Z[l] = W[l] @ A[l-1] + b[l];  A[l] = g[l](Z[l])
    cost = -(1/m) * sum(Y * log(AL) + (1 - Y) * log(1 - AL))

trained by full-batch gradient descent to predict rain (1) or not (0) from
weather data. The shapes are the document's Table 2: W1 (5, 4), W2 (4, 5),
W3 (3, 4), W4 (1, 3), each b (n[l], 1).

Choices where the document is cut off or silent:

* Initialization: Snippet 1 is cut after ``np.random.seed(seed)`` (seed 3) and
  the layer count; the text says "small random numbers". The copies of the
  article's code in public repositories draw ``np.random.randn(n[l], n[l-1])
  * 0.01`` with zero biases (the course's ``initialize_parameters_deep``),
  so that is used here, from ``numpy.random.default_rng(seed)`` with the
  document's seed 3 as the default.
* Learning rate and iterations: Snippet 7's signature is cut at
  ``learning_rate = 0.``; the same copies have ``learning_rate = 0.0075,
  num_iterations = 3000`` (the course's defaults), used here. With weights of
  0.01 in four layers the output starts at 0.5 whatever the input and the
  first layers get almost no gradient: in 3000 iterations the network only
  learns the base rate (the cost falls from log 2 = 0.6931 to 0.6665, the
  entropy of 38.5 % rain, accuracy 0.615, "never rain"). Even at learning
  rate 1 it needs over 10,000 iterations to leave that plateau. That is the
  document's set-up, kept as it is (the comparison with the Value engine
  does not care whether the network learns). :func:`initialize_parameters_he`
  (N(0, 2 / n[l-1]), the remedy the document's "He" remark points to) makes
  the same network learn the weather rule in the same 3000 iterations
  (seed 3: cost 0.705 -> 0.165, accuracy 0.93): ``python -m
  micrograd_nn.documents.doc002`` prints both runs.
* Data: none is given (:func:`micrograd_nn.datasets.weather` generates a
  seeded synthetic set of 200 samples, see there), standardized per feature.

Errata, and what this module does about them:

* ``update_parameters`` sets ``L = len(parameters)`` and loops ``range(1, L)``,
  but ``parameters`` holds two entries (W and b) per layer, so it asks for
  layers 5 to 7, which do not exist (``KeyError``). Here it loops over the
  ``len(parameters) // 2`` layers, 1 to L.
* The architecture has 4 inputs while the text lists 3 features
  (temperature, humidity, pressure): the synthetic set adds wind speed.
* ``L_model_forward`` stores ``Z1..ZL`` and ``A1..AL`` in ``forward_cache``
  but never ``A0`` (= X), which ``L_model_backward`` reads for layer 1
  (``forward_cache['A' + str(l-1)]``, another ``KeyError``). Here ``A0`` is
  stored.
* ``L_layer_model`` calls ``np.random.seed(1)``, and ``initialize_parameters``
  at once re-seeds the global RNG with 3, so the first seed does nothing.
  Here nothing touches the global RNG; ``setup(seed)`` draws everything.
* The recipe "subtract the mean of the whole numpy array ... divide by the
  standard deviation of the whole numpy array" comes from image data, where
  every feature shares a unit; with degrees, percent and hPa it leaves the
  pressure apart from the rest, so each feature is standardized on its own.
* Equation 3 writes ``dA[l-1] = W[l].T dZ[l](i)`` with a stray sample
  superscript; it is the whole matrix ``dZ[l]``.
"""
from __future__ import annotations

import numpy as np

from ..datasets import weather
from .sources import Document

__all__ = [
    "ACTIVATIONS",
    "DOCUMENT",
    "LEARNING_RATE",
    "LOSS",
    "NUM_ITERATIONS",
    "TITLE",
    "L_layer_model",
    "accuracy",
    "L_model_backward",
    "L_model_forward",
    "compute_cost",
    "cost",
    "gradients",
    "initialize_parameters",
    "initialize_parameters_he",
    "nn_architecture",
    "setup",
    "train",
    "update_parameters",
]

DOCUMENT = Document(
    title='Deep Neural Networks from scratch in Python',
    author='Piotr Babel',
    venue='a Medium article (Jun 11)',
    short='Babel, Medium',
)
TITLE = (
    "deep network from nn_architecture [4, 5, 4, 3, 1], ReLU x3 + sigmoid, "
    "synthetic weather (rain or not), binary cross-entropy"
)
ACTIVATIONS = ["relu", "relu", "relu", "sigmoid"]
LOSS = "binary_cross_entropy"
LEARNING_RATE = 0.0075
NUM_ITERATIONS = 3000
SEED = 3  # the document's initialize_parameters(nn_architecture, seed=3)
N_SAMPLES = 200

nn_architecture = [
    {"layer_size": 4, "activation": "none"},  # input layer
    {"layer_size": 5, "activation": "relu"},
    {"layer_size": 4, "activation": "relu"},
    {"layer_size": 3, "activation": "relu"},
    {"layer_size": 1, "activation": "sigmoid"},
]


def initialize_parameters(nn_architecture: list[dict], rng: np.random.Generator) -> dict:
    """``W{l}`` = 0.01 * N(0, 1) of shape (n[l], n[l-1]), ``b{l}`` = 0 of shape (n[l], 1)."""
    parameters = {}
    for l in range(1, len(nn_architecture)):
        n, n_prev = nn_architecture[l]["layer_size"], nn_architecture[l - 1]["layer_size"]
        parameters["W" + str(l)] = rng.standard_normal((n, n_prev)) * 0.01
        parameters["b" + str(l)] = np.zeros((n, 1))
    return parameters


def initialize_parameters_he(nn_architecture: list[dict], rng: np.random.Generator) -> dict:
    """He initialization (not the document's): ``W{l}`` = N(0, 1) * sqrt(2 / n[l-1]), ``b{l}`` = 0."""
    parameters = {}
    for l in range(1, len(nn_architecture)):
        n, n_prev = nn_architecture[l]["layer_size"], nn_architecture[l - 1]["layer_size"]
        parameters["W" + str(l)] = rng.standard_normal((n, n_prev)) * np.sqrt(2 / n_prev)
        parameters["b" + str(l)] = np.zeros((n, 1))
    return parameters


# ------------------------------------------------------- Snippet 2: activations


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def relu(Z):
    return np.maximum(0, Z)


def sigmoid_backward(dA, Z):
    S = sigmoid(Z)
    return dA * S * (1 - S)


def relu_backward(dA, Z):
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


# ----------------------------------------------------- Snippet 3: forward


def linear_activation_forward(A_prev, W, b, activation: str):
    """(Z, A) with Z = W @ A_prev + b and A = activation(Z)."""
    Z = W @ A_prev + b
    A = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return Z, A


def L_model_forward(X, parameters: dict, nn_architecture: list[dict]):
    """(AL, forward_cache) with forward_cache['A0'] = X, 'Z1', 'A1', ... (A0 added: erratum)."""
    forward_cache = {"A0": X}
    A = X
    for l in range(1, len(nn_architecture)):
        A_prev = A
        Z, A = linear_activation_forward(
            A_prev,
            parameters["W" + str(l)],
            parameters["b" + str(l)],
            nn_architecture[l]["activation"],
        )
        forward_cache["Z" + str(l)] = Z
        forward_cache["A" + str(l)] = A
    AL = A
    return AL, forward_cache


# ------------------------------------------------------ Snippet 4: the cost


def compute_cost(AL, Y) -> float:
    """-(1/m) * sum(Y * log(AL) + (1 - Y) * log(1 - AL))."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(AL), Y) + np.multiply(1 - Y, np.log(1 - AL))
    return float(-np.sum(logprobs) / m)


# ---------------------------------------------------- Snippet 5: backward


def linear_backward(dZ, A_prev, W):
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


def linear_activation_backward(dA, Z, A_prev, W, activation: str):
    dZ = sigmoid_backward(dA, Z) if activation == "sigmoid" else relu_backward(dA, Z)
    return linear_backward(dZ, A_prev, W)


def L_model_backward(
    AL, Y, parameters: dict, forward_cache: dict, nn_architecture: list[dict]
) -> dict:
    """grads['dW{l}'], grads['db{l}'] for l = L..1.

    dAL, dZ and dA_prev are per sample (of the summed loss); dW and db carry the 1/m.
    """
    grads = {}
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA_prev = dAL
    for l in reversed(range(1, len(nn_architecture))):
        dA_curr = dA_prev
        dA_prev, dW_curr, db_curr = linear_activation_backward(
            dA_curr,
            forward_cache["Z" + str(l)],
            forward_cache["A" + str(l - 1)],
            parameters["W" + str(l)],
            nn_architecture[l]["activation"],
        )
        grads["dW" + str(l)] = dW_curr
        grads["db" + str(l)] = db_curr
    return grads


# ---------------------------------------------------- Snippet 6: the update


def update_parameters(parameters: dict, grads: dict, learning_rate: float) -> dict:
    """W{l} -= learning_rate * dW{l}, b{l} -= learning_rate * db{l} for l = 1..len // 2 (erratum fixed)."""
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


# ---------------------------------------------------- Snippet 7: the model


def L_layer_model(
    X,
    Y,
    nn_architecture: list[dict],
    learning_rate: float = LEARNING_RATE,
    num_iterations: int = NUM_ITERATIONS,
    print_cost: bool = False,
    seed: int = SEED,
):
    """Initialize from ``seed``, then train; returns (parameters, costs)."""
    parameters = initialize_parameters(nn_architecture, np.random.default_rng(seed))
    return train(parameters, X, Y, num_iterations, learning_rate, print_cost=print_cost)


# ------------------------------------------------ the reference modules' interface


def setup(seed: int = SEED) -> tuple[dict, np.ndarray, np.ndarray]:
    """(initial parameters, X (4, 200), Y (1, 200)): the synthetic weather set, standardized.

    One ``numpy.random.default_rng(seed)`` draws the data, then the parameters.
    """
    rng = np.random.default_rng(seed)
    features, rain = weather(N_SAMPLES, seed=rng)
    X = features.T
    Y = rain.reshape(1, -1).astype(np.float64)
    return initialize_parameters(nn_architecture, rng), X, Y


def gradients(parameters: dict, X, Y) -> dict:
    """{'dW1', 'db1', ..., 'dW4', 'db4'}: d(cost)/d(parameter), the cost the mean cross-entropy."""
    AL, forward_cache = L_model_forward(X, parameters, nn_architecture)
    grads = L_model_backward(AL, Y, parameters, forward_cache, nn_architecture)
    return {key: grads[key] for l in range(1, len(nn_architecture)) for key in (f"dW{l}", f"db{l}")}


def cost(parameters: dict, X, Y) -> float:
    AL, _ = L_model_forward(X, parameters, nn_architecture)
    return compute_cost(AL, Y)


def train(
    parameters: dict,
    X,
    Y,
    num_iterations: int = NUM_ITERATIONS,
    learning_rate: float = LEARNING_RATE,
    print_cost: bool = False,
) -> tuple[dict, list[float]]:
    """Full-batch gradient descent from a copy of ``parameters``; (parameters, cost per iteration)."""
    parameters = {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}
    costs = []
    for i in range(num_iterations):
        AL, forward_cache = L_model_forward(X, parameters, nn_architecture)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, parameters, forward_cache, nn_architecture)
        parameters = update_parameters(parameters, grads, learning_rate)
        costs.append(cost)
        if print_cost and i % 100 == 0:
            print("Cost after iteration %i: %f" % (i, cost))
    return parameters, costs


def accuracy(parameters: dict, X, Y) -> float:
    """The fraction of samples where (AL > 0.5) equals the label."""
    AL, _ = L_model_forward(X, parameters, nn_architecture)
    return float(np.mean((AL > 0.5) == Y))


def main(seed: int = SEED) -> None:
    """The document's run (cost every 100 iterations), then the same from a He initialization."""
    parameters, X, Y = setup(seed)
    params, costs = train(parameters, X, Y, print_cost=True)
    print(
        f"0.01 * randn init: cost {costs[0]:.4f} -> {costs[-1]:.4f}, accuracy {accuracy(params, X, Y):.3f}"
    )
    he = initialize_parameters_he(nn_architecture, np.random.default_rng(seed))
    params, costs = train(he, X, Y)
    print(
        f"He init:           cost {costs[0]:.4f} -> {costs[-1]:.4f}, accuracy {accuracy(params, X, Y):.3f}"
    )


if __name__ == "__main__":
    main()
