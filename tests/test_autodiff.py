"""Derivatives of derivatives and forward mode: grad, hessian, jvp, backward(gradient=g), @function.

The oracles are independent of the code under test: central finite differences
of first derivatives (themselves checked elsewhere against finite differences),
closed forms worked out by hand, and exact polynomial derivatives.
"""
from __future__ import annotations

import math

import pytest

from micrograd_nn import Value


# ------------------------------------------------------------- edge points


def test_zero_to_the_zero_is_one_with_grad_zero():
    """As Python (0.0 ** 0 == 1.0) and PyTorch (grad 0)."""
    x = Value(0.0)
    y = x**0
    y.backward()
    assert (y.data, x.grad) == (1.0, 0.0)
    assert 0.0**0 == 1.0


def test_zero_to_the_zero_in_a_batch():
    x = Value.batch([0.0, 2.0])
    y = (x**0).total()
    y.backward()
    assert y.data == 2.0
    assert x.grad.tolist() == [0.0, 0.0]


def test_sum_of_nothing_is_a_constant_zero():
    """As Python's sum([]) == 0 and torch.sum(torch.tensor([])) == 0."""
    s = Value.sum([])
    assert isinstance(s, Value)
    assert (s.data, s.is_leaf, s.op) == (0.0, True, "")
    s.backward()
    assert s.grad == 1.0
    assert Value.sum(iter([])).data == 0.0


# ------------------------------------------------------ backward(gradient=g)


def test_backward_with_a_seed_scales_every_grad():
    a, b = Value(2.0), Value(-3.0)
    out = a * b + a.tanh()
    out.backward(gradient=2.5)
    seeded = (a.grad, b.grad)
    a.grad = b.grad = 0.0
    out.backward()
    assert seeded == (2.5 * a.grad, 2.5 * b.grad)


def test_backward_seed_on_a_leaf_accumulates():
    x = Value(1.0)
    x.backward(gradient=3)
    x.backward(gradient=-1.0)
    assert x.grad == 2.0


def test_backward_seed_on_a_batch_is_a_vector_jacobian_product():
    """d/dw sum_i g_i * (w * x_i) = sum_i g_i * x_i."""
    w = Value(0.5)
    x = Value.batch([1.0, 2.0, 3.0])
    (w * x).backward(gradient=[1.0, -2.0, 0.5])
    assert w.grad == 1.0 * 1.0 - 2.0 * 2.0 + 0.5 * 3.0
    assert x.grad.tolist() == [0.5, -1.0, 0.25]


@pytest.mark.parametrize(
    "root, gradient, exception, fragment",
    [
        (Value(1.0) * 2, "1", TypeError, "must be a number, got str"),
        (Value(1.0) * 2, True, TypeError, "must be a number, got bool"),
        (Value(1.0) * 2, [1.0], TypeError, "must be a number, got list"),
        (Value.batch([1.0, 2.0]) * 2, [1.0], ValueError, "shape (2,); got shape (1,)"),
        (Value.batch([1.0, 2.0]) * 2, "ab", TypeError, "2 numbers (a list or array)"),
    ],
)
def test_backward_seed_errors(root, gradient, exception, fragment):
    with pytest.raises(exception) as info:
        root.backward(gradient=gradient)
    assert fragment in str(info.value)


def test_backward_of_a_batch_without_a_seed_says_how():
    with pytest.raises(ValueError, match="backward\\(gradient=g\\)"):
        (Value.batch([1.0, 2.0]) * 2).backward()


def test_seeded_backward_under_detect_anomaly():
    from micrograd_nn import detect_anomaly

    x = Value(2.0)
    with detect_anomaly():
        (x * x).backward(gradient=0.5)
    assert x.grad == 2.0


# ------------------------------------------------------------ grad, first order

from micrograd_nn import function, grad, hessian, jvp  # noqa: E402


def test_grad_touches_no_grad():
    a, b = Value(2.0), Value(-3.0)
    a.grad, b.grad = 7.0, 8.0
    c = a * b + a
    assert grad(c, [a, b]) == [-2.0, 2.0]
    assert grad(c, [a, b], create_graph=True)[0].data == -2.0
    assert (a.grad, b.grad, c.grad) == (7.0, 8.0, 0.0)


def test_grad_equals_backward_on_a_network():
    from micrograd_nn import MLP, mse

    model = MLP(2, [3, 1], activation="tanh", seed=0)
    loss = mse([model([0.5, -1.0]), model([1.5, 2.0])], [1.0, -1.0])
    params = model.parameters()
    first = grad(loss, params)
    model.zero_grad()
    loss.backward()
    assert first == [p.grad for p in params]


def test_grad_of_an_unused_input_is_zero_and_of_the_output_itself_one():
    x, y = Value(1.0), Value(2.0)
    out = x * 3.0
    assert grad(out, [y, out]) == [0.0, 1.0]
    g = grad(out, [y, out], create_graph=True)
    assert [v.data for v in g] == [0.0, 1.0] and all(isinstance(v, Value) for v in g)
    assert grad(x, [x]) == [1.0]


