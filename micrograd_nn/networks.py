"""The documents' networks by name: one registry for ``compare``, ``train``,
``step``, ``graph`` and ``list``.

Each entry wraps a reference module of :mod:`micrograd_nn.reference` (the
document's own hand-coded network) and builds the same network with the Value
engine, from the same initial weights:

>>> net = get("doc001")
>>> model = net.model(seed=1)            # label_2_2_1'd: w1..w6, b1..b3, h1, h2, o1
>>> L = net.loss_graph(sample="Alice", seed=1)
>>> L.label, [p.label for p in model.parameters()][:3]
('L', ['w1', 'w2', 'b1'])
"""
from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from types import ModuleType

from . import losses
from .engine import Value
from .nn import MLP, label_2_2_1

__all__ = ["NETWORKS", "Network", "get"]


@dataclass(frozen=True)
class Network:
    """One document network.

    Attributes:
        name: the short name, e.g. ``"doc000"``.
        module: the reference module that implements it.
        compare_iterations: how many iterations ``compare`` trains the engine
            for; None for the document's whole run (see NETWORKS for why some
            are shorter).
        per_sample: steps one sample at a time (document 001's SGD).
        sample_names: names of the samples, in the data's order; numbered
            (``"0"``, ``"1"``, ...) when empty.
    """

    name: str
    module: str
    compare_iterations: int | None = None
    per_sample: bool = False
    sample_names: tuple[str, ...] = ()

    @property
    def reference(self) -> ModuleType:
        return importlib.import_module(self.module)

    @property
    def title(self) -> str:
        return " ".join(self.reference.TITLE.split())

    @property
    def default_seed(self) -> int:
        return inspect.signature(self.reference.setup).parameters["seed"].default

    def setup(self, seed: int | None = None):
        """(parameters, X (n0, m), Y (1, m)) from the reference module, in the documents' layout."""
        return self.reference.setup(self.default_seed if seed is None else seed)

    def model_from(self, parameters: dict) -> MLP:
        """The Value-engine network with these weights (document 001's names for doc001)."""
        model = MLP.from_parameters(parameters, activation=self.reference.ACTIVATIONS)
        return label_2_2_1(model) if self.name == "doc001" else model

    def model(self, seed: int | None = None) -> MLP:
        """The Value-engine network with the reference's initial weights for ``seed``."""
        return self.model_from(self.setup(seed)[0])

    def data(self, seed: int | None = None) -> tuple[list[list[float]], list[float], list[str]]:
        """(inputs, targets, sample names) as plain lists, one row per sample."""
        _, X, Y = self.setup(seed)
        inputs, targets = X.T.tolist(), Y[0].tolist()
        return inputs, targets, list(self.sample_names) or [str(i) for i in range(len(inputs))]

    def loss(self, predictions, targets) -> Value:
        """The document's loss (the :mod:`micrograd_nn.losses` function the reference names)."""
        return getattr(losses, self.reference.LOSS)(predictions, targets)

    def sample_index(self, sample: str | int | None, names: list[str]) -> int:
        """The position of a sample given by name (any case) or number; None: the first."""
        if sample is None:
            return 0
        for i, name in enumerate(names):
            if str(sample).lower() == name.lower():
                return i
        shown = ", ".join(names) if len(names) <= 8 else f"0 to {len(names) - 1}"
        raise ValueError(f"unknown sample {sample!r} for {self.name}; choose one of: {shown}")

    def loss_graph(self, sample: str | int | None = None, seed: int | None = None) -> Value:
        """The loss of one sample as a graph, before backward: the target a leaf ``y_true``,
        the loss labelled ``L`` (document 001: ``L = (y_true - o1)**2``)."""
        inputs, targets, names = self.data(seed)
        i = self.sample_index(sample, names)
        loss = self.loss(self.model(seed)(inputs[i]), Value(targets[i], label="y_true"))
        loss.label = "L"
        return loss


#: The networks, by name, in the documents' order.
NETWORKS = {
    network.name: network
    for network in (
        # The whole run (10,000 iterations over 1000 samples) takes minutes with the scalar engine.
        Network("doc000", "micrograd_nn.reference.doc000", compare_iterations=100),
        Network("doc001", "micrograd_nn.reference.doc001", per_sample=True,
                sample_names=("Alice", "Bob", "Charlie", "Diana")),
        # The whole run (3000 iterations over 200 samples) takes about 40 s.
        Network("doc002", "micrograd_nn.reference.doc002", compare_iterations=1000),
        Network("doc003", "micrograd_nn.reference.doc003"),
        Network("doc004a", "micrograd_nn.reference.doc004a"),
        Network("doc004b", "micrograd_nn.reference.doc004b"),
    )
}


def get(name: str) -> Network:
    """The network called ``name``; ValueError listing the names otherwise."""
    if name not in NETWORKS:
        raise ValueError(f"unknown network {name!r}; choose one of: {', '.join(NETWORKS)}")
    return NETWORKS[name]
