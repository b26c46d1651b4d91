"""Optimizers: they read each parameter's ``grad`` and update its ``data``.

Usage, the same for both::

    opt = SGD(model.parameters(), lr=0.1)
    for step in range(100):
        loss = ...            # forward
        opt.zero_grad()       # leaves accumulate grads, so clear them first
        loss.backward()
        opt.step()
"""
from __future__ import annotations

import math
from typing import Iterable

from . import _checks
from .engine import Value

__all__ = ["Adam", "Optimizer", "SGD"]


def _name(p: Value) -> str:
    return p.label or repr(p)


class Optimizer:
    """Holds the parameters; ``zero_grad()`` clears their grads."""

    def __init__(self, params: Iterable[Value]) -> None:
        if isinstance(params, Value) or not hasattr(params, "__iter__"):
            raise TypeError(
                f"{type(self).__name__} takes an iterable of Values, got {type(params).__name__}; "
                "pass model.parameters()"
            )
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got no parameters; pass model.parameters()")
        seen = set()
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(
                    f"{type(self).__name__}: parameter {i} is a {type(p).__name__}, not a Value; "
                    "pass model.parameters()"
                )
            if p in seen:
                raise ValueError(
                    f"{type(self).__name__}: parameter {i} ({_name(p)}) appears twice; "
                    "it would be updated twice per step"
                )
            seen.add(p)

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0.0."""
        for p in self.params:
            p.grad = 0.0

    def _grads(self) -> list[float]:
        """Every parameter's grad, checked before any parameter changes."""
        grads = [p.grad for p in self.params]
        if all(map(math.isfinite, grads)):  # the common case, in one pass of C
            return grads
        for p, g in zip(self.params, grads):
            if not math.isfinite(g):
                raise FloatingPointError(
                    f"{type(self).__name__}.step(): parameter {_name(p)} has grad {g!r}; "
                    "the loss or a step before it produced a non-finite number "
                    "(try a smaller learning rate or check the inputs)"
                )
        return grads

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional (PyTorch-style) momentum.

    Without momentum: ``p -= lr * p.grad``.
    With momentum mu: ``v = mu * v + p.grad``; ``p -= lr * v``.
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0) -> None:
        super().__init__(params)
        self.lr = _checks.number_in(lr, "lr", 0.0, math.inf, low_open=True, high_open=True)
        self.momentum = _checks.number_in(momentum, "momentum", 0.0, 1.0, low_open=False, high_open=True)
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        """Update every parameter once from its current grad."""
        grads = self._grads()
        if self.momentum == 0.0:
            for p, g in zip(self.params, grads):
                p.data -= self.lr * g
            return
        for i, (p, g) in enumerate(zip(self.params, grads)):
            self.velocity[i] = self.momentum * self.velocity[i] + g
            p.data -= self.lr * self.velocity[i]


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015) with bias correction.

    ``m = b1*m + (1-b1)*g``, ``v = b2*v + (1-b2)*g**2``,
    ``p -= lr * (m / (1 - b1**t)) / (sqrt(v / (1 - b2**t)) + eps)``.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params)
        self.lr = _checks.number_in(lr, "lr", 0.0, math.inf, low_open=True, high_open=True)
        betas = _checks.as_list(betas, "betas must be a pair (beta1, beta2)")
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {len(betas)} values")
        self.betas = tuple(
            _checks.number_in(b, f"betas[{i}]", 0.0, 1.0, low_open=False, high_open=True)
            for i, b in enumerate(betas)
        )
        self.eps = _checks.number_in(eps, "eps", 0.0, math.inf, low_open=True, high_open=True)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)
        self.t = 0

    def step(self) -> None:
        """Update every parameter once from its current grad."""
        grads = self._grads()
        b1, b2 = self.betas
        self.t += 1
        correction1 = 1.0 - b1**self.t
        correction2 = 1.0 - b2**self.t
        for i, (p, g) in enumerate(zip(self.params, grads)):
            self.m[i] = b1 * self.m[i] + (1.0 - b1) * g
            self.v[i] = b2 * self.v[i] + (1.0 - b2) * g * g
            m_hat = self.m[i] / correction1
            v_hat = self.v[i] / correction2
            p.data -= self.lr * m_hat / (math.sqrt(v_hat) + self.eps)
