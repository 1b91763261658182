"""dlnotes: reference implementations behind the dlnotes interview book.

Each module mirrors a library that readers already use (``torch.optim``, ``torch.nn.functional``,
``sklearn.metrics`` ...) and is tested against it; the chapters import it, show its source and check it again.
"""

from importlib.metadata import PackageNotFoundError, version

from dlnotes.utils import get_device, set_seed

__all__ = ["__version__", "get_device", "set_seed"]

try:
    __version__ = version("dlnotes")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
