"""Tests for micrograd_nn.engine.Value: the scalar autograd engine.

Every expected number comes from outside the engine, tightest oracle first:

1. exact known values (``sigmoid(0) == 0.5``, ``d(a*b)/da == b``);
2. central finite differences of the same formula written on plain floats with
   ``math`` (never with Value), compared to ``.grad`` with relative tolerance
   1e-6 in float64;
3. hand-derived formulas (``d/dx x**y == y * x**(y-1)``).

Forward values are compared with ``math`` exactly, or within a few ulps where
the engine and the reference are different float formulas for the same number.
"""
from __future__ import annotations

import math
import operator
import os
import subprocess
import sys
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_nn.engine import Value

EPS = sys.float_info.epsilon
REPO_ROOT = Path(__file__).resolve().parents[1]

# Modest example counts keep the file fast; no deadline (first calls warm up).
# database=None: the run leaves no .hypothesis/ directory behind.
FD_SETTINGS = settings(max_examples=60, deadline=None, database=None)


# ---------------------------------------------------------------- oracles

FD_STEP = 1e-5  # relative step; close to the optimum eps**(1/3) for central differences
FD_REL = 1e-6


def fd_step(x: float) -> float:
    return FD_STEP * max(1.0, abs(x))


def central_difference(f, x: float, h: float | None = None) -> float:
    """(f(x+h) - f(x-h)) / (2h) on plain floats, dividing by the step actually taken."""
    h = fd_step(x) if h is None else h
    xp, xm = x + h, x - h
    return (f(xp) - f(xm)) / (xp - xm)


def fd_noise(scale: float, x: float) -> float:
    """Rounding error of a central difference: about eps * |f| / h (with a wide margin)."""
    return 64 * EPS * max(1.0, scale) / fd_step(x)


def assert_matches_fd(grad: float, f, x: float, what: str = "") -> None:
    """``grad`` equals the central difference of ``f`` at ``x`` to rel 1e-6.

    The absolute term only covers the difference quotient's own rounding
    noise, so it matters only where the derivative is tiny next to ``f``.
    """
    expected = central_difference(f, x)
    abs_tol = fd_noise(abs(f(x)), x)
    assert math.isclose(grad, expected, rel_tol=FD_REL, abs_tol=abs_tol), (
        f"{what}: grad {grad!r} != finite difference {expected!r} at x={x!r}"
    )


def assert_same_float(actual: float, expected: float) -> None:
    assert type(actual) is float
    assert actual == expected or (math.isnan(actual) and math.isnan(expected)), (actual, expected)


def sigmoid_ref(t: float) -> float:
    """1 / (1 + e**-t). Below -700 e**-t overflows, but there 1 + e**t == 1.0
    in floats, so sigmoid(t) == e**t exactly."""
    return 1.0 / (1.0 + math.exp(-t)) if t > -700.0 else math.exp(t)


def check_op(build, ref, args, lifted=None, value_rel=0.0, value_abs=0.0):
    """Build ``build(*operands)`` from ``args`` and check it against ``ref`` on floats.

    ``lifted[i]`` says whether argument i is passed as a Value (a leaf whose
    grad is checked) or as a plain number. The forward value must equal
    ``ref(*args)`` (exactly unless a tolerance is given); every Value leaf's
    grad must match the central difference of ``ref`` in that argument.
    """
    lifted = [True] * len(args) if lifted is None else lifted
    operands = [Value(a) if is_value else a for a, is_value in zip(args, lifted)]
    out = build(*operands)
    expected = ref(*args)
    if value_rel or value_abs:
        close = math.isclose(out.data, expected, rel_tol=value_rel, abs_tol=value_abs)
        assert close, (out.data, expected)
    else:
        assert_same_float(out.data, expected)
    out.backward()
    for i, (a, leaf) in enumerate(zip(args, operands)):
        if not isinstance(leaf, Value):
            continue

        def partial(t, i=i):
            return ref(*args[:i], t, *args[i + 1 :])

        assert_matches_fd(leaf.grad, partial, a, what=f"d/d(arg {i}) at args={args!r}")
    return out


# ------------------------------------------------------------- strategies


def floats(lo: float, hi: float):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


FINITE = floats(-1e3, 1e3)
POSITIVE = floats(0.1, 1e3)  # away from 0, where 1/x, log and x**0.5 blow up
NONZERO = POSITIVE | floats(-1e3, -0.1)
AWAY_FROM_KINK = floats(1e-3, 1e3) | floats(-1e3, -1e-3)  # relu, with x +- h on one side


# ---------------------------------------------------------- construction


@pytest.mark.parametrize(
    "data, expected",
    [
        pytest.param(3, 3.0, id="int"),
        pytest.param(-2, -2.0, id="negative-int"),
        pytest.param(2**53 + 1, 9007199254740992.0, id="int-rounds-to-nearest-float"),
        pytest.param(2.5, 2.5, id="float"),
        pytest.param(-0.0, -0.0, id="negative-zero"),
        pytest.param(True, 1.0, id="True"),
        pytest.param(False, 0.0, id="False"),
        pytest.param(np.float32(0.5), 0.5, id="np.float32"),
        pytest.param(np.float32(0.1), 0.10000000149011612, id="np.float32-widened-exactly"),
        pytest.param(np.float64(-1.25), -1.25, id="np.float64"),
        pytest.param(np.int64(7), 7.0, id="np.int64"),
        pytest.param(np.int32(-4), -4.0, id="np.int32"),
        pytest.param(Fraction(1, 4), 0.25, id="Fraction"),
    ],
)
def test_data_is_stored_as_python_float(data, expected):
    v = Value(data)
    assert_same_float(v.data, expected)
    assert math.copysign(1.0, v.data) == math.copysign(1.0, expected)
    assert type(v.grad) is float and v.grad == 0.0


BAD_DATA = [  # (data, type name the message must contain)
    pytest.param("1.0", "str", id="str"),
    pytest.param(None, "NoneType", id="None"),
    pytest.param([1.0], "list", id="list"),
    pytest.param((1.0,), "tuple", id="tuple"),
    pytest.param({"data": 1.0}, "dict", id="dict"),
    pytest.param(1 + 2j, "complex", id="complex"),
    pytest.param(np.complex128(1.0), "complex128", id="np.complex128"),
    pytest.param(np.array(1.0), "ndarray", id="numpy-0d-array"),
    pytest.param(np.array([1.0]), "ndarray", id="numpy-1d-array"),
    pytest.param(Decimal("1.5"), "Decimal", id="Decimal"),
    pytest.param(Value(1.0), "Value", id="Value-of-Value"),
]


