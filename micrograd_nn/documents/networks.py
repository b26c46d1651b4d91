"""The documents' networks by name: one registry for ``compare``, ``train``,
``step``, ``graph`` and ``list``.

Each entry wraps a reference module of :mod:`micrograd_nn.documents` (the
document's own hand-coded network) and builds the same network with the Value
engine, from the same initial weights. ``train`` and ``list`` also know
micrograd's own moons demo (:data:`MICROGRAD`), which is no document and has
no hand-coded gradients to compare with.

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

from .. import _checks, losses
from ..datasets import PEOPLE
from ..engine import Value
from ..nn import MLP, label_2_2_1
from .sources import Document

__all__ = [
    "DEFAULT_NETWORK", "MICROGRAD", "NETWORKS", "TRAINABLE", "MicrogradMoons", "Network", "get",
    "describe_sample", "loss_graph", "sample_name",
]


@dataclass(frozen=True)
class Network:
    """One document network.

    Attributes:
        name: the short name, e.g. ``"doc000"``.
        module: the reference module that implements it.
        per_sample: steps one sample at a time (document 001's SGD).
        sample_names: names of the samples, in the data's order; numbered
            (``"0"``, ``"1"``, ...) when empty.
        feature_names: what the inputs are, for the axes of figures.
        class_names: what the targets below and above the threshold mean.
        marks: (name, input) pairs that figures mark (document 001: Emily, Frank).
        track_parameters: ``train`` records and draws every parameter's
            trajectory (document 001's w1..w6, b1..b3).
    """

    name: str
    module: str
    per_sample: bool = False
    sample_names: tuple[str, ...] = ()
    feature_names: tuple[str, ...] = ()
    class_names: tuple[str, str] = ("class 0", "class 1")
    marks: tuple[tuple[str, tuple[float, ...]], ...] = ()
    track_parameters: bool = False

    @property
    def reference(self) -> ModuleType:
        """The reference module (``module``), or an object in it for ``"module:name"``."""
        module, _, attribute = self.module.partition(":")
        found = importlib.import_module(module)
        return getattr(found, attribute) if attribute else found

    @property
    def title(self) -> str:
        return " ".join(self.reference.TITLE.split())

    @property
    def document(self) -> Document:
        """The document, as its readers know it: ``str()`` gives title, author and venue."""
        return self.reference.DOCUMENT

    @property
    def default_epochs(self) -> int:
        """What ``micrograd-nn train`` runs: the document's whole run."""
        return self.reference.NUM_ITERATIONS

    @property
    def default_batch(self) -> str | int:
        """1 (per-sample SGD) or "full", as the document trains."""
        return 1 if self.per_sample else "full"

    @property
    def l2(self) -> float:
        """The weight of the L2 penalty added to the loss (0: none; micrograd's demo: 1e-4)."""
        return getattr(self.reference, "L2", 0.0)

    @property
    def threshold(self) -> float:
        """The output level between the classes: 0 for a hinge score, else 0.5 (a probability)."""
        return 0.0 if self.reference.LOSS == "hinge" else 0.5

    @property
    def default_seed(self) -> int:
        return inspect.signature(self.reference.setup).parameters["seed"].default

    def setup(self, seed: int | None = None):
        """(parameters, X (n0, m), Y (1, m)) from the reference module, in the documents' layout."""
        seed = _checks.seed(seed, f"{self.name}: seed")
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


class MicrogradMoons:
    """micrograd's own demo (karpathy/micrograd, ``demo.ipynb``) as a reference module would be.

    ``MLP(2, [16, 16, 1])`` with micrograd's defaults (weights uniform in
    [-1, 1], zero biases, ReLU hidden layers, a linear output: a score),
    trained on ``make_moons(100, noise=0.1)`` with the labels mapped to -1/+1,
    on the mean hinge loss ``relu(1 - y * score)`` plus ``1e-4 * sum(p**2)``,
    full batch, 100 steps of SGD.

    micrograd lowers its learning rate over its 100 steps (``1.0 - 0.9 * k /
    100``); ``micrograd-nn train`` keeps one rate, so a constant 0.5 is used
    here (100 % accuracy in 100 epochs from seed 1, as micrograd reaches;
    some seeds stop at 98 or 99 %).
    ``demos/micrograd_moons.py`` runs micrograd's own schedule. There is only
    ``setup``: micrograd has no hand-coded gradients, so nothing to ``compare``.
    """

    DOCUMENT = Document(
        title="demo.ipynb", author="Andrej Karpathy",
        venue="the notebook of micrograd (github.com/karpathy/micrograd)", short="micrograd's demo",
    )
    TITLE = (
        "micrograd's moons demo: MLP [2, 16, 16, 1], ReLU hidden, linear score, "
        "two moons (100, noise 0.1, labels -1/+1), hinge loss + 1e-4 L2"
    )
    ACTIVATIONS = ["relu", "relu", "linear"]
    LOSS = "hinge"
    L2 = 1e-4
    LEARNING_RATE = 0.5
    NUM_ITERATIONS = 100
    SEED = 1  # the data and weights differ from micrograd's own (another RNG) whatever the seed
    N_SAMPLES = 100
    NOISE = 0.1

    @staticmethod
    def setup(seed: int = SEED):
        """(initial parameters, X (2, 100), Y (1, 100) in -1/+1): moons, then weights, one seed."""
        import numpy as np

        from ..datasets import make_moons

        rng = np.random.default_rng(seed)
        demo = MicrogradMoons
        features, labels = make_moons(demo.N_SAMPLES, noise=demo.NOISE, seed=rng)
        model = MLP(2, [16, 16, 1], seed=rng)
        return model.to_parameters(), features.T.copy(), (2.0 * labels - 1.0).reshape(1, -1)


#: The networks, by name, in the documents' order.
NETWORKS = {
    network.name: network
    for network in (
        Network("doc000", "micrograd_nn.documents.doc000"),
        Network("doc001", "micrograd_nn.documents.doc001", per_sample=True,
                sample_names=tuple(PEOPLE),
                feature_names=("weight - 135 (lb)", "height - 66 (in)"),
                class_names=("male (0)", "female (1)"), track_parameters=True,
                marks=(("Emily", (-7.0, -3.0)), ("Frank", (20.0, 2.0)))),
        Network("doc002", "micrograd_nn.documents.doc002",
                feature_names=("temperature", "humidity", "pressure", "wind speed"),
                class_names=("no rain (0)", "rain (1)")),
        Network("doc003", "micrograd_nn.documents.doc003"),
        Network("doc004a", "micrograd_nn.documents.doc004a"),
        Network("doc004b", "micrograd_nn.documents.doc004b"),
    )
}

#: micrograd's moons demo: ``train`` and ``list`` know it; ``compare``, ``step`` and
#: ``graph`` take the documents' networks only.
MICROGRAD = Network("micrograd", "micrograd_nn.documents.networks:MicrogradMoons",
                    class_names=("class -1", "class +1"))

#: Every network ``micrograd-nn train`` and ``list`` know: the documents', then micrograd's.
TRAINABLE = {**NETWORKS, MICROGRAD.name: MICROGRAD}


def get(name: str, *, include_micrograd: bool = False) -> Network:
    """The network called ``name``; ValueError listing the names otherwise.

    Args:
        include_micrograd: also accept ``"micrograd"`` (:data:`MICROGRAD`),
            as ``train`` does.
    """
    known = TRAINABLE if include_micrograd else NETWORKS
    if not isinstance(name, str):
        raise TypeError(
            f"a network name is a str, one of: {', '.join(known)}; got {type(name).__name__}"
        )
    if name not in known:
        raise ValueError(f"unknown network {name!r}; choose one of: {', '.join(known)}")
    return known[name]


# ------------------------------------------------------- one sample's loss

#: The network `graph`, `step` and `explore` take when none is named.
DEFAULT_NETWORK = "doc001"


def loss_graph(
    name: str = DEFAULT_NETWORK, sample: str | int | None = None, seed: int | None = None
) -> Value:
    """The loss of one sample for a document network, as a graph (before backward).

    Args:
        name: a key of :data:`micrograd_nn.documents.networks.NETWORKS`.
        sample: the sample's name (any case) or number; by default the first
            (document 001: Alice).
        seed: the seed for the initial weights; by default the network's own.

    Raises:
        ValueError: an unknown network or sample name.
    """
    return get(name).loss_graph(sample, seed)


def sample_name(name: str, sample: str | int | None, seed: int | None = None) -> str:
    """The sample's name as the network spells it (checked: ValueError if unknown)."""
    network = get(name)
    names = network.data(seed)[2]
    return names[network.sample_index(sample, names)]


def describe_sample(name: str, sample: str | int | None, seed: int | None = None) -> str:
    """The sample for a reader: its name, or "sample N" for a data set without names, with
    its input and target, e.g. ``"sample 1 (x = [0, 1], y_true = 1)"``.

    >>> describe_sample("doc001", "alice")
    'Alice (x = [-2, -1], y_true = 1)'
    >>> describe_sample("doc003", 1)
    'sample 1 (x = [0, 1], y_true = 1)'
    """
    network = get(name)
    inputs, targets, names = network.data(seed)
    i = network.sample_index(sample, names)
    called = names[i] if network.sample_names else f"sample {names[i]}"
    x = ", ".join(f"{v:g}" for v in inputs[i])
    return f"{called} (x = [{x}], y_true = {targets[i]:g})"
