"""micrograd_nn: a scalar autograd engine that makes backpropagation visible.

>>> from micrograd_nn import Value
>>> x = Value(3.0, label="x")
>>> y = x * x + 2 * x
>>> y.backward()
>>> x.grad
8.0
"""
from __future__ import annotations

from .anomaly import detect_anomaly
from .autodiff import function, grad, hessian, jvp
from .check import check_backprop
from .draw import draw_dot, draw_graph
from .engine import Value
from .explain import explain
from .explore import explore  # also gives Value its Jupyter display (engine._html)
from .gradcheck import gradcheck
from .losses import binary_cross_entropy, cross_entropy, hinge, mse, softmax, sse
from .nn import MLP, Layer, Module, Neuron, label_2_2_1
from .optim import SGD, Adam
from .serialize import load, load_checkpoint
from .steps import backward_steps

__version__ = "0.1.0"

__all__ = [
    "Adam",
    "Layer",
    "MLP",
    "Module",
    "Neuron",
    "SGD",
    "Value",
    "backward_steps",
    "binary_cross_entropy",
    "check_backprop",
    "cross_entropy",
    "detect_anomaly",
    "draw_dot",
    "draw_graph",
    "explain",
    "explore",
    "function",
    "grad",
    "gradcheck",
    "hessian",
    "hinge",
    "jvp",
    "label_2_2_1",
    "load",
    "load_checkpoint",
    "mse",
    "softmax",
    "sse",
]
