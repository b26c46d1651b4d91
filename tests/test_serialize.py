"""MLP.save and serialize.load: exact, atomic, validated; train()'s checkpoints and Ctrl-C."""
import json
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from micrograd_nn import MLP, Neuron, label_2_2_1
from micrograd_nn import _saving, serialize
from micrograd_nn.serialize import FORMAT, load, to_dict
from micrograd_nn.train import train

XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_Y = [0.0, 1.0, 1.0, 0.0]


def bits(model):
    """Every weight as its exact text (repr tells -0.0 from 0.0, and every last digit)."""
    return [(label, repr(p.data)) for label, p in model.named_parameters()]


def same_model(a, b, inputs):
    assert bits(a) == bits(b)
    assert [layer.activation for layer in a.layers] == [layer.activation for layer in b.layers]
    for x in inputs:
        out_a, out_b = a(x), b(x)
        out_a, out_b = (out_a, out_b) if isinstance(out_a, list) else ([out_a], [out_b])
        assert [repr(v.data) for v in out_a] == [repr(v.data) for v in out_b]


# ---------------------------------------------------------------- round trip


@pytest.mark.parametrize("seed", range(6))
def test_round_trip_is_bit_for_bit(tmp_path, seed):
    rng = np.random.default_rng(seed)
    nin = int(rng.integers(1, 5))
    sizes = [int(n) for n in rng.integers(1, 6, size=rng.integers(1, 4))]
    activations = [str(a) for a in rng.choice(["sigmoid", "relu", "tanh", "linear"], size=len(sizes))]
    model = MLP(nin, sizes, activation=activations, bias=bool(seed % 2), init="normal", seed=seed)
    awkward = [5e-324, -0.0, 1e308, 0.1, -2.2250738585072014e-308, 1 / 3]
    for p, value in zip(model.parameters(), awkward):
        p.data = value
    loaded = load(model.save(tmp_path / "model.json"))
    inputs = rng.standard_normal((5, nin)).tolist()
    same_model(model, loaded, inputs)


def test_the_file_is_the_documents_layout(tmp_path):
    model = MLP(2, [3, 1], activation=["tanh", "sigmoid"], seed=0)
    document = json.loads(model.save(tmp_path / "m.json").read_text())
    assert document["format"] == FORMAT and document["version"] == 1
    assert document["architecture"] == {
        "nin": 2, "sizes": [3, 1], "activations": ["tanh", "sigmoid"], "bias": True
    }
    assert list(document["parameters"]) == ["W1", "b1", "W2", "b2"]
    params = model.to_parameters()
    assert document["parameters"]["W1"] == params["W1"].tolist()  # 3 rows of 2
    assert document["parameters"]["b1"] == [[0.0], [0.0], [0.0]]  # a column, shape (3, 1)
    assert "labels" not in document  # the default labels W1[j,k], b1[j] are not written


def test_the_module_docstring_shows_the_file_as_written(tmp_path):
    model = label_2_2_1(MLP(2, [2, 1], activation="sigmoid", seed=0))
    written = model.save(tmp_path / "doc001.json").read_text()
    assert textwrap.indent(written, "    ") in serialize.__doc__


def test_numbers_are_written_as_repr(tmp_path):
    model = MLP(1, [1], activation="linear", seed=0)
    model.layers[0].neurons[0].w[0].data = 0.1 + 0.2
    text = model.save(tmp_path / "m.json").read_text()
    assert "[0.30000000000000004]" in text


def test_no_biases(tmp_path):
    model = MLP(3, [4, 1], activation="sigmoid", bias=False, seed=2)  # document 004's first network
    document = to_dict(model)
    assert document["architecture"]["bias"] is False
    assert list(document["parameters"]) == ["W1", "W2"]
    same_model(model, load(model.save(tmp_path / "m.json")), [[0, 1, 1], [1, 1, 1]])


def test_default_activations_are_stored_per_layer(tmp_path):
    model = MLP(2, [4, 4, 1], seed=0)  # None: ReLU hidden, linear output
    assert to_dict(model)["architecture"]["activations"] == ["relu", "relu", "linear"]
    same_model(model, load(model.save(tmp_path / "m.json")), [[1.5, -2.0]])


