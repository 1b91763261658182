"""dlnotes: reference implementations behind the dlnotes interview book.

Each module mirrors a library that readers already use (``torch.optim``, ``torch.nn.functional``,
``sklearn.metrics`` ...) and is tested against it; the chapters import it, show its source and check it again.
"""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__", "get_device", "set_seed"]

try:
    __version__ = version("dlnotes")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"


def __getattr__(name: str):
    # get_device and set_seed need torch: imported on first use, so that `dlnotes --help` starts at once.
    if name in ("get_device", "set_seed"):
        from dlnotes import utils

        return getattr(utils, name)
    raise AttributeError(f"module 'dlnotes' has no attribute {name!r}")
