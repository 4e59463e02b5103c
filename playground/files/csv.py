"""CSV files with the header ``x,y,label`` (classes), or ``x,y,value`` (values: a regression).

Loading is strict and says where a problem is: every ``DatasetError`` names the file and the line.
Label conventions: labels that are already class indices (smallest 0, largest below 8) are kept; any other
whole-number labels, e.g. ``1, 2`` or TensorFlow Playground's ``-1, 1``, are mapped to ``0..k-1`` in
sorted order and the mapping is reported in ``CsvLoad.label_mapping``. Negative labels other than that
``-1, 1`` convention are an error. A ``value`` column instead of ``label`` holds any finite numbers, kept
as they are: the dataset is then a regression (``Dataset.is_regression``).

Reading refuses what is not a regular file and never reads more than ``MAX_BYTES``; the number of points
is bounded by ``LIMITS.points``, the same table the window and the session reader use. Messages quote at
most a few dozen characters of a cell. Writing is atomic (see ``atomic.atomic_write``).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import numpy as np

from ..data.dataset import MAX_CLASSES, Dataset, DatasetError
from ..training.config import LIMITS
from .atomic import atomic_write, quote, read_bytes_limited

MAX_BYTES = 256 * 1024 * 1024
MAX_LABEL = 10**9  # labels are mapped to 0..k-1; anything this large is a mistake (and overflows int64)


@dataclass(frozen=True)
class CsvLoad:
    dataset: Dataset
    label_mapping: dict[int, int] | None  # original label -> class index, when they differ
    rows: int


def load_csv(path) -> Dataset:
    return read_csv(path).dataset


def read_csv(path) -> CsvLoad:
    return parse_csv(read_bytes_limited(path, MAX_BYTES, DatasetError), str(path))


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
        regression = "value" in header and "label" not in header
        target = "value" if regression else "label"
        if "value" in header and "label" in header:
            raise DatasetError(
                f"{name}, line {header_line}: both a 'label' and a 'value' column; expected 'x,y,label' "
                "(classes) or 'x,y,value' (values)"
            )
        missing = [c for c in ("x", "y", target) if c not in header]
        if missing:
            raise DatasetError(
                f"{name}, line {header_line}: the header lacks column {', '.join(repr(m) for m in missing)}; "
                f"expected 'x,y,{target}'" + ("" if regression else " (or 'x,y,value' for values)")
            )
        ix, iy, il = header.index("x"), header.index("y"), header.index(target)
        need = max(ix, iy, il) + 1
        max_rows = int(LIMITS.points.high)
        xs: list[float] = []
        ys: list[float] = []
        labels: list = []
        lines: list[int] = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(xs) >= max_rows:
                raise DatasetError(f"{name}, line {line}: more than {max_rows:,} rows")
            if len(row) < need:
                raise DatasetError(f"{name}, line {line}: {len(row)} columns, expected at least {need}")
            xs.append(_number(row[ix], "x", name, line))
            ys.append(_number(row[iy], "y", name, line))
            labels.append(_number(row[il], "value", name, line) if regression else _label(row[il], name, line))
            lines.append(line)
    except csv.Error as exc:
        raise DatasetError(f"{name}, line {reader.line_num}: {exc}") from None
    X = np.column_stack([np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64)])
    if regression:
        return CsvLoad(Dataset(X.reshape(-1, 2), np.array(labels, dtype=np.float64), regression=True), None, len(xs))
    raw_labels = np.array(labels, dtype=np.int64)
    y, mapping = _map_labels(raw_labels, np.array(lines, dtype=np.int64), name)
    return CsvLoad(Dataset(X.reshape(-1, 2), y), mapping, len(xs))


def _number(cell: str, column: str, name: str, line: int) -> float:
    what = "value" if column == "value" else f"{column} value"
    try:
        value = float(cell)
    except ValueError:
        raise DatasetError(f"{name}, line {line}: {what} {quote(cell.strip())} is not a number") from None
    if not np.isfinite(value):
        raise DatasetError(f"{name}, line {line}: {what} {quote(cell.strip())} is not a finite number")
    return value


def _label(cell: str, name: str, line: int) -> int:
    text = cell.strip()
    value: float
    try:
        value = int(text)
    except ValueError:  # also for more than 4,300 digits: float() then gives inf
        try:
            value = float(text)
        except ValueError:
            value = math.nan
    if not math.isfinite(value) or value != int(value):
        raise DatasetError(f"{name}, line {line}: label {quote(text)} is not a whole number")
    if abs(value) > MAX_LABEL:
        raise DatasetError(
            f"{name}, line {line}: label {quote(text)} is out of range; labels are class numbers 0..{MAX_CLASSES - 1}"
        )
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
    """``x,y,label`` lines, or ``x,y,value`` for a regression (values written to read back exactly)."""
    lines = ["x,y,value" if ds.is_regression else "x,y,label"]
    lines.extend(
        f"{x!r},{y!r},{label!r}" for x, y, label in zip(ds.X[:, 0].tolist(), ds.X[:, 1].tolist(), ds.y.tolist())
    )
    return "\n".join(lines) + "\n"


def save_csv(ds: Dataset, path) -> None:
    atomic_write(path, format_csv(ds).encode("utf-8"))
