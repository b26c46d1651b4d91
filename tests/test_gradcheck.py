"""micrograd_nn.gradcheck: autograd against central finite differences.

It must pass on correct derivatives, fail on a deliberately wrong one, and
leave the parameters' data and every grad as it found them.
"""
import math

import pytest

from micrograd_nn import MLP, Value, mse
from micrograd_nn.engine import _node
from micrograd_nn.gradcheck import gradcheck
from micrograd_nn.documents.walkthrough import network_2_2_1


def test_passes_on_document_001s_network():
    model = network_2_2_1(42)
    report = gradcheck(lambda: mse(model([-2.0, -1.0]), 1.0), model.parameters())
    assert report.ok and not report.failures
    assert [row.label for row in report.rows] == ["w1", "w2", "b1", "w3", "w4", "b2", "w5", "w6", "b3"]
    for row in report.rows:
        assert row.rel_error < 1e-6 and row.ok
        assert math.isclose(row.analytic, row.numeric, rel_tol=1e-6, abs_tol=1e-9)


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda a, b: a * b + a / b - b, id="arithmetic"),
        pytest.param(lambda a, b: (a * b).tanh() + (a - b).sigmoid(), id="tanh-sigmoid"),
        pytest.param(lambda a, b: (a**2 + b**2).log() + (0.1 * a).exp(), id="log-exp"),
        pytest.param(lambda a, b: a ** b + (-a) ** 3, id="pow"),
        pytest.param(lambda a, b: Value.sum([a, b, a * a]) + Value.weighted_sum([a, b], [b, 2.0], 1.0), id="sum-wsum"),
        pytest.param(lambda a, b: (a - 2 * b).relu() + (b - a).relu(), id="relu-away-from-0"),
    ],
)
def test_passes_on_correct_ops(build):
    a, b = Value(1.3, label="a"), Value(0.7, label="b")
    report = gradcheck(lambda: build(a, b), [a, b])
    assert report.ok, str(report)


def test_fails_on_a_wrong_derivative():
    """A node whose stored local derivative is off by 10% must be caught."""
    w, x = Value(0.8, label="w"), Value(-1.5, label="x")

    def wrong():
        out = (w * x).tanh()
        out.local_grads = (out.local_grads[0] * 1.1,)  # a bug in tanh's derivative
        return out

    report = gradcheck(wrong, [w, x])
    assert not report.ok
    assert [row.label for row in report.failures] == ["w", "x"]
    for row in report.rows:
        assert row.rel_error == pytest.approx(0.1 / 1.1, rel=1e-6)
    text = str(report)
    assert "FAILED" in text and "gradcheck FAILED for 2 of 2 parameters" in text


def test_fails_on_a_value_subclass_with_a_wrong_op():
    class BadSquare(Value):
        def square(self):
            return _node(self.data**2, (self,), (self.data,), "**2")  # should be 2 * self

    a = BadSquare(1.5, label="a")
    report = gradcheck(lambda: a.square(), [a])
    row = report.rows[0]
    assert not report.ok
    assert row.analytic == 1.5 and row.numeric == pytest.approx(3.0, rel=1e-8)


def test_the_report_reads_like_hips_autograd():
    x = Value(0.5, label="x")
    text = str(gradcheck(lambda: x.exp(), [x]))
    first = text.splitlines()[0]
    assert first.startswith("x  analytic: ") and "  numeric: " in first
    assert "  rel err: " in first and first.endswith("  ok")
    assert text.splitlines()[-1].startswith("gradcheck ok for 1 parameter ")


def test_unlabelled_params_are_named_by_position():
    a, b = Value(1.0), Value(2.0)
    report = gradcheck(lambda: a * b, [a, b])
    assert [row.label for row in report.rows] == ["params[0]", "params[1]"]


def test_restores_data_and_grads():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    x = [Value(0.3, label="x0"), Value(-0.2, label="x1")]
    for i, p in enumerate(model.parameters()):
        p.grad = 100.0 + i  # grads from an earlier step, say
    x[0].grad = 7.0
    data = [p.data for p in model.parameters()]
    grads = [p.grad for p in model.parameters()]
    report = gradcheck(lambda: mse(model(x), 0.5), model.parameters())
    assert report.ok
    assert [p.data for p in model.parameters()] == data
    assert [p.grad for p in model.parameters()] == grads
    assert x[0].grad == 7.0 and x[1].grad == 0.0  # inputs fn closes over are left alone too
    # The analytic column is the true gradient, not added to the old grads.
    model.zero_grad()
    mse(model(x), 0.5).backward()
    assert [row.analytic for row in report.rows] == [p.grad for p in model.parameters()]


def test_restores_data_when_fn_raises():
    a = Value(1e-7, label="a")

    def fn():
        return a.log()  # log(a - eps) < 0 is undefined: raises midway

    with pytest.raises(ValueError, match="log"):
        gradcheck(fn, [a], eps=1e-6)
    assert a.data == 1e-7 and a.grad == 0.0


@pytest.mark.parametrize(
    "fn, params, kwargs, error, match",
    [
        (1.0, None, {}, TypeError, "fn must be a function"),
        (None, [1.0], {}, TypeError, r"params\[0\] is a float"),
        (None, "ab", {}, TypeError, r"params\[0\] is a str"),
        (None, "value", {}, TypeError, "params must be a list of Values"),
        (None, 3, {}, TypeError, "params must be a list"),
        (None, [], {}, ValueError, "params is empty"),
        (None, "twice", {}, ValueError, "appears twice"),
        (None, None, {"eps": 0.0}, ValueError, "eps must be a finite number > 0"),
        (None, None, {"eps": -1e-6}, ValueError, "eps"),
        (None, None, {"eps": math.nan}, ValueError, "eps"),
        (None, None, {"eps": "1e-6"}, TypeError, "eps must be a number"),
        (None, None, {"rtol": -1.0}, ValueError, "rtol"),
        (lambda: 1.0, None, {}, TypeError, "must return a scalar Value"),
        (lambda: [Value(1.0)], None, {}, TypeError, "got list"),
    ],
)
def test_bad_inputs(fn, params, kwargs, error, match):
    a = Value(2.0, label="a")
    fn = (lambda: a * a) if fn is None else fn
    if params is None:
        params = [a]
    elif params == "value":
        params = a
    elif params == "twice":
        params = [a, a]
    with pytest.raises(error, match=match):
        gradcheck(fn, params, **kwargs)
    assert a.data == 2.0 and a.grad == 0.0
