"""Tests for micrograd_nn.nn: Neuron, Layer, MLP, Module and label_2_2_1.

Expected numbers come from document 001's printed output, from central finite
differences, or from an independent plain-Python re-computation written here;
never from the code under test.
"""
import math
import re

import numpy as np
import pytest

from micrograd_nn import MLP, Layer, Neuron, Value, label_2_2_1, mse
from micrograd_nn.datasets import PEOPLE

# Written out here, not imported, so a wrong list in the code is caught.
ACTIVATION_NAMES = ["sigmoid", "relu", "tanh", "linear"]
INIT_NAMES = ["uniform", "uniform01", "normal", "normal_0.01", "he", "xavier"]
BIAS_INIT_NAMES = ["zeros", "normal"]

FD_STEP = 1e-5
FD_REL = 1e-6
FD_ABS = 1e-9  # for gradients that are (almost) exactly zero


# ---------------------------------------------------------------- helpers

def data_of(module):
    return [p.data for p in module.parameters()]


def weights_array(layer):
    return np.array([w.data for n in layer.neurons for w in n.w])


def biases_array(layer):
    return np.array([n.b.data for n in layer.neurons])


def as_list(out):
    return out if isinstance(out, list) else [out]


def plain_mse(model, xs, ys):
    """The loss from forward passes only: mean of (y - out)**2 over every output."""
    errors = []
    for x, y in zip(xs, ys):
        for out, target in zip(as_list(model(x)), y):
            errors.append((target - out.data) ** 2)
    return sum(errors) / len(errors)


def central_difference(f, node, h=FD_STEP):
    old = node.data
    node.data = old + h
    f_plus = f()
    node.data = old - h
    f_minus = f()
    node.data = old
    return (f_plus - f_minus) / (2 * h)


def relu_inputs(model, xs):
    """Every ReLU node's input over the forward passes of xs."""
    found = []
    for x in xs:
        for out in as_list(model(x)):
            nodes = out.topological_order()
            found += [node.children[0].data for node in nodes if node.op == "relu"]
    return found


# ------------------------------------------------------------ the contract

def test_one_neuron_hidden_layers_work():
    model = MLP(2, [16, 1, 1], seed=0)
    out = model([0.5, -1.5])
    assert isinstance(out, Value)
    # The same as chaining the layers by hand: a 1-neuron layer hands a bare
    # Value to the next, 1-input, layer.
    hidden = model.layers[0]([0.5, -1.5])
    assert isinstance(hidden, list) and len(hidden) == 16
    middle = model.layers[1](hidden)
    assert isinstance(middle, Value)
    assert model.layers[2](middle).data == out.data


@pytest.mark.parametrize(
    "make, n_out",
    [
        (lambda: Neuron(2, seed=0), 1),
        (lambda: Layer(2, 1, seed=0), 1),
        (lambda: Layer(2, 3, seed=0), 3),
        (lambda: MLP(2, [3, 1], seed=0), 1),
        (lambda: MLP(2, [3, 2], seed=0), 2),
        (lambda: MLP(2, [1], seed=0), 1),
        (lambda: MLP(2, [3, 1, 4], seed=0), 4),
    ],
)
def test_one_output_is_a_value_more_is_a_list(make, n_out):
    out = make()([1.0, 2.0])
    if n_out == 1:
        assert isinstance(out, Value)
    else:
        assert isinstance(out, list) and len(out) == n_out
        assert all(isinstance(o, Value) for o in out)


X3 = [1.0, -2.0, 3.0]


@pytest.mark.parametrize(
    "x",
    [
        pytest.param([1, -2, 3], id="ints"),
        pytest.param((1.0, -2.0, 3.0), id="tuple"),
        pytest.param([np.float64(1.0), np.int64(-2), np.float32(3.0)], id="numpy-scalars"),
        pytest.param(np.array([1.0, -2.0, 3.0]), id="numpy-float-array"),
        pytest.param(np.array([1, -2, 3]), id="numpy-int-array"),
        pytest.param([Value(1.0), Value(-2.0), Value(3.0)], id="values"),
        pytest.param([Value(1.0), -2, np.float64(3.0)], id="mixed"),
    ],
)
def test_inputs_may_be_numbers_numpy_or_values(x):
    model = MLP(3, [4, 2], activation="tanh", seed=1)
    expected = [o.data for o in model(X3)]
    assert [o.data for o in model(x)] == expected


