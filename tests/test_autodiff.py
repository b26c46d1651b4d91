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
