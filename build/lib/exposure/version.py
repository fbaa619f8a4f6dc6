"""The tool's name and version, recorded in every case and report."""

from importlib.metadata import PackageNotFoundError, version

TOOL_NAME = "exposure"
try:
    TOOL_VERSION = version("exposure")
except PackageNotFoundError:  # running from a source tree without installation
    TOOL_VERSION = "0+unknown"
