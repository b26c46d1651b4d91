"""Tests for the documents' hand-coded networks (micrograd_nn.documents.doc000 ... doc004b).

The references are themselves the oracle for the Value engine, so they are
checked independently of it: their gradients against central finite
differences of their own cost, their cost against a numpy forward pass and
loss written here, and their training runs against the numbers and behaviour
the documents report.
"""

import importlib
import inspect
import time

import numpy as np
import pytest

from micrograd_nn import losses, nn
from micrograd_nn.documents.sources import Document

MODULES = ["doc000", "doc002", "doc003", "doc004a", "doc004b"]

FD_STEP = 1e-6
FD_REL = 1e-6
FD_ABS = 1e-9


def load(name):
    return importlib.import_module(f"micrograd_nn.documents.{name}")


def numpy_forward(parameters, activations, X):
    functions = {
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
        "relu": lambda z: np.maximum(z, 0),
        "tanh": np.tanh,
        "linear": lambda z: z,
    }
    A = X
    for l, activation in enumerate(activations, start=1):
        Z = parameters[f"W{l}"] @ A
        if f"b{l}" in parameters:
            Z = Z + parameters[f"b{l}"]
        A = functions[activation](Z)
    return A


def numpy_loss(name, AL, Y):
    if name == "binary_cross_entropy":
        return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
    if name == "sse":
        return float(np.sum((Y - AL) ** 2))
    if name == "mse":
        return float(np.mean((Y - AL) ** 2))
    raise AssertionError(name)


def central_differences(cost, parameters, X, Y, h=FD_STEP):
    numeric = {}
    for key, value in parameters.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in parameters.items()}
            minus = {k: v.copy() for k, v in parameters.items()}
            plus[key][index] += h
            minus[key][index] -= h
            grad[index] = (cost(plus, X, Y) - cost(minus, X, Y)) / (2 * h)
        numeric["d" + key] = grad
    return numeric


def random_point(parameters, seed):
    """Standard-normal weights and biases of the same shapes: gradients of a useful size everywhere."""
    rng = np.random.default_rng(seed)
    return {key: rng.standard_normal(value.shape) for key, value in parameters.items()}


# ------------------------------------------------------------ the interface


@pytest.mark.parametrize("name", MODULES)
def test_module_has_the_shared_interface(name):
    ref = load(name)
    assert isinstance(ref.DOCUMENT, Document)  # named by title, author and venue, not by a file
    doc = " ".join(ref.__doc__.split())
    assert ref.DOCUMENT.title in doc and ref.DOCUMENT.author in doc
    assert ref.DOCUMENT.venue and 0 < len(ref.DOCUMENT.short) <= 24  # compare's column
    assert isinstance(ref.TITLE, str) and "\n" not in ref.TITLE
    assert all(a in nn.ACTIVATIONS for a in ref.ACTIVATIONS)
    assert callable(getattr(losses, ref.LOSS))
    assert ref.LEARNING_RATE > 0 and ref.NUM_ITERATIONS >= 1
    for function in ("setup", "gradients", "cost", "train"):
        assert callable(getattr(ref, function))
    assert "seed" in inspect.signature(ref.setup).parameters
    assert "errat" in ref.__doc__.lower()  # every module lists its document's errata


@pytest.mark.parametrize("name", MODULES)
def test_setup_layout_and_shapes(name):
    ref = load(name)
    parameters, X, Y = ref.setup()
    L = len(ref.ACTIVATIONS)
    weights = [f"W{l}" for l in range(1, L + 1)]
    assert set(parameters) in (set(weights), set(weights) | {f"b{l}" for l in range(1, L + 1)})
    n_prev = X.shape[0]
    for l in range(1, L + 1):
        W = parameters[f"W{l}"]
        assert W.dtype == np.float64 and W.ndim == 2 and W.shape[1] == n_prev
        if f"b{l}" in parameters:
            assert parameters[f"b{l}"].shape == (W.shape[0], 1)
        n_prev = W.shape[0]
    assert n_prev == 1 and Y.shape == (1, X.shape[1])
    assert set(np.unique(Y)) <= {0.0, 1.0}
    # the MLP built from it takes the same layout
    model = nn.MLP.from_parameters(parameters, activation=ref.ACTIVATIONS)
    assert len(model.parameters()) == sum(v.size for v in parameters.values())