def test_value_inputs_receive_gradient():
    model = MLP(3, [4, 4, 1], activation="tanh", seed=2)
    xs = [Value(v) for v in X3]
    model(xs).backward()

    def f():
        return model([v.data for v in xs]).data

    for x in xs:
        assert x.grad != 0.0
        assert math.isclose(x.grad, central_difference(f, x), rel_tol=FD_REL, abs_tol=FD_ABS)


@pytest.mark.parametrize(
    "make",
    [lambda: Neuron(1, seed=3), lambda: Layer(1, 3, seed=3), lambda: MLP(1, [3, 1], seed=3)],
    ids=["Neuron", "Layer", "MLP"],
)
@pytest.mark.parametrize(
    "bare", [2.5, 2, np.float64(2.5), Value(2.5)], ids=["float", "int", "numpy", "value"]
)
def test_one_input_module_takes_a_bare_number_or_value(make, bare):
    module = make()
    number = bare.data if isinstance(bare, Value) else float(bare)
    expected = [o.data for o in as_list(module([number]))]
    assert [o.data for o in as_list(module(bare))] == expected


# ------------------------------------------------------------ bad inputs

WRONG_COUNT = [
    # (module, input, expected count, given count)
    (lambda: Neuron(3), [1.0, 2.0], 3, 2),
    (lambda: Neuron(3), [1.0, 2.0, 3.0, 4.0], 3, 4),
    (lambda: Neuron(1), [1.0, 2.0], 1, 2),
    (lambda: Neuron(2), [], 2, 0),
    (lambda: Neuron(2), 5.0, 2, 1),
    (lambda: Layer(3, 2), [1.0, 2.0], 3, 2),
    (lambda: Layer(3, 2), [1.0, 2.0, 3.0, 4.0], 3, 4),
    (lambda: Layer(2, 1), np.array([1.0, 2.0, 3.0]), 2, 3),
    (lambda: MLP(3, [4, 1]), [1.0, 2.0], 3, 2),
    (lambda: MLP(3, [4, 1]), [1.0, 2.0, 3.0, 4.0], 3, 4),
    (lambda: MLP(1, [2, 1]), [Value(1.0), Value(2.0)], 1, 2),
]


@pytest.mark.parametrize("make, x, expected, got", WRONG_COUNT)
def test_wrong_number_of_inputs_raises_never_truncates(make, x, expected, got):
    noun = "input" if expected == 1 else "inputs"
    with pytest.raises(ValueError, match=rf"expects {expected} {noun}, got {got}\b"):
        make()(x)


_LIST_OF_3 = "takes a list of 3 numbers or Values, got "

NOT_A_LIST = [
    # (input for a 3-input module, text the TypeError message must contain)
    pytest.param("abc", _LIST_OF_3 + "str", id="str-of-right-length"),
    pytest.param(b"abc", _LIST_OF_3 + "bytes", id="bytes"),
    pytest.param(None, _LIST_OF_3 + "NoneType", id="None"),
    pytest.param((v for v in X3), _LIST_OF_3 + "generator", id="generator"),
    pytest.param(object(), _LIST_OF_3 + "object", id="object"),
    pytest.param(["1", 2, 3], "input 0 must be a number or a Value, got str", id="str-element"),
    pytest.param([1, None, 3], "input 1 must be a number or a Value, got NoneType", id="None-el"),
    pytest.param([1, 2, [3]], "input 2 must be a number or a Value, got list", id="list-element"),
    pytest.param([1, 2, 3j], "input 2 must be a number or a Value, got complex", id="complex-el"),
    pytest.param({0: 1.0, 1: -2.0, 2: 3.0}, "got dict", id="dict"),
    pytest.param({"a": 1, "b": 2, "c": 3}, "got dict", id="dict-str"),
    pytest.param({3.0, -2.0, 1.0}, "got set", id="set"),
]


@pytest.mark.parametrize(
    "make",
    [lambda: Neuron(3), lambda: Layer(3, 2), lambda: MLP(3, [2, 1])],
    ids=["Neuron", "Layer", "MLP"],
)
@pytest.mark.parametrize("x, text", NOT_A_LIST)
def test_non_list_inputs_and_non_number_elements_raise_type_error(make, x, text):
    with pytest.raises(TypeError, match=re.escape(text)):
        make()(x)