def test_grad_with_respect_to_an_interior_node():
    x = Value(0.3)
    h = x.tanh()
    out = h * h
    assert grad(out, [h]) == [2 * h.data]


def test_grad_on_a_batched_graph_without_create_graph():
    w = Value(0.5)
    x = Value.batch([1.0, 2.0, 3.0])
    loss = ((w * x).tanh()).mean()
    (g_w, g_x) = grad(loss, [w, x])
    loss.backward()
    assert g_w == w.grad
    assert g_x.tolist() == x.grad.tolist()


@pytest.mark.parametrize(
    "call, exception, fragment",
    [
        (lambda: grad(3.0, []), TypeError, "the output must be a Value, got float"),
        (lambda: grad(Value.batch([1.0, 2.0]) * 2, []), ValueError, "a batch of 2"),
        (lambda: grad(Value(1.0), Value(1.0)), TypeError, "for one Value x pass [x]"),
        (lambda: grad(Value(1.0), 5), TypeError, "inputs must be a list of Values, got int"),
        (lambda: grad(Value(1.0), [1.0]), TypeError, "inputs[0] is float 1.0, not a Value"),
        (lambda: hessian(Value(1.0), [2]), TypeError, "hessian: inputs[0] is int"),
        (
            lambda: grad((Value.batch([1.0, 2.0]) * Value(3.0)).total(), [], create_graph=True),
            ValueError,
            "grad(create_graph=True) works on scalar graphs, but this one holds batched Values (the leaf is",
        ),
    ],
)
def test_grad_errors(call, exception, fragment):
    with pytest.raises(exception) as info:
        call()
    assert fragment in str(info.value)


# ---------------------------------------------- second derivatives of every op
# Each case: (inputs, f of Values). The oracle is a central finite difference
# of the first derivatives, H[i][j] ~ (g_j(x + h e_i) - g_j(x - h e_i)) / 2h,
# with g from grad() without create_graph (the stored float local
# derivatives, themselves checked against finite differences in
# test_engine.py and test_properties.py).

def _softplus_partials(x):
    return math.log1p(math.exp(x)), (1.0 / (1.0 + math.exp(-x)),)


softplus = function(_softplus_partials, derivative=lambda x: (x.sigmoid(),), name="softplus")


@function(derivative=lambda x, y: (y * (x * y).exp(), x * (x * y).exp()))
def exp_of_product(x, y):
    e = math.exp(x * y)
    return e, (y * e, x * e)


SECOND_ORDER_CASES = {
    "+": ([0.7, -1.3], lambda a, b: (a + b) * (a + b)),
    "-": ([0.7, -1.3], lambda a, b: (a - b) ** 3),
    "*": ([0.7, -1.3], lambda a, b: a * b),
    "* (x * x)": ([0.7], lambda a: a * a),
    "/": ([0.7, -1.3], lambda a, b: a / b),
    "/ (x / x)": ([0.7], lambda a: a / a),
    "neg": ([0.7], lambda a: -(a**3)),
    "**2": ([0.7], lambda a: a**2),
    "**3": ([-0.7], lambda a: a**3),
    "**0.5": ([0.7], lambda a: a**0.5),
    "**-1": ([0.7], lambda a: a**-1),
    "**-2.5": ([1.3], lambda a: a**-2.5),
    "**1": ([0.7], lambda a: a**1 * a),
    "**0": ([0.7], lambda a: a**0 * a),
    "** Value": ([0.7, -1.3], lambda a, b: a**b),
    "number ** a": ([0.7], lambda a: 2.0**a),
    "number - a": ([0.7], lambda a: (1.5 - a) ** 3),
    "number / a": ([0.7], lambda a: 2.0 / a),
    "exp": ([0.7], lambda a: a.exp()),
    "log": ([0.7], lambda a: a.log()),
    "tanh": ([0.7], lambda a: a.tanh()),
    "tanh, tail": ([-4.0], lambda a: a.tanh()),
    "sigmoid": ([0.7], lambda a: a.sigmoid()),
    "sigmoid, negative": ([-3.0], lambda a: a.sigmoid()),
    "relu, positive": ([0.7], lambda a: a.relu() * a),
    "relu, negative": ([-0.7], lambda a: a.relu() * a + a),
    "sum": ([0.7, -1.3, 0.4], lambda a, b, c: Value.sum([a * b, b * c, a, 2.0]) ** 2),
    "wsum": ([0.7, -1.3, 0.4, 0.9, -0.2], lambda w1, x1, w2, x2, b: Value.weighted_sum([w1, w2], [x1, x2], b).tanh()),
    "wsum, no bias, numbers": ([0.7, -1.3], lambda w, x: Value.weighted_sum([w, x], [x, 3.0]) ** 2),
    "softplus (@function)": ([0.7], lambda a: softplus(a * a)),
    "two arguments (@function)": ([0.7, -1.3], lambda a, b: exp_of_product(a, b)),
}