@pytest.mark.parametrize("data, type_name", BAD_DATA)
def test_non_real_data_raises_type_error_naming_the_type(data, type_name):
    with pytest.raises(TypeError, match=type_name):
        Value(data)


def test_label_defaults_to_empty_and_is_kept():
    assert Value(1.0).label == ""
    assert Value(1.0, label="w1").label == "w1"
    assert Value(1.0, "b").label == "b"


@pytest.mark.parametrize("label", [1, None, b"w", ["w"]], ids=["int", "None", "bytes", "list"])
def test_non_str_label_raises_type_error(label):
    with pytest.raises(TypeError, match=type(label).__name__):
        Value(1.0, label=label)


def test_new_value_is_a_leaf_with_no_op():
    v = Value(2.0)
    assert v.is_leaf
    assert v.op == "" and v.children == () and v.local_grads == ()


# ------------------------------------------- ops: values and gradients vs FD

BINARY_OPS = [  # (op symbol, operator, strategy for left, strategy for right)
    pytest.param("+", operator.add, FINITE, FINITE, id="add"),
    pytest.param("-", operator.sub, FINITE, FINITE, id="sub"),
    pytest.param("*", operator.mul, FINITE, FINITE, id="mul"),
    pytest.param("/", operator.truediv, FINITE, NONZERO, id="div"),
]
# Which operands are Values: both, the left only (number on the right), the right
# only (number on the left: the reflected op).
LIFTS = {
    "value-value": (True, True),
    "value-number": (True, False),
    "number-value": (False, True),
}


@pytest.mark.parametrize("lift", list(LIFTS))
@pytest.mark.parametrize("symbol, op, left, right", BINARY_OPS)
@FD_SETTINGS
@given(data=st.data())
def test_binary_op_value_and_gradients(symbol, op, left, right, lift, data):
    a, b = data.draw(left, label="a"), data.draw(right, label="b")
    out = check_op(op, op, (a, b), lifted=LIFTS[lift])
    assert out.op == symbol
    assert len(out.children) == 2


@FD_SETTINGS
@given(x=FINITE)
def test_negation(x):
    out = check_op(operator.neg, operator.neg, (x,))
    assert out.op == "neg"


NUMBER_EXPONENTS = [  # (k, strategy for the base x)
    pytest.param(0, NONZERO, id="0"),
    pytest.param(1, FINITE, id="1"),
    pytest.param(2, FINITE, id="2"),
    pytest.param(3, FINITE, id="3"),
    pytest.param(-1, NONZERO, id="-1"),
    pytest.param(-3, NONZERO, id="-3"),
    pytest.param(0.5, POSITIVE, id="0.5"),
    pytest.param(1.5, POSITIVE, id="1.5"),
    pytest.param(-0.5, POSITIVE, id="-0.5"),
    pytest.param(2.0, FINITE, id="2.0-negative-bases-too"),
    pytest.param(3.0, FINITE, id="3.0-negative-bases-too"),
    pytest.param(-2.0, NONZERO, id="-2.0-negative-bases-too"),
    pytest.param(np.int64(2), FINITE, id="np.int64(2)"),
    pytest.param(np.float64(2.5), POSITIVE, id="np.float64(2.5)"),
]


@pytest.mark.parametrize("k, base", NUMBER_EXPONENTS)
@FD_SETTINGS
@given(data=st.data())
def test_power_with_number_exponent(k, base, data):
    x = data.draw(base, label="x")
    out = check_op(lambda v: v**k, lambda t: t ** float(k), (x,))
    assert len(out.children) == 1


@FD_SETTINGS
@given(x=floats(0.1, 10.0), y=floats(-3.0, 3.0))
def test_power_with_value_exponent(x, y):
    out = check_op(operator.pow, operator.pow, (x, y))
    assert out.op == "**"


@pytest.mark.parametrize("k", [2, 0.5, math.e, 10, np.float64(3.0)], ids=str)
@FD_SETTINGS
@given(x=floats(-10.0, 10.0))
def test_power_with_number_base(k, x):
    out = check_op(lambda v: k**v, lambda t: float(k) ** t, (x,))
    assert out.op == "**"
    assert out.children[0].data == float(k)


UNARY_OPS = [  # (op name, engine call, math reference, domain, forward tolerance as rel)
    pytest.param("exp", Value.exp, math.exp, floats(-50.0, 50.0), 0.0, id="exp"),
    pytest.param("log", Value.log, math.log, floats(0.1, 1e6), 0.0, id="log"),
    pytest.param("tanh", Value.tanh, math.tanh, floats(-20.0, 20.0), 0.0, id="tanh"),
    # Engine and reference are different float formulas: allow a few ulps.
    pytest.param("sigmoid", Value.sigmoid, sigmoid_ref, floats(-40.0, 40.0), 8 * EPS, id="sigmoid"),
    pytest.param("relu", Value.relu, lambda t: max(0.0, t), AWAY_FROM_KINK, 0.0, id="relu"),
]


@pytest.mark.parametrize("name, method, ref, domain, value_rel", UNARY_OPS)
@FD_SETTINGS
@given(data=st.data())
def test_unary_op_value_and_gradient(name, method, ref, domain, value_rel, data):
    x = data.draw(domain, label="x")
    out = check_op(method, ref, (x,), value_rel=value_rel)
    assert out.op == name
    assert len(out.children) == 1


def summation_tolerance(terms) -> float:
    """Error bound for adding floats in any order: n * eps * sum(|term|)."""
    return 2 * len(terms) * EPS * math.fsum(abs(t) for t in terms)


