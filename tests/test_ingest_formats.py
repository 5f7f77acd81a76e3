"""PDF, DOCX, ODT, EML, mbox and WARC inputs (issue #24), and the last hostile-input classes.

Every file is written by the test itself (``tests/ingest_samples.py``): the sample release saved in each
format must read as the same words and give the same entities as the ``.txt``; every hostile variant is
one reject with a clear reason.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_samples import (
    html_page,
    http_response,
    layout,
    make_docx,
    make_eml,
    make_mbox,
    make_odt,
    make_pdf,
    make_warc,
    warc_record,
)

from pipeline.ingest import Document, IngestOptions, Reject, iter_items
from pipeline.ingest.csvrecords import choose_delimiter
from pipeline.ingest.pdf import Line, assemble

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_TEXT = (ROOT / "corpus" / "releases" / "hubwerk01_netzwerktreffen.txt").read_text(encoding="utf-8")
PARAGRAPHS = [p for p in SAMPLE_TEXT.split("\n\n") if p.strip()]
TITLE = PARAGRAPHS[0]
URL = "https://www.example.de/presse/netzwerktreffen"
LIMITS = IngestOptions(max_bytes=2_000_000, max_archive_bytes=20_000_000)


def _words(text: str) -> list[str]:
    return text.split()


def write_sample_formats(folder: Path) -> dict[str, str]:
    """The sample release as PDF, DOCX, ODT, EML, mbox and WARC (+ the .txt); {file: source of its document}."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pm.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    pdf = make_pdf(layout(SAMPLE_TEXT), header="DIZ | Pressemitteilung", footer="Seite {page}")
    (folder / "pm.pdf").write_bytes(pdf)
    (folder / "pm.docx").write_bytes(make_docx(PARAGRAPHS, header="DIZ Kopfzeile"))
    (folder / "pm.odt").write_bytes(make_odt(PARAGRAPHS, header="DIZ Kopfzeile"))
    (folder / "pm.eml").write_bytes(make_eml(SAMPLE_TEXT, TITLE))
    (folder / "mail.mbox").write_bytes(
        make_mbox([make_eml("Vorab nur kurz: Termine folgen.", "Vorab"), make_eml(SAMPLE_TEXT, TITLE)])
    )
    page = http_response(html_page(TITLE, "\n\n".join(PARAGRAPHS[1:])))
    records = [
        warc_record("warcinfo", "", b"software: test\r\n", "application/warc-fields"),
        warc_record("request", URL, b"GET /presse HTTP/1.1\r\n\r\n", "application/http; msgtype=request"),
        warc_record(
            "response", URL + "/logo.png", http_response(b"\x89PNG", "image/png"), "application/http; msgtype=response"
        ),
        warc_record("response", URL, page, "application/http; msgtype=response"),
    ]
    (folder / "crawl.warc.gz").write_bytes(make_warc(records))
    return {
        "pm.txt": "pm.txt", "pm.pdf": "pm.pdf", "pm.docx": "pm.docx", "pm.odt": "pm.odt", "pm.eml": "pm.eml",
        "mail.mbox": "mail.mbox!message 2", "crawl.warc.gz": "crawl.warc.gz!record 4",
    }  # fmt: skip


def _items(*inputs: Path, options: IngestOptions = LIMITS) -> list[Document | Reject]:
    return list(iter_items([str(i) for i in inputs], options))


def _one_reject(path: Path, options: IngestOptions = LIMITS) -> Reject:
    items = _items(path, options=options)
    assert len(items) == 1 and isinstance(items[0], Reject), items
    assert items[0].detail
    return items[0]


# --- the sample release in every format ------------------------------------------------------------------------