def _fd_hessian(f, point, h=1e-5):
    n = len(point)
    rows = []
    for i in range(n):
        up, down = list(point), list(point)
        up[i] += h
        down[i] -= h
        g_up = _first(f, up)
        g_down = _first(f, down)
        rows.append([(u - d) / (2 * h) for u, d in zip(g_up, g_down)])
    return rows


def _first(f, point):
    xs = [Value(v) for v in point]
    return grad(f(*xs), xs)


def _close(a, b, rtol=1e-6, atol=1e-9):
    return abs(a - b) <= atol + rtol * max(abs(a), abs(b))


@pytest.mark.parametrize("name", sorted(SECOND_ORDER_CASES))
def test_second_derivatives_of_every_op_against_finite_differences(name):
    point, f = SECOND_ORDER_CASES[name]
    xs = [Value(v) for v in point]
    out = f(*xs)
    first = grad(out, xs, create_graph=True)
    assert [g.data for g in first] == pytest.approx(grad(out, xs), rel=1e-12, abs=1e-15)
    H = hessian(out, xs)
    numeric = _fd_hessian(f, point)
    for i in range(len(point)):
        for j in range(len(point)):
            assert _close(H[i][j], numeric[i][j]), (name, i, j, H[i][j], numeric[i][j])


def test_every_op_of_the_engine_has_a_second_order_case():
    """A new op in engine.py needs a row in SECOND_ORDER_CASES."""
    ops = set()
    for point, f in SECOND_ORDER_CASES.values():
        for node in f(*[Value(v) for v in point]).topological_order():
            ops.add("**k" if node.op.startswith("**") and node.op != "**" else node.op)
    assert ops >= {"+", "-", "*", "/", "neg", "**k", "**", "exp", "log", "tanh", "sigmoid",
                   "relu", "sum", "wsum", "softplus", "exp_of_product"}


def test_closed_form_second_derivatives():
    """By hand: d2/dx2 tanh = -2 t (1 - t**2), sigmoid'' = s (1 - s)(1 - 2 s), (x**y) mixed partial."""
    x = Value(0.4)
    t, s = math.tanh(0.4), 1 / (1 + math.exp(-0.4))
    assert hessian(x.tanh(), [x])[0][0] == pytest.approx(-2 * t * (1 - t * t), rel=1e-14)
    assert hessian(x.sigmoid(), [x])[0][0] == pytest.approx(s * (1 - s) * (1 - 2 * s), rel=1e-14)
    a, b = Value(1.7), Value(0.6)
    # d2/dadb a**b = a**(b-1) (1 + b log a)
    mixed = 1.7 ** (0.6 - 1) * (1 + 0.6 * math.log(1.7))
    H = hessian(a**b, [a, b])
    assert H[0][1] == pytest.approx(mixed, rel=1e-14)
    assert H[1][0] == pytest.approx(mixed, rel=1e-14)
    assert H[1][1] == pytest.approx(1.7**0.6 * math.log(1.7) ** 2, rel=1e-14)


# ------------------------------------------------- higher orders, exactly


def _nth(out, x, n):
    g = out
    for _ in range(n):
        (g,) = grad(g, [x], create_graph=True)
    return g


@pytest.mark.parametrize("x0", [2.0, -1.5, 0.0])
def test_fifth_derivative_of_x_to_the_fifth_is_120(x0):
    x = Value(x0)
    expected = [x0**5, 5 * x0**4, 20 * x0**3, 60 * x0**2, 120 * x0, 120.0, 0.0, 0.0]
    assert [_nth(x**5, x, n).data for n in range(8)] == expected


def test_a_polynomial_and_its_derivatives_exactly():
    """p(x) = 3x**4 - 2x**3 + x - 7 at x = 1.5 (exact in binary)."""
    x = Value(1.5)
    p = 3 * x**4 - 2 * x**3 + x - 7
    derivatives = [_nth(p, x, n).data for n in range(6)]
    v = 1.5
    assert derivatives == [
        3 * v**4 - 2 * v**3 + v - 7,
        12 * v**3 - 6 * v**2 + 1,
        36 * v**2 - 12 * v,
        72 * v - 12,
        72.0,
        0.0,
    ]


def test_mixed_third_derivative_of_a_product():
    """d3/dx dy dz (x * y * z) = 1; d2/dx dy (x y z) = z."""
    x, y, z = Value(2.0), Value(3.0), Value(5.0)
    out = x * y * z
    (gx,) = grad(out, [x], create_graph=True)
    (gxy,) = grad(gx, [y], create_graph=True)
    assert (gx.data, gxy.data, grad(gxy, [z])) == (15.0, 5.0, [1.0])


def test_exp_derivatives_are_exp_at_every_order():
    x = Value(0.3)
    assert [_nth(x.exp(), x, n).data for n in range(5)] == pytest.approx([math.exp(0.3)] * 5, rel=1e-15)


# ------------------------------------------------ the gradient is a graph