@FD_SETTINGS
@given(
    xs=st.lists(FINITE, min_size=1, max_size=6),
    lifted=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_sum_value_and_gradients(xs, lifted):
    lifted = lifted[: len(xs)]
    out = check_op(
        lambda *vs: Value.sum(vs),
        lambda *ts: math.fsum(ts),
        tuple(xs),
        lifted=lifted,
        value_rel=1e-15,
        value_abs=summation_tolerance(xs),
    )
    assert out.op == "sum"
    assert len(out.children) == len(xs)
    # d(sum)/d(vi) == 1 exactly.
    for child, is_value in zip(out.children, lifted):
        if is_value:
            assert child.grad == 1.0


@FD_SETTINGS
@given(
    pairs=st.lists(st.tuples(floats(-100.0, 100.0), floats(-100.0, 100.0)), min_size=1, max_size=4),
    bias=st.none() | floats(-100.0, 100.0),
)
def test_weighted_sum_value_and_gradients(pairs, bias):
    n = len(pairs)
    flat = [t for pair in pairs for t in pair] + ([] if bias is None else [bias])

    def build(*vs):
        b = None if bias is None else vs[-1]
        return Value.weighted_sum(vs[0 : 2 * n : 2], vs[1 : 2 * n : 2], b)

    def ref(*ts):
        products = [ts[2 * i] * ts[2 * i + 1] for i in range(n)]
        return math.fsum(products + ([] if bias is None else [ts[-1]]))

    terms = [w * x for w, x in pairs] + ([] if bias is None else [bias])
    out = check_op(build, ref, tuple(flat), value_rel=1e-15, value_abs=summation_tolerance(terms))
    assert out.op == "wsum"
    # Hand math: d/dwi = xi, d/dxi = wi, d/db = 1, exactly.
    ws, xs = out.children[0 : 2 * n : 2], out.children[1 : 2 * n : 2]
    for (w, x), wv, xv in zip(pairs, ws, xs):
        assert wv.grad == x and xv.grad == w
    if bias is not None:
        assert out.children[-1].grad == 1.0


@settings(max_examples=200, deadline=None, database=None)
@given(x=st.floats(allow_nan=False, allow_infinity=False))
def test_sigmoid_and_tanh_never_overflow(x):
    """Any finite input: no OverflowError, outputs and slopes in their mathematical ranges."""
    s, t = Value(x).sigmoid(), Value(x).tanh()
    assert 0.0 <= s.data <= 1.0 and 0.0 <= s.local_grads[0] <= 0.25
    assert -1.0 <= t.data <= 1.0 and 0.0 <= t.local_grads[0] <= 1.0


def test_plus_sign_returns_the_same_value():
    x = Value(2.0)
    assert +x is x


# --------------------------------------------------------------- structure


def test_x_plus_x_has_both_children_and_gradient_two():
    x = Value(3.0)
    y = x + x
    assert y.children == (x, x)
    assert y.children[0] is x and y.children[1] is x
    y.backward()
    assert x.grad == 2.0


@pytest.mark.parametrize(
    "build, op, local_grads",
    [  # hand-worked with a = 3, b = -2
        pytest.param(lambda a, b: a + b, "+", (1.0, 1.0), id="add"),
        pytest.param(lambda a, b: a - b, "-", (1.0, -1.0), id="sub-is-one-node"),
        pytest.param(lambda a, b: a * b, "*", (-2.0, 3.0), id="mul"),
        pytest.param(lambda a, b: a / b, "/", (-0.5, -0.75), id="div-is-one-node"),
    ],
)
def test_binary_node_records_operands_in_order(build, op, local_grads):
    a, b = Value(3.0), Value(-2.0)
    out = build(a, b)
    assert out.op == op
    assert out.children[0] is a and out.children[1] is b and len(out.children) == 2
    assert out.local_grads == local_grads


@pytest.mark.parametrize(
    "build, op",
    [
        pytest.param(lambda x: 2 + x, "+", id="radd"),
        pytest.param(lambda x: 2 - x, "-", id="rsub"),
        pytest.param(lambda x: 2 * x, "*", id="rmul"),
        pytest.param(lambda x: 2 / x, "/", id="rtruediv"),
        pytest.param(lambda x: 2**x, "**", id="rpow"),
    ],
)
def test_reflected_ops_keep_the_written_order(build, op):
    x = Value(5.0)
    out = build(x)
    assert out.op == op
    constant, operand = out.children
    assert constant.data == 2.0 and constant.is_leaf and constant is not x
    assert operand is x


@pytest.mark.parametrize(
    "build, op, n_children",
    [
        pytest.param(lambda x, y: x**2, "**2", 1, id="pow-int"),
        pytest.param(lambda x, y: x**0.5, "**0.5", 1, id="pow-float"),
        pytest.param(lambda x, y: x**-1, "**-1", 1, id="pow-negative"),
        pytest.param(lambda x, y: x ** np.int64(3), "**3", 1, id="pow-numpy-int-shown-as-int"),
        pytest.param(lambda x, y: x**y, "**", 2, id="pow-value"),
        pytest.param(lambda x, y: -x, "neg", 1, id="neg"),
        pytest.param(lambda x, y: x.exp(), "exp", 1, id="exp"),
        pytest.param(lambda x, y: x.log(), "log", 1, id="log"),
        pytest.param(lambda x, y: x.tanh(), "tanh", 1, id="tanh"),
        pytest.param(lambda x, y: x.sigmoid(), "sigmoid", 1, id="sigmoid"),
        pytest.param(lambda x, y: x.relu(), "relu", 1, id="relu"),
        pytest.param(lambda x, y: Value.sum([x, y, 1.0]), "sum", 3, id="sum"),
        pytest.param(lambda x, y: Value.weighted_sum([x], [y], 1.0), "wsum", 3, id="wsum"),
    ],
)
def test_op_name_and_children(build, op, n_children):
    x, y = Value(4.0), Value(0.5)
    out = build(x, y)
    assert out.op == op
    assert isinstance(out.children, tuple) and len(out.children) == n_children
    assert isinstance(out.local_grads, tuple) and len(out.local_grads) == len(out.children)
    assert all(type(g) is float for g in out.local_grads)
    assert out.children[0] is x
    assert not out.is_leaf


@pytest.mark.parametrize(
    "build, expected",
    [  # hand-derived local derivatives at x = 3, y = -2
        pytest.param(lambda x, y: x**2, (6.0,), id="x**2: 2x"),
        pytest.param(lambda x, y: x**-1, (-1 / 9,), id="x**-1: -1/x**2"),
        pytest.param(
            lambda x, y: x**y, (-2 / 27, math.log(3) / 9), id="x**y: y*x**(y-1), x**y*log(x)"
        ),
        pytest.param(lambda x, y: x.exp(), (math.exp(3),), id="exp: e**x"),
        pytest.param(lambda x, y: x.log(), (1 / 3,), id="log: 1/x"),
        pytest.param(lambda x, y: x.tanh(), (1 / math.cosh(3) ** 2,), id="tanh: 1-tanh**2 = 1/cosh**2"),
        pytest.param(
            lambda x, y: y.sigmoid(),
            (math.exp(2) / (1 + math.exp(2)) ** 2,),
            id="sigmoid: e**-x/(1+e**-x)**2",
        ),
        pytest.param(lambda x, y: Value.sum([x, y, x]), (1.0, 1.0, 1.0), id="sum: all ones"),
    ],
)
def test_local_grads_match_hand_derivation(build, expected):
    out = build(Value(3.0), Value(-2.0))
    assert len(out.local_grads) == len(expected)
    for got, want in zip(out.local_grads, expected):
        assert math.isclose(got, want, rel_tol=4 * EPS), (got, want)


def test_weighted_sum_children_and_local_grads_order():
    w1, x1, w2, x2, b = (Value(v) for v in (2.0, 3.0, -4.0, 5.0, 0.5))
    out = Value.weighted_sum([w1, w2], [x1, x2], b)
    assert out.children == (w1, x1, w2, x2, b)
    assert out.local_grads == (3.0, 2.0, 5.0, -4.0, 1.0)
    assert out.data == 2.0 * 3.0 + -4.0 * 5.0 + 0.5


def test_weighted_sum_lifts_numbers_and_omits_missing_bias():
    w = Value(2.0)
    out = Value.weighted_sum([w], [3])
    assert len(out.children) == 2 and out.children[0] is w
    assert out.children[1].is_leaf and out.children[1].data == 3.0
    assert out.data == 6.0
    with_bias = Value.weighted_sum([w], [3], 1)
    assert with_bias.children[-1].data == 1.0 and with_bias.data == 7.0


def test_sum_accepts_any_iterable():
    xs = [Value(1.0), Value(2.0)]
    out = Value.sum(x for x in xs)
    assert out.children == tuple(xs) and out.data == 3.0


# ----------------------------------------------- non-smooth and edge points


@pytest.mark.parametrize(
    "method, x, value, slope",
    [  # exact limits, no OverflowError
        pytest.param(Value.relu, 0.0, 0.0, 0.0, id="relu(0)"),
        pytest.param(Value.relu, -0.0, 0.0, 0.0, id="relu(-0.0)"),
        pytest.param(Value.relu, -3.5, 0.0, 0.0, id="relu(-3.5)"),
        pytest.param(Value.relu, 2.5, 2.5, 1.0, id="relu(2.5)"),
        pytest.param(Value.relu, 5e-324, 5e-324, 1.0, id="relu(smallest subnormal)"),
        pytest.param(Value.sigmoid, 0.0, 0.5, 0.25, id="sigmoid(0)"),
        pytest.param(Value.sigmoid, -0.0, 0.5, 0.25, id="sigmoid(-0.0)"),
        pytest.param(Value.sigmoid, 1000.0, 1.0, 0.0, id="sigmoid(1000)"),
        pytest.param(Value.sigmoid, -1000.0, 0.0, 0.0, id="sigmoid(-1000)"),
        pytest.param(Value.sigmoid, 1e308, 1.0, 0.0, id="sigmoid(1e308)"),
        pytest.param(Value.sigmoid, -1e308, 0.0, 0.0, id="sigmoid(-1e308)"),
        pytest.param(Value.tanh, 0.0, 0.0, 1.0, id="tanh(0)"),
        pytest.param(Value.tanh, 1000.0, 1.0, 0.0, id="tanh(1000)"),
        pytest.param(Value.tanh, -1000.0, -1.0, 0.0, id="tanh(-1000)"),
        pytest.param(Value.tanh, 1e308, 1.0, 0.0, id="tanh(1e308)"),
        pytest.param(Value.exp, 0.0, 1.0, 1.0, id="exp(0)"),
        pytest.param(Value.exp, -1000.0, 0.0, 0.0, id="exp(-1000) underflows to 0"),
        pytest.param(Value.log, 1.0, 0.0, 1.0, id="log(1)"),
    ],
)
def test_edge_points_exact(method, x, value, slope):
    xv = Value(x)
    out = method(xv)
    assert_same_float(out.data, value)
    out.backward()
    assert_same_float(xv.grad, slope)


def test_relu_of_nan_stays_nan():
    """A broken input must not be silently turned into 0."""
    x = Value(math.nan)
    out = x.relu()
    assert math.isnan(out.data)
    out.backward()
    assert math.isnan(x.grad)


@pytest.mark.parametrize("x, value", [(-8.0, -512.0), (-2.0, -8.0), (-0.5, -0.125)])
def test_negative_base_with_integer_valued_float_exponent(x, value):
    xv = Value(x)
    out = xv**3.0
    assert out.data == value
    out.backward()
    assert xv.grad == 3.0 * x * x  # 3x**2, exact for these x


# ----------------------------------------------------------- domain errors

DOMAIN_ERRORS = [  # (id, thunk, exception, fragments the message must contain)
    ("log(0)", lambda: Value(0).log(), ValueError, ["log", "0.0"]),
    ("log(-1)", lambda: Value(-1).log(), ValueError, ["log", "-1.0"]),
    ("log(nan)", lambda: Value(math.nan).log(), ValueError, ["log", "nan"]),
    ("x/0", lambda: Value(3) / 0, ZeroDivisionError, ["'/'", "3.0", "0.0"]),
    ("x/Value(0)", lambda: Value(3) / Value(0), ZeroDivisionError, ["'/'", "3.0", "0.0"]),
    ("x/Value(-0.0)", lambda: Value(3) / Value(-0.0), ZeroDivisionError, ["'/'", "3.0"]),
    ("1/Value(0)", lambda: 1 / Value(0), ZeroDivisionError, ["'/'", "1.0", "0.0"]),
    ("(-8)**(1/3)", lambda: Value(-8) ** (1 / 3), ValueError, ["**", "-8.0", "complex"]),
    ("(-1)**0.5", lambda: Value(-1) ** 0.5, ValueError, ["**0.5", "-1.0"]),
    ("0**0.5", lambda: Value(0) ** 0.5, ValueError, ["**0.5", "0.0"]),
    ("(-0.0)**0.5", lambda: Value(-0.0) ** 0.5, ValueError, ["**0.5"]),
    ("0**-1", lambda: Value(0) ** -1, ZeroDivisionError, ["**-1", "0.0"]),
    ("0**-0.5", lambda: Value(0) ** -0.5, ZeroDivisionError, ["**-0.5", "0.0"]),
    ("(-2)**Value(2)", lambda: Value(-2) ** Value(2), ValueError, ["'**'", "-2.0"]),
    ("0**Value(2)", lambda: Value(0) ** Value(2), ValueError, ["'**'", "0.0"]),
    ("(-2)**Value(1)", lambda: (-2) ** Value(1.0), ValueError, ["'**'", "-2.0"]),
    ("0**Value(1)", lambda: 0 ** Value(1.0), ValueError, ["'**'", "0.0"]),
    ("exp(1000)", lambda: Value(1000).exp(), OverflowError, ["exp", "1000.0"]),
    ("exp(710)", lambda: Value(710).exp(), OverflowError, ["exp", "710.0"]),
    ("1e200**2", lambda: Value(1e200) ** 2, OverflowError, ["**2", "1e+200"]),
    ("1e-200**-2", lambda: Value(1e-200) ** -2, OverflowError, ["**-2", "1e-200"]),
    ("10**Value(400)", lambda: Value(10) ** Value(400), OverflowError, ["'**'", "10.0", "400.0"]),
    ("number**Value overflow", lambda: 10 ** Value(400), OverflowError, ["'**'", "400.0"]),
    (
        "weighted_sum count mismatch",
        lambda: Value.weighted_sum([Value(1), Value(2)], [Value(3)]),
        ValueError,
        ["wsum", "2 weights", "1 input;"],
    ),
]


@pytest.mark.parametrize(
    "thunk, exception, fragments", [pytest.param(*row[1:], id=row[0]) for row in DOMAIN_ERRORS]
)
def test_domain_errors_are_raised_at_forward_time(thunk, exception, fragments):
    """Raised by the op itself (forward time), with a message naming the op and operands."""
    with pytest.raises(exception) as info:
        thunk()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)


