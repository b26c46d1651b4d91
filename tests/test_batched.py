"""Batched Values: one graph evaluated for a whole batch, checked against the per-example graphs.

The oracle is the scalar engine itself: for every example i, the same
expression built from plain float Values. A batched graph must give

* each entry of every batched node: the per-example value (rel 1e-12; numpy's
  exp, log and tanh may differ from math's in the last bit);
* a batched leaf's grad entry i: example i's grad (rel 1e-12);
* a scalar's grad (a parameter, shared by the batch): the sum over the
  examples of their grads, to float rounding: |batched - sum| <= 1e-12 *
  sum of |per-example grads|, the bound of a sum's rounding error.

Then the MLP, the losses, document 000's whole run against the numpy
reference, domain errors entry by entry, and the rules at the edges (a
batched root, batches of different lengths, Value.batch's arguments).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_nn import MLP, SGD, Value, binary_cross_entropy, draw_graph, explain, hinge, mse, sse
from micrograd_nn.explain import total_derivative
from micrograd_nn.documents.networks import get

REL = 1e-12
SETTINGS = settings(max_examples=80, deadline=None, database=None)


def assert_close(batched: float, expected: float, scale: float | None = None, what: str = "") -> None:
    """|batched - expected| <= REL * scale (scale: the sum of the magnitudes added up)."""
    scale = abs(expected) if scale is None else scale
    assert abs(batched - expected) <= REL * scale + 1e-300, (
        f"{what}: batched {batched!r}, per-example {expected!r}, scale {scale!r}"
    )


# ------------------------------------------------------------- random graphs

# Each op keeps its operands inside its domain, so any program of them is valid
# for any inputs: the bases of log, ** 0.5 and Value exponents are made positive,
# divisors are kept in (0.5, 1.5), and exp sees a tanh. Every op of the engine
# appears, with its reflected form where it has one.
OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b.tanh() * 0.5 + 1.0),
    "rdiv": lambda a, b: 2.0 / (a.sigmoid() + 0.5),
    "radd_rsub": lambda a, b: 1.5 - (0.5 + a),
    "neg": lambda a, b: -a,
    "pow2": lambda a, b: a.tanh() ** 2,
    "pow_half": lambda a, b: (a * a + 0.25) ** 0.5,
    "pow_neg": lambda a, b: (a * a + 1.0) ** -1,
    "pow_value": lambda a, b: (a.sigmoid() + 0.5) ** b.tanh(),
    "rpow": lambda a, b: 2.0 ** a.tanh(),
    "exp": lambda a, b: a.tanh().exp(),
    "log": lambda a, b: (a * a + 0.5).log(),
    "tanh": lambda a, b: a.tanh(),
    "sigmoid": lambda a, b: a.sigmoid(),
    "relu": lambda a, b: a.relu(),
    "sum": lambda a, b: Value.sum([a, b, a, 0.5]),
    "wsum": lambda a, b: Value.weighted_sum([b, a], [a, 0.5], b),
}

program = st.lists(
    st.tuples(st.sampled_from(sorted(OPS)), st.integers(0, 100), st.integers(0, 100)),
    min_size=1,
    max_size=8,
)
batch_data = st.lists(
    st.tuples(st.floats(-2.0, 2.0), st.floats(-2.0, 2.0)), min_size=1, max_size=6
)
scalars = st.tuples(st.floats(-2.0, 2.0), st.floats(-2.0, 2.0))


def entry(grad, i: int) -> float:
    """Entry i of a batched leaf's grad; 0.0 when the leaf is not in the graph (its grad never set)."""
    return grad if isinstance(grad, float) else float(grad[i])


def run(steps, a, b, w, c) -> Value:
    """Apply the program to a pool that starts (a, b, w, c); end with the last result + a.

    Adding ``a`` keeps the output batched even when the program only used the scalars.
    """
    pool = [a, b, w, c]
    for name, i, j in steps:
        pool.append(OPS[name](pool[i % len(pool)], pool[j % len(pool)]))
    return pool[-1] + a


