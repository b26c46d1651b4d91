"""Tests for micrograd_nn.optim: SGD (with and without momentum) and Adam.

Expected values are worked by hand or computed by an independent plain-Python
version of each update rule written in this file.
"""
import math

import pytest

from micrograd_nn import MLP, SGD, Adam, Value, mse

EXACT = dict(rel=1e-15, abs=1e-15)


def params(*numbers, prefix="p"):
    return [Value(x, label=f"{prefix}{i}") for i, x in enumerate(numbers)]


def run_with_grads(opt, ps, grad_steps):
    """Set each parameter's grad by hand, then step, once per row of grad_steps."""
    for grads in grad_steps:
        for p, g in zip(ps, grads):
            p.grad = g
        opt.step()


# ------------------------------------------------------------------ reference rules

def sgd_momentum_reference(p0, grad_steps, lr, mu):
    """PyTorch-style heavy ball: v = mu * v + g; p = p - lr * v (v starts at 0)."""
    p, v = list(p0), [0.0] * len(p0)
    for grads in grad_steps:
        for i, g in enumerate(grads):
            v[i] = mu * v[i] + g
            p[i] = p[i] - lr * v[i]
    return p


def adam_reference(p0, grad_steps, lr, beta1, beta2, eps):
    """Kingma and Ba (2015), Algorithm 1, with bias-corrected moments."""
    p = list(p0)
    m = [0.0] * len(p0)
    v = [0.0] * len(p0)
    for t, grads in enumerate(grad_steps, start=1):
        for i, g in enumerate(grads):
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g**2
            m_hat = m[i] / (1 - beta1**t)
            v_hat = v[i] / (1 - beta2**t)
            p[i] = p[i] - lr * m_hat / (math.sqrt(v_hat) + eps)
    return p


GRAD_STEPS = [[1.0, -2.0, 0.5], [0.25, -1.5, -0.75], [-0.5, 3.0, 0.125]]
P0 = [2.0, -1.0, 0.5]


# ------------------------------------------------------------------ SGD

def test_sgd_step_is_p_minus_lr_grad():
    p, q = params(2.0, -1.0)
    p.grad, q.grad = 0.5, -3.0
    SGD([p, q], lr=0.25).step()
    assert p.data == 2.0 - 0.25 * 0.5 == 1.875
    assert q.data == -1.0 + 0.25 * 3.0 == -0.25
    assert (p.grad, q.grad) == (0.5, -3.0)  # step reads grads, does not clear them


def test_sgd_step_uses_grads_from_backward():
    p, q = params(2.0, 3.0)
    loss = p * q  # dL/dp = q = 3, dL/dq = p = 2
    loss.backward()
    SGD([p, q], lr=0.5).step()
    assert (p.data, q.data) == (2.0 - 0.5 * 3.0, 3.0 - 0.5 * 2.0) == (0.5, 2.0)


def test_sgd_momentum_by_hand():
    # lr 0.5, mu 0.5, grad 1 every step: v = 1, 1.5, 1.75; p = 4 - 0.5 * (1 + 1.5 + 1.75)
    (p,) = params(4.0)
    run_with_grads(SGD([p], lr=0.5, momentum=0.5), [p], [[1.0]] * 3)
    assert p.data == 1.875


def test_sgd_momentum_matches_reference():
    ps = params(*P0)
    run_with_grads(SGD(ps, lr=0.1, momentum=0.9), ps, GRAD_STEPS)
    expected = sgd_momentum_reference(P0, GRAD_STEPS, lr=0.1, mu=0.9)
    assert [p.data for p in ps] == pytest.approx(expected, **EXACT)


def test_sgd_momentum_zero_is_plain_sgd():
    ps, qs = params(*P0), params(*P0)
    run_with_grads(SGD(ps, lr=0.1, momentum=0.0), ps, GRAD_STEPS)
    run_with_grads(SGD(qs, lr=0.1), qs, GRAD_STEPS)
    plain = list(P0)
    for grads in GRAD_STEPS:
        plain = [p - 0.1 * g for p, g in zip(plain, grads)]
    assert [p.data for p in ps] == [q.data for q in qs] == pytest.approx(plain, **EXACT)