def test_document_001_labels_are_kept(tmp_path):
    model = label_2_2_1(MLP(2, [2, 1], activation="sigmoid", seed=0))
    loaded = load(model.save(tmp_path / "doc001.json"))
    assert [label for label, _ in loaded.named_parameters()] == [
        "w1", "w2", "b1", "w3", "w4", "b2", "w5", "w6", "b3"
    ]
    assert [[n.name for n in layer.neurons] for layer in loaded.layers] == [["h1", "h2"], ["o1"]]
    out = loaded([2.0, 3.0])
    assert out.label == "o1" and out.children[0].label == "sum_o1"


def test_custom_labels_round_trip(tmp_path):
    model = MLP(1, [2], activation="tanh", seed=0)
    for p, name in zip(model.parameters(), ["a", "{weird} <label> & \"quotes\"", "c", "é"]):
        p.label = name
    loaded = load(model.save(tmp_path / "m.json"))
    assert [p.label for p in loaded.parameters()] == [p.label for p in model.parameters()]


def test_save_returns_the_path_and_creates_the_folder(tmp_path):
    path = MLP(2, [1], seed=0).save(str(tmp_path / "a" / "b" / "m.json"))
    assert path == tmp_path / "a" / "b" / "m.json" and path.is_file()


# ------------------------------------------------------------- refusing to save


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_non_finite_weight_is_refused_and_the_old_file_kept(tmp_path, bad):
    path = tmp_path / "m.json"
    model = MLP(2, [2, 1], seed=0)
    model.save(path)
    before = path.read_bytes()
    model.layers[1].neurons[0].w[1].data = bad
    with pytest.raises(ValueError, match=rf"save: parameter W2\[0,1\] is {bad!r}; JSON has no NaN"):
        model.save(path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.json"]


def test_save_takes_an_mlp(tmp_path):
    with pytest.raises(TypeError, match="save takes an MLP, got Neuron"):
        serialize.save(Neuron(2), tmp_path / "n.json")
    with pytest.raises(TypeError, match="path must be a str or a pathlib.Path, got int"):
        MLP(2, [1]).save(3)


def test_a_file_in_the_way_of_the_folder(tmp_path):
    (tmp_path / "taken").write_text("")
    with pytest.raises(NotADirectoryError, match="'.*taken' is a file, not a folder"):
        MLP(2, [1]).save(tmp_path / "taken" / "m.json")


# ------------------------------------------------------------------ atomicity


@pytest.fixture
def saved(tmp_path):
    """A model saved at tmp_path / 'model.json', and the file's bytes."""
    path = tmp_path / "model.json"
    MLP(2, [3, 1], seed=0).save(path)
    return path, path.read_bytes()


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_a_failure_mid_save_leaves_the_old_file_and_no_temporary(monkeypatch, saved, failure, where):
    path, before = saved

    def fail(*args):
        raise failure

    monkeypatch.setattr(_saving.os, where, fail)  # the writing half of serialize
    with pytest.raises(type(failure)):
        MLP(2, [3, 1], seed=1).save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == ["model.json"]


def test_a_failing_write_leaves_the_old_file(monkeypatch, saved):
    path, before = saved
    real_open = open

    class Broken:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, text):
            self.f.write(text[: len(text) // 2])  # half of it reaches the temporary file
            raise OSError("no space left on device")

    monkeypatch.setattr(_saving, "open", lambda *a, **k: Broken(real_open(*a, **k)), raising=False)
    with pytest.raises(OSError, match="no space left"):
        MLP(2, [3, 1], seed=1).save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before and os.listdir(path.parent) == ["model.json"]


def test_a_hard_crash_mid_save_leaves_the_old_file_whole(saved):
    """The process dies between writing the temporary file and renaming it."""
    path, before = saved
    script = textwrap.dedent(
        """
        import os, sys
        from micrograd_nn import MLP
        os.replace = lambda *args: os._exit(3)  # killed at the worst moment
        MLP(2, [3, 1], seed=1).save(sys.argv[1])
        """
    )
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True)
    assert result.returncode == 3
    assert path.read_bytes() == before
    same_model(load(path), MLP(2, [3, 1], seed=0), [[1.0, 2.0]])
    # the only trace: the temporary file, named after the target and never read by load
    leftovers = sorted(os.listdir(path.parent))
    assert leftovers[1:] == ["model.json"] and leftovers[0].startswith(".model.json.")


# -------------------------------------------------------------------- loading


def test_a_missing_file_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.json"):
        load(tmp_path / "nowhere.json")


def test_a_pickle_is_refused_not_run(tmp_path):
    import pickle

    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps(MLP(2, [1], seed=0)))
    with pytest.raises(ValueError, match="is not a text \\(UTF-8\\) file|not valid JSON"):
        load(path)