# ------------------------------------------------------------ constructors

_POS = "must be a positive int, got"
_SEED = "seed must be an int, None or a numpy.random.Generator, got"

CONSTRUCTOR_ERRORS = [
    # (constructor call, error, text the message must contain)
    # sizes: 0 and negatives are ValueErrors
    ("Neuron(0)", ValueError, f"nin {_POS} 0"),
    ("Neuron(-1)", ValueError, f"nin {_POS} -1"),
    ("Layer(0, 2)", ValueError, f"nin {_POS} 0"),
    ("Layer(-1, 2)", ValueError, f"nin {_POS} -1"),
    ("Layer(2, 0)", ValueError, f"nout {_POS} 0"),
    ("Layer(2, -1)", ValueError, f"nout {_POS} -1"),
    ("MLP(0, [1])", ValueError, f"nin {_POS} 0"),
    ("MLP(-1, [1])", ValueError, f"nin {_POS} -1"),
    ("MLP(2, [0])", ValueError, f"nouts[0] {_POS} 0"),
    ("MLP(2, [4, -1])", ValueError, f"nouts[1] {_POS} -1"),
    # sizes of the wrong type are TypeErrors
    ("Neuron(2.5)", TypeError, f"nin {_POS} float"),
    ("Neuron('2')", TypeError, f"nin {_POS} str"),
    ("Neuron(True)", TypeError, f"nin {_POS} bool"),
    ("Neuron(None)", TypeError, f"nin {_POS} NoneType"),
    ("Layer(2.5, 2)", TypeError, f"nin {_POS} float"),
    ("Layer(2, 2.5)", TypeError, f"nout {_POS} float"),
    ("Layer(2, '2')", TypeError, f"nout {_POS} str"),
    ("Layer(2, True)", TypeError, f"nout {_POS} bool"),
    ("Layer(2, None)", TypeError, f"nout {_POS} NoneType"),
    ("MLP(2.5, [1])", TypeError, f"nin {_POS} float"),
    ("MLP('2', [1])", TypeError, f"nin {_POS} str"),
    ("MLP(True, [1])", TypeError, f"nin {_POS} bool"),
    ("MLP(None, [1])", TypeError, f"nin {_POS} NoneType"),
    ("MLP(2, [2.5])", TypeError, f"nouts[0] {_POS} float"),
    ("MLP(2, [4, '2'])", TypeError, f"nouts[1] {_POS} str"),
    ("MLP(2, [True])", TypeError, f"nouts[0] {_POS} bool"),
    ("MLP(2, [None])", TypeError, f"nouts[0] {_POS} NoneType"),
    # nouts itself
    ("MLP(2, [])", ValueError, "nouts is empty"),
    ("MLP(2, '16')", TypeError, "nouts must be a list of layer sizes"),
    ("MLP(2, 16)", TypeError, "nouts must be a list of layer sizes"),
    ("MLP(2, None)", TypeError, "nouts must be a list of layer sizes"),
    # activation
    ("Neuron(2, activation='softmax')", ValueError, "unknown activation 'softmax'"),
    ("Layer(2, 2, activation='softmax')", ValueError, "unknown activation 'softmax'"),
    ("MLP(2, [2, 1], activation='softmax')", ValueError, "unknown activation 'softmax'"),
    ("MLP(2, [2, 1], activation=['tanh', 'softmax'])", ValueError, "unknown activation 'softmax'"),
    ("MLP(2, [2, 1], activation='Tanh')", ValueError, "unknown activation 'Tanh'"),
    ("MLP(2, [2, 1], activation=['tanh'])", ValueError, "1 entry for 2 layers"),
    ("MLP(2, [2, 1], activation=['tanh'] * 3)", ValueError, "3 entries for 2 layers"),
    # init, bias_init
    ("Neuron(2, init='glorot')", ValueError, "unknown init 'glorot'"),
    ("Layer(2, 2, init='glorot')", ValueError, "unknown init 'glorot'"),
    ("MLP(2, [2, 1], init='glorot')", ValueError, "unknown init 'glorot'"),
    ("Neuron(2, bias_init='ones')", ValueError, "unknown bias_init 'ones'"),
    ("Layer(2, 2, bias_init='ones')", ValueError, "unknown bias_init 'ones'"),
    ("MLP(2, [2, 1], bias_init='ones')", ValueError, "unknown bias_init 'ones'"),
    # seed
    ("Neuron(2, seed='abc')", TypeError, f"{_SEED} str"),
    ("Layer(2, 2, seed='abc')", TypeError, f"{_SEED} str"),
    ("MLP(2, [2, 1], seed='abc')", TypeError, f"{_SEED} str"),
    ("MLP(2, [2, 1], seed=1.5)", TypeError, f"{_SEED} float"),
]