BAD_OPERANDS = [  # (thunk, op named in the message, type named in the message)
    pytest.param(lambda: Value(1) + "a", "'+'", "str", id="Value+str"),
    pytest.param(lambda: "a" + Value(1), "'+'", "str", id="str+Value"),
    pytest.param(lambda: Value(1) + 1j, "'+'", "complex", id="Value+complex"),
    pytest.param(lambda: Value(1) + Decimal(1), "'+'", "Decimal", id="Value+Decimal"),
    pytest.param(lambda: Value(1) - None, "'-'", "NoneType", id="Value-None"),
    pytest.param(lambda: None - Value(1), "'-'", "NoneType", id="None-Value"),
    pytest.param(lambda: Value(1) * None, "'*'", "NoneType", id="Value*None"),
    pytest.param(lambda: None * Value(1), "'*'", "NoneType", id="None*Value"),
    pytest.param(lambda: [1] * Value(2), "'*'", "list", id="list*Value-not-repetition"),
    pytest.param(lambda: Value(2) * [1], "'*'", "list", id="Value*list"),
    pytest.param(lambda: "ab" * Value(2), "'*'", "str", id="str*Value-not-repetition"),
    pytest.param(lambda: np.array([1.0]) * Value(2), "'*'", "ndarray", id="ndarray*Value"),
    pytest.param(lambda: Value(2) * np.array([1.0]), "'*'", "ndarray", id="Value*ndarray"),
    pytest.param(lambda: Value(1) / "2", "'/'", "str", id="Value/str"),
    pytest.param(lambda: "2" / Value(1), "'/'", "str", id="str/Value"),
    pytest.param(lambda: Value(1) ** "2", "'**'", "str", id="Value**str"),
    pytest.param(lambda: "2" ** Value(1), "'**'", "str", id="str**Value"),
    pytest.param(lambda: Value(1) ** None, "'**'", "NoneType", id="Value**None"),
    pytest.param(lambda: Value(1) ** 1j, "'**'", "complex", id="Value**complex"),
    pytest.param(lambda: Value.sum([Value(1), "a"]), "sum", "str", id="sum-with-str"),
    pytest.param(lambda: Value.weighted_sum([Value(1)], ["a"]), "wsum", "str", id="wsum-with-str"),
    pytest.param(
        lambda: Value.weighted_sum([Value(1)], [Value(1)], "b"), "wsum", "str", id="wsum-str-bias"
    ),
]