def test_sample_release_reads_as_the_same_words_in_every_format(tmp_path):
    sources = write_sample_formats(tmp_path)
    items = {item.source: item for item in _items(tmp_path)}
    assert all(isinstance(item, Document) for item in items.values()), items
    expected = _words(SAMPLE_TEXT)
    formats = {}
    for source in sources.values():
        document = items[source]
        assert _words(document.text) == expected, source  # the web page's <h1> starts its main text
        assert document.title == TITLE, source
        formats[source] = document.format
    assert formats == {
        "pm.txt": "txt", "pm.pdf": "pdf", "pm.docx": "docx", "pm.odt": "odt", "pm.eml": "eml",
        "mail.mbox!message 2": "mbox", "crawl.warc.gz!record 4": "warc",
    }  # fmt: skip
    assert "Kopfzeile" not in items["pm.docx"].text and "Kopfzeile" not in items["pm.odt"].text
    assert "Seite" not in items["pm.pdf"].text and "Pressemitteilung" not in items["pm.pdf"].text
    assert items["pm.eml"].published.isoformat() == "2019-12-13"
    assert items["crawl.warc.gz!record 4"].meta["url"] == URL
    assert "mail.mbox!message 1" in items  # the short message is its own record


@pytest.mark.slow
def test_sample_release_gives_the_same_entities_in_every_format(tmp_path, shipped_model):
    """The shipped model and every Pressewerk stage, as ``pressewerk run`` uses them."""
    from pipeline.runner import BatchProcessor
    from pipeline.settings import Settings

    sources = write_sample_formats(tmp_path)
    items = {item.source: item for item in _items(tmp_path)}
    processor = BatchProcessor(Settings.from_config(model=str(shipped_model)))

    def entities(document: Document) -> set[tuple[str, str]]:
        tables = processor.extract(document, processor.nlp(document.text))
        return {(m["label"], m["text"]) for m in tables["mentions"] if m["label"] in ("PER", "ORG", "LOC", "MISC")}

    expected = entities(items["pm.txt"])
    assert len(expected) >= 10
    for source in sources.values():
        found = entities(items[source])
        assert found == expected, (source, found ^ expected)


# --- PDF -------------------------------------------------------------------------------------------------------


def test_pdf_lines_become_paragraphs_and_hyphenated_words_are_joined(tmp_path):
    lines = [
        "Die enge Zusammen-",
        "arbeit der Hubs in Baden-",
        "Württemberg hat sich bewährt, der Ein-",
        "und Ausgang ist frei, 100-",
        "prozentig.",
        "",
        "Ein zweiter Absatz.",
    ]
    (tmp_path / "a.pdf").write_bytes(make_pdf([lines], title="Netzwerktreffen in Bruchsal"))
    (document,) = _items(tmp_path / "a.pdf")
    assert document.text == (
        "Die enge Zusammenarbeit der Hubs in Baden-Württemberg hat sich bewährt, der Ein- und Ausgang ist frei, "
        "100-prozentig.\n\nEin zweiter Absatz."
    )
    assert document.title == "Netzwerktreffen in Bruchsal"
    assert document.format == "pdf"


def test_pdf_title_is_the_first_heading_without_metadata(tmp_path):
    body = ["Die Digital Hubs trafen sich am 9. Dezember in Bruchsal.", "Gastgeber war das Hubwerk01."]
    (tmp_path / "a.pdf").write_bytes(make_pdf([body], heading="Netzwerktreffen der Digital Hubs"))
    (document,) = _items(tmp_path / "a.pdf")
    assert document.title == "Netzwerktreffen der Digital Hubs"
    assert document.text.startswith("Netzwerktreffen der Digital Hubs\n\nDie Digital Hubs trafen sich")


def test_pdf_running_header_footer_and_page_numbers_are_removed_and_pages_kept(tmp_path):
    pages = [[f"Seite eins Satz {i}." for i in range(3)], ["Bruchsal liegt auf Seite zwei."], ["Stuttgart auf drei."]]
    (tmp_path / "a.pdf").write_bytes(make_pdf(pages, header="Pressestelle Musterstadt", footer="- {page} -"))
    (document,) = _items(tmp_path / "a.pdf")
    assert "Pressestelle" not in document.text and "- 2 -" not in document.text
    assert len(document.page_starts) == 3
    assert document.page_of(document.text.index("Bruchsal")) == 2
    assert document.page_of(document.text.index("Stuttgart")) == 3
    assert document.page_of(0) == 1