@pytest.mark.parametrize(
    "call, error, text", CONSTRUCTOR_ERRORS, ids=[row[0] for row in CONSTRUCTOR_ERRORS]
)
def test_constructor_validation(call, error, text):
    with pytest.raises(error, match=re.escape(text)):
        eval(call, {"Neuron": Neuron, "Layer": Layer, "MLP": MLP})


@pytest.mark.parametrize(
    "make, names",
    [
        (lambda: MLP(2, [2, 1], activation="softmax"), ACTIVATION_NAMES),
        (lambda: Neuron(2, activation="softmax"), ACTIVATION_NAMES),
        (lambda: MLP(2, [2, 1], init="glorot"), INIT_NAMES),
        (lambda: Layer(2, 2, init="glorot"), INIT_NAMES),
        (lambda: MLP(2, [2, 1], bias_init="ones"), BIAS_INIT_NAMES),
    ],
)
def test_unknown_choice_message_lists_the_valid_ones(make, names):
    with pytest.raises(ValueError) as info:
        make()
    message = str(info.value)
    for name in names:
        assert name in message


# ------------------------------------------------------------ activations

def test_activation_none_is_relu_hidden_and_linear_output():
    model = MLP(2, [3, 3, 1], seed=4)
    assert [n.activation for n in model.layers[0].neurons] == ["relu"] * 3
    assert [n.activation for n in model.layers[1].neurons] == ["relu"] * 3
    assert [n.activation for n in model.layers[2].neurons] == ["linear"]
    out_neuron = model.layers[2].neurons[0]
    for bias in (-100.0, 1000.0):  # no squashing, no clipping at 0
        for w in out_neuron.w:
            w.data = 0.0
        out_neuron.b.data = bias
        assert model([1.0, 2.0]).data == bias
    out_neuron.w[0].data = -7.0
    out_neuron.b.data = 0.0
    hidden = [h.data for h in model.layers[1](model.layers[0]([1.0, 2.0]))]
    assert hidden[0] > 0.0
    out = model([1.0, 2.0]).data
    assert out < 0.0
    assert out == pytest.approx(-7.0 * hidden[0], rel=1e-12)


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_one_activation_name_for_every_layer(name):
    model = MLP(2, [3, 3, 2], activation=name, seed=5)
    assert {n.activation for layer in model.layers for n in layer.neurons} == {name}


def test_one_activation_per_layer():
    names = ["tanh", "relu", "sigmoid", "linear"]
    model = MLP(2, [3, 3, 2, 1], activation=names, seed=6)
    assert [[n.activation for n in layer.neurons] for layer in model.layers] == [
        ["tanh"] * 3, ["relu"] * 3, ["sigmoid"] * 2, ["linear"]
    ]


@pytest.mark.parametrize(
    "name, plain",
    [
        ("sigmoid", lambda z: 1.0 / (1.0 + math.exp(-z))),
        ("tanh", math.tanh),
        ("relu", lambda z: max(0.0, z)),
        ("linear", lambda z: z),
    ],
)
@pytest.mark.parametrize("x", [[0.5, -1.5], [-2.0, 0.25]])
def test_neuron_computes_its_activation_of_the_weighted_sum(name, plain, x):
    neuron = Neuron(2, activation=name, seed=7, bias_init="normal")
    w, b = [w.data for w in neuron.w], neuron.b.data
    z = w[0] * x[0] + w[1] * x[1] + b
    assert neuron(x).data == pytest.approx(plain(z), rel=1e-12, abs=1e-15)


# ------------------------------------------------------------ reproducibility

