"""Every input is accounted for: each kind of bad input becomes a document or a reject with a reason."""

from __future__ import annotations

import codecs
import io
import json
import os
import tarfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from pipeline.runner import RunOptions, run
from pipeline.settings import Settings

GERMAN = "Die Polizei Berlin meldet am Montag einen Einsatz in Neukölln. Der Mann wurde festgenommen und die Ermittlungen dauern an."


def _zip(members: dict[str, bytes], strict=True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def build_inputs(root: Path) -> dict[str, tuple[int, str | None]]:
    """Write one file per kind; returns name -> (inputs it holds, expected reject reason or None)."""
    kinds: dict[str, tuple[int, str | None]] = {}

    def put(name: str, data: bytes, inputs: int = 1, reason: str | None = None) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        kinds[name] = (inputs, reason)

    put("01_empty.txt", b"", reason="empty file")
    put("02_whitespace.txt", b"   \n\t\n  ", reason="empty text")
    put("03_binary.txt", bytes(range(256)) * 20, reason="not text")
    put("04_pdf_renamed.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", reason="not text")
    put("05_invalid_utf8.txt", GERMAN.encode() + b" \xff\xfe kaputt " + "Straße".encode())
    put("06_cp1252.txt", "Die Straße in Köln war gesperrt – sagte die Polizei „gestern“.".encode("cp1252"))
    put("07_utf16_bom.txt", codecs.BOM_UTF16_LE + GERMAN.encode("utf-16-le"))
    put("08_utf8_bom.txt", codecs.BOM_UTF8 + GERMAN.encode())
    put("09_latin1.txt", "Müller und Söhne aus München grüßen die Bürger.".encode("latin-1"))
    put("10_big.txt", (GERMAN + "\n").encode() * (52_000_000 // len(GERMAN)), reason="file too large")
    put("11_one_mb_line.txt", (GERMAN.replace(".", ",") + " ").encode() * (1_000_000 // (len(GERMAN) + 2)))
    put("12_no_body.html", b"<html><head><title>Leer</title></head></html>", reason="no main text in HTML")
    lines = [
        json.dumps({"id": "a", "text": GERMAN}),
        "{kaputt",
        json.dumps({"id": "b", "text": "Zweite Meldung aus Köln."}),
    ]
    put("13_jsonl_bad_line.jsonl", "\n".join(lines).encode(), inputs=3)
    put("14_csv_no_text.csv", b"title,date\nA,01.02.2020\n", reason="CSV has no text column")
    csv_rows = 'title,date,text\n"Mit ""Zitat""",02.02.2025 13:09 Uhr,"Erste Zeile\nzweite Zeile, mit Komma"\nB,03.02.2025,"Noch ein Text aus Berlin"\n'
    put("15_csv_multiline.csv", csv_rows.encode(), inputs=2)
    put("16_zip_slip.zip", _zip({"../evil.txt": b"boese", "gut.txt": GERMAN.encode()}, strict=True), inputs=2)
    put("17_zip_bomb.zip", _zip({"bomb.txt": b"0" * 30_000_000}, strict=True), reason="archive member too large")
    put("18_nested.zip", _zip({"inner.zip": _zip({"tief.txt": GERMAN.encode()}, strict=True)}))
    put("19_broken.docx", b"PK\x03\x04 not really", reason="broken document")
    put("19_unsupported.doc", b"\xd0\xcf\x11\xe0 old Word", reason="unsupported file type")
    put("20_not_object.json", b"42", reason="not a JSON object")
    put("21_text_not_string.json", json.dumps({"text": 12}).encode(), reason="text field is not a string")
    put("22_english.txt", b"The police reported on Monday that the man was arrested and the investigation is ongoing.")
    put("23_control_chars.txt", ("Polizei\x00 meldet\x07 einen\x1b Einsatz in Berlin. " + GERMAN).encode())
    put("24_long_entity.txt", ("Die Firma " + "Großunternehmens" * 4000 + " GmbH meldet Gewinne.").encode())
    put("25_broken.zip", _zip({"a.txt": GERMAN.encode()}, strict=True)[:40], reason="broken archive")
    put("26_duplicate_a/meldung.txt", GERMAN.encode())
    put("26_duplicate_b/meldung.txt", GERMAN.encode(), reason="duplicate document")
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w:gz") as archive:
        for name, data in (("/etc/abs.txt", b"absolut"), ("ok/meldung.txt", "Köln meldet Regen.".encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    put("27_abs_member.tar.gz", tar_buffer.getvalue(), inputs=2)
    put("28_empty_text.jsonl", json.dumps({"text": "   "}).encode(), reason="empty text")
    put(
        "29_nav.html",
        b"<html><body><nav>Startseite | Impressum</nav><article><h1>Titel</h1><p>"
        + GERMAN.encode()
        + b"</p></article></body></html>",
    )
    os.symlink("30_loop.txt", root / "30_loop.txt")
    kinds["30_loop.txt"] = (1, "unreadable file")
    os.symlink(root / "missing-target.txt", root / "31_dangling.txt")
    kinds["31_dangling.txt"] = (1, "unreadable file")
    return kinds


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory, blank_model):
    root = tmp_path_factory.mktemp("bad")
    inputs = root / "in"
    inputs.mkdir()
    kinds = build_inputs(inputs)
    out = root / "out"
    settings = Settings.from_config(model=str(blank_model))
    stats = run(settings, RunOptions([str(inputs)], out, {"parquet"}))
    documents = pd.read_parquet(out / "documents.parquet")
    rejects = pd.read_parquet(out / "rejects.parquet")
    return kinds, stats, documents, rejects, inputs


def test_at_least_25_kinds(bad_run):
    kinds, *_ = bad_run
    assert len(kinds) >= 25


def test_every_input_is_a_document_or_a_reject(bad_run):
    kinds, stats, documents, rejects, _ = bad_run
    expected_inputs = sum(n for n, _ in kinds.values())
    assert len(documents) + len(rejects) == expected_inputs == stats.inputs


@pytest.mark.parametrize("name", [
    "01_empty.txt", "02_whitespace.txt", "03_binary.txt", "04_pdf_renamed.txt", "10_big.txt", "12_no_body.html",
    "14_csv_no_text.csv", "17_zip_bomb.zip", "19_broken.docx", "19_unsupported.doc", "20_not_object.json", "21_text_not_string.json",
    "25_broken.zip", "26_duplicate_b/meldung.txt", "28_empty_text.jsonl", "30_loop.txt", "31_dangling.txt",
])  # fmt: skip
def test_rejected_with_reason(bad_run, name):
    kinds, _, _, rejects, _ = bad_run
    reason = kinds[name][1]
    rows = rejects[rejects["source"].str.startswith(name)]
    assert reason in set(rows["reason"]), rows.to_dict("records")
    assert rows["detail"].str.len().min() > 0


@pytest.mark.parametrize("name", [
    "05_invalid_utf8.txt", "06_cp1252.txt", "07_utf16_bom.txt", "08_utf8_bom.txt", "09_latin1.txt",
    "11_one_mb_line.txt", "22_english.txt", "23_control_chars.txt", "24_long_entity.txt", "29_nav.html",
    "26_duplicate_a/meldung.txt",
])  # fmt: skip
def test_processed(bad_run, name):
    _, _, documents, _, _ = bad_run
    assert (documents["source"] == name).sum() == 1


def test_encodings_decoded(bad_run):
    _, _, documents, _, _ = bad_run
    titles = dict(zip(documents["source"], documents["title"], strict=True))
    assert "Straße in Köln" in titles["06_cp1252.txt"]
    assert titles["09_latin1.txt"].startswith("Müller und Söhne aus München")
    assert titles["07_utf16_bom.txt"].startswith("Die Polizei Berlin")
    assert not titles["08_utf8_bom.txt"].startswith("\ufeff")


def test_archives_and_rows(bad_run):
    _, _, documents, rejects, _ = bad_run
    sources = set(documents["source"])
    assert "16_zip_slip.zip!gut.txt" in sources
    assert "18_nested.zip!inner.zip!tief.txt" in sources
    assert "27_abs_member.tar.gz!ok/meldung.txt" in sources
    escaped = rejects[rejects["reason"] == "member path escapes the archive"]
    assert len(escaped) == 2
    assert sum(s.startswith("15_csv_multiline.csv") for s in sources) == 2
    jsonl = rejects[rejects["source"] == "13_jsonl_bad_line.jsonl:line 2"]
    assert list(jsonl["reason"]) == ["malformed JSON line"]


def test_language_flag(bad_run):
    _, _, documents, _, _ = bad_run
    row = documents[documents["source"] == "22_english.txt"].iloc[0]
    assert row["language"] == "en"
    assert row["status"] == "not_german"
    german = documents[documents["source"] == "08_utf8_bom.txt"].iloc[0]
    assert (german["language"], german["status"]) == ("de", "ok")


def test_csv_published_from_date_column(bad_run):
    _, _, documents, _, _ = bad_run
    rows = documents[documents["source"].str.startswith("15_csv_multiline.csv")]
    assert sorted(str(d) for d in rows["published"]) == ["2025-02-02", "2025-02-03"]


FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Presse</title>
<item><title>Neue Förderung in Bruchsal</title><link>https://example.org/1</link>
<pubDate>Fri, 13 Dec 2019 10:00:00 +0100</pubDate>
<description><![CDATA[<p>Stefan Huber vom DIZ stellte am 9. Dezember in Bruchsal das Programm vor.</p>]]></description></item>
<item><title>Leer</title><link>https://example.org/2</link></item>
</channel></rss>"""
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<lolz>&lol3;</lolz>"""


def test_xml_feeds_with_defusedxml(tmp_path):
    from pipeline.ingest import Document, IngestOptions, iter_items

    (tmp_path / "feed.rss").write_text(FEED, encoding="utf-8")
    (tmp_path / "bomb.xml").write_text(BILLION_LAUGHS, encoding="utf-8")
    items = list(iter_items([str(tmp_path)], IngestOptions()))
    documents = [i for i in items if isinstance(i, Document)]
    rejects = {i.reason for i in items if not isinstance(i, Document)}
    assert len(documents) == 1
    assert documents[0].title == "Neue Förderung in Bruchsal"
    assert str(documents[0].published) == "2019-12-13"
    assert documents[0].text.startswith("Stefan Huber vom DIZ")
    assert rejects == {"feed item without text", "unsafe XML refused"}
