"""MLP.from_parameters and MLP.to_parameters: the documents' W1/b1 layout and the Value engine.

Expected outputs come from a numpy forward pass written here
(Z = W @ A + b, one activation per layer), never from the code under test.
"""

import re

import numpy as np
import pytest

from micrograd_nn import MLP, Value

NUMPY_ACTIVATIONS = {
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
    "linear": lambda z: z,
}


def random_parameters(rng, layer_dims, bias=True, b_flat=False):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        if bias:
            shape = (layer_dims[l],) if b_flat else (layer_dims[l], 1)
            parameters[f"b{l}"] = rng.standard_normal(shape)
    return parameters


def numpy_forward(parameters, activations, X):
    A = X
    for l, activation in enumerate(activations, start=1):
        Z = parameters[f"W{l}"] @ A
        if f"b{l}" in parameters:
            Z = Z + np.reshape(parameters[f"b{l}"], (-1, 1))
        A = NUMPY_ACTIVATIONS[activation](Z)
    return A


def escape(text):
    return re.escape(text)


# ---------------------------------------------------------------- round trip


@pytest.mark.parametrize("seed", range(8))
def test_round_trip_is_bit_for_bit_with_random_data(seed):
    rng = np.random.default_rng(seed)
    layer_dims = [int(n) for n in rng.integers(1, 6, size=rng.integers(2, 6))]
    parameters = random_parameters(rng, layer_dims, bias=bool(seed % 2))
    # awkward values too: tiny, huge, negative zero, subnormal
    parameters["W1"].flat[0] = 5e-324
    parameters["W1"].flat[-1] = -0.0
    back = MLP.from_parameters(parameters, activation="tanh").to_parameters()
    assert list(back) == list(parameters)  # same keys, the documents' order W1, b1, W2, ...
    for key, value in parameters.items():
        assert back[key].dtype == np.float64
        assert back[key].shape == value.shape
        assert np.array_equal(back[key], value)
        assert back[key].tobytes() == value.tobytes()  # bit for bit, the sign of -0.0 included


def test_flat_biases_are_accepted_and_come_back_as_columns():
    rng = np.random.default_rng(1)
    parameters = random_parameters(rng, [3, 4, 2], b_flat=True)
    back = MLP.from_parameters(parameters).to_parameters()
    assert back["b1"].shape == (4, 1) and back["b2"].shape == (2, 1)
    assert np.array_equal(back["b1"][:, 0], parameters["b1"])


def test_model_round_trip_from_a_constructed_mlp():
    model = MLP(3, [4, 2, 1], activation="sigmoid", seed=3, init="normal", bias_init="normal")
    parameters = model.to_parameters()
    assert [k for k in parameters] == ["W1", "b1", "W2", "b2", "W3", "b3"]
    again = MLP.from_parameters(parameters, activation="sigmoid")
    assert [p.data for p in again.parameters()] == [p.data for p in model.parameters()]
    assert [n for n, _ in again.named_parameters()] == [n for n, _ in model.named_parameters()]


def test_weights_are_placed_by_row_and_column_and_labelled():
    parameters = {
        "W1": np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
        "b1": np.array([[7.0], [8.0]]),
    }
    model = MLP.from_parameters(parameters, activation="linear")
    named = dict((name, p.data) for name, p in model.named_parameters())
    assert named == {
        "W1[0,0]": 1.0, "W1[0,1]": 2.0, "W1[0,2]": 3.0, "b1[0]": 7.0,
        "W1[1,0]": 4.0, "W1[1,1]": 5.0, "W1[1,2]": 6.0, "b1[1]": 8.0,
    }  # fmt: skip


def test_no_b_keys_means_no_biases():
    parameters = {"W1": np.ones((4, 3)), "W2": np.ones((1, 4))}
    model = MLP.from_parameters(parameters, activation="sigmoid")
    assert all(n.b is None for layer in model.layers for n in layer.neurons)
    assert len(model.parameters()) == 16
    assert list(model.to_parameters()) == ["W1", "W2"]