def test_a_gradient_graph_is_drawn_stepped_and_explained():
    from micrograd_nn import backward_steps, draw_graph, explain

    x = Value(0.5, label="x")
    y = (x * x).tanh()
    (dy,) = grad(y, [x], create_graph=True)
    dy.label = "dy/dx"
    t = math.tanh(0.25)
    assert dy.data == pytest.approx((1 - t * t) * 2 * 0.5, rel=1e-15)
    assert "dy/dx" in draw_graph(dy).source
    steps = list(backward_steps(dy))
    assert steps
    assert x.grad == pytest.approx(hessian(y, [x])[0][0], rel=1e-12)
    assert explain(dy, x).total == pytest.approx(x.grad, rel=1e-12)


def test_the_gradient_of_a_product_is_the_other_factor_itself():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    g_a, g_b = grad(a * b, [a, b], create_graph=True)
    assert g_a is b and g_b is a


def test_backward_on_a_gradient_fills_hessian_vector_products():
    """d/dx (grad . v) = H v: backward() on a first gradient gives a row of the Hessian."""
    x, y = Value(1.0), Value(2.0)
    out = x * x * y + y**3
    gx, gy = grad(out, [x, y], create_graph=True)
    gx.backward()
    assert (x.grad, y.grad) == (4.0, 2.0)  # [2y, 2x]


# ------------------------------------------------------ Hessians of networks

from micrograd_nn.datasets import PEOPLE  # noqa: E402

DOC001_NAMES = ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
DOC001_AT = [0.3, -0.2, -0.1, 0.4, 0.5, -0.6, 0.1, -0.3, 0.2]


def _doc001_loss(p):
    """Document 001's 2-2-1 sigmoid network and its MSE over the four people, in Values."""
    w1, w2, w3, w4, w5, w6, b1, b2, b3 = p
    losses = []
    for (x0, x1), y in PEOPLE.values():
        h1 = (w1 * x0 + w2 * x1 + b1).sigmoid()
        h2 = (w3 * x0 + w4 * x1 + b2).sigmoid()
        o1 = (w5 * h1 + w6 * h2 + b3).sigmoid()
        losses.append((y - o1) ** 2)
    return Value.sum(losses) / len(losses)


def _doc001_hand_gradient(p):
    """The gradient as document 001 writes it out, per weight, averaged over the data (no engine)."""

    def sigmoid(z):
        return 1 / (1 + math.exp(-z))

    def deriv_sigmoid(z):
        return sigmoid(z) * (1 - sigmoid(z))

    w1, w2, w3, w4, w5, w6, b1, b2, b3 = p
    total = [0.0] * 9
    for (x0, x1), y_true in PEOPLE.values():
        sum_h1 = w1 * x0 + w2 * x1 + b1
        h1 = sigmoid(sum_h1)
        sum_h2 = w3 * x0 + w4 * x1 + b2
        h2 = sigmoid(sum_h2)
        sum_o1 = w5 * h1 + w6 * h2 + b3
        y_pred = sigmoid(sum_o1)
        d_L_d_ypred = -2 * (y_true - y_pred)
        d_ypred_d_w5, d_ypred_d_w6 = h1 * deriv_sigmoid(sum_o1), h2 * deriv_sigmoid(sum_o1)
        d_ypred_d_b3 = deriv_sigmoid(sum_o1)
        d_ypred_d_h1, d_ypred_d_h2 = w5 * deriv_sigmoid(sum_o1), w6 * deriv_sigmoid(sum_o1)
        d_h1_d_w1, d_h1_d_w2 = x0 * deriv_sigmoid(sum_h1), x1 * deriv_sigmoid(sum_h1)
        d_h1_d_b1 = deriv_sigmoid(sum_h1)
        d_h2_d_w3, d_h2_d_w4 = x0 * deriv_sigmoid(sum_h2), x1 * deriv_sigmoid(sum_h2)
        d_h2_d_b2 = deriv_sigmoid(sum_h2)
        sample = [
            d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w1,
            d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w2,
            d_L_d_ypred * d_ypred_d_h2 * d_h2_d_w3,
            d_L_d_ypred * d_ypred_d_h2 * d_h2_d_w4,
            d_L_d_ypred * d_ypred_d_w5,
            d_L_d_ypred * d_ypred_d_w6,
            d_L_d_ypred * d_ypred_d_h1 * d_h1_d_b1,
            d_L_d_ypred * d_ypred_d_h2 * d_h2_d_b2,
            d_L_d_ypred * d_ypred_d_b3,
        ]
        total = [t + s / len(PEOPLE) for t, s in zip(total, sample)]
    return total