@SETTINGS
@given(program, batch_data, scalars)
def test_batched_graph_grads_equal_the_sum_of_per_example_grads(steps, data, params):
    xs = np.array(data, dtype=float)
    w, c = Value(params[0], label="w"), Value(params[1], label="c")
    a, b = Value.batch(xs[:, 0], label="a"), Value.batch(xs[:, 1], label="b")
    out = run(steps, a, b, w, c)
    root = out.total()
    root.backward()
    batched = {"w": w.grad, "c": c.grad}
    assert type(w.grad) is float and type(c.grad) is float

    sums = {"w": 0.0, "c": 0.0}
    scales = {"w": 0.0, "c": 0.0}
    for i, (ai_data, bi_data) in enumerate(data):
        w.grad = c.grad = 0.0
        ai, bi = Value(ai_data), Value(bi_data)
        out_i = run(steps, ai, bi, w, c)
        assert_close(float(out.data[i]), out_i.data, what=f"value of example {i}")
        out_i.backward()
        assert_close(entry(a.grad, i), ai.grad, what=f"a.grad[{i}]")
        assert_close(entry(b.grad, i), bi.grad, what=f"b.grad[{i}]")
        for name, p in (("w", w), ("c", c)):
            sums[name] += p.grad
            scales[name] += abs(p.grad)
    for name in ("w", "c"):
        assert_close(batched[name], sums[name], 4 * scales[name], what=f"{name}.grad")


def test_every_op_is_in_the_random_programs():
    """The table above covers the engine's ops: a new op must be added to it."""
    ops = {
        "+", "-", "*", "/", "neg", "**2", "**0.5", "**-1", "**", "exp", "log", "tanh",
        "sigmoid", "relu", "sum", "wsum",
    }
    a, b = Value.batch([0.3, -0.7]), Value(0.4)
    seen = set()
    for fn in OPS.values():
        seen |= {node.op for node in fn(a, b).topological_order()}
    assert ops <= seen, ops - seen


@pytest.mark.parametrize("seed", range(5))
def test_random_graph_with_a_reduction_feeding_a_batch(seed):
    """x - mean(x) and the like: the batch's entries depend on each other through a scalar."""
    rng = np.random.default_rng(seed)
    xs = rng.normal(size=7)
    w = Value(float(rng.normal()), label="w")
    x = Value.batch(xs, label="x")
    y = (w * x).tanh()
    centred = y - y.mean()
    root = (centred * centred).mean() + (w * y.total()).sigmoid()
    root.backward()

    def f(w_value: float) -> float:
        yv = np.tanh(w_value * xs)
        c = yv - yv.sum() / len(xs)
        return float((c * c).sum() / len(xs) + 1 / (1 + math.exp(-w_value * yv.sum())))

    h = 1e-6
    numeric = (f(w.data + h) - f(w.data - h)) / (2 * h)
    assert math.isclose(w.grad, numeric, rel_tol=1e-6, abs_tol=1e-9)
    assert math.isclose(total_derivative(root, w), w.grad, rel_tol=1e-12)
    assert math.isclose(explain(root, w).total, w.grad, rel_tol=1e-12)


# ------------------------------------------------------------ backward rules


def test_batched_root_raises_and_names_the_fix():
    x = Value.batch([1.0, 2.0])
    with pytest.raises(ValueError, match=r"scalar root.*batch of 2.*mean\(\) or v.total\(\)"):
        (x * 2).backward()


def test_grad_types_and_shapes():
    x = Value.batch([1.0, 2.0, 3.0], label="x")
    w = Value(2.0, label="w")
    y = w * x
    loss = y.mean()
    loss.backward()
    assert type(w.grad) is float and w.grad == 2.0  # the mean of x
    assert isinstance(x.grad, np.ndarray) and x.grad.shape == (3,)
    assert x.grad.tolist() == [2 / 3] * 3
    assert y.grad.tolist() == [1 / 3] * 3