def test_lists_and_int_arrays_are_accepted():
    model = MLP.from_parameters({"W1": [[1, 2]], "b1": [[3]]}, activation="linear")
    assert model([1.0, 1.0]).data == 6.0
    assert model.to_parameters()["W1"].dtype == np.float64


def test_from_parameters_copies():
    parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.5]])}
    model = MLP.from_parameters(parameters, activation="linear")
    parameters["W1"][0, 0] = 100.0
    assert model.layers[0].neurons[0].w[0].data == 1.0
    out = model.to_parameters()
    out["W1"][0, 1] = -7.0
    assert model.layers[0].neurons[0].w[1].data == 2.0


def test_to_parameters_refuses_a_mix_of_neurons_with_and_without_bias():
    model = MLP(2, [2, 1], seed=0)
    model.layers[0].neurons[1].b = None
    with pytest.raises(ValueError, match="some neurons have a bias and others do not"):
        model.to_parameters()


# ------------------------------------------------------------ the forward pass


@pytest.mark.parametrize(
    "layer_dims, activations, bias",
    [
        ([2, 4, 4, 1], ["relu", "relu", "sigmoid"], True),  # document 000
        ([4, 5, 4, 3, 1], ["relu", "relu", "relu", "sigmoid"], True),  # document 002
        ([2, 3, 1], ["tanh", "sigmoid"], True),  # document 003
        ([3, 4, 1], ["sigmoid", "sigmoid"], False),  # document 004, first article
        ([2, 3, 2], ["tanh", "linear"], True),  # two outputs
    ],
)
def test_feedforward_equals_a_numpy_forward_pass(layer_dims, activations, bias):
    rng = np.random.default_rng(sum(layer_dims))
    parameters = random_parameters(rng, layer_dims, bias=bias)
    X = rng.standard_normal((layer_dims[0], 7))
    expected = numpy_forward(parameters, activations, X)
    model = MLP.from_parameters(parameters, activation=activations)
    for i in range(X.shape[1]):
        out = model(X[:, i].tolist())
        outs = out if isinstance(out, list) else [out]
        np.testing.assert_allclose([o.data for o in outs], expected[:, i], rtol=1e-14, atol=1e-15)


def test_gradients_flow_to_the_copied_parameters():
    parameters = {"W1": np.array([[2.0, -1.0]]), "b1": np.array([[0.5]])}
    model = MLP.from_parameters(parameters, activation="linear")
    out = model([3.0, 4.0])  # 2*3 - 1*4 + 0.5
    assert out.data == 2.5
    out.backward()
    assert [p.grad for p in model.parameters()] == [3.0, 4.0, 1.0]
    assert all(isinstance(p, Value) for p in model.parameters())


# ------------------------------------------------------------------ validation

GOOD_W1 = np.ones((4, 2))
GOOD_W2 = np.ones((1, 4))