def test_mentions_carry_their_pdf_page(tmp_path, blank_model):
    pages = [["Bruchsal am Morgen."], ["Am Nachmittag war Jakob Ilg in Stuttgart."]]
    (tmp_path / "a.pdf").write_bytes(make_pdf(pages))
    (tmp_path / "b.txt").write_text("Jakob Ilg war in Stuttgart.", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(tmp_path / "a.pdf"), str(tmp_path / "b.txt"), "--out", str(out),
         "--model", str(blank_model), "--format", "csv", "--quiet"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    documents = pd.read_csv(out / "documents.csv").set_index("source")
    assert documents.loc["a.pdf", "format"] == "pdf" and documents.loc["b.txt", "format"] == "txt"
    mentions = pd.read_csv(out / "mentions.csv")
    pdf_mentions = mentions[mentions["doc_id"] == documents.loc["a.pdf", "doc_id"]].set_index("text")
    assert pdf_mentions.loc["Bruchsal", "page"] == 1
    assert pdf_mentions.loc["Stuttgart", "page"] == 2
    assert mentions[mentions["doc_id"] == documents.loc["b.txt", "doc_id"]]["page"].isna().all()


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß", min_size=2, max_size=12),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß", min_size=2, max_size=12),
)
def test_a_lower_case_word_broken_at_a_line_end_is_joined(head, tail):
    """A word cut by a hyphen at a line end comes back whole, unless its second part is a kept word ("und")."""
    from pipeline.ingest.pdf import _kept_before

    word = "Ver" + head + tail
    text, _ = assemble([[Line(f"Die {'Ver' + head}-", 700, 11), Line(f"{tail} geht weiter.", 686, 11)]])
    if tail in _kept_before():
        assert text == f"Die Ver{head}- {tail} geht weiter."
    else:
        assert text == f"Die {word} geht weiter."


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("encrypted", lambda: make_pdf([["Geheime Meldung aus Berlin."]], encrypt=True), "encrypted PDF"),
        ("truncated", lambda: make_pdf([["Die Polizei Berlin meldet."]] * 3)[:-300], "truncated PDF"),
        ("scan", lambda: make_pdf([["Gescannt."]] * 2, scan=True), "PDF without text layer"),
        ("broken", lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >> \xff\xfe garbage\n%%EOF\n", "broken PDF"),
        ("empty", lambda: b"", "empty file"),
        ("not_pdf", lambda: b"Dies ist kein PDF, nur Text.\n%%EOF\n", "not a PDF"),
    ],
)
def test_hostile_pdf_is_one_reject_with_its_reason(tmp_path, name, make, reason):
    (tmp_path / f"{name}.pdf").write_bytes(make())
    rejected = _one_reject(tmp_path / f"{name}.pdf")
    assert rejected.reason == reason
    assert rejected.source == f"{name}.pdf"


def test_pdf_with_too_many_pages_is_a_reject(tmp_path):
    (tmp_path / "a.pdf").write_bytes(make_pdf([[f"Seite {i} aus Köln."] for i in range(5)]))
    options = IngestOptions(max_pages=4)
    assert _one_reject(tmp_path / "a.pdf", options).reason == "PDF has too many pages"


# --- DOCX and ODT -----------------------------------------------------------------------------------------------


TABLE = [["Termin", "Ort"], ["9. Dezember 2019", "Bruchsal"]]


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_office_tables_are_text_and_headers_are_left_out(tmp_path, kind):
    paragraphs = ["Netzwerktreffen in Bruchsal", "Die Digital Hubs trafen sich in Bruchsal.", "Zweiter Absatz."]
    data = (
        make_docx(paragraphs, header="Kopfzeile", table=TABLE)
        if kind == "docx"
        else make_odt(paragraphs, "Kopfzeile", TABLE)
    )
    (tmp_path / f"a.{kind}").write_bytes(data)
    (document,) = _items(tmp_path / f"a.{kind}")
    assert document.text == (
        "Netzwerktreffen in Bruchsal\n\nTermin\tOrt\n\n9. Dezember 2019\tBruchsal\n\n"
        "Die Digital Hubs trafen sich in Bruchsal.\n\nZweiter Absatz."
    )
    assert document.title == "Netzwerktreffen in Bruchsal"
    assert document.format == kind


def test_docx_metadata_title_wins(tmp_path):
    (tmp_path / "a.docx").write_bytes(make_docx(["Erster Absatz aus Köln."], title="Titel aus den Metadaten"))
    (document,) = _items(tmp_path / "a.docx")
    assert document.title == "Titel aus den Metadaten"


