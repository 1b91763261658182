"""The chapters' time budget, read from myst-nb's execution records (dlnotes.drill.execution)."""

import json
from types import SimpleNamespace

import pytest

from dlnotes.drill import execution


def _env(**runtimes):
    return SimpleNamespace(nb_metadata={name: {"exec_data": {"runtime": t}} for name, t in runtimes.items()})


def test_times_come_from_the_records():
    env = _env(a=1.0, b=70.5)
    env.nb_metadata["prose"] = {}  # a page without code: no record
    env.nb_metadata["failed"] = {"exec_data": {"runtime": None}}
    assert execution.execution_times(env) == {"a": 1.0, "b": 70.5}


@pytest.mark.parametrize(("runtime", "warned"), [(59.9, False), (60.0, False), (60.1, True)])
def test_a_chapter_over_the_budget_is_a_warning(runtime, warned, monkeypatch):
    calls = []
    monkeypatch.setattr(execution._logger, "warning", lambda msg, **kw: calls.append((msg, kw)))
    app = SimpleNamespace(config=SimpleNamespace(**{execution.BUDGET_CONFIG: 60}))
    execution.check_budget(app, _env(**{"part/chapter": runtime}))
    assert bool(calls) == warned
    if warned:
        msg, kw = calls[0]
        assert "part/chapter took 60.1 s, over the 60 s budget" in msg
        assert kw["location"] == "part/chapter"
        assert (kw["type"], kw["subtype"]) == ("dlnotes", "budget")


def test_times_are_written_slowest_first(tmp_path):
    app = SimpleNamespace(env=_env(a=1.0, b=3.0, c=2.0), doctreedir=str(tmp_path / ".doctrees"))
    execution.write_times(app, None)
    data = json.loads((tmp_path / "execution-times.json").read_text())
    assert list(data["seconds"]) == ["b", "c", "a"]
    assert data["total"] == pytest.approx(6.0)
    execution.write_times(SimpleNamespace(env=_env(), doctreedir=str(tmp_path / "x" / "d")), None)
    assert not (tmp_path / "x").exists()


def test_the_extension_registers_the_budget():
    registered, connected = {}, []
    app = SimpleNamespace(
        add_config_value=lambda name, default, rebuild, types: registered.update({name: default}),
        connect=lambda event, handler: connected.append(event),
    )
    execution.setup(app)
    assert registered == {execution.BUDGET_CONFIG: execution.DEFAULT_BUDGET_S}
    assert set(connected) == {"env-check-consistency", "build-finished"}
