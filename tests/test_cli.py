"""The `dlnotes` command: `info`, `--version`, usage errors, and the installed console script."""

import os
import pathlib
import subprocess
import sys

import pytest

import dlnotes
from dlnotes.cli import main
from dlnotes.utils import DEVICE_ENV_VAR


def test_info_reports_versions_and_device(capsys, monkeypatch):
    monkeypatch.setenv(DEVICE_ENV_VAR, "cpu")
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert f"dlnotes         {dlnotes.__version__}" in out
    assert "device          cpu" in out


def test_no_command_prints_usage_and_returns_2(capsys):
    assert main([]) == 2
    assert "usage: dlnotes" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"dlnotes {dlnotes.__version__}"


def test_bad_device_is_a_clean_error(capsys, monkeypatch):
    monkeypatch.setenv(DEVICE_ENV_VAR, "tpu")
    assert main(["info"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dlnotes: error: DLNOTES_DEVICE must be") and "Traceback" not in err


def test_unknown_command_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["nope"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    "command",
    [[str(pathlib.Path(sys.executable).with_name("dlnotes")), "info"], [sys.executable, "-m", "dlnotes", "info"]],
    ids=["console-script", "python-m"],
)
def test_installed_entry_points(command):
    env = {**os.environ, DEVICE_ENV_VAR: "cpu"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "device" in done.stdout and "cpu" in done.stdout