def test_zip_bomb_inside_a_docx_is_a_reject(tmp_path):
    (tmp_path / "bomb.docx").write_bytes(make_docx(["Bombe"], bomb_bytes=5_000_000))
    assert (tmp_path / "bomb.docx").stat().st_size < 100_000
    rejected = _one_reject(tmp_path / "bomb.docx", IngestOptions(max_bytes=1_000_000))
    assert rejected.reason == "document expands too far"
    assert "zip bomb" in rejected.detail


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"PK\x03\x04 kaputt", "broken document"), (b"\xd0\xcf\x11\xe0" + bytes(600), "encrypted document")],
)
def test_broken_office_files_are_rejects(tmp_path, data, reason):
    (tmp_path / "a.docx").write_bytes(data)
    assert _one_reject(tmp_path / "a.docx").reason == reason


# --- e-mail -----------------------------------------------------------------------------------------------------


def test_eml_attachments_are_records_of_their_own(tmp_path):
    pdf = make_pdf(layout(SAMPLE_TEXT))
    docx = make_docx(["Zweite Meldung aus Köln", "Die Stadtbibliothek Köln eröffnet eine Ausstellung."])
    message = make_eml(
        "Sehr geehrte Damen und Herren,\n\nanbei unsere Pressemitteilung zum Netzwerktreffen in Bruchsal.",
        "PM: Netzwerktreffen",
        attachments={"pm.pdf": pdf, "zweite.docx": docx, "logo.png": b"\x89PNG\r\n"},
    )
    (tmp_path / "pm.eml").write_bytes(message)
    items = {item.source: item for item in _items(tmp_path / "pm.eml")}
    assert set(items) == {"pm.eml", "pm.eml!pm.pdf", "pm.eml!zweite.docx"}
    assert items["pm.eml"].title == "PM: Netzwerktreffen"
    assert items["pm.eml!pm.pdf"].format == "pdf" and _words(items["pm.eml!pm.pdf"].text) == _words(SAMPLE_TEXT)
    assert items["pm.eml!zweite.docx"].title == "Zweite Meldung aus Köln"


def test_eml_with_only_html_goes_through_the_html_reader(tmp_path):
    (tmp_path / "a.eml").write_bytes(make_eml(SAMPLE_TEXT, TITLE, html=True))
    (document,) = _items(tmp_path / "a.eml")
    assert _words(document.text) == _words(SAMPLE_TEXT)
    assert "<p>" not in document.text


def test_too_many_attachments_are_one_reject(tmp_path):
    attachments = {f"{i}.txt": f"Meldung {i} aus Berlin.".encode() for i in range(5)}
    (tmp_path / "a.eml").write_bytes(make_eml("Anbei fünf Meldungen aus Berlin.", "Meldungen", attachments=attachments))
    items = _items(tmp_path / "a.eml", options=IngestOptions(max_attachments=3))
    rejects = [item for item in items if isinstance(item, Reject)]
    assert len(items) == 1 + 3 + 1
    assert [r.reason for r in rejects] == ["too many attachments"] and "2 after the first 3" in rejects[0].detail


def test_mbox_messages_are_numbered_and_from_lines_unquoted(tmp_path):
    body = "From the start: die Polizei Berlin meldet einen Einsatz in Neukölln."
    mbox = make_mbox([make_eml(body, "Erste"), make_eml("   ", "Leer"), make_eml("Köln meldet Glatteis.", "Dritte")])
    (tmp_path / "mail.mbox").write_bytes(mbox)
    items = {item.source: item for item in _items(tmp_path / "mail.mbox")}
    assert list(items) == ["mail.mbox!message 1", "mail.mbox!message 2", "mail.mbox!message 3"]
    assert items["mail.mbox!message 1"].text == body
    assert isinstance(items["mail.mbox!message 2"], Reject) and items["mail.mbox!message 2"].reason == "empty text"
    assert items["mail.mbox!message 3"].title == "Dritte"


def test_a_message_too_large_is_a_reject_and_the_next_is_read(tmp_path):
    mbox = make_mbox([make_eml("x " * 400_000, "Groß"), make_eml("Köln meldet Glatteis.", "Klein")])
    (tmp_path / "mail.mbox").write_bytes(mbox)
    items = _items(tmp_path / "mail.mbox", options=IngestOptions(max_bytes=100_000))
    assert [(i.source, getattr(i, "reason", "ok")) for i in items] == [
        ("mail.mbox!message 1", "message too large"),
        ("mail.mbox!message 2", "ok"),
    ]