def good_document():
    return to_dict(label_2_2_1(MLP(2, [2, 1], activation="sigmoid", seed=0)))


def edit(change):
    """A function making the text of an edited good document."""
    def make():
        document = good_document()
        change(document)
        return json.dumps(document)
    return make


def text(transform):
    return lambda: transform(json.dumps(good_document(), indent=2))


def replace(old, new):
    return text(lambda t: t.replace(old, new, 1))


def set_key(where, key, value):
    def change(document):
        target = document
        for step in where:
            target = target[step]
        target[key] = value
    return edit(change)


def delete(where, key):
    def change(document):
        target = document
        for step in where:
            target = target[step]
        del target[key]
    return edit(change)


ARCH, PARAMS = ("architecture",), ("parameters",)

# (what, the file's text, the error message) - one line per way a file can be wrong.
BAD_FILES = [
    ("truncated", text(lambda t: t[: len(t) // 2]), r"not valid JSON: .* line \d+, column \d+; the text ends early, so the file was probably cut short"),
    ("empty", lambda: "", r"the file is empty"),
    ("edited into broken JSON", replace('"nin": 2,', '"nin": 2,,'), r"not valid JSON: .*; the file was edited"),
    ("not an object", lambda: "[1, 2]", r"holds a list \[...\], not a saved model"),
    ("no format", delete((), "format"), r"has no 'format' key; it is not a model saved by micrograd_nn"),
    ("another format", set_key((), "format", "keras"), r"has format 'keras'; it is not a model saved by micrograd_nn"),
    ("a newer version", set_key((), "version", 3), r"is format version 3, newer than this micrograd_nn reads \(2\); upgrade"),
    ("training in version 1", set_key((), "training", {}), r"the file has an unexpected key 'training'; the keys are format, version, architecture, parameters, labels$"),
    ("version as text", set_key((), "version", "1"), r"'version' must be a whole number >= 1, got \"1\""),
    ("no architecture", delete((), "architecture"), r"the file has no 'architecture'"),
    ("an unknown key", set_key((), "optimizer", {}), r"the file has an unexpected key 'optimizer'"),
    ("nin 0", set_key(ARCH, "nin", 0), r"architecture.nin must be a whole number >= 1, got 0"),
    ("nin 2.5", set_key(ARCH, "nin", 2.5), r"architecture.nin must be a whole number >= 1, got 2.5"),
    ("no layers", set_key(ARCH, "sizes", []), r"architecture.sizes is empty"),
    ("a size as text", set_key(ARCH, "sizes", ["2", 1]), r"architecture.sizes\[0\] must be a whole number >= 1, got \"2\""),
    ("one activation too few", set_key(ARCH, "activations", ["sigmoid"]), r"architecture.activations has 1 entry, expected 2"),
    ("an unknown activation", set_key(ARCH, "activations", ["sigmoid", "softmax"]), r"architecture.activations\[1\] is 'softmax'; choose one of: sigmoid, relu, tanh, linear"),
    ("bias as text", set_key(ARCH, "bias", "yes"), r"architecture.bias must be true or false, got \"yes\""),
    ("a layer's weights missing", delete(PARAMS, "W2"), r"parameters has no 'W2'"),
    ("biases in a network without", set_key(ARCH, "bias", False), r"parameters has an unexpected key 'b1'"),
    ("W1 as a number", set_key(PARAMS, "W1", 1.0), r"parameters.W1 must be a list \[...\], got 1.0"),
    ("a row too few", set_key(PARAMS, "W1", [[1.0, 2.0]]), r"parameters.W1 has 1 entry, expected 2"),
    ("a row too short", set_key(PARAMS, "W2", [[1.0]]), r"parameters.W2\[0\] has 1 number, expected 2 \(one per input of layer 2\)"),
    ("a flat bias", set_key(PARAMS, "b1", [0.0, 0.0]), r"parameters.b1\[0\] must be a list \[...\], got 0.0"),
    ("a weight as text", set_key(PARAMS, "W2", [[1.0, "2"]]), r"parameters.W2\[0\]\[1\] must be a number, got \"2\""),
    ("a weight null", set_key(PARAMS, "W2", [[None, 1.0]]), r"parameters.W2\[0\]\[0\] must be a number, got null"),
    ("a weight true", set_key(PARAMS, "W2", [[True, 1.0]]), r"parameters.W2\[0\]\[0\] must be a number, got true"),
    ("NaN", set_key(PARAMS, "W2", [[math.nan, 1.0]]), r"NaN is not a number JSON allows; every number in a model file must be finite"),
    ("Infinity", set_key(PARAMS, "W2", [[1.0, -math.inf]]), r"-Infinity is not a number JSON allows"),
    ("1e999", lambda: set_key(PARAMS, "W2", [[12.5, 1.0]])().replace("12.5", "1e999"), r"parameters.W2\[0\]\[0\] is inf; every weight must be a finite number"),
    ("a huge integer", set_key(PARAMS, "W2", [[10**400, 1.0]]), r"parameters.W2\[0\]\[0\] is 1000+\.\.\.\(401 characters\); every weight must be a finite number$"),
    ("a duplicated key", replace('"version": 1,', '"version": 1, "version": 1,'), r"the key 'version' appears twice in one object; the file was edited"),
    ("labels too few", set_key(("labels",), "parameters", ["w1"]), r"labels.parameters has 1 entry, expected 9"),
    ("a label not text", set_key(("labels",), "neurons", [["h1", 2], ["o1"]]), r"labels.neurons\[0\]\[1\] must be a string, got 2"),
]


@pytest.mark.parametrize("what, make_text, message", BAD_FILES, ids=[row[0] for row in BAD_FILES])
def test_a_bad_file_says_what_is_wrong_and_where(tmp_path, what, make_text, message):
    path = tmp_path / "model.json"
    path.write_text(make_text())
    with pytest.raises(ValueError, match=rf"^load: {path}: {message}"):
        load(path)


def test_the_good_document_loads():
    """The rows above edit a document that is fine as it is."""
    model = serialize.from_dict(good_document())
    assert [p.label for p in model.parameters()][:3] == ["w1", "w2", "b1"]


def test_integers_are_read_as_floats(tmp_path):
    """A hand-written file may say 1 for 1.0."""
    document = good_document()
    document["parameters"]["W2"] = [[1, -2]]
    (tmp_path / "m.json").write_text(json.dumps(document))
    assert [w.data for w in load(tmp_path / "m.json").layers[1].neurons[0].w] == [1.0, -2.0]


def test_from_dict_names_its_source():
    with pytest.raises(ValueError, match=r"^load: document: holds null"):
        serialize.from_dict(None)


# ---------------------------------------------------------------- checkpoints


def test_checkpoint_every_n_epochs(tmp_path):
    path = tmp_path / "ckpt" / "model.json"
    model = MLP(2, [3, 1], activation=["tanh", "sigmoid"], seed=0)
    snapshots = {}

    def look(epoch, loss):  # after epoch e, the file holds the model of the last multiple of 3
        if (epoch + 1) % 3 == 0:
            snapshots[epoch + 1] = (bits(load(path)), bits(model))

    history = train(model, XOR_X, XOR_Y, lr=0.5, epochs=10, checkpoint=path, checkpoint_every=3,
                    on_epoch=look, progress=False)
    assert history.checkpoints == [3, 6, 9, 10]  # and once more at the end
    assert all(on_disk == in_memory for on_disk, in_memory in snapshots.values())
    assert bits(load(path)) == bits(model)
    assert os.listdir(path.parent) == ["model.json"]


def test_checkpointing_does_not_change_the_run(tmp_path):
    plain = MLP(2, [3, 1], seed=0)
    saved = MLP(2, [3, 1], seed=0)
    a = train(plain, XOR_X, XOR_Y, epochs=7, progress=False)
    b = train(saved, XOR_X, XOR_Y, epochs=7, checkpoint=tmp_path / "m.json", checkpoint_every=2, progress=False)
    assert a.losses == b.losses and bits(plain) == bits(saved)
    assert a.checkpoints == [] and b.checkpoints == [2, 4, 6, 7]


def test_only_at_the_end_without_checkpoint_every(tmp_path):
    model = MLP(2, [2, 1], seed=0)
    history = train(model, XOR_X, XOR_Y, epochs=4, checkpoint=tmp_path / "m.json", progress=False)
    assert history.checkpoints == [4] and bits(load(tmp_path / "m.json")) == bits(model)


def test_ctrl_c_saves_a_checkpoint_and_returns_the_history(tmp_path):
    path = tmp_path / "m.json"
    model = MLP(2, [2, 1], seed=0)

    def interrupt(epoch, loss):
        if epoch == 4:
            raise KeyboardInterrupt

    history = train(model, XOR_X, XOR_Y, epochs=50, checkpoint=path, checkpoint_every=10,
                    on_epoch=interrupt, progress=False)
    assert history.interrupted and len(history.losses) == 5
    assert history.checkpoints == [5]
    assert bits(load(path)) == bits(model)


def test_ctrl_c_mid_epoch_goes_back_to_the_last_whole_epoch(tmp_path, monkeypatch):
    """Interrupted between two mini-batches: the model goes back to the end of epoch 2,
    which the checkpoint already holds (a resumed run could not go on from mid-epoch)."""
    path = tmp_path / "m.json"
    model = MLP(2, [2, 1], seed=0)
    steps = []
    real_call = MLP.__call__

    def call(self, x):
        steps.append(x)
        if len(steps) == 4 * 2 + 3:  # epoch 2, third sample
            raise KeyboardInterrupt
        return real_call(self, x)

    monkeypatch.setattr(MLP, "__call__", call)
    history = train(model, XOR_X, XOR_Y, epochs=5, batch=1, checkpoint=path, checkpoint_every=2,
                    progress=False)
    monkeypatch.undo()
    assert history.interrupted and len(history.losses) == 2
    assert history.checkpoints == [2]  # the two steps of epoch 3 are undone, so no second save
    assert bits(load(path)) == bits(model)
    straight = MLP(2, [2, 1], seed=0)
    train(straight, XOR_X, XOR_Y, epochs=2, batch=1, progress=False)
    assert bits(model) == bits(straight)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"checkpoint_every": 5}, ValueError, "checkpoint_every needs a checkpoint file"),
        ({"checkpoint": "m.json", "checkpoint_every": 0}, ValueError, "checkpoint_every must be a positive int"),
        ({"checkpoint": 5}, TypeError, "checkpoint must be a file path"),
        ({"model": Neuron(2, activation="sigmoid"), "checkpoint": "m.json"}, TypeError,
         "checkpoints save an MLP, got Neuron"),
        ({"detect_anomaly": "yes"}, TypeError, "detect_anomaly must be True or False"),
    ],
)
def test_bad_checkpoint_arguments(tmp_path, kwargs, error, message):
    args = {"model": MLP(2, [2, 1], seed=0), "progress": False, **kwargs}
    if "checkpoint" in args and isinstance(args["checkpoint"], str):
        args["checkpoint"] = tmp_path / args["checkpoint"]
    with pytest.raises(error, match=message):
        train(args.pop("model"), XOR_X, XOR_Y, **args)
    assert os.listdir(tmp_path) == []  # refused before anything is written


def test_detect_anomaly_option_stops_at_the_first_non_finite_value():
    model = MLP(2, [1], activation="linear", seed=0)
    model.layers[0].neurons[0].w[0].data = 1e300
    plain = train(MLP(2, [1], seed=0), XOR_X, XOR_Y, epochs=2, progress=False)
    with pytest.raises(FloatingPointError, match=r"forward: 'wsum' node produced inf from operands W1\[0,0\] = 1e\+300"):
        train(model, [[1e10, 0.0]], [0.0], epochs=2, detect_anomaly=True, progress=False)
    again = train(MLP(2, [1], seed=0), XOR_X, XOR_Y, epochs=2, detect_anomaly=True, progress=False)
    assert again.losses == plain.losses  # finite runs are unchanged by the checks