@pytest.mark.parametrize(
    "make",
    [
        lambda seed: Neuron(5, seed=seed, bias_init="normal"),
        lambda seed: Layer(4, 3, seed=seed, init="normal", bias_init="normal"),
        lambda seed: MLP(3, [4, 4, 1], seed=seed, init="he", bias_init="normal"),
    ],
    ids=["Neuron", "Layer", "MLP"],
)
def test_same_seed_same_parameters_different_seed_different(make):
    assert data_of(make(0)) == data_of(make(0))
    assert data_of(make(0)) != data_of(make(1))
    assert data_of(make(None)) != data_of(make(None))  # fresh entropy


def test_a_numpy_generator_can_be_the_seed():
    a = MLP(3, [4, 1], seed=np.random.default_rng(11))
    b = MLP(3, [4, 1], seed=np.random.default_rng(11))
    assert data_of(a) == data_of(b)
    rng = np.random.default_rng(11)
    first, second = MLP(3, [4, 1], seed=rng), MLP(3, [4, 1], seed=rng)
    assert data_of(first) == data_of(a)
    assert data_of(second) != data_of(first)  # the generator was drawn from


def _same_state(s1, s2):
    return s1[0] == s2[0] and np.array_equal(s1[1], s2[1]) and tuple(s1[2:]) == tuple(s2[2:])


def test_construction_leaves_the_global_numpy_rng_alone():
    saved = np.random.get_state()
    try:
        np.random.seed(1234)
        before = np.random.get_state()
        MLP(3, [4, 4, 1], seed=0, init="normal", bias_init="normal")
        MLP(3, [4, 4, 1], seed=None, init="normal", bias_init="normal")
        Layer(3, 2, seed=np.random.default_rng(0))
        Neuron(3)
        assert _same_state(before, np.random.get_state())

        np.random.seed(1)
        a = MLP(3, [4, 1], seed=7, init="normal", bias_init="normal")
        np.random.seed(2)
        b = MLP(3, [4, 1], seed=7, init="normal", bias_init="normal")
        assert data_of(a) == data_of(b)  # seeding numpy's global RNG changes nothing
        np.random.seed(3)
        c = MLP(3, [4, 1], init="normal")
        np.random.seed(3)
        d = MLP(3, [4, 1], init="normal")
        assert data_of(c) != data_of(d)  # seed=None does not read numpy's global RNG
    finally:
        np.random.set_state(saved)


def test_random_seed_repeats_a_network_without_seed_as_in_micrograd():
    """micrograd's habit: random.seed(1337) before MLP(...) gives the same weights again."""
    import random

    saved = random.getstate()
    try:
        random.seed(1337)
        a = MLP(3, [4, 4, 1])
        after_a = random.random()
        random.seed(1337)
        b = MLP(3, [4, 4, 1])
        assert data_of(a) == data_of(b)
        assert random.random() == after_a  # read the same way: one draw per network
        random.seed(1338)
        assert data_of(MLP(3, [4, 4, 1])) != data_of(a)
        random.seed(1337)
        assert data_of(MLP(3, [4, 4, 1], seed=5)) == data_of(MLP(3, [4, 4, 1], seed=5))
        random.seed(1337)
        explicit = MLP(3, [4, 4, 1], seed=5)
        assert data_of(explicit) != data_of(a)  # an explicit seed wins
    finally:
        random.setstate(saved)


def test_draw_dot_is_draw_graph():
    """The lecture's name for the drawing works (micrograd's trace_graph.ipynb)."""
    import micrograd_nn

    assert micrograd_nn.draw_dot is micrograd_nn.draw_graph


# ------------------------------------------------------------ init schemes

NIN, NOUT = 400, 50  # 20000 weights per layer: sample statistics are tight


def test_init_uniform_is_in_minus_one_one():
    w = weights_array(Layer(NIN, NOUT, init="uniform", seed=0))
    assert w.min() >= -1.0 and w.max() < 1.0
    assert w.min() < -0.99 and w.max() > 0.99
    assert abs(w.mean()) < 0.03
    assert w.std() == pytest.approx(1 / math.sqrt(3), rel=0.05)


def test_default_init_is_uniform():
    assert data_of(Layer(NIN, NOUT, seed=0)) == data_of(Layer(NIN, NOUT, init="uniform", seed=0))


