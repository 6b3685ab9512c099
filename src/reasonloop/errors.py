"""Errors that mean the user must fix something; the CLI prints them without a traceback."""

from __future__ import annotations


class ReasonloopError(Exception):
    """Base class: the message names the problem and the fix."""


class ConfigError(ReasonloopError):
    """A config file or option is wrong (unknown key, bad value)."""


class DataError(ReasonloopError):
    """A problem source is wrong (missing file, missing field, empty gold)."""


class EmptyDatasetError(DataError):
    """The samples hold no row of the dataset asked for (the message says why)."""


class RunDirError(ReasonloopError):
    """A run directory belongs to a different configuration, or is damaged."""