def test_backward_twice_interior_reset_leaves_accumulate_and_zero_grad():
    x = Value.batch([1.0, -2.0], label="x")
    w = Value(3.0, label="w")
    loss = (w * x).total()
    loss.backward()
    loss.backward()
    assert w.grad == 2 * (1.0 - 2.0)
    assert x.grad.tolist() == [6.0, 6.0]
    product = loss.children[0]
    assert product.grad.tolist() == [1.0, 1.0]  # interior: this call's only
    loss.zero_grad()
    assert w.grad == 0.0 and x.grad == 0.0 and product.grad == 0.0
    loss.backward()
    assert x.grad.tolist() == [3.0, 3.0] and w.grad == -1.0


def test_total_and_mean():
    x = Value.batch([1.0, 2.0, 4.0])
    assert x.total().data == 7.0 and x.total().op == "total"
    assert x.mean().data == 7.0 / 3 and x.mean().op == "mean"
    assert x.total().local_grads[0].tolist() == [1.0] * 3
    assert x.mean().local_grads[0].tolist() == [1 / 3] * 3
    s = Value(2.0)
    assert s.total() is s and s.mean() is s  # a scalar is its own total and mean


def test_a_parameter_used_twice_in_a_batched_node():
    x = Value.batch([1.0, 2.0])
    w = Value(3.0)
    (w * w * x).total().backward()  # d/dw sum(w^2 x) = 2 w sum(x)
    assert w.grad == 2 * 3.0 * 3.0


def test_numpy_scalar_on_the_left_of_a_batch():
    x = Value.batch([1.0, 2.0])
    out = np.float64(2.0) * x
    assert isinstance(out, Value) and out.data.tolist() == [2.0, 4.0]


def test_float_subclass_data_stays_on_the_scalar_path():
    """np.float64 is a float: a parameter whose data was set to one is still a scalar."""
    w = Value(1.0)
    w.data = np.float64(0.5)
    x = Value.batch([1.0, 3.0])
    (w * x).exp().total().backward()
    assert type(w.grad) is float
    assert math.isclose(w.grad, math.exp(0.5) + 3 * math.exp(1.5), rel_tol=1e-15)


# ------------------------------------------------------------ Value.batch


def test_batch_copies_and_is_read_only():
    source = np.array([1.0, 2.0])
    x = Value.batch(source, label="x")
    source[0] = 99.0
    assert x.data.tolist() == [1.0, 2.0] and x.data.dtype == np.float64
    with pytest.raises(ValueError, match="read-only"):
        x.data[0] = 5.0
    assert x.is_batched and not Value(1.0).is_batched
    assert Value.batch([1, 2, True]).data.tolist() == [1.0, 2.0, 1.0]


@pytest.mark.parametrize(
    "data, error, message",
    [
        pytest.param([[1.0, 2.0]], ValueError, r"1-D .* shape \(1, 2\).*X\[:, k\]", id="2-D"),
        pytest.param([], ValueError, r"at least one; got shape \(0,\)", id="empty"),
        pytest.param(5.0, ValueError, r"shape \(\)", id="a number"),
        pytest.param(["a", "b"], TypeError, r"real numbers, got list of dtype <U1", id="strings"),
        pytest.param([1j], TypeError, r"real numbers, got list of dtype complex128", id="complex"),
        pytest.param("ab", TypeError, r"got str", id="a str"),
        pytest.param(Value(1.0), TypeError, r"got Value", id="a Value"),
    ],
)
def test_batch_refuses_what_is_not_a_1d_array_of_numbers(data, error, message):
    with pytest.raises(error, match=message):
        Value.batch(data)


def test_value_of_an_array_points_to_value_batch():
    with pytest.raises(TypeError, match=r"ndarray.*Value\.batch\(array\)"):
        Value(np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match=r"'\*' node: unsupported operand ndarray.*Value\.batch\(array\)"):
        Value(1.0) * np.array([1.0, 2.0])


# ------------------------------------------------- lengths and domain errors