@pytest.mark.parametrize(
    "parameters, error, message",
    [
        ({}, ValueError, "no weights; the dict needs at least 'W1'"),
        ({"b1": np.ones((4, 1))}, ValueError, "no weights; the dict needs at least 'W1'"),
        (
            {"W2": GOOD_W2},
            ValueError,
            "missing 'W1'; the layers must be numbered W1..W2 without gaps (found W2)",
        ),
        (
            {"W1": GOOD_W1, "W3": GOOD_W2},
            ValueError,
            "missing 'W2'; the layers must be numbered W1..W3 without gaps (found W1, W3)",
        ),
        (
            {"W1": GOOD_W1, "b1": np.ones((4, 1)), "W2": GOOD_W2},
            ValueError,
            "missing 'b2'; give a bias for every layer (b1..b2) or for none",
        ),
        (
            {"W1": GOOD_W1, "W2": GOOD_W2, "b2": np.ones((1, 1))},
            ValueError,
            "missing 'b1'; give a bias for every layer",
        ),
        (
            {
                "W1": GOOD_W1,
                "b1": np.ones((4, 1)),
                "b3": np.ones((1, 1)),
                "W2": GOOD_W2,
                "b2": np.ones((1, 1)),
            },
            ValueError,
            "'b3' has no weights 'W3'",
        ),
        (
            {"W1": GOOD_W1, "dW1": GOOD_W1},
            ValueError,
            "unexpected key 'dW1'; the keys are W1..WL and b1..bL",
        ),
        ({"W1": GOOD_W1, "W0": GOOD_W1}, ValueError, "unexpected key 'W0'"),
        ({"W1": GOOD_W1, "w2": GOOD_W2}, ValueError, "unexpected key 'w2'"),
        ({"W1": GOOD_W1, 2: GOOD_W2}, ValueError, "unexpected key 2"),
        (
            {"W1": GOOD_W1, "W2": np.ones((1, 3))},
            ValueError,
            "'W2' has shape (1, 3), expected (1, 4): W2 needs one column per neuron of layer 1 (W1 has 4 rows)",
        ),
        ({"W1": GOOD_W1, "W2": np.ones(4)}, ValueError, "'W2' has shape (4,), expected (n2, 4)"),
        ({"W1": np.ones(3)}, ValueError, "'W1' has shape (3,), expected (n1, n0)"),
        ({"W1": np.ones((2, 2, 2))}, ValueError, "'W1' has shape (2, 2, 2), expected (n1, n0)"),
        ({"W1": np.ones((0, 2))}, ValueError, "'W1' has shape (0, 2), expected (n1, n0)"),
        (
            {"W1": GOOD_W1, "b1": np.ones((3, 1))},
            ValueError,
            "'b1' has shape (3, 1), expected (4, 1) or (4,): one bias per row of W1",
        ),
        (
            {"W1": GOOD_W1, "b1": np.ones((1, 4))},
            ValueError,
            "'b1' has shape (1, 4), expected (4, 1) or (4,)",
        ),
        (
            {"W1": np.array([[1.0, np.nan], [0.0, 0.0]])},
            ValueError,
            "'W1' holds a non-finite value, nan at index [0, 1]; every weight must be a finite number",
        ),
        (
            {"W1": GOOD_W1, "W2": np.array([[1.0, 1.0, np.inf, 1.0]])},
            ValueError,
            "'W2' holds a non-finite value, inf at index [0, 2]",
        ),
        (
            {"W1": GOOD_W1, "b1": np.array([1.0, 2.0, -np.inf, 0.0])},
            ValueError,
            "'b1' holds a non-finite value, -inf at index 2",
        ),
        (
            {"W1": [[1.0, 2.0], [3.0]]},
            ValueError,
            "parameters['W1'] is not a rectangular array of numbers",
        ),
        ({"W1": np.array([["a", "b"]])}, TypeError, "parameters['W1'] must hold real numbers"),
        ({"W1": np.array([[True, False]])}, TypeError, "parameters['W1'] must hold real numbers"),
        ({"W1": np.array([[1 + 2j]])}, TypeError, "parameters['W1'] must hold real numbers"),
    ],
)
def test_bad_parameter_dicts(parameters, error, message):
    with pytest.raises(error, match=escape(message)):
        MLP.from_parameters(parameters)


@pytest.mark.parametrize("not_a_dict", [[("W1", GOOD_W1)], GOOD_W1, None, "W1"])
def test_parameters_must_be_a_dict(not_a_dict):
    with pytest.raises(TypeError, match="from_parameters takes a dict"):
        MLP.from_parameters(not_a_dict)


def test_activation_list_must_match_the_layers():
    with pytest.raises(ValueError, match="activation has 3 entries for 2 layers"):
        MLP.from_parameters({"W1": GOOD_W1, "W2": GOOD_W2}, activation=["relu", "relu", "sigmoid"])
