"""``micrograd-nn train``: train a document's network; write its history, model and figures."""
from __future__ import annotations

import signal
import sys

from .. import plots
from ..documents import networks
from ..documents.training import ADAM_LR, train_network
from ..nn import INITS
from ..train import OPTIMIZERS, STOP_SIGNALS
from ._arguments import batch, positive_int, seed

HELP = "train a document's network (or micrograd's moons demo); write its loss history and figures"
DESCRIPTION = (
    "Trains one network of `micrograd-nn list` with the Value engine, from its document's\n"
    "initial weights, data, loss and learning rate (change them with the options), prints\n"
    "the loss and the accuracy, and writes to --out (default: out/NAME):\n"
    "  model.json      the trained model (micrograd_nn.load reads it; --resume starts from it)\n"
    "  history.csv     the loss after each epoch (doc001: and w1..w6, b1..b3)\n"
    "  loss.png        the loss curve\n"
    "  boundary.png    the decision regions over the data (2-input networks; doc001 marks\n"
    "                  Emily and Frank)\n"
    "  parameters.png  w1..w6 and b1..b3 over training (doc001)\n"
    "  optimizers.png  SGD, momentum and Adam from the same weights (--compare-optimizers,\n"
    "                  with optimizers.csv)\n"
    "\n"
    "By default every network runs its document's whole run (doc000: 10,000 iterations over\n"
    "1000 samples), in seconds: full and mini-batches run as batched Values, one graph for\n"
    "the whole batch; --batch 1 is per-sample SGD. --epochs sets the length.\n"
    "A progress bar shows on a terminal (not with --quiet).\n"
    "Ctrl-C, SIGTERM (kill) and SIGHUP (a closed terminal) stop at the end of the epoch\n"
    "in progress and still write what was trained (model.json, history.csv, the figures);\n"
    "the exit status is then 128 + the signal's number (130 for Ctrl-C). model.json is a\n"
    "checkpoint: --resume DIR/model.json --out DIR goes on from it bit for bit (the\n"
    "optimizer's state too) and continues DIR/history.csv, epochs numbered on."
)
EXAMPLE = "micrograd-nn train doc002 --init he"


def add_arguments(parser) -> None:
    parser.add_argument("name", metavar="NAME",
                        help=f"the network: {', '.join(networks.TRAINABLE)} "
                        "(see micrograd-nn list)")
    parser.add_argument("--epochs", type=positive_int,
                        help="passes over the data (default: the document's whole run)")
    parser.add_argument("--lr", type=float,
                        help=f"learning rate (default: the document's; {ADAM_LR:g} for adam)")
    parser.add_argument("--seed", type=seed, help="seed for the data and the initial weights "
                        "(default: the network's own, e.g. 42 for doc001)")
    parser.add_argument("--optimizer", choices=OPTIMIZERS,
                        help="sgd (default), momentum (SGD with momentum 0.9) or adam "
                        "(with --resume: the checkpoint's)")
    parser.add_argument("--batch", type=batch, metavar="full|N",
                        help="full (one step per epoch) or N samples per step, 1 = per-sample SGD "
                        "(default: as the document; per-sample for doc001)")
    parser.add_argument("--out", metavar="DIR", help="folder for the files (default: out/NAME)")
    parser.add_argument("--format", choices=plots.FORMATS, default="png",
                        help="figure format (default: png)")
    parser.add_argument("--compare-optimizers", action="store_true",
                        help="also train with the other two optimizers from the same weights; "
                        "write optimizers.png")
    parser.add_argument("--init", choices=INITS, metavar="NAME",
                        help="draw the initial weights with this scheme instead of the document's: "
                        + "; ".join(f"{name}: {what}" for name, what in INITS.items())
                        + " (the biases stay the document's)")
    parser.add_argument("--resume", metavar="FILE",
                        help="start from a saved model (the model.json an earlier run wrote) "
                        "instead of the document's initial weights; a checkpoint goes on with "
                        "its optimizer state and epoch count")
    parser.add_argument("--checkpoint-every", type=positive_int, metavar="N",
                        help="also save DIR/model.json every N epochs (it is always saved at "
                        "the end, and on Ctrl-C, SIGTERM or SIGHUP)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


class _Signalled(KeyboardInterrupt):
    """SIGTERM or SIGHUP outside training (train() handles them itself while it runs)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise(signum, frame) -> None:
    raise _Signalled(signum)


def command(args) -> int:
    """`micrograd-nn train`: 0; when Ctrl-C, SIGTERM or SIGHUP cut the run short (the files
    still written), 128 + the signal's number: 130, 143, 129 (0 when the signal came in the
    last epoch or the final save: the run finished)."""
    previous = {}
    for sig in STOP_SIGNALS:
        if sig != signal.SIGINT and signal.getsignal(sig) not in (signal.SIG_IGN, None):
            previous[sig] = signal.signal(sig, _raise)  # like Ctrl-C: one line, no traceback
    try:
        result = train_network(
            args.name, epochs=args.epochs, lr=args.lr, seed=args.seed, optimizer=args.optimizer,
            batch=args.batch, out=args.out, fmt=args.format,
            compare_optimizers=args.compare_optimizers,
            progress=False if args.quiet else None, resume=args.resume,
            checkpoint_every=args.checkpoint_every, init=args.init,
        )
    except _Signalled as stopped:
        print(f"micrograd-nn train: stopped by {stopped}", file=sys.stderr)
        return 128 + stopped.signum
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    history = result["history"]
    if not history.interrupted:  # a signal in the last epoch or the final save: all done
        return 0
    return 130 if history.signal is None else 128 + getattr(signal, history.signal)
