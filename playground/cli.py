"""Entry points: ``playground [FILE]`` opens the window; ``playground train ...`` trains headless (or resumes a
saved session); ``playground export SESSION.json OUT`` writes a script, the model's arrays or pictures.

``main`` is the ``playground`` console script (a console, so ``train --json`` prints everywhere, a Windows
console included); ``gui_main_entry`` is ``playground-window``, the GUI launcher a desktop entry starts."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

from . import __version__
from .blas import limit_blas_threads

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
    p.add_argument(
        "--settings",
        type=_settings_text,
        metavar="TEXT",
        help="apply shared settings at start (Edit > Copy settings in the window makes one)",
    )
    p.add_argument("--version", action="version", version=f"playground {__version__}")
    p.epilog = "Also: 'playground train --help' (headless training), 'playground export --help'."
    return p


def _settings_text(text: str):
    from .training.settings_text import SettingsTextError, parse_settings

    try:
        return parse_settings(text)
    except SettingsTextError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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


def _features(text: str) -> tuple[str, ...]:
    from .data.features import parse_features

    try:
        return parse_features(text)
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


# ``playground train``'s defaults for a new run. They are filled in after parsing (argparse defaults are
# None) so a resumed session can tell the options given from the ones left out.
TRAIN_DEFAULTS = {
    "data": "xor",
    "layers": (8, 8),
    "features": ("x1", "x2"),
    "activation": "tanh",
    "init": "xavier",
    "optimizer": "adam",
    "lr": 0.03,
    "batch_size": 0,
    "l1": 0.0,
    "l2": 0.0,
    "epochs": 500,
    "test_ratio": 0.5,
    "seed": 0,
    "points": 500,
    "noise": 0.0,
}
# Options a resumed session takes over (they apply to a running network, as in the window): option -> field.
RESUME_OVERRIDES = {"lr": "learning_rate", "optimizer": "optimizer", "batch_size": "batch_size", "l1": "l1", "l2": "l2"}


def _flag(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def _train_parser() -> argparse.ArgumentParser:
    from .data.features import FEATURE_NAMES
    from .data.presets import PRESET_NAMES
    from .nn import ACTIVATIONS, INITIALISERS, OPTIMIZERS
    from .training.config import LIMITS

    def within(limit: str, kind=float) -> str:
        return f"({_describe(getattr(LIMITS, limit), kind)})"

    p = _Parser(
        prog="playground train",
        description="Train headless with the window's engine, or continue a saved session exactly.",
        epilog="playground train SESSION.json [--epochs N] [--save OUT.json] continues the session's network "
        "(same data, split, optimizer and shuffle state); --lr, --optimizer, --batch-size, --l1 and --l2 "
        "override its settings. --data SESSION.json instead trains a new network on the session's data.",
    )
    p.add_argument("session", nargs="?", metavar="SESSION.json", help="a saved session to continue")
    p.add_argument("--data", help=f"a preset ({', '.join(PRESET_NAMES)}), FILE.csv or SESSION.json (its data only)")
    p.add_argument("--layers", type=_layers, help="hidden layer sizes, e.g. 8,8 ('' for none)")
    p.add_argument(
        "--features",
        type=_features,
        help=f"the network's inputs, e.g. x1,x2,x1sq (of {','.join(FEATURE_NAMES)}; default x1,x2)",
    )
    p.add_argument("--activation", choices=list(ACTIVATIONS))
    p.add_argument("--init", choices=list(INITIALISERS))
    p.add_argument("--optimizer", choices=list(OPTIMIZERS))
    p.add_argument("--lr", type=_number(float, "learning_rate"), help=f"learning rate {within('learning_rate')}")
    p.add_argument("--batch-size", type=_number(int, "batch_size"), help=f"0 = full batch {within('batch_size', int)}")
    p.add_argument("--l1", type=_number(float, "regularization"), help=within("regularization"))
    p.add_argument("--l2", type=_number(float, "regularization"), help=within("regularization"))
    p.add_argument(
        "--epochs",
        type=_number(int, "max_epochs", low=1),
        help=f"epochs to train (1..{int(LIMITS.max_epochs.high)}; default 500, or up to a session's epoch limit)",
    )
    p.add_argument("--test-ratio", type=_number(float, "test_ratio"), help=within("test_ratio"))
    p.add_argument("--seed", type=_number(int, "seed"), help=within("seed", int))
    p.add_argument(
        "--points", type=_number(int, "preset_points"), help=f"points in a preset {within('preset_points', int)}"
    )
    p.add_argument("--noise", type=_number(float, "noise"), help=f"noise of a preset {within('noise')}")
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


def _say(message: str) -> None:
    print(f"playground train: {message}", file=sys.stderr)


def _new_run(parser, args):
    """``(trainer, session)`` for a new network from the options (``session`` None)."""
    from .data import make_preset
    from .data.presets import ALL_PRESETS
    from .files import load_session, read_csv
    from .training import TrainConfig, Trainer

    for dest, value in TRAIN_DEFAULTS.items():
        if getattr(args, dest) is None:
            setattr(args, dest, value)
    config = TrainConfig(
        hidden=args.layers,
        features=args.features,
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
    if args.data in ALL_PRESETS:
        dataset = make_preset(args.data, args.points, args.noise, seed=args.seed)
    elif Path(args.data).suffix.lower() == ".csv":
        dataset = read_csv(args.data).dataset
    elif Path(args.data).suffix.lower() == ".json":
        dataset = load_session(args.data).dataset
    else:
        parser.error(f"--data {args.data!r} is neither a preset, a .csv nor a session .json file")
    return Trainer(dataset, config, eval_every=0), None


def _resumed_run(parser, args):
    """``(trainer, session)``: the saved session's network, restored as the window restores one, with the
    options that apply to a running network overriding its settings (each said on stderr)."""
    from .data.presets import ALL_PRESETS
    from .files import load_session
    from .training import Trainer

    if args.data is not None:
        parser.error("give a session to continue or --data, not both (--data SESSION.json takes its data only)")
    if args.session in ALL_PRESETS and not Path(args.session).exists():
        parser.error(f"{args.session!r} is a preset, not a session file: use --data {args.session}")
    fixed = [
        d
        for d in ("layers", "features", "activation", "init", "seed", "test_ratio", "points", "noise")
        if getattr(args, d) is not None
    ]
    if fixed:
        parser.error(
            f"{_flag(fixed[0])} would change the saved network or its data; to train a new network on the "
            f"session's data use --data {args.session}"
        )
    session = load_session(args.session)
    config = session.config
    changes = {}
    for dest, name in RESUME_OVERRIDES.items():
        value = getattr(args, dest)
        if value is not None and value != getattr(config, name):
            changes[name] = value
            _say(f"{_flag(dest)} {value} replaces the session's {name.replace('_', ' ')} {getattr(config, name)}")
    trainer = Trainer(session.dataset, config, eval_every=0, state=session.state)
    if changes:
        trainer.apply(config.with_changes(**changes))  # as the window applies new settings to a running network
    if "optimizer" in changes:
        _say(f"the {changes['optimizer']} optimizer starts with fresh state")
    limit = config.max_epochs
    if args.epochs is None:
        args.epochs = limit - trainer.epoch if limit > trainer.epoch else TRAIN_DEFAULTS["epochs"]
        _say(f"continuing {args.session} from epoch {trainer.epoch:,} for {args.epochs:,} epochs")
    elif limit and trainer.epoch + args.epochs > limit:
        _say(f"--epochs {args.epochs:,} trains past the session's epoch limit {limit:,}")
    return trainer, session


def train_main(argv: list[str]) -> int:
    import numpy as np

    from .data import DatasetError
    from .files import Session, SessionError, describe_os_error, save_session
    from .training.history import LossHistory
    from .training.trainer import continue_headless

    parser = _train_parser()
    args = parser.parse_args(argv)
    try:
        trainer, session = (_resumed_run if args.session is not None else _new_run)(parser, args)
    except (ValueError, DatasetError, SessionError) as exc:
        parser.error(" ".join(str(exc).split()))
    show_progress = sys.stderr.isatty() and not args.json
    first = trainer.epoch
    curves = {"train": LossHistory(), "test": LossHistory()}  # bounded, as the window keeps them
    for name, (epochs, values) in session.history.items() if session is not None else ():
        if name in curves:
            curves[name].extend(epochs, values)
    new_epochs: list[int] = []
    new_losses: list[float] = []

    def record(trainer, result):
        new_epochs.append(result.epoch)
        new_losses.append(result.train_loss)
        done = result.epoch - first
        if len(new_epochs) >= 4096:
            curves["train"].extend(new_epochs, new_losses)
            new_epochs.clear()
            new_losses.clear()
        if show_progress and (done % 50 == 0 or done == args.epochs):
            bar = "#" * int(30 * done / args.epochs)
            print(f"\r[{bar:<30}] epoch {result.epoch}  loss {result.train_loss:.4f}", end="", file=sys.stderr)

    run = continue_headless(trainer, args.epochs, record)
    if show_progress:
        print(file=sys.stderr)
    result = run.summary
    curves["train"].extend(new_epochs, new_losses)
    if math.isfinite(result["test_loss"]):
        curves["test"].extend([trainer.epoch], [result["test_loss"]])
    if args.save is not None:
        history = {name: tuple(np.copy(a) for a in h.data()) for name, h in curves.items() if len(h)}
        view, runs = (session.view, session.runs) if session is not None else (None, [])
        try:
            save_session(Session(trainer.dataset, trainer.config, trainer.state(), history, view, runs), args.save)
        except OSError as exc:
            print(f"playground train: error: cannot save {args.save}: {describe_os_error(exc)}", file=sys.stderr)
            return EXIT_USAGE
    if args.json:
        print(json.dumps({key: _json_value(value) for key, value in result.items()}, allow_nan=False))
    else:
        if trainer.is_regression:
            figures = f"train RMSE {result['train_rmse']:.4f}  test RMSE {result['test_rmse']:.4f}"
            figures += f"  test R² {result['test_r2']:.3f}"
        else:
            figures = f"train acc {result['train_accuracy']:.3f}  test acc {result['test_accuracy']:.3f}"
        print(
            f"epochs {result['epochs']}  train loss {result['train_loss']:.5f}  test loss {result['test_loss']:.5f}"
            f"  {figures}  ({result['epochs_per_second']:.0f} epochs/s)"
        )
    if result["diverged"]:
        print(result["message"], file=sys.stderr)
        return 1
    return 0


EXPORT_KINDS = {".py": "a Python script", ".npz": "the model's arrays", ".png": "pictures"}


def _export_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="playground export",
        description="Export a saved session's network: OUT.py a NumPy-only script with predict(X) (--torch: a "
        "PyTorch script with build_model()), OUT.npz the weights for np.load, OUT.png pictures of the canvas "
        "and of the loss plot (OUT-loss.png).",
    )
    p.add_argument("session", metavar="SESSION.json")
    p.add_argument("out", type=_save_path, metavar="OUT.py|OUT.npz|OUT.png")
    p.add_argument("--torch", action="store_true", help="a PyTorch script instead of the NumPy one (OUT.py)")
    p.add_argument("--width", type=int, help="width of the pictures in pixels (200..8000; default 1600)")
    return p


def export_main(argv: list[str]) -> int:
    from .files import ExportedModel, SessionError, describe_os_error, export_npz, export_script, load_session
    from .training import Trainer

    parser = _export_parser()
    args = parser.parse_args(argv)
    suffix = args.out.suffix.lower()
    if suffix not in EXPORT_KINDS:
        kinds = ", ".join(f"{k} ({v})" for k, v in EXPORT_KINDS.items())
        parser.error(f"cannot tell what to export to {str(args.out)!r}: name it {kinds}")
    if args.torch and suffix != ".py":
        parser.error("--torch writes a Python script: name the output OUT.py")
    if args.width is not None and suffix != ".png":
        parser.error("--width is for pictures: name the output OUT.png")
    width = 1600 if args.width is None else args.width
    if not 200 <= width <= 8000:
        parser.error(f"argument --width: {width} is outside 200..8000")
    try:
        session = load_session(args.session)
        # The network as the window would show it: restored through the trainer (a fresh one from the
        # seed if the session holds no weights).
        trainer = Trainer(session.dataset, session.config, eval_every=0, state=session.state)
    except (SessionError, ValueError) as exc:
        parser.error(" ".join(str(exc).split()))
    try:
        if suffix == ".py":
            model = ExportedModel.from_state(trainer.state(), trainer.config, trainer.net.output_name)
            export_script(args.out, model, torch=args.torch)
            written = [str(args.out)]
        elif suffix == ".npz":
            export_npz(args.out, trainer.state(), trainer.config, trainer.net.output_name)
            written = [str(args.out)]
        else:
            from .ui.session_pictures import write_pictures

            written = write_pictures(session, trainer, args.out, width)
    except ValueError as exc:  # a network no script can express (never expected from a valid session)
        parser.error(" ".join(str(exc).split()))
    except OSError as exc:
        print(f"playground export: error: cannot write {args.out}: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    print("wrote " + ", ".join(written))
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


def _release_console() -> None:
    """On Windows a console program started from Explorer or a shortcut gets a console window of its own: let
    it go before the window opens. Started from a terminal, the console is shared and kept (messages show)."""
    if sys.platform != "win32":
        return
    try:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        processes = (ctypes.c_uint * 2)()
        if kernel32.GetConsoleProcessList(processes, 2) == 1:  # ours alone: no terminal behind it
            kernel32.FreeConsole()
    except (AttributeError, OSError):
        pass


def gui_main(argv: list[str]) -> int:
    args = _gui_parser().parse_args(argv)
    if args.home:
        os.environ["PLAYGROUND_HOME"] = str(Path(args.home).expanduser())
    if args.file and not Path(args.file).exists():
        # Said here for a terminal; the window opens all the same and says it too (a desktop entry has no
        # terminal to read, and an exit without a window would look like nothing happened).
        print(f"playground: {args.file}: no such file", file=sys.stderr)
    problem = display_problem()
    if problem:
        print(f"playground: {problem}", file=sys.stderr)
        return 1
    _release_console()
    from .training.launch import warm_up

    warm_up()  # the training processes' server imports NumPy and the engine while Qt loads here
    from .ui.app import run

    return run(args.file, quit_after=args.quit_after, settings=args.settings)


def main(argv: list[str] | None = None) -> int:
    """``playground ...``: the console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "train":
        limit_blas_threads()  # before NumPy loads
        return train_main(argv[1:])
    if argv and argv[0] == "export":
        return export_main(argv[1:])
    return gui_main(argv)


def gui_main_entry() -> int:
    """``playground-window``: the same commands, started as a GUI program (no console window on Windows; a
    desktop entry starts this one)."""
    return main()
