"""Counter application of a telecom business hall (营业厅柜台受理系统)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hall-counter")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.1.0"
