"""The default content pack loads, and broken packs are refused with a precise message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.base.paths import default_content_dir
from app.consult.content import ContentError, load_pack


def copy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(default_content_dir(), target)
    return target


def test_default_pack_has_what_the_consult_needs(pack):
    assert len(pack.faqs) >= 15
    assert pack.faqs[0].id == "faq.try-once" and pack.faqs[1].id == "faq.permanent"
    assert [g.title for g in pack.risk_groups][:1] == ["Common and short-lived"]
    boxed = pack.boxed_warning.text.lower()
    for sign in ("swallow", "breath", "blurred", "double vision", "death", "months"):
        assert sign in boxed, sign
    assert pack.boxed_warning.id not in {r.id for r in pack.risks}  # set apart, not a risk
    assert pack.medication_guide is not None and pack.info.format == 2
    assert {q.kind for q in pack.screening} == {"hard_stop", "flag"}
    assert {p.name for p in pack.products} >= {"Botox Cosmetic", "Dysport", "Xeomin",
                                               "Jeuveau", "Daxxify", "Letybo"}
    assert all(p.approvals_for("area.glabellar") for p in pack.products)
    assert all(p.label_revision and p.label_checked_on and p.duration and p.ingredients
               for p in pack.products)
    assert pack.role("patient").required and pack.role("injector").required
    assert pack.alternatives and pack.aftercare and pack.urgent and pack.attestations
    assert len(pack.hash) == 64


def test_hash_ignores_line_endings_but_not_wording(tmp_path, pack):
    folder = copy_pack(tmp_path)
    faq = folder / "faq.toml"
    faq.write_bytes(faq.read_bytes().replace(b"\n", b"\r\n"))
    assert load_pack(folder).hash == pack.hash
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text.replace("Very unlikely. One", "Very unlikely, one", 1), encoding="utf-8")
    assert load_pack(folder).hash != pack.hash


@pytest.mark.parametrize(
    ("file", "edit", "item", "problem"),
    [
        ("faq.toml", ('question = "Is there a permanent Botox?"', ""), "faq.permanent",
         "field 'question' is missing"),
        ("risks.toml", ('source = "label"', 'source = "blog"'), None, "source must be one of"),
        ("screening.toml", ("kind = \"flag\"\nguidance", "kind = \"maybe\"\nguidance"), None,
         "kind must be"),
        ("faq.toml", ('category = "category.results"', 'category = "category.nope"'), None,
         "category 'category.nope' is not defined"),
        ("faq.toml", ('id = "faq.permanent"', 'id = "faq.try-once"'), "faq.try-once",
         "already used"),
        ("faq.toml", ('id = "faq.permanent"', 'id = "FAQ Permanent"'), "FAQ Permanent",
         "the id may use only"),
        ("pack.toml", ("[pack]", "[pack]\nsurprise = 1"), None, "unknown field 'surprise'"),
    ],
)
def test_broken_pack_is_refused_naming_file_item_and_problem(tmp_path, file, edit, item,
                                                             problem):
    folder = copy_pack(tmp_path)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text, "the test's edit must apply"
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_pack(folder)
    assert caught.value.file == file
    assert problem in caught.value.problem
    if item:
        assert caught.value.item == item
    assert file in str(caught.value)


def test_invalid_toml_missing_file_and_bad_encoding(tmp_path):
    folder = copy_pack(tmp_path)
    (folder / "risks.toml").write_text("[[risk]\nid = ", encoding="utf-8")
    with pytest.raises(ContentError, match=r"risks\.toml.*not valid TOML"):
        load_pack(folder)
    shutil.copy(default_content_dir() / "risks.toml", folder / "risks.toml")
    (folder / "aftercare.toml").unlink()
    with pytest.raises(ContentError, match=r"aftercare\.toml.*missing"):
        load_pack(folder)
    shutil.copy(default_content_dir() / "aftercare.toml", folder / "aftercare.toml")
    (folder / "expectations.toml").write_bytes(b"\xff\xfe title")
    with pytest.raises(ContentError, match="not UTF-8"):
        load_pack(folder)
    with pytest.raises(ContentError, match="does not exist"):
        load_pack(tmp_path / "nowhere")


def test_snapshot_round_trip_rebuilds_the_same_pack(pack):
    import json

    from app.consult.content import pack_from_snapshot

    again = pack_from_snapshot(json.loads(pack.snapshot_json()))
    assert again.hash == pack.hash
    assert again.risks == pack.risks