# ------------------------------------------------------------------ Adam

def test_adam_first_step_by_hand():
    # t = 1: m_hat = g and v_hat = g**2, so the step is lr * g / (|g| + eps)
    p, q = params(1.0, 1.0)
    p.grad, q.grad = 4.0, -0.5
    Adam([p, q], lr=0.1).step()
    assert p.data == pytest.approx(1.0 - 0.1 * 4.0 / (4.0 + 1e-8), **EXACT)
    assert q.data == pytest.approx(1.0 + 0.1 * 0.5 / (0.5 + 1e-8), **EXACT)


@pytest.mark.parametrize(
    "kwargs, lr, beta1, beta2, eps",
    [
        ({}, 1e-3, 0.9, 0.999, 1e-8),  # the documented defaults
        (dict(lr=0.1, betas=(0.5, 0.75), eps=1e-3), 0.1, 0.5, 0.75, 1e-3),
        (dict(lr=0.05, betas=[0.0, 0.0]), 0.05, 0.0, 0.0, 1e-8),
    ],
)
def test_adam_matches_reference(kwargs, lr, beta1, beta2, eps):
    ps = params(*P0)
    run_with_grads(Adam(ps, **kwargs), ps, GRAD_STEPS)
    expected = adam_reference(P0, GRAD_STEPS, lr, beta1, beta2, eps)
    assert [p.data for p in ps] == pytest.approx(expected, **EXACT)


def test_adam_with_grads_from_backward_matches_reference():
    # loss (p - 3)**2, grad 2 * (p - 3) recomputed from the current p each step
    (p,) = params(0.5)
    opt = Adam([p], lr=0.1)
    ref_p, m, v = 0.5, 0.0, 0.0
    for t in range(1, 4):
        opt.zero_grad()
        ((p - 3) ** 2).backward()
        opt.step()
        g = 2 * (ref_p - 3)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        ref_p -= 0.1 * (m / (1 - 0.9**t)) / (math.sqrt(v / (1 - 0.999**t)) + 1e-8)
        assert p.data == pytest.approx(ref_p, **EXACT)


# ------------------------------------------------------------------ both

OPTIMIZERS = [
    pytest.param(lambda ps: SGD(ps, lr=0.1), id="SGD"),
    pytest.param(lambda ps: SGD(ps, lr=0.01, momentum=0.9), id="SGD-momentum"),
    pytest.param(lambda ps: Adam(ps, lr=0.1), id="Adam"),
]


@pytest.mark.parametrize("make", OPTIMIZERS)
def test_zero_grad_clears_only_its_parameters(make):
    ps = params(1.0, 2.0)
    other = Value(5.0)
    for v in (*ps, other):
        v.grad = 7.0
    make(ps).zero_grad()
    assert [p.grad for p in ps] == [0.0, 0.0]
    assert other.grad == 7.0


@pytest.mark.parametrize("make", OPTIMIZERS)
def test_minimizes_a_quadratic(make):
    (p,) = params(0.0)
    opt = make([p])
    for _ in range(300):
        loss = (p - 3) ** 2
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert abs(p.data - 3.0) < 1e-4


@pytest.mark.parametrize("make", OPTIMIZERS)
def test_trains_a_small_mlp(make):
    model = MLP(2, [4, 1], activation="tanh", seed=0)
    xs, ys = [[1.0, 0.5], [-1.0, 2.0], [0.5, -1.5]], [0.5, -0.5, 0.25]
    opt = make(model.parameters())

    def loss():
        return mse([model(x) for x in xs], ys)

    first = loss().data
    for _ in range(100):
        current = loss()
        opt.zero_grad()
        current.backward()
        opt.step()
    assert loss().data < 0.1 * first


def test_accepts_any_iterable_of_values():
    model = MLP(2, [3, 1], seed=0)
    for opt in (SGD(iter(model.parameters()), lr=0.1), Adam(tuple(model.parameters()))):
        assert opt.params == model.parameters()
    assert SGD((p for p in model.parameters()), lr=0.1).params == model.parameters()


# ------------------------------------------------------------------ validation

_PASS = r"; pass model\.parameters\(\)"
_RANGE = r"must lie in .*, got"