def test_a_file_that_is_no_mailbox_is_a_reject(tmp_path):
    (tmp_path / "a.mbox").write_text("Das ist keine Mailbox.\n", encoding="utf-8")
    assert _one_reject(tmp_path / "a.mbox").reason == "not a mailbox"


# --- WARC -------------------------------------------------------------------------------------------------------


def test_uncompressed_warc_and_a_pdf_response(tmp_path):
    pdf = make_pdf([["Die Polizei Berlin meldet einen Einsatz in Neukölln."]])
    records = [
        warc_record("response", URL, http_response(html_page(TITLE, SAMPLE_TEXT)), "application/http"),
        warc_record("response", URL + ".pdf", http_response(pdf, "application/pdf"), "application/http"),
    ]
    (tmp_path / "crawl.warc").write_bytes(make_warc(records, compress=False))
    items = {item.source: item for item in _items(tmp_path / "crawl.warc")}
    assert set(items) == {"crawl.warc!record 1", "crawl.warc!record 2"}
    assert items["crawl.warc!record 1"].format == "warc"
    assert items["crawl.warc!record 2"].format == "pdf"


def test_warc_gzip_bomb_is_a_reject_and_memory_stays_flat(tmp_path):
    """200 MB of page in a 200 kB .warc.gz: rejected at --max-archive-bytes, peak memory as for 1 kB."""
    script = (
        "import json, resource, sys\n"
        "from pipeline.ingest import IngestOptions, iter_items\n"
        "items = list(iter_items([sys.argv[1]], IngestOptions(max_bytes=1_000_000, max_archive_bytes=50_000_000)))\n"
        "print(json.dumps([[i.source, getattr(i, 'reason', 'ok')] for i in items]))\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    peaks = {}
    for size in (1_000, 200_000_000):
        path = tmp_path / f"bomb{size}.warc.gz"
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>"
        warc = f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {URL}\r\nContent-Type: application/http\r\n"
        head = f"{warc}Content-Length: {len(http) + size}\r\n\r\n".encode() + http
        with gzip.open(path, "wb", compresslevel=1) as handle:  # never held in memory (a child inherits the peak)
            handle.write(head)
            for _ in range(size // 1_000_000 or 1):
                handle.write(b"a" * min(size, 1_000_000))
            handle.write(b"\r\n\r\n")
        result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        items, peak = result.stdout.splitlines()
        peaks[size] = int(peak)
        if size > 1_000:
            assert json.loads(items) == [[path.name, "archive too large"]]
    assert peaks[200_000_000] - peaks[1_000] < 40, peaks


def test_truncated_and_broken_warc_are_rejects_naming_the_file(tmp_path):
    record = warc_record("response", URL, http_response(html_page(TITLE, SAMPLE_TEXT)), "application/http")
    (tmp_path / "cut.warc.gz").write_bytes(make_warc([record, record])[:-200])
    items = _items(tmp_path / "cut.warc.gz")
    assert isinstance(items[0], Document)
    assert (items[-1].source, items[-1].reason) == ("cut.warc.gz", "truncated archive")
    (tmp_path / "junk.warc").write_bytes(b"nicht WARC\r\n")
    assert _one_reject(tmp_path / "junk.warc").reason == "broken WARC"


# --- the last hostile classes -------------------------------------------------------------------------------------


def test_json_with_text_and_TEXT_is_rejected_as_ambiguous(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"text": "Köln meldet Glatteis.", "TEXT": "Berlin meldet Regen."}))
    rejected = _one_reject(tmp_path / "a.json")
    assert rejected.reason == "ambiguous field" and "--text-field" in rejected.detail
    (tmp_path / "a.json").write_text(json.dumps({"text": "Köln meldet Glatteis.", "TEXT": "Köln meldet Glatteis."}))
    (document,) = _items(tmp_path / "a.json")
    assert document.text == "Köln meldet Glatteis."
    options = IngestOptions(text_field="TEXT")
    (tmp_path / "a.json").write_text(json.dumps({"text": "Köln meldet Glatteis.", "TEXT": "Berlin meldet Regen."}))
    (document,) = _items(tmp_path / "a.json", options=options)
    assert document.text == "Berlin meldet Regen."


