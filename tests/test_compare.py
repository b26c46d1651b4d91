"""micrograd_nn.documents.compare and `micrograd-nn compare`: the engine against the hand-coded networks."""

import importlib
import json
import math

import numpy as np
import pytest

from micrograd_nn.documents import compare as compare_module
from micrograd_nn.cli import main
from micrograd_nn.documents.compare import Row, compare, format_table
from micrograd_nn.documents.networks import NETWORKS

ALL = ["doc000", "doc001", "doc002", "doc003", "doc004a", "doc004b"]
FAST = ["doc003", "doc004a"]


def available(names):
    """The names whose reference module exists (document 001's is written in parallel)."""
    found = []
    for name in names:
        try:
            importlib.import_module(f"micrograd_nn.documents.{name}")
        except ModuleNotFoundError:
            continue
        found.append(name)
    return found


def test_the_registry_names_every_network_in_the_documents_order():
    assert list(NETWORKS) == ALL
    assert NETWORKS["doc001"].per_sample


def test_every_network_agrees_with_its_hand_coded_reference():
    names = available(ALL)
    assert set(ALL) - set(names) <= {"doc001"}
    rows = compare(names)
    assert [row.name for row in rows] == names
    for row in rows:
        reference = importlib.import_module(f"micrograd_nn.documents.{row.name}")
        assert row.document == reference.DOCUMENT.short
        assert row.max_grad_diff <= 1e-13, row
        assert row.max_weight_diff <= 1e-9, row
        assert row.max_weight_change > 0, row  # training did move the weights
        assert row.grads_passed and row.weights_passed and row.passed and row.verdict == "pass", row
        expected = reference.NUM_ITERATIONS  # every document's whole run, doc000's 10,000 included
        assert row.iterations == expected
        assert row.document_iterations == reference.NUM_ITERATIONS
    by_name = {row.name: row for row in rows}
    assert by_name["doc000"].iterations == 10000 and by_name["doc000"].n_parameters == 37
    assert by_name["doc004a"].n_parameters == 16  # no biases
    for name in ("doc003", "doc004a", "doc004b"):
        assert by_name[name].iterations == by_name[name].document_iterations == 1500


def test_other_seeds_and_iterations():
    rows = compare(FAST, seed=11, iterations=7)
    assert [(row.seed, row.iterations) for row in rows] == [(11, 7), (11, 7)]
    assert all(row.passed for row in rows)


def test_default_seed_is_each_documents_own():
    rows = compare(["doc003", "doc004b"], iterations=1)
    assert [row.seed for row in rows] == [1, 3]  # document 004's np.random.seed(3)


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(
        ValueError,
        match="unknown network 'doc005'; choose one of: doc000, doc001, doc002, doc003, doc004a, doc004b",
    ):
        compare(["doc003", "doc005"])


def test_a_wrong_gradient_is_caught(monkeypatch):
    reference = importlib.import_module("micrograd_nn.documents.doc004a")
    right = reference.gradients

    def off_by_a_little(parameters, X, Y):
        grads = right(parameters, X, Y)
        grads["dW2"] = grads["dW2"] * (1 + 1e-10)
        return grads

    monkeypatch.setattr(reference, "gradients", off_by_a_little)
    (row,) = compare(["doc004a"], iterations=2)
    assert not row.grads_passed and row.weights_passed and not row.passed
    assert row.verdict == "FAIL: gradients"
    assert 1e-11 < row.max_rel_grad_diff < 1e-9


def test_a_nan_gradient_is_caught(monkeypatch):
    reference = importlib.import_module("micrograd_nn.documents.doc003")
    right = reference.gradients

    def with_nan(parameters, X, Y):
        grads = right(parameters, X, Y)
        grads["db1"] = grads["db1"].copy()
        grads["db1"][0, 0] = np.nan
        return grads

    monkeypatch.setattr(reference, "gradients", with_nan)
    (row,) = compare(["doc003"], iterations=1)
    assert not row.grads_passed and math.isinf(row.max_grad_diff)


def test_wrong_training_is_caught(monkeypatch):
    reference = importlib.import_module("micrograd_nn.documents.doc003")
    right = reference.train

    def one_step_too_many(parameters, X, Y, num_iterations=1500, learning_rate=0.1):
        return right(parameters, X, Y, num_iterations + 1, learning_rate)

    monkeypatch.setattr(reference, "train", one_step_too_many)
    (row,) = compare(["doc003"], iterations=5)
    assert row.grads_passed and not row.weights_passed
    assert row.verdict == "FAIL: weights"
    assert row.max_weight_diff > 1e-6


def test_a_reference_with_missing_gradients_is_an_error(monkeypatch):
    reference = importlib.import_module("micrograd_nn.documents.doc003")
    right = reference.gradients
    monkeypatch.setattr(
        reference,
        "gradients",
        lambda p, X, Y: {k: v for k, v in right(p, X, Y).items() if k != "db2"},
    )
    with pytest.raises(ValueError, match="the reference's gradients have the keys"):
        compare(["doc003"], iterations=1)


