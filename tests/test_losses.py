"""Tests for micrograd_nn.losses: mse, sse, binary_cross_entropy, hinge.

Every expected number is worked by hand (written out below) or comes from
document 001's printed output or from central finite differences.
"""
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_nn import Value, binary_cross_entropy, hinge, mse, sse

HAND = dict(rel=1e-12, abs=1e-15)
LOSSES = [mse, sse, binary_cross_entropy, hinge]
LOSS_IDS = ["mse", "sse", "bce", "hinge"]


def values(*numbers):
    return [Value(x) for x in numbers]


def central_difference(f, node, h=1e-6):
    old = node.data
    node.data = old + h
    f_plus = f()
    node.data = old - h
    f_minus = f()
    node.data = old
    return (f_plus - f_minus) / (2 * h)


# ------------------------------------------------------------------ mse

def test_mse_document_001_example():
    # document 001: y_true = [1, 0, 0, 1], y_pred = [0, 0, 0, 0] -> 0.5
    assert mse([0, 0, 0, 0], [1, 0, 0, 1]).data == 0.5


def test_mse_by_hand():
    p = values(0.5, -1.0)
    loss = mse(p, [1.0, 1.0])
    # ((1 - 0.5)**2 + (1 - -1)**2) / 2 = (0.25 + 4) / 2
    assert loss.data == 2.125
    loss.backward()
    # dL/dp_i = -2 * (y_i - p_i) / n
    assert [v.grad for v in p] == [-2 * (1.0 - 0.5) / 2, -2 * (1.0 + 1.0) / 2] == [-0.5, -2.0]


def test_mse_single_prediction_builds_no_division():
    for loss in (mse(Value(0.3), 1.0), mse([Value(0.3)], [1.0])):
        assert loss.op == "**2"
        assert all(node.op != "/" for node in loss.topological_order())
        assert loss.data == pytest.approx((1.0 - 0.3) ** 2, **HAND)


# ------------------------------------------------------------------ sse

def test_sse_by_hand():
    p = values(0.5, -1.0, 3.0)
    loss = sse(p, [1.0, 1.0, 3.0])
    # (1 - 0.5)**2 + (1 - -1)**2 + 0**2 = 0.25 + 4 + 0
    assert loss.data == 4.25
    loss.backward()
    # dL/dp_i = -2 * (y_i - p_i)
    assert [v.grad for v in p] == [-1.0, -4.0, 0.0]


# ------------------------------------------------------------------ binary cross-entropy

def bce_grad(a, y, m):
    return (1 / m) * ((1 - y) / (1 - a) - y / a)


def test_bce_hard_targets_by_hand():
    a = values(0.8, 0.25)
    loss = binary_cross_entropy(a, [1, 0])
    # -(1/2) * (1 * log(0.8) + 1 * log(1 - 0.25))
    assert loss.data == pytest.approx(-(math.log(0.8) + math.log(0.75)) / 2, **HAND)
    loss.backward()
    # (1/2) * (0 / 0.2 - 1 / 0.8) = -0.625 and (1/2) * (1 / 0.75 - 0) = 2/3
    assert a[0].grad == pytest.approx(-0.625, **HAND)
    assert a[1].grad == pytest.approx(2 / 3, **HAND)
    assert [v.grad for v in a] == pytest.approx([bce_grad(0.8, 1, 2), bce_grad(0.25, 0, 2)], **HAND)


def test_bce_soft_target_matches_formula_and_finite_differences():
    a = values(0.6, 0.9, 0.2)
    y = [0.3, 1.0, 0.5]
    loss = binary_cross_entropy(a, y)
    terms = [t * math.log(p) + (1 - t) * math.log(1 - p) for p, t in zip([0.6, 0.9, 0.2], y)]
    expected = -sum(terms) / 3
    assert loss.data == pytest.approx(expected, **HAND)
    loss.backward()
    # first term by hand: (1/3) * (0.7 / 0.4 - 0.3 / 0.6) = (1/3) * 1.25
    assert a[0].grad == pytest.approx(1.25 / 3, **HAND)
    for p, t in zip(a, y):
        assert p.grad == pytest.approx(bce_grad(p.data, t, 3), **HAND)
        numeric = central_difference(lambda: binary_cross_entropy(a, y).data, p)
        assert math.isclose(p.grad, numeric, rel_tol=1e-6)


def test_bce_target_value_gets_gradient():
    a, y = Value(0.6), Value(0.3)
    binary_cross_entropy(a, y).backward()
    # dL/dy = -(log(a) - log(1 - a))
    assert y.grad == pytest.approx(-(math.log(0.6) - math.log(0.4)), **HAND)
    assert a.grad == pytest.approx(bce_grad(0.6, 0.3, 1), **HAND)


