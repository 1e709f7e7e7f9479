"""A bug in specfirst is one line on stderr (type and place, never the message) and exit 3, not a traceback."""

from __future__ import annotations

import pytest

from specfirst import cli
from specfirst.errors import ExitCode

SECRET = "sk_live_should_never_be_printed"


def _broken(args, settings):
    raise KeyError(SECRET)


def test_an_unexpected_exception_is_one_line_naming_its_type_and_place(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(cli, "cmd_validate", _broken)
    monkeypatch.delenv("SPECFIRST_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    code = cli.main(["validate", "any.yaml"])
    err = capsys.readouterr().err
    assert code == ExitCode.INTERNAL == 3
    assert err.count("\n") == 1, err
    assert err.startswith("specfirst: internal error: KeyError")
    assert SECRET not in err and "Traceback" not in err


def test_specfirst_debug_shows_the_traceback(monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "cmd_validate", _broken)
    monkeypatch.setenv("SPECFIRST_DEBUG", "1")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(KeyError):
        cli.main(["validate", "any.yaml"])