@pytest.mark.parametrize("thunk, op, type_name", BAD_OPERANDS)
def test_unsupported_operands_raise_type_error_naming_the_op(thunk, op, type_name):
    with pytest.raises(TypeError) as info:
        thunk()
    message = str(info.value)
    assert op in message and type_name in message, message


@pytest.mark.parametrize(
    "build, op, value",
    [
        pytest.param(lambda v: np.float64(2.0) * v, "*", 6.0, id="np.float64*Value"),
        pytest.param(lambda v: np.float32(2.0) + v, "+", 5.0, id="np.float32+Value"),
        pytest.param(lambda v: np.int64(2) - v, "-", -1.0, id="np.int64-Value"),
        pytest.param(lambda v: np.float64(6.0) / v, "/", 2.0, id="np.float64/Value"),
        pytest.param(lambda v: np.float64(2.0) ** v, "**", 8.0, id="np.float64**Value"),
    ],
)
def test_numpy_scalar_on_the_left_defers_to_value(build, op, value):
    """numpy must not turn ``np.float64(2) * v`` into a numpy object: Value handles it."""
    v = Value(3.0)
    out = build(v)
    assert type(out) is Value
    assert out.op == op and out.data == value
    assert out.children[1] is v


# ------------------------------------------------------ backward semantics


def test_reused_node_accumulates_gradient():
    """b = a + a, c = b*b = 4a**2, so dc/da = 8a and dc/db = 2b."""
    a = Value(3.0)
    b = a + a
    c = b * b
    c.backward()
    assert c.data == 36.0
    assert b.grad == 12.0
    assert a.grad == 24.0


def test_diamond_graph():
    """f = (x*y) * (x+y): df/dx = y(x+y) + xy = 21, df/dy = x(x+y) + xy = 16 at x=2, y=3."""
    x, y = Value(2.0), Value(3.0)
    d, e = x * y, x + y
    f = d * e
    f.backward()
    assert f.data == 30.0
    assert (d.grad, e.grad) == (5.0, 6.0)
    assert (x.grad, y.grad) == (21.0, 16.0)


def _example_graph():
    x, y = Value(2.0, label="x"), Value(-3.0, label="y")
    h = (x * y).tanh() + x
    root = h * h + y.sigmoid() * 2.0 - x / y
    return root, x, y


def _integer_graph():
    """Small integers only, so every grad is exact and sums of paths do not round."""
    x, y = Value(2.0, label="x"), Value(-3.0, label="y")
    h = x * y + x
    return h * h * y + (x - y) * x, x, y


