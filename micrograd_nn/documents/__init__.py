"""The documents: their hand-coded networks re-implemented, and the tools about them.

This is the middle layer of the package: it uses the library (``micrograd_nn``'s
engine, nn, train, draw, ...) and the library never imports it; the command
line (:mod:`micrograd_nn.cli`) sits on top. Besides one module per network
(below) it holds the registry of the networks and their samples
(:mod:`.networks`), :mod:`.compare` (the engine against each network),
:mod:`.derive` (document 001's chain rule, factor by factor), :mod:`.training`
(what ``micrograd-nn train`` does) and :mod:`.walkthrough`.

Each network module reproduces one network of the tutorial documents the way
its document writes it (numpy, the document's names: ``W1``, ``b1``, ``Z``,
``A_prev``, ``dZ``, ``dW``, ``db``, ``dA_prev``, ``AL``, ``caches``,
``grads``, ...), with the document's errata fixed and listed in the module's
docstring. They are the hand-coded oracles the Value engine is checked against
(:mod:`micrograd_nn.documents.compare`, ``micrograd-nn compare``).

========  ===============================================================  =================================================
module    document (its ``DOCUMENT``, a :class:`.sources.Document`)        network
========  ===============================================================  =================================================
doc000    "Implementing Neuron Network from scratch in Python", May 2023  [2, 4, 4, 1] ReLU/sigmoid, two moons, BCE
doc001    "Implementing Neural Networks from Scratch", a lecture post      2-2-1 sigmoid, four people, squared error, SGD
doc002    "Deep Neural Networks from scratch in Python", Piotr Babel       [4, 5, 4, 3, 1] ReLU/sigmoid, weather, BCE
doc003    "Writing Python Code for Neural Networks from Scratch", Mittal   ``Layer`` objects 2-3-1 tanh/sigmoid, XOR, log loss
doc004a   "A beginner's guide to ... Deep Learning" (document 004, first)  3-4-1 sigmoid, no biases, sum of squares, step 1
doc004b   document 004's second, untitled article                          [2, 4, 1] all sigmoid, two moons, BCE
========  ===============================================================  =================================================

Every module has the same interface, in the layered documents' layout
(``W1`` of shape ``(n1, n0)``, ``b1`` of shape ``(n1, 1)``, samples as columns)::

    DOCUMENT, TITLE          # the document (title, author, venue), one line about the network
    ACTIVATIONS, LOSS        # per-layer activation names; the micrograd_nn.losses function
    LEARNING_RATE, NUM_ITERATIONS
    setup(seed) -> (parameters, X (n0, m), Y (1, m))
    gradients(parameters, X, Y) -> {'dW1': ..., 'db1': ..., ...}
    cost(parameters, X, Y) -> float
    train(parameters, X, Y, num_iterations, learning_rate) -> (parameters, costs)

Run one as a script to see the document's experiment, for example
``python -m micrograd_nn.documents.doc000``. The modules import numpy, so
``import micrograd_nn`` does not import them.
"""

#: The reference modules, in the documents' order.
NAMES = ("doc000", "doc001", "doc002", "doc003", "doc004a", "doc004b")