@pytest.mark.parametrize(
    "build, op",
    [
        pytest.param(lambda a, b: a + b, "'\\+'", id="add"),
        pytest.param(lambda a, b: a - b, "'-'", id="sub"),
        pytest.param(lambda a, b: a * b, "'*'", id="mul"),
        pytest.param(lambda a, b: a / b, "'/'", id="div"),
        pytest.param(lambda a, b: a ** b, "'\\*\\*'", id="pow"),
        pytest.param(lambda a, b: Value.sum([a, b]), "'sum'", id="sum"),
        pytest.param(lambda a, b: Value.weighted_sum([Value(1.0), Value(1.0)], [a, b]), "'wsum'", id="wsum"),
    ],
)
@pytest.mark.parametrize("lengths", [(2, 3), (1, 3)], ids=["2-vs-3", "1-vs-3"])
def test_batches_of_different_lengths_raise_naming_the_op(build, op, lengths):
    """Never broadcast: a batch of one against a batch of three is a mistake, not a batch of three."""
    a = Value.batch(np.linspace(1.0, 2.0, lengths[0]))
    b = Value.batch(np.linspace(1.0, 2.0, lengths[1]))
    with pytest.raises(ValueError, match=rf"{op} node: batches of different lengths \({lengths[0]}, {lengths[1]}\)"):
        build(a, b)


DOMAIN_ERRORS = [  # (thunk, exception, fragments of the message)
    ("log", lambda: Value.batch([1.0, -0.5, 2.0, 0.0]).log(), ValueError,
     ["'log' node", "at 2 of 4 entries", "entry 1: log(-0.5)", "entry 3: log(0.0)", "> 0"]),
    ("log-nan", lambda: Value.batch([1.0, math.nan]).log(), ValueError, ["entry 1: log(nan)"]),
    ("div", lambda: Value.batch([1.0, 2.0]) / Value.batch([3.0, 0.0]), ZeroDivisionError,
     ["'/' node", "the divisor is 0", "at 1 of 2 entries", "entry 1: 2.0 / 0.0", "epsilon"]),
    ("rdiv", lambda: 1.0 / Value.batch([0.0, 2.0]), ZeroDivisionError, ["entry 0: 1.0 / 0.0"]),
    ("sqrt-negative", lambda: Value.batch([4.0, -8.0]) ** 0.5, ValueError,
     ["'**0.5' node", "negative", "entry 1: -8.0 ** 0.5", "complex"]),
    ("zero-to-negative", lambda: Value.batch([0.0, 1.0]) ** -1, ZeroDivisionError,
     ["'**-1' node", "entry 0: 0.0 ** -1", "divides by zero"]),
    ("zero-to-half", lambda: Value.batch([0.0, 1.0]) ** 0.5, ValueError, ["'**0.5' node", "entry 0"]),
    ("pow-overflow", lambda: Value.batch([1.0, 1e200]) ** 2, OverflowError,
     ["'**2' node", "overflows", "entry 1: 1e+200 ** 2"]),
    ("pow-value-base", lambda: Value.batch([2.0, -1.0]) ** Value(0.5), ValueError,
     ["'**' node", "base is <= 0", "entry 1: -1.0", "positive"]),
    ("rpow-base", lambda: (-2.0) ** Value.batch([1.0, 2.0]), ValueError, ["'**' node", "(-2.0)"]),
    ("exp-overflow", lambda: Value.batch([1.0, 800.0, 710.0]).exp(), OverflowError,
     ["'exp' node", "at 2 of 3 entries", "entry 1: exp(800.0)", "entry 2: exp(710.0)"]),
    ("many", lambda: Value.batch(-np.arange(1.0, 11.0)).log(), ValueError,
     ["at 10 of 10 entries", "entry 2: log(-3.0)", "and 7 more"]),
]


@pytest.mark.parametrize(
    "thunk, exception, fragments", [pytest.param(*row[1:], id=row[0]) for row in DOMAIN_ERRORS]
)
def test_domain_errors_check_every_entry_and_name_them(thunk, exception, fragments):
    with pytest.raises(exception) as info:
        thunk()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_nan_and_inf_flow_through_a_batch_as_in_a_scalar():
    x = Value.batch([math.nan, math.inf, -math.inf, 0.0])
    assert np.isnan(x.relu().data[0]) and x.relu().data[1:].tolist() == [math.inf, 0.0, 0.0]
    assert np.isnan(x.relu().local_grads[0][0])
    assert x.sigmoid().data[1:].tolist() == [1.0, 0.0, 0.5]
    assert x.exp().data[1:].tolist() == [math.inf, 0.0, 1.0]  # exp(inf) is not an overflow