def test_document_001_hessian_against_differences_of_its_hand_gradient():
    params = [Value(v, label=n) for v, n in zip(DOC001_AT, DOC001_NAMES)]
    loss = _doc001_loss(params)
    assert grad(loss, params) == pytest.approx(_doc001_hand_gradient(DOC001_AT), rel=1e-12, abs=1e-15)
    H = hessian(loss, params)
    assert len(H) == 9 and all(len(row) == 9 for row in H)
    h = 1e-6
    for i in range(9):
        up, down = list(DOC001_AT), list(DOC001_AT)
        up[i] += h
        down[i] -= h
        column = [(u - d) / (2 * h) for u, d in zip(_doc001_hand_gradient(up), _doc001_hand_gradient(down))]
        for j in range(9):
            assert _close(H[j][i], column[j], rtol=1e-6, atol=1e-10), (DOC001_NAMES[j], DOC001_NAMES[i])
    scale = max(abs(x) for row in H for x in row)
    for i in range(9):
        for j in range(9):
            assert abs(H[i][j] - H[j][i]) <= 1e-13 * scale


def test_document_001_hessian_through_the_library_network():
    """The same Hessian from MLP + label_2_2_1 + mse (wsum nodes) as from the hand-written graph."""
    from micrograd_nn import MLP, label_2_2_1, mse

    model = label_2_2_1(MLP(2, [2, 1], activation="sigmoid", seed=0))
    named = dict((p.label, p) for p in model.parameters())
    for name, v in zip(DOC001_NAMES, DOC001_AT):
        named[name].data = v
    params = [named[n] for n in DOC001_NAMES]
    loss = mse([model(x) for x, _ in PEOPLE.values()], [y for _, y in PEOPLE.values()])
    reference_params = [Value(v) for v in DOC001_AT]
    reference = hessian(_doc001_loss(reference_params), reference_params)
    H = hessian(loss, params)
    for i in range(9):
        assert H[i] == pytest.approx(reference[i], rel=1e-10, abs=1e-14)


def test_linear_regression_hessian_is_the_closed_form():
    """L = mean((w x + b - y)**2): H = 2 mean([[x**2, x], [x, 1]]), at any w, b."""
    data = [(1.0, 2.0), (2.0, 3.5), (-1.0, 0.5)]
    w, b = Value(0.3), Value(-0.7)
    loss = Value.sum([(w * x + b - y) ** 2 for x, y in data]) / len(data)
    n = len(data)
    expected = [
        [2 * sum(x * x for x, _ in data) / n, 2 * sum(x for x, _ in data) / n],
        [2 * sum(x for x, _ in data) / n, 2.0],
    ]
    H = hessian(loss, [w, b])
    for row, want in zip(H, expected):
        assert row == pytest.approx(want, rel=1e-14)


def test_logistic_regression_hessian_is_the_closed_form():
    """Cross-entropy of sigmoid(w . x): H = mean(p (1 - p) x x^T)."""
    data = [((1.0, 0.5), 1.0), ((-0.3, 2.0), 0.0), ((0.8, -1.2), 1.0)]
    w = [Value(0.4), Value(-0.9)]
    terms = []
    for x, y in data:
        p = Value.weighted_sum(w, list(x)).sigmoid()
        terms.append(-(y * p.log() + (1 - y) * (1 - p).log()))
    loss = Value.sum(terms) / len(terms)
    expected = [[0.0, 0.0], [0.0, 0.0]]
    for x, _ in data:
        p = 1 / (1 + math.exp(-(0.4 * x[0] - 0.9 * x[1])))
        for i in range(2):
            for j in range(2):
                expected[i][j] += p * (1 - p) * x[i] * x[j] / len(data)
    H = hessian(loss, w)
    for row, want in zip(H, expected):
        assert row == pytest.approx(want, rel=1e-12)


def test_hessian_of_no_inputs_is_empty():
    assert hessian(Value(2.0) * 3, []) == []


# ------------------------------------------------------------ forward mode

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None)

# Recipes over every op, with domain guards made of other ops (b*b + 0.5 > 0).
RANDOM_OPS = {
    "+": (2, lambda a, b: a + b),
    "-": (2, lambda a, b: a - b),
    "*": (2, lambda a, b: a * b),
    "/": (2, lambda a, b: a / (b * b + 0.5)),
    "neg": (1, lambda a: -a),
    "number - a": (1, lambda a: 1.5 - a),
    "**2": (1, lambda a: a**2),
    "**3": (1, lambda a: a**3),
    "**0.5": (1, lambda a: (a * a + 0.25) ** 0.5),
    "**-1": (1, lambda a: (a * a + 0.5) ** -1),
    "** Value": (2, lambda a, b: (a.sigmoid() + 0.5) ** b.tanh()),
    "exp": (1, lambda a: a.tanh().exp()),
    "log": (1, lambda a: (a * a + 0.5).log()),
    "tanh": (1, lambda a: a.tanh()),
    "sigmoid": (1, lambda a: a.sigmoid()),
    "relu": (1, lambda a: a.relu()),
    "sum": (3, lambda a, b, c: Value.sum([a, b, c])),
    "wsum": (5, lambda w1, x1, w2, x2, b: Value.weighted_sum([w1, w2], [x1, x2], b)),
    "softplus": (1, lambda a: softplus(a.tanh())),
}


