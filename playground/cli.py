"""Entry points: ``playground [FILE]`` opens the window; ``playground train ...`` trains headless."""

from __future__ import annotations

import argparse
import json
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


def _positive_float(text):
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def _train_parser() -> argparse.ArgumentParser:
    from .data.presets import PRESET_NAMES
    from .nn import ACTIVATIONS, INITIALISERS, OPTIMIZERS

    p = _Parser(prog="playground train", description="Train headless with the window's engine.")
    p.add_argument("--data", default="xor", help=f"a preset ({', '.join(PRESET_NAMES)}), FILE.csv or SESSION.json")
    p.add_argument("--layers", default="8,8", help="hidden layer sizes, e.g. 8,8 ('' for none)")
    p.add_argument("--activation", default="tanh", choices=list(ACTIVATIONS))
    p.add_argument("--init", default="xavier", choices=list(INITIALISERS))
    p.add_argument("--optimizer", default="adam", choices=list(OPTIMIZERS))
    p.add_argument("--lr", type=float, default=0.03, help="learning rate")
    p.add_argument("--batch-size", type=int, default=0, help="0 = full batch")
    p.add_argument("--l1", type=_positive_float, default=0.0)
    p.add_argument("--l2", type=_positive_float, default=0.0)
    p.add_argument("--epochs", type=int, default=500)
    p.add_argument("--test-ratio", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--points", type=int, default=500, help="points in a preset")
    p.add_argument("--noise", type=float, default=0.0, help="noise of a preset")
    p.add_argument("--save", metavar="SESSION.json", help="save the trained session (open it in the window)")
    p.add_argument("--json", action="store_true", help="print one JSON object with the final figures")
    return p


def train_main(argv: list[str]) -> int:
    from .data import DatasetError, make_preset, read_csv
    from .data.presets import PRESETS
    from .training import TrainConfig, parse_hidden_layers, train_headless
    from .training.session import Session, SessionError, load_session, save_session

    parser = _train_parser()
    args = parser.parse_args(argv)
    try:
        hidden = parse_hidden_layers(args.layers)
        config = TrainConfig(
            hidden=hidden,
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
        if args.epochs < 1:
            parser.error("--epochs must be at least 1")
    except (ValueError, DatasetError, SessionError) as exc:
        parser.error(str(exc))
    show_progress = sys.stderr.isatty() and not args.json

    def progress(trainer, result):
        if show_progress and (result.epoch % 50 == 0 or result.epoch == args.epochs):
            done = result.epoch / args.epochs
            bar = "#" * int(30 * done)
            print(f"\r[{bar:<30}] epoch {result.epoch}  loss {result.train_loss:.4f}", end="", file=sys.stderr)

    losses = ([], [])

    def record(trainer, result):
        losses[0].append(result.epoch)
        losses[1].append(result.train_loss)
        progress(trainer, result)

    result = train_headless(dataset, config, args.epochs, record)
    if show_progress:
        print(file=sys.stderr)
    trainer = result.pop("trainer")
    if args.save:
        import numpy as np

        history = {"train": (np.array(losses[0]), np.array(losses[1]))}
        try:
            save_session(Session(trainer.dataset, trainer.config, trainer.state(), history), args.save)
        except OSError as exc:
            print(f"playground train: error: cannot save {args.save}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
    if args.json:
        print(json.dumps(result))
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