# ------------------------------------------------------------------- models


def columns(X: np.ndarray) -> list[np.ndarray]:
    return [X[:, k] for k in range(X.shape[1])]


@pytest.mark.parametrize(
    "nouts, activation",
    [
        ([16, 16, 1], None),
        ([4, 4, 1], ["relu", "relu", "sigmoid"]),
        ([3, 2], "tanh"),
        ([1, 1], "linear"),
    ],
)
def test_batched_mlp_forward_equals_per_example_forward(nouts, activation):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(9, 3))
    model = MLP(3, nouts, activation=activation, seed=4)
    batched = model(columns(X))
    batched = batched if isinstance(batched, list) else [batched]
    for i, row in enumerate(X):
        single = model(list(row))
        single = single if isinstance(single, list) else [single]
        for out_b, out_s in zip(batched, single):
            if activation in (None, "linear"):  # only + * max: the same float operations, bit for bit
                assert float(out_b.data[i]) == out_s.data
            else:
                assert_close(float(out_b.data[i]), out_s.data)


def test_mlp_takes_a_list_of_columns_and_refuses_ambiguous_or_ragged_input():
    X = np.random.default_rng(0).normal(size=(5, 2))
    model = MLP(2, [3, 1], seed=0)
    assert model(list(X.T)).data.tolist() == model(columns(X)).data.tolist()
    labels = [n.label for n in model(columns(X)).topological_order() if n.is_batched and n.is_leaf]
    assert labels == ["x[0]", "x[1]"]
    mixed = model([X[:, 0], 0.5])  # a number is shared by every example
    assert mixed.data.tolist() == [model([x0, 0.5]).data for x0 in X[:, 0]]
    with pytest.raises(ValueError, match=r"2-D array of shape \(5, 2\).*\[X\[:, 0\], X\[:, 1\], \.\.\.\]"):
        model(X)
    with pytest.raises(ValueError, match=r"batched inputs have different lengths \(5, 4\)"):
        model([X[:, 0], X[:4, 1]])
    with pytest.raises(TypeError, match=r"input 1 must be a number or a Value, got list"):
        model([X[:, 0], [1.0, 2.0]])