def test_backward_twice_interior_grads_reset_leaf_grads_accumulate():
    root, x, y = _integer_graph()
    root.backward()
    # Hand math at x=2, y=-3, h = xy + x = -4: root = h*h*y + (x-y)*x = -38,
    # d/dx = 2h(y+1)y + (x-y) + x = -41, d/dy = 2hxy + h*h - x = 62.
    assert (root.data, x.grad, y.grad) == (-38.0, -41.0, 62.0)
    once = {id(n): n.grad for n in root.topological_order()}
    root.backward()
    for node in root.topological_order():
        expected = 2 * once[id(node)] if node.is_leaf else once[id(node)]
        assert node.grad == expected, node
    assert root.grad == 1.0


def test_zero_grad_clears_every_node_then_backward_matches_one_call():
    root, x, y = _integer_graph()
    root.backward()
    once = [n.grad for n in root.topological_order()]
    root.backward()
    root.zero_grad()
    assert all(n.grad == 0.0 and type(n.grad) is float for n in root.topological_order())
    root.backward()
    assert [n.grad for n in root.topological_order()] == once


def test_example_graph_gradients_match_finite_differences():
    def ref(x, y):
        h = math.tanh(x * y) + x
        return h * h + sigmoid_ref(y) * 2.0 - x / y

    root, x, y = _example_graph()
    assert math.isclose(root.data, ref(2.0, -3.0), rel_tol=8 * EPS)
    root.backward()
    assert_matches_fd(x.grad, lambda t: ref(t, -3.0), 2.0, "d/dx")
    assert_matches_fd(y.grad, lambda t: ref(2.0, t), -3.0, "d/dy")


def test_backward_of_a_leaf_root():
    x = Value(4.0)
    x.backward()
    assert x.grad == 1.0
    x.backward()
    assert x.grad == 2.0


def test_two_roots_sharing_a_subgraph():
    """Interior grads are those of the last backward(); leaves sum both calls."""
    w, x = Value(-2.0), Value(5.0)
    h = w * x
    loss1, loss2 = h * 2, h * 3
    loss1.backward()
    assert (h.grad, w.grad, x.grad) == (2.0, 10.0, -4.0)
    loss2.backward()
    assert h.grad == 3.0
    assert w.grad == 2 * 5.0 + 3 * 5.0
    assert x.grad == 2 * -2.0 + 3 * -2.0
    assert loss1.grad == 1.0  # not in loss2's graph: untouched


def test_backward_adds_to_existing_leaf_grads():
    x = Value(3.0)
    x.grad = 0.5
    (x * 2).backward()
    assert x.grad == 2.5


# ----------------------------------------------------- topological order


def reachable(root: Value) -> set[int]:
    """ids of all nodes reachable from root, by an independent traversal."""
    seen, todo = set(), [root]
    while todo:
        node = todo.pop()
        if id(node) not in seen:
            seen.add(id(node))
            todo.extend(node.children)
    return seen


def assert_topological(root: Value) -> list[Value]:
    order = root.topological_order()
    position = {id(n): i for i, n in enumerate(order)}
    assert len(position) == len(order), "a node appears twice"
    assert set(position) == reachable(root), "missing or extra nodes"
    assert order[-1] is root
    for i, node in enumerate(order):
        for child in node.children:
            assert position[id(child)] < i, "a node comes before one of its children"
    return order


def test_topological_order_of_a_leaf_is_itself():
    x = Value(1.0)
    assert x.topological_order() == [x]


def test_topological_order_small_graph():
    root, x, y = _example_graph()
    order = assert_topological(root)
    assert x in order and y in order


UNARY_FOR_DAG = {
    "neg": (operator.neg, operator.neg),
    "tanh": (Value.tanh, math.tanh),
    "sigmoid": (Value.sigmoid, sigmoid_ref),
}
BINARY_FOR_DAG = {"+": operator.add, "-": operator.sub, "*": operator.mul}


@st.composite
def expression_dags(draw):
    """Inputs plus a recipe [(op, i, j)]: node n = op(node i, node j), any earlier nodes,
    so nodes are shared (reused operands, diamonds, x op x)."""
    inputs = draw(st.lists(floats(-1.5, 1.5), min_size=1, max_size=3))
    steps = []
    for k in range(draw(st.integers(1, 6))):
        n = len(inputs) + k
        op = draw(st.sampled_from(sorted(UNARY_FOR_DAG) + sorted(BINARY_FOR_DAG)))
        steps.append((op, draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))))
    return inputs, steps


def evaluate(inputs, steps, on_values: bool):
    nodes = list(inputs)
    for op, i, j in steps:
        if op in UNARY_FOR_DAG:
            nodes.append(UNARY_FOR_DAG[op][0 if on_values else 1](nodes[i]))
        else:
            nodes.append(BINARY_FOR_DAG[op](nodes[i], nodes[j]))
    return nodes


@settings(max_examples=150, deadline=None, database=None)
@given(dag=expression_dags())
def test_random_dags_order_and_gradients(dag):
    """Random shared-node expressions: topological invariants, and every input's grad
    against the central difference of the same recipe evaluated on floats.

    The FD estimate is Richardson-extrapolated (steps h and h/2); its error
    estimate |R - D(h/2)| is added to the tolerance, so a steep composite
    cannot make the test flaky while smooth ones are held to rel 1e-6.
    """
    inputs, steps = dag
    leaves = [Value(x) for x in inputs]
    nodes = evaluate(leaves, steps, on_values=True)
    root = nodes[-1]
    float_nodes = evaluate(inputs, steps, on_values=False)
    scale = max(abs(v) for v in float_nodes)
    # Same recipe on floats; sigmoid is a different float formula there, so allow
    # a few ulps, propagated through at most 6 ops, of the largest intermediate.
    for node, expected in zip(nodes, float_nodes):
        assert math.isclose(node.data, expected, rel_tol=1e-12, abs_tol=1e-12 * max(1.0, scale))
    assert_topological(root)
    root.backward()
    for i, (x, leaf) in enumerate(zip(inputs, leaves)):

        def f(t, i=i):
            return evaluate(inputs[:i] + [t] + inputs[i + 1 :], steps, on_values=False)[-1]

        h = fd_step(x)
        d1, d2 = central_difference(f, x, h), central_difference(f, x, h / 2)
        richardson = (4 * d2 - d1) / 3
        tol = FD_REL * abs(richardson) + 2 * abs(richardson - d2) + 6 * fd_noise(scale, x)
        assert abs(leaf.grad - richardson) <= tol, (i, leaf.grad, richardson, tol)


def _deterministic_expression():
    xs = [Value(0.5 * i - 1.0, label=f"x{i}") for i in range(5)]
    hs = [(xs[i] * xs[(i + 1) % 5]).tanh() + xs[i] for i in range(5)]
    return Value.sum(hs[i] * hs[(2 * i) % 5] for i in range(5)).sigmoid()


