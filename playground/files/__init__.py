"""Files: atomic writes and bounded reads, CSV datasets, session files, model export (.npz) and code export
(runnable NumPy or PyTorch scripts). One schema per persisted thing, written and read in one place. Pure
Python + NumPy, no Qt.

Layering: ``files`` may import ``training``, ``nn`` and ``data``; none of those imports ``files`` (except
``playground.data``'s lazy re-export of the CSV functions, which keeps the public contract).
"""

from .atomic import atomic_write, describe_os_error, quote, read_bytes_limited
from .code_export import ExportedModel, export_script, numpy_script, torch_script
from .csv import CsvLoad, format_csv, load_csv, parse_csv, read_csv, save_csv
from .model_export import export_npz, npz_bytes, output_kind
from .session import Session, SessionError, dumps, load_session, loads, save_session

__all__ = [
    "CsvLoad",
    "ExportedModel",
    "Session",
    "SessionError",
    "atomic_write",
    "describe_os_error",
    "dumps",
    "export_npz",
    "export_script",
    "format_csv",
    "load_csv",
    "load_session",
    "loads",
    "npz_bytes",
    "numpy_script",
    "output_kind",
    "parse_csv",
    "quote",
    "read_bytes_limited",
    "read_csv",
    "save_csv",
    "save_session",
    "torch_script",
]