def test_init_uniform01_is_in_zero_one():
    w = weights_array(Layer(NIN, NOUT, init="uniform01", seed=0))
    assert w.min() >= 0.0 and w.max() < 1.0
    assert w.min() < 0.01 and w.max() > 0.99
    assert w.mean() == pytest.approx(0.5, abs=0.03)


@pytest.mark.parametrize(
    "init, nin, std",
    [
        ("normal", NIN, 1.0),
        ("normal_0.01", NIN, 0.01),
        ("he", NIN, math.sqrt(2 / NIN)),
        ("he", 100, math.sqrt(2 / 100)),
        ("xavier", NIN, math.sqrt(1 / NIN)),
        ("xavier", 100, math.sqrt(1 / 100)),
    ],
)
def test_normal_inits_have_the_right_spread(init, nin, std):
    w = weights_array(Layer(nin, 20000 // nin, init=init, seed=0))
    assert abs(w.mean()) < 0.05 * std
    assert w.std() == pytest.approx(std, rel=0.05)
    assert (w < 0).any() and (w > 0).any()


def test_bias_init_zeros_and_normal():
    assert (biases_array(Layer(3, 500, seed=0)) == 0.0).all()  # the default
    assert (biases_array(Layer(3, 500, bias_init="zeros", seed=0)) == 0.0).all()
    b = biases_array(Layer(3, 2000, bias_init="normal", seed=0))
    assert (b != 0.0).all()
    assert abs(b.mean()) < 0.15
    assert b.std() == pytest.approx(1.0, rel=0.1)


@pytest.mark.parametrize(
    "make, count",
    [
        (lambda: Neuron(3, bias=False), 3),
        (lambda: Layer(3, 4, bias=False), 3 * 4),
        (lambda: MLP(3, [4, 2], bias=False), 3 * 4 + 4 * 2),
    ],
)
def test_bias_false_means_no_bias_parameter(make, count):
    module = make()
    names = [name for name, _ in module.named_parameters()]
    assert len(module.parameters()) == count
    assert not any(name.startswith("b") for name in names)


def test_layer_without_bias_computes_w_dot_x():
    layer = Layer(2, 1, activation="linear", bias=False, seed=0)
    w = [w.data for w in layer.neurons[0].w]
    assert layer([3.0, -2.0]).data == pytest.approx(3.0 * w[0] - 2.0 * w[1], rel=1e-12)


# ------------------------------------------------------------ parameters

def test_parameter_count_and_names():
    model = MLP(3, [4, 4, 1], seed=0)
    assert len(model.parameters()) == 3 * 4 + 4 + 4 * 4 + 4 + 4 * 1 + 1
    expected = []
    for i, (nin, nout) in enumerate([(3, 4), (4, 4), (4, 1)], start=1):
        for j in range(nout):
            expected += [f"W{i}[{j},{k}]" for k in range(nin)] + [f"b{i}[{j}]"]
    named = list(model.named_parameters())
    assert [name for name, _ in named] == expected
    assert len(set(expected)) == len(expected)
    assert [p for _, p in named] == model.parameters()
    assert all(p.label == name for name, p in named)
    assert len({id(p) for p in model.parameters()}) == len(expected)


def test_neuron_and_layer_parameter_names():
    assert [name for name, _ in Neuron(3).named_parameters()] == ["w1", "w2", "w3", "b"]
    assert [name for name, _ in Layer(2, 2).named_parameters()] == [
        "W[0,0]", "W[0,1]", "b[0]", "W[1,0]", "W[1,1]", "b[1]"
    ]


def test_zero_grad_sets_every_grad_to_zero():
    model = MLP(3, [4, 4, 1], activation="tanh", seed=0, bias_init="normal")
    mse(model([1.0, 2.0, 3.0]), 0.5).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


# ------------------------------------------------------------ label_2_2_1

DOC_NAMES = ["w1", "w2", "b1", "w3", "w4", "b2", "w5", "w6", "b3"]  # document 001's order


def _doc_network(seed=0):
    model = MLP(2, [2, 1], activation="sigmoid", init="normal", bias_init="normal", seed=seed)
    return label_2_2_1(model)


def test_label_2_2_1_names_parameters_like_document_001():
    model = MLP(2, [2, 1], activation="sigmoid")
    assert label_2_2_1(model) is model
    assert [name for name, _ in model.named_parameters()] == DOC_NAMES


def test_label_2_2_1_names_the_forward_graph():
    out = _doc_network()([1.0, 2.0])
    assert out.label == "o1"
    labels = [node.label for node in out.topological_order()]
    for name in ["sum_h1", "h1", "sum_h2", "h2", "sum_o1", "o1"]:
        assert labels.count(name) == 1, name
    for name in DOC_NAMES:
        assert labels.count(name) == 1, name
    assert labels.index("sum_h1") < labels.index("h1") < labels.index("sum_o1") < labels.index("o1")


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: MLP(2, [3, 1]), id="3-hidden"),
        pytest.param(lambda: MLP(3, [2, 1]), id="3-inputs"),
        pytest.param(lambda: MLP(2, [2, 2]), id="2-outputs"),
        pytest.param(lambda: MLP(2, [2, 2, 1]), id="two-hidden-layers"),
        pytest.param(lambda: MLP(2, [2, 1], bias=False), id="no-bias"),
        pytest.param(lambda: Layer(2, 2), id="Layer"),
        pytest.param(lambda: Neuron(2), id="Neuron"),
    ],
)
def test_label_2_2_1_rejects_other_shapes(make):
    with pytest.raises(ValueError, match=r"label_2_2_1 needs an MLP\(2, \[2, 1\]\) with biases"):
        label_2_2_1(make())