@pytest.mark.parametrize("name", MODULES)
def test_setup_is_seeded_and_leaves_the_global_rng_alone(name):
    ref = load(name)
    np.random.seed(99)
    state = np.random.get_state()
    a, b = ref.setup(5), ref.setup(5)
    after = np.random.get_state()
    assert np.array_equal(state[1], after[1]) and state[2:] == after[2:]
    for key in a[0]:
        assert np.array_equal(a[0][key], b[0][key])
    assert np.array_equal(a[1], b[1]) and np.array_equal(a[2], b[2])
    other = ref.setup(6)[0]
    assert not np.array_equal(other["W1"], a[0]["W1"])


@pytest.mark.parametrize("name", MODULES)
def test_cost_is_the_documents_loss_of_the_documents_network(name):
    # ACTIVATIONS and LOSS must describe the network, since the comparison builds the engine's from them
    ref = load(name)
    parameters, X, Y = ref.setup()
    for point in (parameters, random_point(parameters, 1)):
        expected = numpy_loss(ref.LOSS, numpy_forward(point, ref.ACTIVATIONS, X), Y)
        assert ref.cost(point, X, Y) == pytest.approx(expected, rel=1e-13)


# ------------------------------------------------- gradients, by finite differences

# At document 002's own starting point every weight is about 0.01, so the ReLU
# pre-activations are about 1e-5: any step large enough to beat rounding crosses
# kinks. Its gradients are checked at the random point (and the engine comparison
# checks them at the starting point to 1e-12).
POINTS = [
    (name, where)
    for name in MODULES
    for where in ("setup", "random")
    if (name, where) != ("doc002", "setup")
]


@pytest.mark.parametrize("name, where", POINTS)
def test_gradients_match_central_differences_of_the_cost(name, where):
    ref = load(name)
    parameters, X, Y = ref.setup()
    if where == "random":
        parameters = random_point(parameters, 7)
    analytic = ref.gradients(parameters, X, Y)
    numeric = central_differences(ref.cost, parameters, X, Y)
    assert set(analytic) == set(numeric)
    for key in numeric:
        assert np.shape(analytic[key]) == numeric[key].shape, key
        np.testing.assert_allclose(
            analytic[key], numeric[key], rtol=FD_REL, atol=FD_ABS, err_msg=key
        )


@pytest.mark.parametrize("name", MODULES)
def test_gradients_do_not_change_the_parameters(name):
    ref = load(name)
    parameters, X, Y = ref.setup()
    before = {k: v.copy() for k, v in parameters.items()}
    ref.gradients(parameters, X, Y)
    ref.cost(parameters, X, Y)
    assert all(np.array_equal(before[k], parameters[k]) for k in parameters)


# ------------------------------------------------------------------ training


@pytest.mark.parametrize("name", MODULES)
def test_train_is_plain_gradient_descent_on_a_copy(name):
    # The documents' loops (the update inside backprop for 003, `weights += d_weights`
    # for 004a) are the same steps as: gradients first, then p -= lr * dp.
    ref = load(name)
    parameters, X, Y = ref.setup()
    before = {k: v.copy() for k, v in parameters.items()}
    lr = 0.3
    trained, costs = ref.train(parameters, X, Y, num_iterations=5, learning_rate=lr)
    assert all(np.array_equal(before[k], parameters[k]) for k in parameters)  # a copy was trained
    assert len(costs) == 5 and all(isinstance(c, float) for c in costs)
    by_hand = {k: v.copy() for k, v in parameters.items()}
    for i in range(5):
        assert costs[i] == pytest.approx(ref.cost(by_hand, X, Y), rel=1e-13)
        grads = ref.gradients(by_hand, X, Y)
        by_hand = {k: v - lr * grads["d" + k] for k, v in by_hand.items()}
    for key in parameters:
        np.testing.assert_allclose(trained[key], by_hand[key], rtol=1e-13, atol=1e-15, err_msg=key)