def _floats(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def random_graphs(draw):
    """(leaf values, tangents, steps): node n = op(earlier nodes), so nodes are reused."""
    n = draw(st.integers(1, 4))
    values = draw(st.lists(_floats(-2.0, 2.0), min_size=n, max_size=n))
    tangents = draw(st.lists(_floats(-3.0, 3.0), min_size=n, max_size=n))
    steps = []
    for k in range(draw(st.integers(1, 10))):
        op = draw(st.sampled_from(sorted(RANDOM_OPS)))
        steps.append((op, [draw(st.integers(0, n + k - 1)) for _ in range(RANDOM_OPS[op][0])]))
    return values, tangents, steps


def _build(values, steps):
    leaves = [Value(v) for v in values]
    nodes = list(leaves)
    for op, operands in steps:
        nodes.append(RANDOM_OPS[op][1](*(nodes[i] for i in operands)))
    return leaves, nodes


@SETTINGS
@given(random_graphs())
def test_jvp_equals_reverse_mode_on_random_graphs(graph):
    values, tangents, steps = graph
    leaves, nodes = _build(values, steps)
    out = Value.sum(nodes[len(leaves):])
    forward = jvp(out, dict(zip(leaves, tangents)))
    reverse = math.fsum(g * t for g, t in zip(grad(out, leaves), tangents))
    assert _close(forward, reverse, rtol=1e-9, atol=1e-12)


@SETTINGS
@given(random_graphs())
def test_jvp_of_every_node_in_one_pass(graph):
    """jvp on a list of outputs: each entry is that node's own directional derivative."""
    values, tangents, steps = graph
    leaves, nodes = _build(values, steps)
    direction = dict(zip(leaves, tangents))
    together = jvp(nodes, direction)
    assert together == [jvp(node, direction) for node in nodes]
    assert together[: len(leaves)] == tangents


@SETTINGS
@given(random_graphs())
def test_create_graph_gradients_equal_the_float_gradients(graph):
    values, tangents, steps = graph
    leaves, nodes = _build(values, steps)
    out = Value.sum(nodes[len(leaves):])
    as_values = [g.data for g in grad(out, leaves, create_graph=True)]
    assert as_values == pytest.approx(grad(out, leaves), rel=1e-9, abs=1e-12)


def test_jvp_leaves_missing_from_tangents_have_tangent_zero():
    x, y = Value(2.0), Value(5.0)
    out = x * y + y.tanh()
    assert jvp(out, {x: 1.0}) == 5.0
    assert jvp(out, {}) == 0.0
    assert jvp(out, {Value(1.0): 3.0}) == 0.0  # a leaf of another graph: ignored


def test_jvp_on_a_network_equals_reverse_mode():
    from micrograd_nn import MLP, mse

    model = MLP(3, [4, 4, 1], activation="tanh", seed=1)
    loss = mse([model([0.5, -1.0, 2.0]), model([1.0, 0.0, -0.5])], [1.0, -1.0])
    params = model.parameters()
    direction = {p: ((-1) ** i) * (i % 5 + 1) / 7 for i, p in enumerate(params)}
    reverse = math.fsum(g * direction[p] for g, p in zip(grad(loss, params), params))
    assert _close(jvp(loss, direction), reverse, rtol=1e-10, atol=1e-15)


def test_jvp_on_a_batched_graph():
    """A parameter's tangent is shared by every example; the scalar loss gets their sum."""
    import numpy as np

    w = Value(0.5)
    x = Value.batch([1.0, 2.0, 3.0])
    hidden = (w * x).tanh()
    loss = hidden.mean()
    assert jvp(loss, {w: 1.0}) == pytest.approx(grad(loss, [w])[0], rel=1e-14)
    per_entry = jvp(hidden, {w: 1.0})
    assert per_entry.tolist() == pytest.approx(((1 - np.tanh(0.5 * x.data) ** 2) * x.data).tolist(), rel=1e-14)
    t = [1.0, -1.0, 0.5]
    g_x = grad(loss, [x])[0]
    assert jvp(loss, {x: t}) == pytest.approx(float(g_x @ np.array(t)), rel=1e-14)


@pytest.mark.parametrize(
    "call, exception, fragment",
    [
        (lambda: jvp(3.0, {}), TypeError, "output must be a Value or a list of Values, got float"),
        (lambda: jvp(Value(1.0), [1.0]), TypeError, "tangents must be a dict"),
        (lambda: jvp(Value(1.0), {1.0: 1.0}), TypeError, "keys of tangents must be Values"),
        (lambda: jvp(Value(1.0), {Value(1.0, label="x"): "a"}), TypeError, "tangent of x must be a number, got str"),
        (lambda: jvp(Value(1.0), {Value(1.0) * 2: 1.0}), ValueError, "tangents start at leaves, but a key is a '*' node"),
        (lambda: jvp(Value(1.0), {Value(1.0, label="x"): [1.0, 2.0]}), ValueError, "tangent of x must be a number"),
        (lambda: (lambda x: jvp(x * 2, {x: [1.0]}))(Value.batch([1.0, 2.0])), ValueError, "a number or 2 numbers"),
    ],
)
def test_jvp_errors(call, exception, fragment):
    with pytest.raises(exception) as info:
        call()
    assert fragment in str(info.value)


# ------------------------------------------------------- @function: your own ops


@function
def plain_softplus(x):
    return math.log1p(math.exp(x)), (1 / (1 + math.exp(-x)),)


@function
def leaky_relu(x):
    return (x, (1.0,)) if x > 0 else (0.01 * x, (0.01,))


@function
def swish(x):
    s = 1 / (1 + math.exp(-x))
    return x * s, (s + x * s * (1 - s),)


def test_a_function_is_a_node_named_after_it():
    a, b = Value(0.5, label="a"), Value(-1.5, label="b")
    y = plain_softplus(a * b)
    assert (y.op, len(y.children), y.children[0].op) == ("plain_softplus", 1, "*")
    assert y.data == pytest.approx(math.log1p(math.exp(-0.75)), rel=1e-15)
    y.backward()
    s = 1 / (1 + math.exp(0.75))
    assert (a.grad, b.grad) == pytest.approx((s * -1.5, s * 0.5), rel=1e-15)
    assert plain_softplus.__name__ == "plain_softplus" and plain_softplus.op == "plain_softplus"


@pytest.mark.parametrize("op", [plain_softplus, leaky_relu, swish, softplus])
@pytest.mark.parametrize("x0", [-1.3, 0.4, 2.0])
def test_a_function_passes_gradcheck(op, x0):
    from micrograd_nn import gradcheck

    x = Value(x0, label="x")
    assert gradcheck(lambda: op(x * x - 0.5), [x]).ok


def test_a_function_is_drawn_stepped_and_explained():
    from micrograd_nn import backward_steps, draw_graph, explain

    x = Value(0.3, label="x")
    y = swish(x * 2)
    assert "op3 [label=swish " in draw_graph(y).source  # node ids from topological index
    first = str(next(iter(backward_steps(y))))
    assert first.startswith("step 1/4: swish((x * 2)) (swish), grad 1")
    assert explain(y, x).total == pytest.approx(grad(y, [x])[0], rel=1e-15)


def test_a_function_in_forward_mode():
    x, y = Value(0.3), Value(-0.8)
    out = exp_of_product(x, y.tanh())
    assert jvp(out, {x: 1.0, y: 2.0}) == pytest.approx(
        math.fsum(g * t for g, t in zip(grad(out, [x, y]), [1.0, 2.0])), rel=1e-14
    )


def test_a_function_takes_numbers_and_batches():
    assert exp_of_product(2, Value(0.5)).data == pytest.approx(math.e, rel=1e-15)
    x = Value.batch([-1.0, 0.0, 1.0])
    w = Value(2.0)
    loss = plain_softplus(w * x).mean()
    loss.backward()
    expected = sum(xi / (1 + math.exp(-2.0 * xi)) for xi in [-1.0, 0.0, 1.0]) / 3
    assert w.grad == pytest.approx(expected, rel=1e-14)


def test_a_function_under_detect_anomaly():
    from micrograd_nn import detect_anomaly

    @function
    def log_of(x):
        return math.log(x), (1 / x,)

    with detect_anomaly():
        assert log_of(Value(2.0)).data == math.log(2.0)


def test_without_derivative_create_graph_says_what_to_add():
    x = Value(0.3)
    y = plain_softplus(x)
    assert grad(y, [x]) == [pytest.approx(1 / (1 + math.exp(-0.3)), rel=1e-15)]
    with pytest.raises(ValueError, match="'plain_softplus' node's partial derivatives as Values.*derivative="):
        grad(y, [x], create_graph=True)


def test_a_derivative_that_disagrees_is_caught():
    @function(derivative=lambda x: (x.tanh(),))
    def wrong(x):
        return math.log1p(math.exp(x)), (1 / (1 + math.exp(-x)),)

    with pytest.raises(ValueError, match="@function wrong: derivative and the function disagree on partial 1"):
        hessian(wrong(Value(0.3)), [])
    x = Value(0.3)
    with pytest.raises(ValueError, match="disagree"):
        grad(wrong(x), [x], create_graph=True)


def test_the_derivative_is_checked_where_it_is_used_each_time_not_proved():
    """The docstring's and README's example: x**2 with derivative 3*a agrees at a = 0 only."""
    @function(derivative=lambda a: (3 * a,))
    def square(x):
        return x * x, (2 * x,)

    a = Value(0.0)
    assert hessian(square(a), [a]) == [[3.0]]  # passes at a = 0, where both partials are 0
    b = Value(1.0)
    with pytest.raises(ValueError, match="disagree on partial 1 at 1.0: 3.0 from derivative, "
                                         "2.0 from square itself"):
        hessian(square(b), [b])
    y = square(a)
    (dy,) = grad(y, [a], create_graph=True)  # at a = 0 it passes again
    a.data = 1.0
    y.data, y.local_grads = 1.0, (2.0,)  # the node moved to a = 1: compared again there
    with pytest.raises(ValueError, match="disagree"):
        grad(y, [a], create_graph=True)


def test_a_one_argument_function_may_return_a_bare_partial():
    @function(name="cube")
    def f(x):
        return x**3, 3 * x**2

    y = f(Value(2.0))
    assert (y.op, y.data, y.local_grads) == ("cube", 8.0, (12.0,))


def _returns(result):
    def f(*xs):
        return result

    f.__name__ = "bad"
    return function(f)


@pytest.mark.parametrize(
    "call, exception, fragment",
    [
        (lambda: _returns(1.0)(Value(1.0)), TypeError, "@function bad: bad(1.0) returned 1.0; return (value, (partial"),
        (lambda: _returns((1.0, (1.0,)))(Value(1.0), 2.0), ValueError,
         "bad(1.0, 2.0) returned 1 partial derivative for 2 arguments; return one partial per argument"),
        (lambda: _returns((1.0, (1.0, 2.0)))(Value(1.0)), ValueError, "returned 2 partial derivatives for 1 argument"),
        (lambda: _returns(("1", (1.0,)))(Value(1.0)), TypeError, "returned str '1' as its value; it must be a number"),
        (lambda: _returns((1.0, (None,)))(Value(1.0)), TypeError, "returned NoneType None as its partial 1"),
        (lambda: _returns((1.0, "ab"))(Value(1.0)), TypeError, "returned partials 'ab'"),
        (lambda: _returns((1.0, (True,)))(Value(1.0)), TypeError, "returned bool True as its partial 1"),
        (lambda: _returns((math.nan, (1.0,)))(Value(1.0)), ValueError, "bad(1.0) returned nan as its value"),
        (lambda: _returns((1.0, (math.inf,)))(Value(1.0)), ValueError, "returned inf as its partial 1"),
        (lambda: _returns((1.0, (1.0,)))(), TypeError, "bad() takes at least one Value or number"),
        (lambda: _returns((1.0, (1.0,)))("x"), TypeError, "'bad' node: unsupported operand str 'x'"),
        (lambda: function(3), TypeError, "@function decorates a function of floats, got int"),
        (lambda: function(lambda x: x, derivative=2), TypeError, "derivative must be a function of Values"),
        (lambda: _returns((1.0, (1.0, 1.0)))(Value.batch([1.0, 2.0]), Value.batch([1.0])), ValueError,
         "'bad' node: batches of different lengths (1, 2)"),
    ],
)
def test_bad_functions_get_errors_naming_them(call, exception, fragment):
    with pytest.raises(exception) as info:
        call()
    assert fragment in str(info.value)


def test_nan_in_gives_nan_out_without_an_error():
    """A NaN argument is passed through, as built-in ops do (detect_anomaly finds where it began)."""
    y = plain_softplus(Value(math.nan))
    assert math.isnan(y.data)


def test_a_node_behind_a_zero_derivative_gets_a_zero_gradient_graph():
    """relu at a negative input passes nothing back: the '*' under it gets gradient 0."""
    a = Value(-0.5)
    out = (a * 2.0).relu() + a
    g_a, g_out = grad(out, [a, out], create_graph=True)
    assert (g_a.data, g_out.data) == (1.0, 1.0)
    assert grad((a * 2.0).relu(), [a], create_graph=True)[0].data == 0.0


def test_a_gradient_of_a_gradient_shares_the_forward_nodes():
    """d/dx (x * x) = x + x built from x itself: no copies of the forward graph."""
    x = Value(3.0, label="x")
    (g,) = grad(x * x, [x], create_graph=True)
    assert (g.op, g.children) == ("sum", (x, x))
    assert grad(g, [x]) == [2.0]


def test_an_op_without_a_rule_is_refused_by_name():
    from micrograd_nn import engine

    x = Value(2.0)
    node = engine._node(x.data**2, (x,), (2 * x.data,), "square")  # no local_grads_fn
    assert grad(node, [x]) == [4.0]
    with pytest.raises(ValueError, match="the 'square' node has no rule for its local derivatives"):
        grad(node, [x], create_graph=True)


def test_a_node_holds_its_rule_through_its_op_at_no_cost_per_node():
    """The rule travels with the op's name (an engine.Op, a str), not in a slot of each node."""
    from micrograd_nn import engine

    a, b = Value(2.0), Value(3.0)
    product = a * b
    assert product.op == "*" and isinstance(product.op, str) and type(product.op) is engine.Op
    assert product.local_grads_fn is (a + b * a).children[1].local_grads_fn  # one Op per op
    assert a.local_grads_fn is None and "local_grads_fn" not in Value.__slots__
    assert [(a**2).op, (a**2.0).op, (a**-1).op] == ["**2", "**2.0", "**-1"]  # k as written
    assert grad(grad(a**2.0, [a], create_graph=True)[0], [a]) == [2.0]
    assert f"{product.op}|{product.op!r}" == "*|'*'"