def test_batched_mlp_grads_equal_the_sum_of_per_example_grads():
    """micrograd's demo loss, hinge + L2, batched and per example."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(20, 2))
    y = np.where(rng.random(20) > 0.5, 1.0, -1.0)
    model = MLP(2, [8, 8, 1], seed=6)
    params = model.parameters()

    def loss_of(scores, targets):
        return hinge(scores, targets) + 1e-4 * Value.sum([p * p for p in params])

    loss_of(model(columns(X)), y).backward()
    batched = [p.grad for p in params]
    model.zero_grad()
    per_example = loss_of([model(list(row)) for row in X], list(y))
    per_example.backward()
    for k, (gb, p) in enumerate(zip(batched, params)):
        assert_close(gb, p.grad, 20 * max(abs(p.grad), 1e-3), what=f"parameter {k}")


LOSSES = [
    (mse, lambda rng, n: rng.random(n)),
    (sse, lambda rng, n: rng.normal(size=n)),
    (binary_cross_entropy, lambda rng, n: (rng.random(n) > 0.5).astype(float)),  # hard targets
    (binary_cross_entropy, lambda rng, n: rng.random(n)),  # soft targets: both terms
    (hinge, lambda rng, n: np.where(rng.random(n) > 0.5, 1.0, -1.0)),
]


@pytest.mark.parametrize("loss, make_targets", LOSSES, ids=["mse", "sse", "bce-hard", "bce-soft", "hinge"])
@pytest.mark.parametrize("as_list", [False, True], ids=["array", "list"])
def test_losses_batched_equal_per_example(loss, make_targets, as_list):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(11, 2))
    targets = make_targets(rng, 11)
    model = MLP(2, [4, 1], activation=["tanh", "sigmoid"], seed=8)
    params = model.parameters()

    batched = loss(model(columns(X)), targets.tolist() if as_list else targets)
    batched.backward()
    grads = [p.grad for p in params]
    model.zero_grad()
    single = loss([model(list(row)) for row in X], targets.tolist())
    single.backward()
    assert_close(batched.data, single.data, 11 * abs(single.data))
    for gb, p in zip(grads, params):
        assert_close(gb, p.grad, 11 * max(abs(p.grad), 1e-4))


def test_bce_hard_targets_cost_nothing_for_a_saturated_correct_prediction():
    a = Value.batch([1.0, 0.0, 0.5])
    loss = binary_cross_entropy(a, [1, 0, 1])
    assert loss.data == pytest.approx(math.log(2) / 3, rel=1e-15)
    loss.backward()
    assert np.isfinite(a.grad).all()


def test_bce_and_mse_with_a_batched_value_target_keep_the_gradient():
    p = Value.batch([0.25, 0.75])
    t = Value.batch([0.5, 1.0], label="t")
    binary_cross_entropy(p, t).backward()
    assert isinstance(t.grad, np.ndarray) and t.grad.shape == (2,)  # d/dt = (log(1-p) - log p)/m
    assert t.grad.tolist() == pytest.approx([(math.log(0.75) - math.log(0.25)) / 2,
                                             (math.log(0.25) - math.log(0.75)) / 2], rel=1e-14)


@pytest.mark.parametrize(
    "call, error, message",
    [
        pytest.param(lambda p: mse(p, [1.0, 2.0]), ValueError, r"mse: a batch of 3 predictions but 2 targets", id="count"),
        pytest.param(lambda p: mse(p, 1.0), ValueError, r"a batch of 3 predictions but 1 target;", id="one-number"),
        pytest.param(lambda p: mse(p, [[1.0, 2.0, 3.0]]), TypeError, r"1-D array of numbers.*shape \(1, 3\)", id="2-D"),
        pytest.param(lambda p: mse(p, [Value(1.0)] * 3), TypeError, r"list or 1-D array of numbers", id="Values"),
        pytest.param(lambda p: mse(p, [1.0, math.nan, 2.0]), ValueError, r"mse: target 1 is nan", id="nan"),
        pytest.param(lambda p: sse(p, [1.0, 2.0, math.inf]), ValueError, r"sse: target 2 is inf", id="inf"),
        pytest.param(lambda p: binary_cross_entropy(p, [0, 1, 2]), ValueError, r"target 2 is 2.0; targets must lie in \[0, 1\]", id="bce-target"),
        pytest.param(lambda p: binary_cross_entropy(p * 4, [0, 1, 1]), ValueError, r"prediction 1 is 2.0, not a probability", id="bce-prediction"),
        pytest.param(lambda p: hinge(p, [1, 0, -1]), ValueError, r"hinge: target 1 is 0.0; hinge targets must be -1 or \+1", id="hinge"),
        pytest.param(lambda p: mse([p, p], [[1, 2, 3], [1, 2, 3]]), TypeError, r"prediction 0 is a batch", id="list-of-batches"),
    ],
)
def test_batched_loss_errors(call, error, message):
    with pytest.raises(error, match=message):
        call(Value.batch([0.25, 0.5, 0.75]))


# ------------------------------------------------------ document 000, whole


def train_doc000(iterations: int):
    """Document 000 with batched Values: full-batch gradient descent, as its reference."""
    network = get("doc000")
    reference = network.reference
    parameters, X, Y = network.setup()
    model = network.model_from(parameters)
    optimizer = SGD(model.parameters(), lr=reference.LEARNING_RATE)
    inputs, targets = list(X), Y[0]  # X is (n0, m): its rows are the inputs' columns
    for _ in range(iterations):
        loss = network.loss(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    expected, _ = reference.train(parameters, X, Y, num_iterations=iterations,
                                  learning_rate=reference.LEARNING_RATE)
    return model.to_parameters(), expected


def test_doc000_gradients_equal_the_reference():
    network = get("doc000")
    parameters, X, Y = network.setup()
    model = network.model_from(parameters)
    network.loss(model(list(X)), Y[0]).backward()
    expected = network.reference.gradients(parameters, X, Y)
    for i, layer in enumerate(model.layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            for k, w in enumerate(neuron.w):
                assert_close(w.grad, float(expected[f"dW{i}"][j, k]), 1e3 * max(abs(w.grad), 1e-6))
            assert_close(neuron.b.grad, float(expected[f"db{i}"][j, 0]), 1e3 * max(abs(neuron.b.grad), 1e-6))


@pytest.mark.slow
def test_doc000_whole_run_equals_the_numpy_reference():
    """10,000 full-batch iterations over 1000 samples (a few seconds): weights to 1e-9."""
    ours, expected = train_doc000(10_000)
    for key in expected:
        assert np.max(np.abs(ours[key] - expected[key])) <= 1e-9, key


# ---------------------------------------------------- drawing, explaining


def test_draw_shows_a_batch_as_length_and_mean():
    x = Value.batch([1.0, 2.0, 3.0, 4.0], label="x")
    w = Value(0.5, label="w")
    loss = mse(w * x, [1.0, 2.0, 3.0, 4.0])
    loss.label = "L"
    loss.backward()
    source = draw_graph(loss).source
    assert "data [4] mean 2.5" in source  # x
    assert "grad [4] mean -0.3125" in source  # x.grad = 2 (w x - y) w / 4 = -x / 8, mean -2.5 / 8
    assert "data 1.875" in source and "grad -7.5" in source  # L and w: scalars as before
    assert 'label="[4] mean 2.5"' in source  # the edge w -> '*': d(w x)/dw = x
    assert "batch[4]" in source  # the unlabelled targets
    assert "min 1.0, max 4.0" in source  # tooltips


def test_explain_a_parameter_of_a_batched_graph_and_refuse_a_batched_root():
    x = Value.batch([1.0, 2.0, 3.0], label="x")
    w = Value(0.5, label="w")
    loss = mse(w * x, [1.0, 1.0, 1.0])
    loss.backward()
    explanation = explain(loss, w)
    assert math.isclose(explanation.total, w.grad, rel_tol=1e-15)
    text = str(explanation)
    assert "[3] mean" in text and "sum over paths" in text
    assert "differs" not in text
    with pytest.raises(ValueError, match=r"root .* is a batch of 3.*mean\(\)"):
        explain(w * x, w)
    with pytest.raises(ValueError, match=r"param x is a batch of 3.*x?grad"):
        explain(loss, x)


# --------------------------------------------- stepping and anomaly detection on batches


def test_backward_steps_on_a_batched_graph_equals_backward():
    """A scalar parameter shared by the batch gets the sum of the entries' contributions."""
    from micrograd_nn import backward_steps

    def build():
        model = MLP(2, [3, 1], activation=["tanh", "sigmoid"], seed=4)
        columns = [np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.25, -0.75])]
        return model, binary_cross_entropy(model(columns), [1.0, 0.0, 1.0])

    stepped_model, stepped = build()
    for _ in backward_steps(stepped):
        pass
    plain_model, plain = build()
    plain.backward()
    assert [p.grad for p in stepped_model.parameters()] == [p.grad for p in plain_model.parameters()]
    assert all(isinstance(p.grad, float) for p in stepped_model.parameters())


def test_backward_steps_refuses_a_batched_root():
    from micrograd_nn import backward_steps

    with pytest.raises(ValueError, match="needs a scalar root, but this Value is a batch of 2"):
        backward_steps(Value.batch([1.0, 2.0]) * 2.0)


def test_detect_anomaly_checks_every_entry_of_a_batch():
    from micrograd_nn import detect_anomaly

    x = Value.batch([1.0, 1e200], label="x")
    with detect_anomaly(), np.errstate(over="ignore"), pytest.raises(FloatingPointError, match=r"'\*' node produced"):
        x * 1e200
    with detect_anomaly():
        (x * 2.0).mean().backward()  # finite everywhere: no error
