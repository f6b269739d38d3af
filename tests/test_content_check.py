"""``glabella content check``: the default pack passes offline; broken packs are named."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.main import main
from app.consult.content.quality import check_pack, patient_texts
from app.consult.content.readability import MAX_GRADE, grade
from tests.test_content import copy_pack

ROOT = Path(__file__).resolve().parents[1]
# Sockets refused before anything is imported: textstat must never reach NLTK's downloader.
NO_NETWORK = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network disabled for this test")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from app.cli.main import main
sys.exit(main(["content", "check", *sys.argv[1:]]))
"""


def run_offline(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home), "NLTK_DATA": str(home / "nltk_data"),
           "APPDATA": str(home)}
    return subprocess.run([sys.executable, "-c", NO_NETWORK, *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=300)


def test_the_default_pack_passes_with_the_network_unavailable(tmp_path):
    result = run_offline(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ready" in result.stdout and "grade 8 or below" in result.stdout
    assert not (tmp_path / "home" / "nltk_data").exists()  # nothing was downloaded


def test_every_patient_text_of_the_default_pack_is_at_grade_8_or_below(pack):
    grades = {(t.file, t.item, t.field): grade(t.text) for t in patient_texts(pack)}
    assert len(grades) > 100
    too_hard = {k: g for k, g in grades.items() if g > MAX_GRADE}
    assert too_hard == {}


def test_grades_are_textstats_flesch_kincaid():
    assert grade("The cat sat on the mat. It was happy there.") < 2
    assert grade("Pre-existing respiratory compromise may increase the consequences of "
                 "distant spread of toxin effect.") > 12


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, "the test's edit must apply"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


HARD = ("Notwithstanding contemporaneous pharmacological considerations, practitioners "
        "administering neuromodulatory interventions must comprehensively evaluate "
        "individualised contraindications and potential systemic complications.")


def test_a_hard_text_is_reported_with_file_id_field_and_grade(tmp_path, capsys):
    folder = copy_pack(tmp_path)
    edit(folder, "attestations.toml", 'id = "attest.age-18"\ntext = "',
         f'id = "attest.age-18"\ntext = "{HARD} ')
    assert main(["content", "check", str(folder)]) == 1
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if "attest.age-18" in x)
    assert line.startswith("attestations.toml, attest.age-18: 'text' reads at grade ")
    assert float(line.split("grade ")[1].split(",")[0]) > MAX_GRADE
    assert "1 problem in the content pack" in err


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("products.toml", 'area = "area.forehead"\nwith = ["area.glabellar"]',
         'area = "area.forehead"\nwith = ["area.nowhere"]',
         "products.toml, product.botox-cosmetic: area 'area.nowhere' is not defined"),
        ("products.toml", "under_age = 65", "under_age = 12",
         "has under_age 12, not above min_age 18"),
        ("products.toml", 'label_checked_on = "', 'label_checked_on = "2999-01-01"\nx = "',
         "unknown field 'x'"),
        ("risks.toml", 'id = "risk.spread"', 'id = "risk.spread"\nsurprise = 1',
         "risks.toml, risk.spread: unknown field 'surprise'"),
        ("risks.toml", "[boxed_warning]", "[not_boxed]", "it needs a [boxed_warning] table"),
        ("faq.toml", 'source = "seed"', 'source = "forum"', "source must be one of"),
    ],
)
def test_broken_packs_fail_the_check_naming_the_problem(tmp_path, capsys, file, old, new,
                                                        expected):
    folder = copy_pack(tmp_path)
    edit(folder, file, old, new)
    assert main(["content", "check", str(folder)]) == 1
    assert expected in capsys.readouterr().err


def test_a_label_check_in_the_future_is_a_problem(tmp_path):
    folder = copy_pack(tmp_path)
    path = folder / "products.toml"
    text = path.read_text(encoding="utf-8")
    dated = text.split('label_checked_on = "', 1)[1].split('"', 1)[0]
    path.write_text(text.replace(f'label_checked_on = "{dated}"',
                                 'label_checked_on = "2999-01-01"', 1), encoding="utf-8")
    problems = check_pack(folder)
    assert [p.line() for p in problems] == [
        "products.toml, product.botox-cosmetic: label_checked_on 2999-01-01 is in the future"]


def test_a_missing_boxed_warning_or_product_fact_is_refused(tmp_path):
    folder = copy_pack(tmp_path)
    path = folder / "products.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("duration = ", "# duration = ", 1), encoding="utf-8")
    problems = check_pack(folder)
    assert len(problems) == 1 and "field 'duration' is missing" in problems[0].problem