# ------------------------------------------------------------------- output


def make_row(name="doc003", passed=True, grads=True, weights=True):
    return Row(
        name=name,
        document="Mittal, Medium",
        seed=1,
        n_parameters=13,
        iterations=100,
        document_iterations=1500,
        max_grad_diff=2.8e-17,
        max_rel_grad_diff=5.7e-15,
        max_weight_diff=1.2e-15 if weights else 3e-5,
        max_weight_change=4.2,
        grads_passed=grads,
        weights_passed=weights,
        passed=passed,
        seconds=0.25,
    )


def test_format_table():
    text = format_table([make_row(), make_row("doc004a", passed=False, grads=False, weights=False)])
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["network", "document", "params"]
    assert (
        "max |grad diff|" in lines[0] and "max |weight diff|" in lines[0] and "verdict" in lines[0]
    )
    assert lines[1].split() == [
        "doc003", "Mittal,", "Medium", "13", "100/1500",
        "2.8e-17", "5.7e-15", "1.2e-15", "4.2e+00", "0.2s", "pass",
    ]  # fmt: skip
    assert lines[2].endswith("FAIL: gradients, weights")
    assert "1 of 2 networks DISAGREE: doc004a" in text
    assert "<= 1e-12 * max(|a|, |b|) or <= 1e-15" in text and "<= 1e-09" in text


def test_format_table_all_agree():
    assert format_table([make_row(), make_row("doc004a")]).endswith("all 2 networks agree")


# ---------------------------------------------------------------------- CLI


def test_cli_prints_a_table_and_exits_0(capsys):
    status = main(["compare", *FAST, "--iterations", "20"])
    out = capsys.readouterr().out
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("network")
    assert lines[1].startswith("doc003") and lines[1].endswith("pass")
    assert lines[2].startswith("doc004a") and lines[2].endswith("pass")
    assert " 20/1500 " in lines[1]
    assert lines[-1] == "all 2 networks agree"


def test_cli_json(capsys):
    status = main(["compare", "doc004a", "doc003", "--json", "--iterations", "3", "--seed", "4"])
    rows = json.loads(capsys.readouterr().out)
    assert status == 0
    assert [row["name"] for row in rows] == ["doc004a", "doc003"]
    for row in rows:
        assert row["seed"] == 4 and row["iterations"] == 3
        assert row["passed"] is True and row["verdict"] == "pass"
        assert set(row) >= {"document", "max_grad_diff", "max_rel_grad_diff", "max_weight_diff"}


def test_cli_exits_1_on_a_mismatch(monkeypatch, capsys):
    reference = importlib.import_module("micrograd_nn.documents.doc004a")
    right = reference.gradients
    monkeypatch.setattr(
        reference, "gradients", lambda p, X, Y: {k: -v for k, v in right(p, X, Y).items()}
    )
    status = main(["compare", "doc003", "doc004a", "--iterations", "2"])
    out = capsys.readouterr().out
    assert status == 1
    assert "FAIL: gradients" in out.splitlines()[2]
    assert out.splitlines()[-1] == "1 of 2 networks DISAGREE: doc004a"


def test_cli_json_exits_1_on_a_mismatch(monkeypatch, capsys):
    reference = importlib.import_module("micrograd_nn.documents.doc004a")
    right = reference.train
    monkeypatch.setattr(
        reference,
        "train",
        lambda p, X, Y, num_iterations, learning_rate: right(p, X, Y, 0, learning_rate),
    )
    status = main(["compare", "doc004a", "--json", "--iterations", "2"])
    (row,) = json.loads(capsys.readouterr().out)
    assert status == 1 and row["verdict"] == "FAIL: weights" and row["passed"] is False


def test_cli_unknown_name_is_one_line_and_exit_1(capsys):
    status = main(["compare", "doc003", "doc9"])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""  # nothing is run before the names are checked
    assert captured.err.strip().splitlines() == [
        "micrograd-nn compare: error: unknown network 'doc9'; choose one of: "
        "doc000, doc001, doc002, doc003, doc004a, doc004b"
    ]


def test_cli_bad_iterations_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--iterations", "0"])
    assert exit_info.value.code == 2
    assert "expected a positive whole number" in capsys.readouterr().err


def test_compare_is_a_listed_command():
    from micrograd_nn.cli import COMMANDS

    assert COMMANDS["compare"] == "micrograd_nn.cli.compare"
    command_module = importlib.import_module(COMMANDS["compare"])
    for attribute in ("HELP", "DESCRIPTION", "EXAMPLE", "add_arguments", "command"):
        assert hasattr(command_module, attribute)