# ------------------------------------------------------------ document 001

DOCUMENT_001_FEEDFORWARD = 0.7216325609518421  # printed by document 001


def test_document_001_feedforward():
    model = _doc_network()
    for layer in model.layers:
        for neuron in layer.neurons:
            neuron.w[0].data, neuron.w[1].data, neuron.b.data = 0.0, 1.0, 0.0
    assert model([2, 3]).data == DOCUMENT_001_FEEDFORWARD


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


def _deriv_sigmoid(x):
    fx = _sigmoid(x)
    return fx * (1 - fx)


def document_001_gradients(p, x, y_true):
    """Document 001's hand derivation, transcribed: (y_pred, dL/d(each parameter))."""
    w1, w2, b1, w3, w4, b2, w5, w6, b3 = (p[k] for k in DOC_NAMES)
    sum_h1 = w1 * x[0] + w2 * x[1] + b1
    h1 = _sigmoid(sum_h1)
    sum_h2 = w3 * x[0] + w4 * x[1] + b2
    h2 = _sigmoid(sum_h2)
    sum_o1 = w5 * h1 + w6 * h2 + b3
    o1 = _sigmoid(sum_o1)
    y_pred = o1

    d_L_d_ypred = -2 * (y_true - y_pred)

    # Neuron o1
    d_ypred_d_w5 = h1 * _deriv_sigmoid(sum_o1)
    d_ypred_d_w6 = h2 * _deriv_sigmoid(sum_o1)
    d_ypred_d_b3 = _deriv_sigmoid(sum_o1)
    d_ypred_d_h1 = w5 * _deriv_sigmoid(sum_o1)
    d_ypred_d_h2 = w6 * _deriv_sigmoid(sum_o1)

    # Neuron h1
    d_h1_d_w1 = x[0] * _deriv_sigmoid(sum_h1)
    d_h1_d_w2 = x[1] * _deriv_sigmoid(sum_h1)
    d_h1_d_b1 = _deriv_sigmoid(sum_h1)

    # Neuron h2
    d_h2_d_w3 = x[0] * _deriv_sigmoid(sum_h2)
    d_h2_d_w4 = x[1] * _deriv_sigmoid(sum_h2)
    d_h2_d_b2 = _deriv_sigmoid(sum_h2)

    grads = {
        "w1": d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w1,
        "w2": d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w2,
        "b1": d_L_d_ypred * d_ypred_d_h1 * d_h1_d_b1,
        "w3": d_L_d_ypred * d_ypred_d_h2 * d_h2_d_w3,
        "w4": d_L_d_ypred * d_ypred_d_h2 * d_h2_d_w4,
        "b2": d_L_d_ypred * d_ypred_d_h2 * d_h2_d_b2,
        "w5": d_L_d_ypred * d_ypred_d_w5,
        "w6": d_L_d_ypred * d_ypred_d_w6,
        "b3": d_L_d_ypred * d_ypred_d_b3,
    }
    return y_pred, grads


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("person", list(PEOPLE))
def test_gradients_match_document_001_hand_derivation(seed, person):
    x, y_true = PEOPLE[person]
    model = _doc_network(seed)
    params = dict(model.named_parameters())
    y_pred, hand = document_001_gradients({k: v.data for k, v in params.items()}, x, y_true)

    model.zero_grad()
    prediction = model(x)
    loss = mse(prediction, y_true)
    loss.backward()

    assert prediction.data == pytest.approx(y_pred, rel=1e-12, abs=1e-15)
    assert loss.data == pytest.approx((y_true - y_pred) ** 2, rel=1e-12, abs=1e-15)
    for name in DOC_NAMES:
        assert params[name].grad == pytest.approx(hand[name], rel=1e-12, abs=1e-15), name