def test_doc000_full_run_falls_below_001_with_accuracy_1():
    # Document 000 prints 1.1711699442160648 at iteration 0 (from an unseeded randn start)
    # and 0.0020784388939241102 at iteration 9000; accuracy 1.0.
    ref = load("doc000")
    parameters, X, Y = ref.setup()
    start = time.perf_counter()
    trained, costs = ref.train(parameters, X, Y)
    seconds = time.perf_counter() - start
    assert len(costs) == 10000
    assert 0.3 < costs[0] < 3.0
    assert costs[9000] < 0.01 and costs[-1] < 0.01
    assert ref.acc(ref.predict(X, trained), Y) == 1.0  # the document's 0.9 threshold
    assert ref.acc(ref.predict(X, trained, threshold=0.5), Y) == 1.0
    assert seconds < 10, f"the numpy reference should take a few seconds, took {seconds:.1f}"


def test_doc000_some_seeds_stall_as_the_documents_init_allows():
    # Standard-normal weights can kill a whole ReLU layer: the cost never moves.
    ref = load("doc000")
    parameters, X, Y = ref.setup(5)
    _, costs = ref.train(parameters, X, Y, num_iterations=50)
    assert costs[0] == costs[-1] == pytest.approx(np.log(2))


def test_doc002_document_setup_learns_only_the_base_rate_and_he_init_learns():
    ref = load("doc002")
    parameters, X, Y = ref.setup()
    trained, costs = ref.train(parameters, X, Y)
    p = Y.mean()
    base_rate_entropy = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    assert costs[0] == pytest.approx(np.log(2), abs=1e-6)
    assert costs[-1] == pytest.approx(base_rate_entropy, abs=1e-3)
    assert ref.accuracy(trained, X, Y) == pytest.approx(1 - p)  # "never rain"
    he = ref.initialize_parameters_he(ref.nn_architecture, np.random.default_rng(ref.SEED))
    trained, costs = ref.train(he, X, Y)
    assert costs[-1] < 0.25 and ref.accuracy(trained, X, Y) > 0.85


def test_doc003_learns_xor():
    ref = load("doc003")
    parameters, x, y = ref.setup()
    trained, costs = ref.train(parameters, x, y)
    assert len(costs) == 1500
    assert np.array_equal(np.round(ref.predict(trained, x)), [[0, 1, 1, 0]])
    assert costs[-1] < costs[0] / 10


def test_doc003_learning_rate_is_a_class_attribute_that_train_leaves_alone():
    ref = load("doc003")
    assert ref.Layer.learning_rate == 0.1
    parameters, x, y = ref.setup()
    ref.train(parameters, x, y, num_iterations=2, learning_rate=0.7)
    assert ref.Layer.learning_rate == 0.1
    assert set(ref.Layer.activationFns) == {"tanh", "sigmoid"}
    with pytest.raises(ValueError, match="unknown activation 'relu'"):
        ref.Layer(2, 3, "relu", rng=0)


def test_doc003_backprop_computes_dA1_before_the_update():
    ref = load("doc003")
    layer = ref.Layer(2, 3, "tanh", rng=0)
    W_before = layer.W.copy()
    x = np.array([[0.0, 1.0], [1.0, 1.0]])
    layer.feedforward(x)
    dA = np.ones((3, 2))
    dA1 = layer.backprop(dA)
    expected = W_before.T @ (ref.d_tanh(W_before @ x + 0.0) * dA)
    np.testing.assert_allclose(dA1, expected, rtol=1e-15)
    assert not np.array_equal(layer.W, W_before)  # and the update did happen


def test_doc004a_loss_falls_monotonically_and_predictions_reach_the_targets():
    ref = load("doc004a")
    parameters, X, Y = ref.setup()
    trained, losses_ = ref.train(parameters, X, Y)
    assert len(losses_) == 1500
    assert all(later < earlier for earlier, later in zip(losses_, losses_[1:]))
    np.testing.assert_allclose(ref.predict(trained, X), Y, atol=0.1)


def test_doc004a_d_weights_are_the_negative_gradient():
    ref = load("doc004a")
    parameters, X, Y = ref.setup()
    network = ref._network(parameters, X, Y)
    network.feedforward()
    d_weights1, d_weights2 = network.d_weights()
    grads = ref.gradients(parameters, X, Y)
    assert np.array_equal(grads["dW1"], -d_weights1.T) and np.array_equal(
        grads["dW2"], -d_weights2.T
    )
    assert "b1" not in parameters  # the article's network has no biases


def test_doc004a_sigmoid_derivative_takes_the_activated_output():
    ref = load("doc004a")
    z = np.array([-2.0, 0.0, 3.0])
    s = ref.sigmoid(z)
    np.testing.assert_allclose(
        ref.sigmoid_derivative(s), np.exp(-z) / (1 + np.exp(-z)) ** 2, rtol=1e-14
    )