def test_csv_delimiter_is_checked_against_the_rows(tmp_path):
    texts = ["Die Polizei Berlin meldet einen Brand.", "Köln meldet, dass es schneit.", "Bonn, Bruchsal, Kiel: Regen."]
    rows = "title,text\n" + "".join(f"Meldung {i};{text}\n" for i, text in enumerate(texts))
    (tmp_path / "a.csv").write_text(rows, encoding="utf-8")
    rejected = _one_reject(tmp_path / "a.csv")  # read with ',' the titles would hold half of the texts
    assert rejected.reason == "CSV delimiter mismatch" and "';'" in rejected.detail
    rows = "title;text\n" + "".join(f'Meldung {i},"{text}"\n' for i, text in enumerate(texts))
    (tmp_path / "a.csv").write_text(rows, encoding="utf-8")
    assert _one_reject(tmp_path / "a.csv").reason == "CSV delimiter mismatch"
    (tmp_path / "a.csv").write_text(rows.replace(";", ",", 1), encoding="utf-8")  # header and rows agree
    items = _items(tmp_path / "a.csv")
    assert [(item.title, item.text) for item in items] == [(f"Meldung {i}", text) for i, text in enumerate(texts)]


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([",", ";", "\t", "|"]),
    st.lists(
        st.lists(st.text(alphabet="abcäöü ABC.", min_size=1, max_size=8), min_size=3, max_size=3),
        min_size=3,
        max_size=8,
    ),
)
def test_the_delimiter_the_rows_use_is_chosen(delimiter, rows):
    lines = [delimiter.join(["id", "title", "text"]), *(delimiter.join(row) for row in rows)]
    assert choose_delimiter(lines[0], lines[1:]) == delimiter


def test_a_document_without_any_word_is_a_reject(tmp_path):
    (tmp_path / "a.txt").write_text(";;; --- ;;;\n", encoding="utf-8")
    assert _one_reject(tmp_path / "a.txt").reason == "no words"


def test_compound_search_is_linear_on_a_megabyte_word():
    """A 1 MB "word" (it used to take 273 s end to end): the compound-noun head search is bounded."""
    script = (
        "from pipeline.nlp.entity_sense import compound_head; from pipeline.nlp import lexicon;"
        "w = 'X' + 'abcdefghij' * 100_000; compound_head(w); lexicon.compound_head(w)"
    )
    subprocess.run([sys.executable, "-c", script], timeout=60, check=True)


def test_hostile_variants_make_the_cli_exit_3(tmp_path, blank_model):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.pdf").write_bytes(make_pdf([["Die Polizei Berlin meldet einen Einsatz."]]))
    (folder / "locked.pdf").write_bytes(make_pdf([["Geheim."]], encrypt=True))
    (folder / "scan.pdf").write_bytes(make_pdf([["x"]], scan=True))
    (folder / "bomb.docx").write_bytes(make_docx(["Bombe"], bomb_bytes=3_000_000))
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(folder), "--out", str(out), "--model", str(blank_model),
         "--format", "csv", "--max-bytes", "1000000", "--quiet"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 3, result.stderr
    rejects = pd.read_csv(out / "rejects.csv").set_index("source")["reason"].to_dict()
    assert rejects == {
        "locked.pdf": "encrypted PDF",
        "scan.pdf": "PDF without text layer",
        "bomb.docx": "document expands too far",
    }


def test_a_gold_document_is_read_like_an_ingested_one_but_keeps_its_text():
    from pipeline.ingest import IngestOptions
    from pipeline.ingest.formats import build_document, gold_document

    text = "Verdi will streiken. Bonn – Die Gewerkschaft Verdi stellt sich auf einen langen Streik ein.  "
    gold = gold_document("g1", "gold.jsonl", text)
    built = build_document("g1", "x", text, IngestOptions())
    assert gold.text == text
    assert (gold.dateline_place, gold.published) == (built.dateline_place, built.published) == ("Bonn", None)
    assert gold_document("g2", "gold.jsonl", text, "2016-02-03").published.isoformat() == "2016-02-03"
