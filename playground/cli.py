"""Entry points: ``playground [FILE]`` opens the window; ``playground train ...`` trains headless."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

from . import __version__

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one clear line on stderr, status 2
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _gui_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="playground", description="A desktop neural-network playground.")
    p.add_argument("file", nargs="?", help="a session (.json) or dataset (.csv) to open")
    p.add_argument(
        "--home", help="folder for autosave and settings (default: $PLAYGROUND_HOME or the user data folder)"
    )
    p.add_argument(
        "--quit-after", type=float, metavar="SECONDS", help="close the window normally after SECONDS (for scripts)"
    )
    p.add_argument("--version", action="version", version=f"playground {__version__}")
    p.epilog = "Also: 'playground train --help' for headless training."
    return p


def _number(kind, limit: str, low: float | None = None):
    """An argparse ``type=``: a ``kind`` (int or float) within ``LIMITS.<limit>`` (from ``low`` if given).
    Refusals become one line naming the option, exit status 2; NaN and infinities never lie in a range."""
    from .files import quote
    from .training.config import LIMITS, Range

    allowed = getattr(LIMITS, limit)
    if low is not None:
        allowed = Range(low, allowed.high)

    def parse(text: str):
        try:
            value = kind(text)
        except (ValueError, OverflowError):
            noun = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{quote(text)} is not {noun}") from None
        if value not in allowed:
            raise argparse.ArgumentTypeError(f"{quote(text)} is outside {_describe(allowed, kind)}")
        return value

    return parse


def _describe(allowed, kind) -> str:
    """``0..2147483647`` for whole numbers (``Range.describe`` would say ``2.14748e+09``)."""
    if kind is int:
        return f"{int(allowed.low)}..{int(allowed.high)}"
    return allowed.describe()


def _layers(text: str) -> tuple[int, ...]:
    from .training import parse_hidden_layers

    try:
        return parse_hidden_layers(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _save_path(text: str) -> Path:
    from .files import quote

    if not text.strip():
        raise argparse.ArgumentTypeError("an empty file name")
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{quote(text)} is a folder")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"the folder {quote(str(path.parent))} does not exist")
    return path


def _train_parser() -> argparse.ArgumentParser:
    from .data.presets import PRESET_NAMES
    from .nn import ACTIVATIONS, INITIALISERS, OPTIMIZERS
    from .training.config import LIMITS

    def within(limit: str, kind=float) -> str:
        return f"({_describe(getattr(LIMITS, limit), kind)})"

    p = _Parser(prog="playground train", description="Train headless with the window's engine.")
    p.add_argument("--data", default="xor", help=f"a preset ({', '.join(PRESET_NAMES)}), FILE.csv or SESSION.json")
    p.add_argument("--layers", type=_layers, default=(8, 8), help="hidden layer sizes, e.g. 8,8 ('' for none)")
    p.add_argument("--activation", default="tanh", choices=list(ACTIVATIONS))
    p.add_argument("--init", default="xavier", choices=list(INITIALISERS))
    p.add_argument("--optimizer", default="adam", choices=list(OPTIMIZERS))
    p.add_argument(
        "--lr", type=_number(float, "learning_rate"), default=0.03, help=f"learning rate {within('learning_rate')}"
    )
    p.add_argument(
        "--batch-size", type=_number(int, "batch_size"), default=0, help=f"0 = full batch {within('batch_size', int)}"
    )
    p.add_argument("--l1", type=_number(float, "regularization"), default=0.0, help=within("regularization"))
    p.add_argument("--l2", type=_number(float, "regularization"), default=0.0, help=within("regularization"))
    p.add_argument(
        "--epochs",
        type=_number(int, "max_epochs", low=1),
        default=500,
        help=f"epochs to train (1..{int(LIMITS.max_epochs.high)})",
    )
    p.add_argument("--test-ratio", type=_number(float, "test_ratio"), default=0.5, help=within("test_ratio"))
    p.add_argument("--seed", type=_number(int, "seed"), default=0, help=within("seed", int))
    p.add_argument(
        "--points",
        type=_number(int, "preset_points"),
        default=500,
        help=f"points in a preset {within('preset_points', int)}",
    )
    p.add_argument("--noise", type=_number(float, "noise"), default=0.0, help=f"noise of a preset {within('noise')}")
    p.add_argument(
        "--save", type=_save_path, metavar="SESSION.json", help="save the trained session (open it in the window)"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object with the final figures")
    return p


def _json_value(value):
    """JSON has no NaN or infinity: a figure that does not exist (no test points) is null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def train_main(argv: list[str]) -> int:
    from .data import DatasetError, make_preset
    from .data.presets import PRESETS
    from .files import Session, SessionError, describe_os_error, load_session, read_csv, save_session
    from .training import TrainConfig, train_headless

    parser = _train_parser()
    args = parser.parse_args(argv)
    try:
        config = TrainConfig(
            hidden=args.layers,
            activation=args.activation,
            init=args.init,
            optimizer=args.optimizer,
            learning_rate=args.lr,
            batch_size=args.batch_size,
            l1=args.l1,
            l2=args.l2,
            test_ratio=args.test_ratio,
            seed=args.seed,
        )
        if args.data in PRESETS:
            dataset = make_preset(args.data, args.points, args.noise, seed=args.seed)
        elif Path(args.data).suffix.lower() == ".csv":
            dataset = read_csv(args.data).dataset
        elif Path(args.data).suffix.lower() == ".json":
            dataset = load_session(args.data).dataset
        else:
            parser.error(f"--data {args.data!r} is neither a preset, a .csv nor a session .json file")
    except (ValueError, DatasetError, SessionError) as exc:
        parser.error(" ".join(str(exc).split()))
    show_progress = sys.stderr.isatty() and not args.json

    def progress(trainer, result):
        if show_progress and (result.epoch % 50 == 0 or result.epoch == args.epochs):
            done = result.epoch / args.epochs
            bar = "#" * int(30 * done)
            print(f"\r[{bar:<30}] epoch {result.epoch}  loss {result.train_loss:.4f}", end="", file=sys.stderr)

    losses: tuple[list, list] = ([], [])

    def record(trainer, result):
        losses[0].append(result.epoch)
        losses[1].append(result.train_loss)
        progress(trainer, result)

    run = train_headless(dataset, config, args.epochs, record)
    if show_progress:
        print(file=sys.stderr)
    trainer, result = run.trainer, run.summary
    if args.save is not None:
        import numpy as np

        history = {"train": (np.array(losses[0], dtype=np.int64), np.array(losses[1], dtype=np.float64))}
        try:
            save_session(Session(trainer.dataset, trainer.config, trainer.state(), history), args.save)
        except OSError as exc:
            print(f"playground train: error: cannot save {args.save}: {describe_os_error(exc)}", file=sys.stderr)
            return EXIT_USAGE
    if args.json:
        print(json.dumps({key: _json_value(value) for key, value in result.items()}, allow_nan=False))
    else:
        print(
            f"epochs {result['epochs']}  train loss {result['train_loss']:.5f}  test loss {result['test_loss']:.5f}"
            f"  train acc {result['train_accuracy']:.3f}  test acc {result['test_accuracy']:.3f}"
            f"  ({result['epochs_per_second']:.0f} epochs/s)"
        )
    if result["diverged"]:
        print(result["message"], file=sys.stderr)
        return 1
    return 0


def display_problem() -> str:
    """Why no window can be shown here, or '' if a display looks available."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform or sys.platform != "linux":
        return ""
    if os.environ.get("WAYLAND_DISPLAY"):
        return ""
    display = os.environ.get("DISPLAY", "")
    if not display:
        return "no display available (DISPLAY is not set); run it in a desktop session"
    if display.startswith(":"):
        number = display[1:].split(".")[0]
        if number.isdigit() and not Path(f"/tmp/.X11-unix/X{number}").exists():
            return f"cannot reach the X display {display} (no server is listening)"
    return ""


def gui_main(argv: list[str]) -> int:
    args = _gui_parser().parse_args(argv)
    if args.home:
        os.environ["PLAYGROUND_HOME"] = str(Path(args.home).expanduser())
    if args.file and not Path(args.file).exists():
        print(f"playground: {args.file}: no such file", file=sys.stderr)
        return EXIT_USAGE
    problem = display_problem()
    if problem:
        print(f"playground: {problem}", file=sys.stderr)
        return 1
    from .ui.app import run

    return run(args.file, quit_after=args.quit_after)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "train":
        return train_main(argv[1:])
    return gui_main(argv)