# ------------------------------------------------------------ finite differences

FD_CASES = [
    # (id, model); ReLU models are checked to be away from kinks in the test
    ("tanh-3-4-4-1", lambda: MLP(3, [4, 4, 1], activation="tanh", seed=0, bias_init="normal")),
    ("sigmoid-2-3-2", lambda: MLP(2, [3, 2], activation="sigmoid", seed=1, init="normal")),
    ("tanh-2-16-1-1", lambda: MLP(2, [16, 1, 1], activation="tanh", seed=2)),
    ("mixed-3-4-3-2", lambda: MLP(3, [4, 3, 2], activation=["tanh", "sigmoid", "linear"], seed=3)),
    ("relu-linear-2-5-5-1", lambda: MLP(2, [5, 5, 1], seed=4, bias_init="normal")),
    ("relu-3-6-2", lambda: MLP(3, [6, 2], "relu", seed=2, init="he", bias_init="normal")),
    ("Layer-tanh", lambda: Layer(3, 2, activation="tanh", seed=6, bias_init="normal")),
]


@pytest.mark.parametrize("name, make", FD_CASES, ids=[case[0] for case in FD_CASES])
def test_mlp_gradients_match_central_finite_differences(name, make):
    model = make()
    nin = model.nin
    xs = [[0.5, -1.0, 2.0][:nin], [-1.5, 0.25, 0.75][:nin], [2.0, 1.0, -0.5][:nin]]
    n_out = len(as_list(model(xs[0])))
    ys = [[0.3, -0.6][:n_out], [-0.2, 0.9][:n_out], [0.8, 0.1][:n_out]]

    # ReLU kinks: every ReLU input must be far from 0 compared with the step.
    assert all(abs(z) > 1e-3 for z in relu_inputs(model, xs))

    model.zero_grad()
    predictions = [o for x in xs for o in as_list(model(x))]
    targets = [t for y in ys for t in y]
    mse(predictions, targets).backward()

    grads = [p.grad for p in model.parameters()]
    assert any(g != 0.0 for g in grads)
    for p, g in zip(model.parameters(), grads):
        numeric = central_difference(lambda: plain_mse(model, xs, ys), p)
        assert math.isclose(g, numeric, rel_tol=FD_REL, abs_tol=FD_ABS), (p.label, g, numeric)


@pytest.mark.parametrize("make, message", [
    (lambda: Neuron(2, nonlin="tanh"),
     r"^Neuron: nonlin='tanh' is micrograd's switch; here the activation is named: "
     r"pass activation='tanh'$"),
    (lambda: Layer(2, 3, nonlin="sigmoid"), r"^Layer: .*pass activation='sigmoid'$"),
    (lambda: Neuron(2, activation="tanh", nonlin=False),
     r"^Neuron: nonlin=False is micrograd's switch, and activation='tanh' already names the "
     r"activation; drop nonlin$"),
    (lambda: Neuron(2, nonlin=True), r"^Neuron: nonlin=True .* activation='relu' \(or "),
    (lambda: Neuron(2, nonlin=False), r"^Neuron: nonlin=False .* activation='linear' \(or "),
    (lambda: Neuron(2, nonlin="soft"), r"pass activation as one of 'sigmoid', 'relu', 'tanh'"),
])
def test_micrograds_nonlin_is_answered_with_the_activation_to_pass(make, message):
    with pytest.raises(TypeError, match=message):
        make()
