"""``glabella records search|list``: what a receptionist types and sees."""

from __future__ import annotations

from app.cli.main import main


def test_search_by_folded_partial_name(certified, capsys, staff):
    data = str(certified.data_dir)
    assert main(["records", "search", *staff, "nunez", "--data-dir", data]) == 0
    out = capsys.readouterr().out
    assert "1 patient matches 'nunez':" in out
    assert "Zoë Ñúñez-Łukasz  born 1988-04-17  1 consent, last 2026-11-23" in out


def test_search_by_date_of_birth(certified, capsys, staff):
    data = str(certified.data_dir)
    assert main(["records", "search", *staff, "--dob", "1988-04-17", "--data-dir", data]) == 0
    assert "Zoë Ñúñez-Łukasz" in capsys.readouterr().out
    assert main(["records", "search", *staff, "lukasz", "--dob", "1990-01-01",
                 "--data-dir", data]) == 1
    assert "No patient matches 'lukasz born 1990-01-01'." in capsys.readouterr().out


def test_search_refuses_an_ambiguous_date(certified, capsys, staff):
    assert main(["records", "search", *staff, "--dob", "04/05/1988",
                 "--data-dir", str(certified.data_dir)]) == 2
    assert "Type the date of birth as YYYY-MM-DD" in capsys.readouterr().err


def test_list_with_filters(certified, capsys, staff):
    data = str(certified.data_dir)
    assert main(["records", "list", *staff, "--injector", "WHITFIELD", "--from", "2026-11-23",
                 "--to", "2026-11-23", "--data-dir", data]) == 0
    out = capsys.readouterr().out
    assert certified.consent_id in out
    assert "signed" in out and "by Dana Whitfield" in out
    assert out.rstrip().endswith("1 consent.")
    assert main(["records", "list", *staff, "--from", "2026-11-24", "--data-dir", data]) == 0
    assert "No consent matches." in capsys.readouterr().out
    assert main(["records", "list", *staff, "--from", "23/11/2026", "--data-dir", data]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_records_commands_never_create_a_database(tmp_path, capsys, staff):
    assert main(["records", "search", *staff, "x", "--data-dir", str(tmp_path)]) == 2
    assert "there is no clinic database" in capsys.readouterr().err
    assert not (tmp_path / "glabella.db").exists()
