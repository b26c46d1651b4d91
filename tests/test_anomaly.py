"""detect_anomaly(): the first non-finite value raises FloatingPointError, and naming where."""
import math

import pytest

from micrograd_nn import MLP, Value, detect_anomaly, mse
from micrograd_nn import engine


def test_forward_overflow_names_the_op_and_operands():
    x = Value(1e200, label="x")
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"forward: '\*' node produced inf from operands x = 1e\+200, 1e\+200"):
        x * 1e200


def test_nan_input_is_caught_at_the_first_op():
    x = Value(float("nan"), label="x")
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"'tanh' node produced nan from operands x = nan"):
        x.tanh()


def test_backward_overflow_names_the_edge():
    a = Value(1e-200, label="a")
    b = a * 1e200  # data 1.0, local derivative for a: 1e200
    b.label = "b"
    c = b * 1e200  # data 1e200: finite forward
    with detect_anomaly():
        with pytest.raises(FloatingPointError, match=r"backward: the edge b -> a = 1e-200 .* = inf"):
            c.backward()


def test_off_by_default_and_restored_after_the_block():
    with pytest.raises(FloatingPointError):
        with detect_anomaly():
            Value(1e300) * 1e300
    assert (Value(1e300) * 1e300).data == math.inf  # plain IEEE behaviour again
    assert engine._node.__name__ == "_node"  # the plain constructor is back


def test_nested_blocks_stay_active_until_the_outer_one_ends():
    with detect_anomaly():
        with detect_anomaly():
            pass
        with pytest.raises(FloatingPointError):
            Value(1e300) * 1e300
    assert (Value(1e300) * 1e300).data == math.inf


def test_finite_training_step_is_unchanged_under_detection():
    model = MLP(2, [3, 1], activation="sigmoid", seed=0)
    loss = mse(model([1.0, -2.0]), 1.0)
    loss.backward()
    plain = [p.grad for p in model.parameters()]
    model.zero_grad()
    with detect_anomaly():
        loss = mse(model([1.0, -2.0]), 1.0)
        loss.backward()
    assert [p.grad for p in model.parameters()] == plain


def test_leaves_are_data_and_only_ops_are_checked():
    """A NaN leaf (a batch, a constant lifted from a number) is data: the op that
    first uses it is the one named."""
    with detect_anomaly():
        column = Value.batch([1.0, math.nan], label="x")
        assert math.isnan(column.data[1])
        with pytest.raises(FloatingPointError, match=r"forward: '\+' node produced nan from operands 1.0, nan"):
            Value(1.0) + math.nan
