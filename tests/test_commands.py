"""The headless commands: selftest and finalize, as a clinic's IT person would run them."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from app.cli.main import _parser, main, window_data_dir
from app.consult import draft
from app.consult.consent import Consent
from app.consult.demo import build_demo_consent
from tests import db_keys


def test_selftest_keep_leaves_database_and_pdf(tmp_path, capsys):
    assert main(["selftest", "--keep", str(tmp_path / "st")]) == 0
    out = capsys.readouterr().out
    assert "Self-test passed" in out
    with db_keys.open_store(tmp_path / "st" / "glabella.db") as store:
        [row] = store.list_consents()
        pdf = store.get_pdf(row["id"])
    assert hashlib.sha256(pdf).hexdigest() == row["pdf_sha256"]
    [exported] = (tmp_path / "st" / "exports").glob("selftest-*.pdf")
    assert exported.read_bytes() == pdf


def test_selftest_as_a_separate_process_in_a_temp_folder():
    result = subprocess.run([sys.executable, "-m", "app", "selftest"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Self-test passed" in result.stdout


def test_selftest_fails_loudly_on_an_unusable_data_folder(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["selftest", "--keep", str(blocker)]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_finalize_a_complete_draft(pack, clock, tmp_path, capsys, staff):
    consent = build_demo_consent(pack, clock)
    path = db_keys.sealed_draft(consent, tmp_path / "data", tmp_path)
    assert main(["finalize", *staff, str(path), "--data-dir", str(tmp_path / "data")]) == 0
    out = capsys.readouterr().out
    assert f"Finalized consent {consent.id}" in out
    with db_keys.open_store(tmp_path / "data" / "glabella.db") as store:
        row = store.get_consent(consent.id)
        assert row["status"] == "signed"
        assert row["patient_name"] == consent.patient.full_name
        assert len(store.acknowledgements(consent.id)) == len(consent.required_items(pack))
    assert f"SHA-256: {row['pdf_sha256']}" in out
    # the PDF stays in the encrypted record: no plain copy is left in the data folder
    assert not list((tmp_path / "data").rglob("*.pdf"))


def test_finalize_writes_a_plain_copy_only_where_asked(pack, clock, tmp_path, capsys, staff):
    consent = build_demo_consent(pack, clock)
    path = db_keys.sealed_draft(consent, tmp_path / "data", tmp_path)
    copy = tmp_path / "for-the-ehr.pdf"
    assert main(["finalize", *staff, str(path), "--out", str(copy),
                 "--data-dir", str(tmp_path / "data")]) == 0
    assert f"PDF: {copy}" in capsys.readouterr().out
    with db_keys.open_store(tmp_path / "data" / "glabella.db") as store:
        assert copy.read_bytes() == store.get_pdf(consent.id)
        [exported] = [e for e in store.audit_events() if e["event"] == "consent.exported"]
        assert exported["details"]["path"] == str(copy)


def test_finalize_says_exactly_what_is_missing(pack, clock, tmp_path, capsys, staff):
    consent = Consent.start(pack, clock)
    path = db_keys.sealed_draft(consent, tmp_path / "data", tmp_path)
    assert main(["finalize", *staff, str(path), "--data-dir", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert "Patient details are not complete" in err
    assert pack.screening[0].text in err
    assert "Patient signature is missing" in err
    with db_keys.open_store(tmp_path / "data" / "glabella.db") as store:
        assert store.list_consents() == []


def test_finalize_refuses_a_draft_made_with_other_wording(pack, clock, tmp_path, capsys, staff):
    consent = build_demo_consent(pack, clock)
    consent.content_hash = "0" * 64
    path = db_keys.sealed_draft(consent, tmp_path / "data", tmp_path)
    assert main(["finalize", *staff, str(path), "--data-dir", str(tmp_path / "data")]) == 1
    assert "review the current wording" in capsys.readouterr().err


def test_only_a_draft_glabella_sealed_for_this_clinic_is_finalized(pack, clock, tmp_path,
                                                                   capsys, staff):
    consent = build_demo_consent(pack, clock)
    data = tmp_path / "data"
    plain = tmp_path / "hand-made.json"  # complete and well-formed, but not sealed
    draft.save(consent, plain)
    assert main(["finalize", *staff, str(plain), "--data-dir", str(data)]) == 2
    assert "Only a draft that Glabella wrote for this clinic can be finalized" in \
        capsys.readouterr().err
    sealed = db_keys.sealed_draft(consent, data, tmp_path)
    assert consent.patient.full_name.encode() not in sealed.read_bytes()  # private too
    edited = bytearray(sealed.read_bytes())
    edited[-5] ^= 1
    (tmp_path / "edited.draft").write_bytes(bytes(edited))
    assert main(["finalize", *staff, str(tmp_path / "edited.draft"), "--data-dir",
                 str(data)]) == 2
    assert "it was changed after Glabella wrote it" in capsys.readouterr().err
    other = db_keys.sealed_draft(consent, tmp_path / "another-clinic", tmp_path / "x")
    assert main(["finalize", *staff, str(other), "--data-dir", str(data)]) == 2
    with db_keys.open_store(data / "glabella.db") as store:
        assert store.list_consents() == []
    assert main(["finalize", *staff, str(sealed), "--data-dir", str(data)]) == 0


def test_finalize_usage_errors(tmp_path, capsys, staff):
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    assert main(["finalize", *staff, str(bad), "--data-dir", str(tmp_path / "d")]) == 2
    assert "cannot read the draft" in capsys.readouterr().err


def test_a_corrupt_database_is_a_clear_message_not_a_crash(pack, clock, tmp_path, capsys, staff):
    data = tmp_path / "data"
    data.mkdir()
    (data / "glabella.db").write_bytes(b"this is not a database" * 100)
    path = tmp_path / "draft.json"
    draft.save(build_demo_consent(pack, clock), path)
    assert main(["finalize", *staff, str(path), "--data-dir", str(data)]) == 2
    assert "cannot be opened" in capsys.readouterr().err
    assert (data / "glabella.db").read_bytes().startswith(b"this is not")


def test_finalizing_a_stored_consult_again_changes_nothing(pack, clock, tmp_path, capsys, staff):
    consent = build_demo_consent(pack, clock)
    path = db_keys.sealed_draft(consent, tmp_path / "data", tmp_path)
    data = str(tmp_path / "data")
    assert main(["finalize", *staff, str(path), "--data-dir", data]) == 0
    capsys.readouterr()
    assert main(["finalize", *staff, str(path), "--data-dir", data]) == 1
    err = capsys.readouterr().err
    assert f"This consult is already stored as record {consent.id} (finalized " in err
    assert err.rstrip().endswith("); nothing was changed.")
    assert not (tmp_path / "data" / "drafts" / f"{consent.id}.draft").exists()
    with db_keys.open_store(tmp_path / "data" / "glabella.db") as store:
        assert [r["id"] for r in store.list_consents()] == [consent.id]


@pytest.mark.parametrize("argv", [[], ["--data-dir", "/tmp/x"], ["--data-dir=/tmp/x"],
                                  ["--data-dir", "Dossier Zoë 高橋"]])
def test_window_command_lines_skip_the_parser_and_agree_with_it(argv):
    window_only, folder = window_data_dir(argv)
    args = _parser().parse_args(argv)
    assert window_only and args.command is None
    assert folder == getattr(args, "data_dir", None)


@pytest.mark.parametrize("argv", [["doctor"], ["--data-dir", "x", "doctor"], ["--help"],
                                  ["--version"], ["--data-dir"], ["--data-dir", "-x"],
                                  ["--data-dir="], ["bogus"], ["--data-dir", "a", "b"]])
def test_every_other_command_line_goes_to_the_parser(argv):
    assert window_data_dir(argv) == (False, None)