@pytest.mark.parametrize("a, y", [(1.0, 1), (0.0, 0), (1.0, 1.0), (0.0, 0.0)])
def test_bce_saturated_correct_prediction_costs_zero_without_nan(a, y):
    p = Value(a)
    loss = binary_cross_entropy(p, y)
    assert loss.data == 0.0
    loss.backward()
    # the hand formula with the 0-coefficient term left out: -y/a or (1-y)/(1-a)
    assert p.grad == (-1.0 if y == 1 else 1.0)
    assert not math.isnan(loss.data) and not math.isnan(p.grad)


@pytest.mark.parametrize("a, y", [(1.0, 0), (0.0, 1), (1.0, 0.3), (0.0, 0.3)])
def test_bce_saturated_wrong_prediction_raises(a, y):
    with pytest.raises(ValueError, match=r"log"):
        binary_cross_entropy(Value(a), y)


@pytest.mark.parametrize("target", [-1, 1.5, 2, -0.1, float("nan"), Value(1.5)])
def test_bce_targets_outside_zero_one_raise(target):
    pattern = r"binary_cross_entropy: target 0 is .*; targets must lie in \[0, 1\]"
    with pytest.raises(ValueError, match=pattern):
        binary_cross_entropy(Value(0.5), target)


def test_bce_minus_one_target_hints_at_hinge():
    with pytest.raises(ValueError, match=r"use 0/1 labels, not -1/\+1"):
        binary_cross_entropy(values(0.5, 0.5), [1, -1])


@pytest.mark.parametrize("a, y", [(1.5, 1), (-0.5, 0)])
def test_bce_prediction_outside_zero_one_raises(a, y):
    with pytest.raises(ValueError, match=r"prediction"):
        binary_cross_entropy(Value(a), y)


# ------------------------------------------------------------------ hinge

def test_hinge_by_hand():
    s = values(2.0, 0.5, 0.25, -3.0)
    y = [1, 1, -1, -1]
    loss = hinge(s, y)
    # max(0, 1 - y*s): 0 (margin met), 0.5, 1.25, 0 (margin met); mean over 4
    assert loss.data == (0.0 + 0.5 + 1.25 + 0.0) / 4 == 0.4375
    loss.backward()
    # dL/ds_i = -y_i / n where y_i * s_i < 1, else 0
    assert [v.grad for v in s] == [0.0, -0.25, 0.25, 0.0]


def test_hinge_at_the_margin_has_zero_gradient():
    s = Value(1.0)
    loss = hinge(s, 1)
    loss.backward()
    assert loss.data == 0.0
    assert s.grad == 0.0


@pytest.mark.parametrize("target", [0, 0.5, 2, -2, Value(0.0)])
def test_hinge_targets_must_be_plus_minus_one(target):
    text = "hinge: target 0 is {!r}; hinge targets must be -1 or +1 (map 0/1 labels with 2*y - 1)"
    number = target.data if isinstance(target, Value) else float(target)
    with pytest.raises(ValueError, match=re.escape(text.format(number))):
        hinge(Value(0.5), target)


# ------------------------------------------------------------------ all losses

def test_argument_order_is_predictions_then_targets():
    # Swapping would make 1.0 the prediction and 0.25 / 0.5 the target: an error.
    assert binary_cross_entropy(Value(0.25), 1).data == pytest.approx(math.log(4), **HAND)
    assert hinge(Value(0.5), -1).data == 1.5
    with pytest.raises(ValueError):
        hinge(-1, Value(0.5))
    p = Value(3.0)
    mse(p, 1.0).backward()
    assert p.grad == 4.0  # -2 * (y - p) with y = 1, p = 3


@pytest.mark.parametrize(
    "loss, prediction, target, expected",
    [
        (mse, Value(3.0), 1, 4.0),
        (mse, 3, 1.0, 4.0),
        (mse, np.float64(3.0), np.int64(1), 4.0),
        (sse, Value(3.0), 1.0, 4.0),
        (binary_cross_entropy, Value(0.5), 1, math.log(2)),
        (binary_cross_entropy, Value(0.5), 0.0, math.log(2)),
        (hinge, Value(0.5), 1, 0.5),
        (hinge, Value(0.5), Value(-1.0), 1.5),
    ],
)
def test_single_prediction_and_single_target(loss, prediction, target, expected):
    assert loss(prediction, target).data == pytest.approx(expected, **HAND)