def test_topological_order_is_the_same_for_the_same_expression():
    first = [(n.op, n.data) for n in _deterministic_expression().topological_order()]
    second = [(n.op, n.data) for n in _deterministic_expression().topological_order()]
    assert first == second


DETERMINISM_SCRIPT = """
from micrograd_nn.engine import Value
xs = [Value(0.5 * i - 1.0, label=f"x{i}") for i in range(5)]
hs = [(xs[i] * xs[(i + 1) % 5]).tanh() + xs[i] for i in range(5)]
labels = {x.label: x for x in xs}  # a str-keyed dict: hash-seed dependent if ever iterated as a set
root = Value.sum(hs[i] * hs[(2 * i) % 5] for i in range(5)).sigmoid() * labels["x3"]
root.backward()
print([(n.op, n.label, n.data, n.grad) for n in root.topological_order()])
"""


def test_topological_order_and_grads_identical_across_processes():
    """Different PYTHONHASHSEED values (and address layouts) give the same output."""
    outputs = []
    for seed in ("0", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONDONTWRITEBYTECODE="1")
        paths = [str(REPO_ROOT), os.environ.get("PYTHONPATH")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        result = subprocess.run(
            [sys.executable, "-c", DETERMINISM_SCRIPT],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0].startswith("[(")
    assert outputs[0] == outputs[1]


def test_a_search_of_a_subgraph_does_not_confuse_a_later_search_of_the_whole():
    """A search keeps no state on the nodes: an earlier search (of a part, or of a
    graph sharing nodes) never hides a node from a later one."""
    xs = [Value(0.5 * i - 1.0) for i in range(4)]
    inner = (xs[0] * xs[1]).tanh() + xs[2]
    other = inner * xs[3]  # another root sharing `inner`'s interior nodes
    root = (inner * inner).sigmoid() + inner * xs[0]
    inner.topological_order()
    other.topological_order(leaves=False)
    order = assert_topological(root)
    assert order == root.topological_order()  # the same on every call
    assert [n for n in order if n.children] == root.topological_order(leaves=False)


def test_the_garbage_collector_is_left_as_it_was():
    """topological_order (and so backward) pause the collector while they search,
    and put it back: on stays on, and a collector the caller paused stays paused."""
    import gc

    x = Value(2.0)
    root = (x * x).tanh() + x
    was = gc.isenabled()
    try:
        gc.enable()
        root.backward()
        assert gc.isenabled()
        gc.disable()
        root.backward()
        root.topological_order()
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert x.grad == pytest.approx(2 * (2 * 2.0) * (1 - math.tanh(4.0) ** 2) + 2, rel=1e-12)  # two calls


def test_no_collection_runs_during_the_search_of_a_deep_graph():
    """The search of a 50,000-deep chain holds 50,000 iterators at once, enough to set
    off dozens of collections; with the collector paused, none runs."""
    import gc

    x = Value(1.0)
    v = x
    for _ in range(50_000):
        v = -v
    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    was = gc.isenabled()
    gc.enable()
    gc.collect()  # start the count of new objects from 0, so no collection is due anyway
    gc.callbacks.append(count)
    try:
        order = v.topological_order()
        v.backward()
    finally:
        gc.callbacks.remove(count)
        (gc.enable if was else gc.disable)()
    assert collections == []
    assert len(order) == 50_001 and x.grad == 1.0


def test_searches_in_two_threads_over_graphs_sharing_leaves():
    """Leaves (parameters) are shared between graphs, so what a search has visited
    must be its own (never a mark on the node): two threads searching graphs that
    share every leaf, switching often, each get exactly the order a lone search gets."""
    import threading

    weights = [Value(0.01 * i) for i in range(50)]

    def graph(offset: float) -> Value:
        v = Value(offset)
        for _ in range(40):
            v = Value.sum([(w * v).tanh() for w in weights])
        return v

    roots = [graph(0.5), graph(-0.25)]
    expected = [root.topological_order() for root in roots]
    results: dict[int, list[list[Value]]] = {0: [], 1: []}
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [
            threading.Thread(target=lambda i=i: results[i].extend(roots[i].topological_order() for _ in range(5)))
            for i in (0, 1)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old)
    for i in (0, 1):
        assert len(results[i]) == 5
        for order in results[i]:
            assert order == expected[i]


# ----------------------------------------------------------- deep graphs


def test_deep_chain_without_recursion():
    """Far deeper than the recursion limit: topological_order and backward are iterative."""
    depth = 20 * sys.getrecursionlimit()
    x = Value(0.0)
    v = x
    for _ in range(depth):
        v = -v
    v.backward()
    assert x.grad == (-1.0) ** depth
    assert len(v.topological_order()) == depth + 1
    del v  # freeing the chain must not overflow the C stack either


@pytest.mark.slow
def test_million_node_chain():
    """v = v + one, a million times: x.grad == 1 and the shared constant's grad == 1e6, exactly."""
    n = 1_000_000
    x, one = Value(0.5), Value(1.0)
    v = x
    for _ in range(n):
        v = v + one
    assert v.data == 0.5 + n  # integers and halves are exact in float64
    v.backward()
    assert x.grad == 1.0
    assert one.grad == float(n)
    order = v.topological_order()
    assert len(order) == n + 2
    assert order[-1] is v
    assert {id(order[0]), id(order[1])} == {id(x), id(one)}
    del order, v


# ------------------------------------------------------------ repr, is_leaf


def test_repr_shows_data_grad_and_label():
    x = Value(2.5, label="w1")
    assert "2.5" in repr(x) and "grad=0.0" in repr(x) and "w1" in repr(x)
    (x * 3).backward()
    assert "grad=3.0" in repr(x)
    assert "label" not in repr(Value(1.0))


def test_is_leaf():
    x = Value(1.0)
    y = x + 2
    assert x.is_leaf
    assert not y.is_leaf
    assert y.children[1].is_leaf  # a lifted constant is a leaf
    assert not (-x).is_leaf and not x.relu().is_leaf


# ------------------------------------------------ overflow in derivatives


@pytest.mark.parametrize(
    "thunk",
    [
        pytest.param(lambda: Value(1e-77) ** -3, id="1e-77**-3: derivative -3*1e-77**-4"),
        pytest.param(lambda: Value(1e-78) ** -3, id="1e-78**-3: (1e-78)**-4 itself overflows"),
        pytest.param(lambda: Value(0.5) ** -1020, id="0.5**-1020: derivative -1020*2**1021"),
        pytest.param(lambda: Value(1e-77) ** Value(-3.0), id="1e-77**Value(-3)"),
        pytest.param(lambda: Value(1e300) ** Value(1.02), id="1e300**Value(1.02): out*log(x)"),
    ],
)
def test_pow_with_overflowing_derivative_raises_at_forward_time(thunk):
    """The value is finite but a local derivative is not: OverflowError now, not inf in backward.

    (Regression: these used to store -inf/inf local_grads silently.)
    """
    with pytest.raises(OverflowError, match=r"\*\*.*overflow"):
        thunk()


@settings(max_examples=200, deadline=None, database=None)
@given(
    x=st.floats(min_value=1e-300, max_value=1e300) | st.floats(min_value=-1e300, max_value=-1e-300),
    k=st.sampled_from([-3, -2, -1, 2, 3, -1020, 0.5, -0.5, 1.5, 2.0, -2.0]),
)
def test_pow_never_stores_an_infinite_local_derivative(x, k):
    """Finite operands give finite value and local derivative, or an error at forward time."""
    try:
        out = Value(x) ** k
    except (OverflowError, ValueError):
        return
    assert math.isfinite(out.data) and all(math.isfinite(g) for g in out.local_grads), out


@pytest.mark.parametrize(
    "thunk",
    [
        pytest.param(lambda: Value(1e-320) ** 0, id="number exponent"),
        pytest.param(lambda: Value(1e-320) ** Value(0.0), id="Value exponent"),
        pytest.param(lambda: Value(5e-324) ** 0, id="smallest subnormal"),
    ],
)
def test_pow_zero_of_tiny_base_is_one_with_zero_slope(thunk):
    """x**0 == 1 and d/dx x**0 == 0 for any x != 0. (Regression: computing 0 * x**-1
    used to overflow for subnormal x.)"""
    out = thunk()
    assert out.data == 1.0
    assert out.local_grads[0] == 0.0


# ------------------------------------------------------ precision in the tails


def _exact_sigmoid_slope(x: float) -> Decimal:
    e = (-abs(Decimal(x))).exp()
    return e / (1 + e) ** 2


def _exact_tanh_slope(x: float) -> Decimal:
    e = (-2 * abs(Decimal(x))).exp()
    return 4 * e / (1 + e) ** 2


@pytest.mark.parametrize("x", [-300.0, -36.0, -5.0, -1e-9, 0.0, 1e-9, 0.3, 5.0, 19.5, 30.0, 36.0, 300.0])
def test_sigmoid_and_tanh_slopes_keep_full_relative_precision(x):
    """The slopes stay within a few ulps of the exact value even where 1 - out rounds away.

    The oracle is the closed form evaluated in 50-digit decimal arithmetic.
    (The naive s*(1-s) is 4% off at x = 36 and 1 - t*t is 0.0 at x = 20.)
    """
    with localcontext() as ctx:
        ctx.prec = 50
        for out, exact in (
            (Value(x).sigmoid(), _exact_sigmoid_slope(x)),
            (Value(x).tanh(), _exact_tanh_slope(x)),
        ):
            got = Decimal(out.local_grads[0])
            assert abs(got - exact) <= 4 * Decimal(EPS) * exact, (out.op, x, got, exact)


# --------------------------------------- the fast paths keep the same behaviour


def _mixed_graph(seed: int) -> Value:
    """A random graph of every kind of node, with shared subexpressions and repeated leaves."""
    import random

    rng = random.Random(seed)
    pool = [Value(rng.uniform(0.5, 2.0), label=f"p{i}") for i in range(5)]
    for _ in range(40):
        a, b = rng.choice(pool), rng.choice(pool)
        pool.append(rng.choice([
            lambda: a * b, lambda: a + 1.5, lambda: 2.0 - a, lambda: (a * a + 1.0).log(),
            lambda: Value.sum([a, b, a]), lambda: Value.weighted_sum([a, b], [b, 0.5], a),
            lambda: a.tanh(), lambda: -a,
        ])())
    return Value.sum(pool[-5:])


@pytest.mark.parametrize("seed", range(5))
def test_topological_order_without_leaves_is_the_order_minus_the_leaves(seed):
    root = _mixed_graph(seed)
    full = root.topological_order()
    assert root.topological_order(leaves=False) == [node for node in full if node.children]
    assert root.topological_order(leaves=True) == full


def test_topological_order_without_leaves_of_a_leaf_is_empty():
    x = Value(1.0)
    assert x.topological_order() == [x]
    assert x.topological_order(leaves=False) == []
    x.backward()  # a leaf root still accumulates 1.0
    x.backward()
    assert x.grad == 2.0


def test_a_lifted_float_is_a_plain_constant_leaf():
    x = Value(2.0, label="x")
    for out in (x + 1.5, 1.5 + x, x * 1.5, 1.5 - x):
        constant = next(c for c in out.children if c is not x)
        assert constant.is_leaf and constant.label == "" and constant.op == ""
        assert type(constant.data) is float and constant.data == 1.5
        assert type(constant.grad) is float and constant.grad == 0.0
    minus_zero = (x * -0.0).children[1]
    assert math.copysign(1.0, minus_zero.data) == -1.0  # -0.0 kept


def test_float_subclass_data_takes_the_scalar_path():
    """np.float64 is a float: data assigned from a numpy array stays a scalar, not a batch."""
    w = Value(0.0)
    w.data = np.float64(0.5)
    y = (w * 3.0).exp().log() / 2.0
    y.backward()
    assert not y.is_batched and math.isclose(y.data, 0.75) and math.isclose(w.grad, 1.5)
    assert type(w.grad) is float


@pytest.mark.parametrize(
    "thunk, message",
    [
        pytest.param(lambda: Value.sum(None), r"Value.sum\(\) takes an iterable .* got NoneType", id="sum-None"),
        pytest.param(lambda: Value.sum(Value(1.0)), r"got Value; to add up the entries of one batch, use v.total\(\)", id="sum-Value"),
        pytest.param(lambda: Value.weighted_sum(None, [1.0]), r"'wsum' node: weights must be a list .* NoneType", id="wsum-None-weights"),
        pytest.param(lambda: Value.weighted_sum([Value(1.0)], 2.0), r"'wsum' node: inputs must be a list .* float", id="wsum-float-inputs"),
    ],
)
def test_sum_and_weighted_sum_name_a_non_list_argument(thunk, message):
    with pytest.raises(TypeError, match=message):
        thunk()
