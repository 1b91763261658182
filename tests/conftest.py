"""Shared pytest configuration. The devices and the comparison helpers are in tests/helpers.py."""

from tests.helpers import DEVICES


def pytest_report_header(config):
    """Say which devices the device-parametrized tests run on (the cuda ones exist only with a GPU)."""
    return f"dlnotes test devices: {', '.join(DEVICES)}"