@pytest.mark.parametrize("loss", LOSSES, ids=LOSS_IDS)
def test_numpy_arrays_work_as_sequences(loss):
    predictions = values(0.25, 0.75)
    targets_list = [1.0, -1.0] if loss is hinge else [1.0, 0.0]
    expected = loss(predictions, targets_list).data
    assert loss(predictions, np.array(targets_list)).data == expected


_P = "prediction {} must be a Value or a number, got "
_T = "target {} must be a number or a Value, got "
_PS = "predictions must be a list of Values or numbers, got "
_TS = "targets must be a list of Values or numbers, got "
V = Value(0.5)  # a valid prediction, and 1.0 a valid target, for every loss

BAD_ARGUMENTS = [
    # (predictions, targets, error, text the message must contain after "<loss>: ")
    pytest.param([V, V], [1.0], ValueError, "2 predictions but 1 target;", id="more-predictions"),
    pytest.param([V], [1.0, 1.0], ValueError, "1 prediction but 2 targets", id="more-targets"),
    pytest.param(V, [1.0, 1.0], ValueError, "1 prediction but 2 targets", id="single-vs-two"),
    pytest.param([], [], ValueError, "no predictions", id="empty"),
    pytest.param([], [1.0], ValueError, "0 predictions but 1 target;", id="empty-predictions"),
    pytest.param(["0.5"], [1.0], TypeError, _P.format(0) + "str", id="str-prediction"),
    pytest.param([V, None], [1.0, 1.0], TypeError, _P.format(1) + "NoneType", id="None-prediction"),
    pytest.param([V], ["1"], TypeError, _T.format(0) + "str", id="str-target"),
    pytest.param([V], [[1.0]], TypeError, _T.format(0) + "list", id="list-target"),
    pytest.param([V], [1j], TypeError, _T.format(0) + "complex", id="complex-target"),
    pytest.param("0.5", [1.0], TypeError, _PS + "str", id="str-predictions"),
    pytest.param(None, [1.0], TypeError, _PS + "NoneType", id="None-predictions"),
    pytest.param([V], "1", TypeError, _TS + "str", id="str-targets"),
    pytest.param([V], None, TypeError, _TS + "NoneType", id="None-targets"),
    pytest.param({V, Value(0.25)}, [1.0, 1.0], TypeError, _PS + "set", id="set"),
    pytest.param([V, V], {0: 1.0, 1: 1.0}, TypeError, _TS + "dict", id="dict"),
]


@pytest.mark.parametrize("loss", LOSSES, ids=LOSS_IDS)
@pytest.mark.parametrize("predictions, targets, error, text", BAD_ARGUMENTS)
def test_bad_arguments(loss, predictions, targets, error, text):
    with pytest.raises(error, match=re.escape(f"{loss.__name__}: {text}")):
        loss(predictions, targets)


# ------------------------------------------------------------------ properties

_floats = st.floats(-10, 10, allow_nan=False)


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(_floats, _floats), min_size=1, max_size=6))
def test_mse_and_sse_match_the_formula(pairs):
    n = len(pairs)
    for loss, scale in ((mse, 1 / n), (sse, 1.0)):
        p = [Value(a) for a, _ in pairs]
        out = loss(p, [y for _, y in pairs])
        assert out.data == pytest.approx(scale * sum((y - a) ** 2 for a, y in pairs), **HAND)
        out.backward()
        for v, (a, y) in zip(p, pairs):
            assert v.grad == pytest.approx(-2 * (y - a) * scale, **HAND)


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(_floats, st.sampled_from([-1, 1])), min_size=1, max_size=6))
def test_hinge_matches_the_formula(pairs):
    n = len(pairs)
    s = [Value(a) for a, _ in pairs]
    out = hinge(s, [y for _, y in pairs])
    assert out.data == pytest.approx(sum(max(0.0, 1 - y * a) for a, y in pairs) / n, **HAND)
    out.backward()
    for v, (a, y) in zip(s, pairs):
        assert v.grad == pytest.approx(-y / n if y * a < 1 else 0.0, **HAND)


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(st.floats(0.01, 0.99), st.floats(0, 1)), min_size=1, max_size=6))
def test_bce_matches_the_formula(pairs):
    m = len(pairs)
    a = [Value(p) for p, _ in pairs]
    out = binary_cross_entropy(a, [y for _, y in pairs])
    expected = -sum(y * math.log(p) + (1 - y) * math.log(1 - p) for p, y in pairs) / m
    assert out.data == pytest.approx(expected, rel=1e-12, abs=1e-14)
    out.backward()
    for v, (p, y) in zip(a, pairs):
        assert v.grad == pytest.approx(bce_grad(p, y, m), **HAND)