def test_doc004b_cost_falls_and_the_moons_are_separated():
    ref = load("doc004b")
    parameters, X, Y = ref.setup()
    trained, costs = ref.train(parameters, X, Y)
    assert costs[0] == pytest.approx(np.log(2), abs=1e-4)
    assert costs[-1] < 0.01
    assert ref.accuracy(trained, X, Y) == 1.0


# ----------------------------------------------------- the errata, fixed


def test_doc000_forward_reads_each_layers_own_weights():
    # The document reads parameters['W' + str(1)] for every hidden layer; with
    # layers of different widths that cannot even run.
    ref = load("doc000")
    rng = np.random.default_rng(0)
    parameters = ref.initialize_parameters([2, 4, 3, 1], rng)
    X = rng.standard_normal((2, 5))
    AL, caches = ref.L_model_forward(X, parameters)
    np.testing.assert_allclose(
        AL, numpy_forward(parameters, ["relu", "relu", "sigmoid"], X), rtol=1e-15
    )
    assert [cache[0][1].shape for cache in caches] == [(4, 2), (3, 4), (1, 3)]


def test_doc000_compute_cost_sums_both_terms():
    ref = load("doc000")
    AL = np.array([[0.9, 0.2, 0.6]])
    Y = np.array([[1.0, 0.0, 0.0]])
    expected = -(np.log(0.9) + np.log(0.8) + np.log(0.4)) / 3
    assert ref.compute_cost(AL, Y) == pytest.approx(expected, rel=1e-15)


def test_doc000_grads_hold_every_layer_the_first_included():
    ref = load("doc000")
    parameters, X, Y = ref.setup()
    assert set(ref.gradients(parameters, X, Y)) == {"dW1", "db1", "dW2", "db2", "dW3", "db3"}


def test_doc002_update_parameters_updates_every_layer_once():
    # The document loops range(1, len(parameters)): layers 1..7 of a 4-layer network.
    ref = load("doc002")
    parameters = {f"{p}{l}": np.zeros((1, 1)) for l in range(1, 5) for p in "Wb"}
    grads = {f"d{p}{l}": np.ones((1, 1)) for l in range(1, 5) for p in "Wb"}
    updated = ref.update_parameters(dict(parameters), grads, 0.5)
    assert set(updated) == set(parameters)
    assert all(value.tolist() == [[-0.5]] for value in updated.values())


def test_doc002_forward_cache_keeps_A0_for_the_first_layers_backward():
    ref = load("doc002")
    parameters, X, Y = ref.setup()
    _, forward_cache = ref.L_model_forward(X, parameters, ref.nn_architecture)
    assert forward_cache["A0"] is X
    assert ref.nn_architecture[0]["layer_size"] == X.shape[0] == 4


def test_doc004b_backprop_keeps_the_last_layers_grads_under_L():
    ref = load("doc004b")
    rng = np.random.default_rng(2)
    params = ref.init_params([2, 4, 3, 1], rng)  # a deeper network: the loop runs twice
    X = rng.standard_normal((2, 6))
    Y = (rng.random((1, 6)) > 0.5).astype(float)
    AL, caches = ref.forward_prop(X, params)
    grads = ref.backprop(AL, Y, caches)
    assert {"dW1", "dW2", "dW3", "db1", "db2", "db3"} <= set(grads)
    assert grads["dW3"].shape == (1, 3) and grads["dW2"].shape == (3, 4)
    numeric = central_differences(ref.cost, params, X, Y)
    for key in numeric:
        np.testing.assert_allclose(grads[key], numeric[key], rtol=FD_REL, atol=FD_ABS, err_msg=key)


def test_doc004b_cost_function_is_a_float():
    ref = load("doc004b")
    cost = ref.cost_function(np.array([[0.5, 0.25]]), np.array([[1.0, 0.0]]))
    assert isinstance(cost, float)
    assert cost == pytest.approx(-(np.log(0.5) + np.log(0.75)) / 2, rel=1e-15)


# ---------------------------------------------------------------- the scripts


@pytest.mark.parametrize("name", MODULES)
def test_main_runs_the_documents_experiment(name, capsys):
    load(name).main()
    out = capsys.readouterr().out
    assert len(out.splitlines()) >= 2