BAD_CONSTRUCTION = [
    # (call, error, regex the message must match); P is a list of one Value,
    # SHARED a Value labelled "shared", model() an MLP(2, [2, 1])
    # learning rate
    ("SGD(P, lr=0)", ValueError, r"lr must lie in \(0\.0, inf\), got 0\.0"),
    ("SGD(P, lr=-0.1)", ValueError, rf"lr {_RANGE} -0\.1"),
    ("SGD(P, lr=nan)", ValueError, rf"lr {_RANGE} nan"),
    ("SGD(P, lr=inf)", ValueError, rf"lr {_RANGE} inf"),
    ("SGD(P, lr='0.1')", TypeError, r"lr must be a number, got str"),
    ("SGD(P, lr=None)", TypeError, r"lr must be a number, got NoneType"),
    ("SGD(P, lr=True)", TypeError, r"lr must be a number, got bool"),
    ("Adam(P, lr=0)", ValueError, rf"lr {_RANGE} 0\.0"),
    ("Adam(P, lr=-0.1)", ValueError, rf"lr {_RANGE} -0\.1"),
    ("Adam(P, lr=nan)", ValueError, rf"lr {_RANGE} nan"),
    ("Adam(P, lr=inf)", ValueError, rf"lr {_RANGE} inf"),
    ("Adam(P, lr='0.1')", TypeError, r"lr must be a number, got str"),
    # momentum
    ("SGD(P, lr=0.1, momentum=1.0)", ValueError, r"momentum must lie in \[0\.0, 1\.0\), got 1\.0"),
    ("SGD(P, lr=0.1, momentum=-0.1)", ValueError, rf"momentum {_RANGE} -0\.1"),
    ("SGD(P, lr=0.1, momentum=nan)", ValueError, rf"momentum {_RANGE} nan"),
    ("SGD(P, lr=0.1, momentum='0.9')", TypeError, r"momentum must be a number, got str"),
    # betas
    ("Adam(P, betas=(1.0, 0.999))", ValueError, r"betas\[0\] must lie in \[0\.0, 1\.0\), got 1\.0"),
    ("Adam(P, betas=(0.9, 1.0))", ValueError, rf"betas\[1\] {_RANGE} 1\.0"),
    ("Adam(P, betas=(-0.1, 0.999))", ValueError, rf"betas\[0\] {_RANGE} -0\.1"),
    ("Adam(P, betas=(0.9,))", ValueError, r"betas must be a pair \(beta1, beta2\), got 1 value"),
    ("Adam(P, betas=(0.9, 0.99, 0.999))", ValueError, r"betas must be a pair .*got 3 values"),
    ("Adam(P, betas=0.9)", TypeError, r"betas must be a pair"),
    ("Adam(P, betas=('0.9', 0.999))", TypeError, r"betas\[0\] must be a number, got str"),
    # eps
    ("Adam(P, eps=0)", ValueError, r"eps must lie in \(0\.0, inf\), got 0\.0"),
    ("Adam(P, eps=-1e-8)", ValueError, rf"eps {_RANGE} -1e-08"),
    ("Adam(P, eps=nan)", ValueError, rf"eps {_RANGE} nan"),
    # params
    ("SGD([], lr=0.1)", ValueError, r"SGD got no parameters" + _PASS),
    ("Adam([])", ValueError, r"Adam got no parameters" + _PASS),
    ("SGD(iter([]), lr=0.1)", ValueError, r"SGD got no parameters"),
    ("SGD([1.0], lr=0.1)", TypeError, r"SGD: parameter 0 is a float, not a Value" + _PASS),
    ("Adam([Value(1.0), 2.0])", TypeError, r"Adam: parameter 1 is a float, not a Value"),
    ("SGD([None], lr=0.1)", TypeError, r"SGD: parameter 0 is a NoneType, not a Value"),
    ("SGD(Value(1.0), lr=0.1)", TypeError, r"SGD takes an iterable of Values, got Value" + _PASS),
    ("Adam(Value(1.0))", TypeError, r"Adam takes an iterable of Values, got Value" + _PASS),
    ("SGD(model(), lr=0.1)", TypeError, r"SGD takes an iterable of Values, got MLP" + _PASS),
    ("Adam(model())", TypeError, r"Adam takes an iterable of Values, got MLP" + _PASS),
    ("SGD(None, lr=0.1)", TypeError, r"SGD takes an iterable of Values, got NoneType"),
    ("SGD(model().named_parameters(), lr=0.1)", TypeError, r"parameter 0 is a tuple.*" + _PASS),
    ("SGD([SHARED, SHARED], lr=0.1)", ValueError, r"parameter 1 \('?shared'?\) appears twice"),
    ("Adam([SHARED, Value(2.0), SHARED])", ValueError, r"parameter 2 \('?shared'?\) appears twice"),
    ("SGD(model().parameters() * 2, lr=0.1)", ValueError, r"9 \('?W1\[0,0\]'?\) appears twice"),
]


