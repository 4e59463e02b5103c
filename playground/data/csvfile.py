"""CSV files with the header ``x,y,label``.

Loading is strict and says where a problem is: every ``DatasetError`` names the file and the line.
Label conventions: labels that are already class indices (smallest 0, largest below 8) are kept; any other
whole-number labels, e.g. ``1, 2`` or TensorFlow Playground's ``-1, 1``, are mapped to ``0..k-1`` in
sorted order and the mapping is reported in ``CsvLoad.label_mapping``. Negative labels other than that
``-1, 1`` convention are an error.

Writing is atomic: the rows go to a temporary file beside the target, which replaces it only when
complete, so a crash mid-save leaves the old file intact.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .dataset import MAX_CLASSES, Dataset, DatasetError

MAX_ROWS = 1_000_000
MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class CsvLoad:
    dataset: Dataset
    label_mapping: dict[int, int] | None  # original label -> class index, when they differ
    rows: int


def load_csv(path) -> Dataset:
    return read_csv(path).dataset


def read_bytes_limited(path, limit: int, error=DatasetError) -> bytes:
    """The file's bytes, or ``error`` naming the file: unreadable, or larger than ``limit`` bytes (checked
    before reading, so a huge file costs no memory)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise error(f"{path}: the file is {size / 2**20:.0f} MB; at most {limit // 2**20} MB")
        return path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot read the file ({exc.strerror or exc})") from None


def read_csv(path) -> CsvLoad:
    return parse_csv(read_bytes_limited(path, MAX_BYTES), str(path))


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DatasetError(f"{name}, line {line}: bytes that are not UTF-8 text") from None


def parse_csv(raw: bytes, name: str = "<data>") -> CsvLoad:
    text = _decode(raw, name)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DatasetError(f"{name}, line {line}: a NUL byte; this is not a text file")
    if not text.strip():
        raise DatasetError(f"{name}: the file is empty; expected a header line 'x,y,label'")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = None
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                header = [cell.strip().lower() for cell in row]
                break
        header_line = reader.line_num
        if header is None:
            raise DatasetError(f"{name}: no header line; expected 'x,y,label'")
        missing = [c for c in ("x", "y", "label") if c not in header]
        if missing:
            raise DatasetError(
                f"{name}, line {header_line}: the header lacks column {', '.join(repr(m) for m in missing)}; "
                "expected 'x,y,label'"
            )
        ix, iy, il = header.index("x"), header.index("y"), header.index("label")
        need = max(ix, iy, il) + 1
        xs, ys, labels, lines = [], [], [], []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(xs) >= MAX_ROWS:
                raise DatasetError(f"{name}, line {line}: more than {MAX_ROWS:,} rows")
            if len(row) < need:
                raise DatasetError(f"{name}, line {line}: {len(row)} columns, expected at least {need}")
            xs.append(_number(row[ix], "x", name, line))
            ys.append(_number(row[iy], "y", name, line))
            labels.append(_label(row[il], name, line))
            lines.append(line)
    except csv.Error as exc:
        raise DatasetError(f"{name}, line {reader.line_num}: {exc}") from None
    X = np.column_stack([np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64)])
    raw_labels = np.array(labels, dtype=np.int64)
    y, mapping = _map_labels(raw_labels, np.array(lines, dtype=np.int64), name)
    return CsvLoad(Dataset(X.reshape(-1, 2), y), mapping, len(xs))


def _number(cell: str, column: str, name: str, line: int) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise DatasetError(f"{name}, line {line}: {column} value {cell.strip()!r} is not a number") from None
    if not np.isfinite(value):
        raise DatasetError(f"{name}, line {line}: {column} value {cell.strip()!r} is not a finite number")
    return value


def _label(cell: str, name: str, line: int) -> int:
    text = cell.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        raise DatasetError(f"{name}, line {line}: label {text!r} is not a whole number") from None
    if not np.isfinite(value) or value != int(value):
        raise DatasetError(f"{name}, line {line}: label {text!r} is not a whole number")
    return int(value)


def _map_labels(labels: np.ndarray, lines: np.ndarray, name: str) -> tuple[np.ndarray, dict[int, int] | None]:
    if labels.size == 0:
        return labels, None
    lo, hi = int(labels.min()), int(labels.max())
    if lo == 0 and hi < MAX_CLASSES:
        return labels, None
    distinct = np.unique(labels)
    if lo < 0 and not set(distinct.tolist()) <= {-1, 1}:
        odd = (labels < 0) & (labels != -1)
        bad = int(np.flatnonzero(odd if odd.any() else labels < 0)[0])
        raise DatasetError(
            f"{name}, line {lines[bad]}: negative label {labels[bad]}; labels are class numbers "
            f"0..{MAX_CLASSES - 1} (or -1/1 as in TensorFlow Playground)"
        )
    if distinct.size > MAX_CLASSES:
        _, first_seen = np.unique(labels, return_index=True)
        ninth = int(np.sort(first_seen)[MAX_CLASSES])
        raise DatasetError(
            f"{name}, line {lines[ninth]}: label {labels[ninth]} is a {MAX_CLASSES + 1}th class "
            f"({distinct.size} different labels); at most {MAX_CLASSES} classes"
        )
    mapped = np.searchsorted(distinct, labels).astype(np.int64)
    return mapped, {int(v): i for i, v in enumerate(distinct.tolist())}


def format_csv(ds: Dataset) -> str:
    lines = ["x,y,label"]
    lines.extend(f"{x!r},{y!r},{label}" for x, y, label in zip(ds.X[:, 0].tolist(), ds.X[:, 1].tolist(), ds.y.tolist()))
    return "\n".join(lines) + "\n"


def atomic_write(path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that the file is either the old one or the complete new one."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def save_csv(ds: Dataset, path) -> None:
    atomic_write(path, format_csv(ds).encode("utf-8"))
