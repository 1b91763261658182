"""The ``dlnotes`` command line.

``dlnotes info`` reports the versions and the device the book's cells will use, which is the first thing to
check when a notebook behaves differently on your machine. Later chapters add subcommands here (``quiz``,
``anki``): each is a function that fills its own ``argparse`` sub-parser and sets ``func``.
"""

from __future__ import annotations

import argparse
import platform
import sys
from collections.abc import Sequence

import dlnotes

__all__ = ["build_parser", "main"]


def _info(args: argparse.Namespace) -> int:
    import numpy as np
    import torch

    device = dlnotes.get_device()
    lines = {
        "dlnotes": dlnotes.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "cuda available": str(torch.cuda.is_available()),
        "device": str(device),
    }
    if device.type == "cuda":
        lines["gpu"] = torch.cuda.get_device_name(device)
    width = max(map(len, lines))
    for key, value in lines.items():
        print(f"{key:<{width}}  {value}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``dlnotes`` command with all its subcommands.

    Examples
    --------
    >>> build_parser().parse_args(["info"]).command
    'info'
    """
    parser = argparse.ArgumentParser(
        prog="dlnotes", description="Companion tools for the dlnotes deep-learning interview book."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {dlnotes.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    info = sub.add_parser("info", help="show versions and the device the notebooks will use")
    info.set_defaults(func=_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dlnotes`` command and return its exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        0 on success, 2 when no subcommand was given (the usage is printed to standard error).

    Examples
    --------
    >>> main(["info"])  # doctest: +ELLIPSIS
    dlnotes ...
    0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_usage(sys.stderr)
        return 2
    try:
        return args.func(args)
    except (ValueError, RuntimeError) as err:  # e.g. a bad DLNOTES_DEVICE: say why, no traceback
        print(f"dlnotes: error: {err}", file=sys.stderr)
        return 1
