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