@pytest.mark.parametrize(
    "call, error, pattern", BAD_CONSTRUCTION, ids=[row[0] for row in BAD_CONSTRUCTION]
)
def test_constructor_validation(call, error, pattern):
    names = {
        "SGD": SGD,
        "Adam": Adam,
        "Value": Value,
        "P": [Value(1.0, label="p")],
        "SHARED": Value(1.0, label="shared"),
        "model": lambda: MLP(2, [2, 1], seed=0),
        "nan": float("nan"),
        "inf": float("inf"),
    }
    with pytest.raises(error, match=pattern):
        eval(call, names)


@pytest.mark.parametrize("make", OPTIMIZERS)
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_step_with_non_finite_grad_raises_and_changes_nothing(make, bad):
    ps = [Value(1.0, label="good"), Value(2.0, label="w5"), Value(3.0, label="last")]
    opt = make(ps)
    for p, g in zip(ps, [0.5, bad, -0.5]):
        p.grad = g
    with pytest.raises(FloatingPointError, match=rf"step\(\): parameter '?w5'? has grad {bad!r}"):
        opt.step()
    assert [p.data for p in ps] == [1.0, 2.0, 3.0]  # not even the parameter before it moved

    # The failed step left no state behind: the next step is a first step.
    ps[1].grad = 0.25
    opt.step()
    qs = params(1.0, 2.0, 3.0)
    fresh = make(qs)
    for q, g in zip(qs, [0.5, 0.25, -0.5]):
        q.grad = g
    fresh.step()
    assert [p.data for p in ps] == [q.data for q in qs]


@pytest.mark.parametrize("key, value, error, message", [
    ("momentum", 1.5, ValueError, r"^SGD.load_state_dict: momentum must lie in \[0.0, 1.0\)"),
    ("momentum", "0.9", TypeError, r"^SGD.load_state_dict: momentum"),
    ("lr", -1.0, ValueError, r"^SGD.load_state_dict: lr must lie in \(0.0, inf\)"),
    ("velocity", [0.0], ValueError, r"^SGD.load_state_dict: velocity has 1 entry for 2 param"),
])
def test_sgd_load_state_dict_checks_everything_before_changing_anything(key, value, error,
                                                                        message):
    opt = SGD(params(1.0, 2.0), lr=0.1, momentum=0.5)
    state = {**SGD(params(1.0, 2.0), lr=0.7, momentum=0.9).state_dict(), key: value}
    before = opt.state_dict()
    with pytest.raises(error, match=message):
        opt.load_state_dict(state)
    assert opt.state_dict() == before  # the lr of 0.7 was not taken either


@pytest.mark.parametrize("key, value, message", [
    ("lr", 0.0, r"^Adam.load_state_dict: lr must lie in \(0.0, inf\)"),
    ("betas", [0.9, 1.0], r"^Adam.load_state_dict: betas\[1\] must lie in \[0.0, 1.0\)"),
    ("eps", -1.0, r"^Adam.load_state_dict: eps must lie"),
])
def test_adam_load_state_dict_names_itself_and_changes_nothing_when_refused(key, value, message):
    opt = Adam(params(1.0, 2.0), lr=0.1)
    state = {**Adam(params(1.0, 2.0), lr=0.7).state_dict(), "t": 3, key: value}
    before = opt.state_dict()
    with pytest.raises(ValueError, match=message):
        opt.load_state_dict(state)
    assert opt.state_dict() == before
