"""Shared pytest configuration. The devices and the comparison helpers are in tests/helpers.py."""

from tests.helpers import DEVICES


def pytest_report_header(config):
    """Say which devices the device-parametrized tests run on (the cuda ones exist only with a GPU)."""
    return f"dlnotes test devices: {', '.join(DEVICES)}"


def pytest_terminal_summary(terminalreporter):
    """Print each chapter's visible reading time when tests/test_book.py measured it (longest first)."""
    rows = []
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        props = dict(report.user_properties)
        if report.when == "call" and "reading_minutes" in props:
            chapter = report.nodeid.rsplit("[", 1)[-1].rstrip("]")
            rows.append((props["reading_minutes"], props["collapsed_minutes"], chapter))
    if rows:
        terminalreporter.section("visible reading time per chapter (minutes; collapsed parts beside)")
        for minutes, collapsed, chapter in sorted(rows, reverse=True):
            terminalreporter.write_line(f"{minutes:5.1f}  (+{collapsed:4.1f} collapsed)  {chapter}")
