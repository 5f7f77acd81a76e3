"""Hostile and unusual inputs (issue #13): every record is one document or one reject, nothing hangs,
crashes or is read from outside the inputs. Each case writes a few small files of its own."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import pytest

from pipeline.ingest import Document, IngestOptions, Reject, UsageError, iter_items
from pipeline.runner import RunConflict, RunOptions, run
from pipeline.settings import Settings

LIMITS = IngestOptions(max_bytes=1_000_000, max_archive_bytes=4_000_000)
SATZ = [
    "Die Polizei Berlin meldet einen Einsatz in Neukölln, der Mann wurde festgenommen.",
    "In Köln eröffnet die Stadtbibliothek am Montag eine Ausstellung über Straßenbahnen.",
    "Der Bürgermeister von München begrüßte die Gäste im Rathaus.",
    "Die Feuerwehr Hamburg löschte in der Nacht einen Brand in einer Lagerhalle.",
    "Das Landesamt für Umwelt misst in Stuttgart erhöhte Feinstaubwerte.",
]


@dataclass
class Case:
    """A hostile input: how many records it holds and what must come out of it."""

    write: Callable[[Path], None]
    inputs: int
    documents: int
    reasons: set[str]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _tar(members: dict[str, bytes], mode: str = "w") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode, format=tarfile.GNU_FORMAT) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _encrypted_zip(members: dict[str, bytes], secret: str) -> bytes:
    """A zip whose member ``secret`` carries the "encrypted" flag (as a password-protected member does)."""
    data = bytearray(_zip(members))
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(secret)] == secret.encode():
                data[start + flag_at] |= 0x01
            start += 4
    return bytes(data)


def _jsonl(*lines: str) -> bytes:
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def _line(i: int) -> str:
    return json.dumps({"id": f"m{i}", "text": SATZ[i]}, ensure_ascii=False)


# --- class 1: records lost --------------------------------------------------------------------------------------

CASES: dict[str, Case] = {
    "jsonl_lone_surrogate": Case(
        lambda d: (d / "a.jsonl").write_bytes(_jsonl(_line(0), '{"id": "x", "text": "Kaputt \\ud800 hier"}', _line(1))),
        3, 3, set(),
    ),
    "jsonl_huge_number": Case(
        lambda d: (d / "a.jsonl").write_bytes(_jsonl(_line(0), '{"text": "x", "n": ' + "9" * 5000 + "}", _line(1))),
        3, 2, {"malformed JSON line"},
    ),
    "jsonl_deep_nesting": Case(
        lambda d: (d / "a.jsonl").write_bytes(_jsonl(_line(0), "[" * 100_000 + "]" * 100_000, _line(1))),
        3, 2, {"malformed JSON line"},
    ),
    "jsonl_cp1252_line": Case(
        lambda d: (d / "a.jsonl").write_bytes(
            _jsonl(_line(0)) + b"\n" + json.dumps({"text": SATZ[2]}, ensure_ascii=False).encode("cp1252")
        ),
        2, 2, set(),
    ),
    "csv_unbalanced_quote": Case(
        lambda d: (d / "a.csv").write_text(f'title,text\nA,"{SATZ[0]}"\nB,"{SATZ[1]}\nC,{SATZ[2]}\nD,{SATZ[3]}\n'),
        4, 3, {"malformed CSV row"},
    ),
    "csv_rfc4180_quotes": Case(
        lambda d: (d / "a.csv").write_text(
            f'title,text\n"Der ""Held""","Er sagte: ""{SATZ[0]}"""\n"Zwei","{SATZ[1]}"\n'
        ),
        2, 2, set(),
    ),
    "csv_multiline_field": Case(
        lambda d: (d / "a.csv").write_text(f'title;text\nA;"{SATZ[0]}\n\n{SATZ[1]}\n{SATZ[2]}"\nB;{SATZ[3]}\n'),
        2, 2, set(),
    ),
    "csv_mixed_encoding": Case(
        lambda d: (d / "a.csv").write_bytes(
            f'title,text\nA,"{SATZ[0]}"\n'.encode() + f"B,{SATZ[1]}\n".encode("cp1252") + f"C,{SATZ[2]}\n".encode()
        ),
        3, 3, set(),
    ),
    "zip_encrypted_member": Case(
        lambda d: (d / "a.zip").write_bytes(
            _encrypted_zip({"1.txt": SATZ[0].encode(), "geheim.txt": b"x" * 40, "3.txt": SATZ[1].encode()}, "geheim.txt")
        ),
        3, 2, {"encrypted archive member"},
    ),
    "tar_truncated": Case(
        lambda d: (d / "a.tar").write_bytes(
            _tar({"1.txt": SATZ[0].encode(), "2.txt": SATZ[1].encode(), "3.txt": SATZ[2].encode()})[:2048]
        ),
        3, 2, {"truncated archive"},
    ),
    # A member cut off: a reject naming it, and one naming the archive whose later members are unknown.
    "tar_truncated_in_member": Case(
        lambda d: (d / "a.tar").write_bytes(
            _tar({"1.txt": SATZ[0].encode(), "2.txt": SATZ[1].encode() * 20})[: 1024 + 512 + 100]
        ),
        3, 1, {"truncated archive member", "truncated archive"},
    ),
    "tar_gz_truncated": Case(
        lambda d: (d / "a.tar.gz").write_bytes(
            (lambda data: data[: len(data) * 2 // 3])(
                _tar({f"{i}.txt": (SATZ[i % 5] + f" Nummer {i}.").encode() * 40 for i in range(12)}, "w:gz")
            )
        ),
        6, 5, {"truncated archive"},
    ),
    "png_named_jsonl": Case(lambda d: (d / "a.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4), 1, 0, {"not text"}),
    "csv_header_only": Case(lambda d: (d / "a.csv").write_text("title,text\n"), 1, 0, {"no records"}),
    "csv_cr_line_ends": Case(
        lambda d: (d / "a.csv").write_text(f'title;text\r"A";"{SATZ[0]}"\r"B";"{SATZ[1]}"\r', newline=""), 2, 2, set()
    ),
    "json_empty_array": Case(lambda d: (d / "a.json").write_text("[]"), 1, 0, {"no records"}),
    # --- class 2 and 3: hangs and crashes -----------------------------------------------------------------------
    "named_pipe": Case(lambda d: os.mkfifo(d / "pipe.txt"), 1, 0, {"not a regular file"}),
    "symlink_dev_zero": Case(lambda d: os.symlink("/dev/zero", d / "zero.txt"), 1, 0, {"symlink leaves the input root"}),
    "non_utf8_name": Case(lambda d: Path(os.fsdecode(bytes(d) + b"/caf\xe9.txt")).write_text(SATZ[4]), 1, 1, set()),
    "tar_non_utf8_member": Case(
        lambda d: (d / "a.tar").write_bytes(_tar({os.fsdecode(b"caf\xe9.txt"): SATZ[3].encode()})), 1, 1, set()
    ),
    # --- class 4: reading outside the inputs -----------------------------------------------------------------------
    "symlink_etc_passwd": Case(
        lambda d: os.symlink("/etc/passwd", d / "passwd.txt"), 1, 0, {"symlink leaves the input root"}
    ),
    "nested_bomb": Case(
        lambda d: (d / "a.zip").write_bytes(
            _zip({"inner.tar.gz": _tar({"inner.tar": _tar({"bomb.txt": b"0" * 6_000_000})}, "w:gz")})
        ),
        2, 0, {"archive member too large", "archive too large"},
    ),
    "archive_nested_too_deep": Case(
        lambda d: (d / "a.zip").write_bytes(_zip({"1.zip": _zip({"2.tar": _tar({"3.zip": _zip({"x.txt": b"tief"})})})})),
        1, 0, {"archive nested too deep"},
    ),
    "nested_zip_member_too_large": Case(
        lambda d: (d / "a.zip").write_bytes(
            _zip({"inner.zip": _zip({"bomb.txt": b"0" * 2_000_000, "ok.txt": SATZ[0].encode()})})
        ),
        2, 1, {"archive member too large"},
    ),
    # --- class 5: mojibake -----------------------------------------------------------------------------------------
    "short_cp1252": Case(lambda d: (d / "koeln.txt").write_bytes("Köln".encode("cp1252")), 1, 1, set()),
    "rss_latin1": Case(
        lambda d: (d / "feed.rss").write_bytes(
            (
                '<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><item><title>München</title>'
                f"<description>{SATZ[2]}</description></item></channel></rss>"
            ).encode("latin-1")
        ),
        1, 1, set(),
    ),
    "xml_utf16_declared": Case(
        lambda d: (d / "a.xml").write_bytes(
            f'<?xml version="1.0" encoding="UTF-16"?><doc><text>{SATZ[1]}</text></doc>'.encode("utf-16")
        ),
        1, 1, set(),
    ),
    "html_meta_charset": Case(
        lambda d: (d / "a.html").write_bytes(
            f'<html><head><meta charset="windows-1252"><title>Köln</title></head><body><article><p>{SATZ[1]} '
            f"{SATZ[2]}</p></article></body></html>".encode("cp1252")
        ),
        1, 1, set(),
    ),
    # --- class 6: wrong results ------------------------------------------------------------------------------------
    "glob_characters_in_name": Case(lambda d: (d / "Meldung [1].txt").write_text(SATZ[3]), 1, 1, set()),
}  # fmt: skip


def _items(folder: Path, options: IngestOptions = LIMITS) -> list[Document | Reject]:
    """All items of ``folder``, failing instead of hanging."""
    signal.alarm(30)
    try:
        return list(iter_items([str(folder)], options))
    finally:
        signal.alarm(0)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_record_is_a_document_or_a_reject(tmp_path, name):
    case = CASES[name]
    case.write(tmp_path)
    items = _items(tmp_path)
    documents = [i for i in items if isinstance(i, Document)]
    rejects = [i for i in items if isinstance(i, Reject)]
    assert len(documents) + len(rejects) == len(items) == case.inputs, items
    assert len(documents) == case.documents, items
    assert {r.reason for r in rejects} == case.reasons, rejects
    assert all(r.detail for r in rejects)
    assert all(d.encoding for d in documents)


def _by_source(folder: Path) -> dict[str, Document | Reject]:
    return {item.source: item for item in _items(folder)}


def test_bad_records_name_their_line_and_row(tmp_path):
    CASES["jsonl_huge_number"].write(tmp_path)
    (tmp_path / "b.csv").write_text(f'title,text\nA,"{SATZ[0]}"\nB,"{SATZ[1]}\nC,{SATZ[2]}\n')
    items = _by_source(tmp_path)
    assert isinstance(items["a.jsonl:line 2"], Reject)
    assert isinstance(items["a.jsonl:line 3"], Document)
    assert items["b.csv:row 2"].reason == "malformed CSV row"
    assert "line 3" in items["b.csv:row 2"].detail
    assert items["b.csv:row 3"].text == SATZ[2]


def test_lone_surrogate_does_not_survive_into_the_text(tmp_path):
    CASES["jsonl_lone_surrogate"].write(tmp_path)
    text = _by_source(tmp_path)["a.jsonl:line 2"].text
    assert text.startswith("Kaputt") and text.encode("utf-8")


def test_csv_quotes_and_multiline_fields_kept_whole(tmp_path):
    CASES["csv_rfc4180_quotes"].write(tmp_path)
    (tmp_path / "sub").mkdir()
    CASES["csv_multiline_field"].write(tmp_path / "sub")
    items = _by_source(tmp_path)
    assert items["a.csv:row 1"].title == 'Der "Held"'
    assert items["a.csv:row 1"].text == f'Er sagte: "{SATZ[0]}"'
    assert items["sub/a.csv:row 1"].text == f"{SATZ[0]}\n\n{SATZ[1]}\n{SATZ[2]}"


def test_mixed_encoding_csv_decoded_row_by_row(tmp_path):
    CASES["csv_mixed_encoding"].write(tmp_path)
    items = _by_source(tmp_path)
    assert [items[f"a.csv:row {n}"].encoding for n in (1, 2, 3)] == ["utf-8", "cp1252", "utf-8"]
    assert items["a.csv:row 2"].text == SATZ[1]


def test_archive_members_after_a_bad_one_are_read(tmp_path):
    CASES["zip_encrypted_member"].write(tmp_path)
    items = _by_source(tmp_path)
    assert items["a.zip!3.txt"].text == SATZ[1]
    assert items["a.zip!geheim.txt"].reason == "encrypted archive member"


def test_unreadable_subfolder_is_a_reject(tmp_path, monkeypatch):
    (tmp_path / "gesperrt").mkdir()
    (tmp_path / "gesperrt" / "a.txt").write_text(SATZ[0])
    (tmp_path / "offen.txt").write_text(SATZ[1])
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "gesperrt":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = _by_source(tmp_path)
    assert items["gesperrt/"].reason == "unreadable folder"
    assert items["offen.txt"].text == SATZ[1]


def test_symlinks_followed_once_inside_the_root(tmp_path):
    (tmp_path / "echt").mkdir()
    (tmp_path / "echt" / "a.txt").write_text(SATZ[0])
    os.symlink("echt", tmp_path / "verweis")
    os.symlink("echt/a.txt", tmp_path / "datei.txt")
    os.symlink("..", tmp_path / "echt" / "zurueck")
    items = _by_source(tmp_path)
    assert items["echt/a.txt"].text == SATZ[0]
    assert items["datei.txt"].text == SATZ[0]  # a second document; the run's dedupe step rejects it
    assert items["verweis"].reason == "symlink to a folder already read"
    assert items["echt/zurueck"].reason == "symlink to a folder already read"
    assert len(items) == 4


def test_named_pipe_does_not_block(tmp_path):
    CASES["named_pipe"].write(tmp_path)
    started = time.perf_counter()
    assert _by_source(tmp_path)["pipe.txt"].reason == "not a regular file"
    assert time.perf_counter() - started < 5


def test_undecodable_names_are_shown_escaped(tmp_path):
    CASES["non_utf8_name"].write(tmp_path)
    CASES["tar_non_utf8_member"].write(tmp_path)
    sources = set(_by_source(tmp_path))
    assert sources == {"caf\\xe9.txt", "a.tar!caf\\xe9.txt"}


def test_nested_bomb_is_a_reject(tmp_path):
    CASES["nested_bomb"].write(tmp_path)
    member, archive = _items(tmp_path)
    assert member.source == "a.zip!inner.tar.gz!inner.tar!bomb.txt"
    assert member.reason == "archive member too large"
    assert archive.source == "a.zip" and archive.reason == "archive too large"
    assert "4,000,000" in archive.detail


def test_declared_and_short_encodings(tmp_path):
    for name in ("short_cp1252", "rss_latin1", "xml_utf16_declared", "html_meta_charset"):
        CASES[name].write(tmp_path)
    items = _by_source(tmp_path)
    assert items["koeln.txt"].text == "Köln"
    assert items["feed.rss:item 1"].title == "München"
    assert items["a.xml"].text == SATZ[1]
    assert items["a.xml"].encoding == "utf-16"
    assert items["a.html"].title == "Köln"


def test_existing_path_with_glob_characters_is_a_path(tmp_path):
    CASES["glob_characters_in_name"].write(tmp_path)
    (item,) = iter_items([str(tmp_path / "Meldung [1].txt")], LIMITS)
    assert item.text == SATZ[3]
    with pytest.raises(UsageError):
        list(iter_items([str(tmp_path / "Meldung [2].txt")], LIMITS))


def test_sources_are_relative_to_the_input_root_and_lead_back_to_the_file(tmp_path):
    from pipeline.ingest.sources import locate_source

    (tmp_path / "ordner" / "unter").mkdir(parents=True)
    (tmp_path / "ordner" / "unter" / "a.jsonl").write_text(_line(0) + "\n" + _line(1))
    (tmp_path / "ordner" / "b.zip").write_bytes(_zip({"x/c.txt": SATZ[2].encode()}))
    (tmp_path / "d.txt").write_text(SATZ[3])
    inputs = [str(tmp_path / "ordner"), str(tmp_path / "d.txt")]
    sources = [item.source for item in iter_items(inputs, LIMITS)]
    assert sources == ["b.zip!x/c.txt", "unter/a.jsonl:line 1", "unter/a.jsonl:line 2", "d.txt"]
    assert locate_source("unter/a.jsonl:line 2", inputs) == tmp_path / "ordner" / "unter" / "a.jsonl"
    assert locate_source("b.zip!x/c.txt", inputs) == tmp_path / "ordner" / "b.zip"
    assert locate_source("d.txt", inputs) == tmp_path / "d.txt"
    assert locate_source("fehlt.txt", inputs) is None


def test_adversarial_tokens_take_linear_time():
    """Ingestion and the normaliser stages finish quickly on long pathological tokens ."""
    import spacy

    from pipeline.ingest.decode import decode_bytes
    from pipeline.ingest.formats import build_document
    from pipeline.nlp.tokenizer import customize_tokenizer
    from pipeline.normalise import Extraction, build_stages, run_stages

    nlp = customize_tokenizer(spacy.blank("de"))
    nlp.add_pipe("sentencizer")
    stages = build_stages(
        ["language", "mentions", "structure", "dates", "entities", "contacts", "quotes", "relations"],
        {"dates": {"reference_date": None}},
    )
    tokens = ("a-" * 450_000, "1." * 300_000, "<?xml " + " " * 500_000, "@" * 500_000, "„a " * 200_000, "»a " * 200_000)
    for token in tokens:
        started = time.perf_counter()
        text, _ = decode_bytes(("Berlin, 01.02.2020 – " + token).encode())
        document = build_document("x", "x", text, IngestOptions())
        run_stages(stages, Extraction(document=document, doc=nlp(document.text[:200_000])))
        assert time.perf_counter() - started < 20, token[:10]


def _finishes_in(seconds: int, script: str) -> None:
    subprocess.run([sys.executable, "-c", script], timeout=seconds, check=True)  # a hang raises TimeoutExpired


def test_contact_regex_is_linear_on_long_hyphen_tokens():
    _finishes_in(
        10, "from pipeline.normalise.contacts import find_contacts; find_contacts('Kontakt: ' + 'a-' * 450_000)"
    )


@pytest.mark.parametrize("mark", ["„", "»", "«", "‚", '"'])
def test_quote_regex_is_linear_on_unclosed_quotes(mark):
    script = f"from pipeline.normalise.quotes.direct import QUOTE; QUOTE.findall({mark + 'Polizei '!r} * 100_000)"
    _finishes_in(10, script)


# --- runs: output folder, resume, mixed folder ------------------------------------------------------------------


@pytest.fixture
def settings(blank_model):
    base = Settings.from_config(model=str(blank_model))
    base.batch_docs = 2
    base.ingest = replace(base.ingest, max_bytes=LIMITS.max_bytes, max_archive_bytes=LIMITS.max_archive_bytes)
    return base


def test_resume_reprocesses_a_changed_input_only(tmp_path, settings):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(SATZ):
        (folder / f"{i}.txt").write_text(text)
    out = tmp_path / "out"
    options = RunOptions([str(folder)], out, {"parquet"})
    run(settings, options)
    (folder / "4.txt").write_text("Die Polizei Bonn meldet am Dienstag einen Unfall auf der Autobahn.")
    stats = run(settings, options)
    assert stats.skipped_batches == 2  # batches 0 and 1 unchanged, batch 2 (4.txt) reprocessed
    titles = set(pd.read_parquet(out / "documents.parquet")["title"])
    assert "Die Polizei Bonn meldet am Dienstag einen Unfall auf der Autobahn." in titles
    assert SATZ[4] not in titles
    for name in ("2.txt", "3.txt", "4.txt"):
        (folder / name).unlink()
    stats = run(settings, options)
    assert stats.skipped_batches == 1
    assert sorted(pd.read_parquet(out / "documents.parquet")["source"]) == ["0.txt", "1.txt"]


def test_output_folder_inside_the_input_is_never_read(tmp_path, settings):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SATZ[0])
    options = RunOptions([str(folder)], folder / "out", {"csv"})
    first = run(settings, options)
    second = run(settings, replace(options, force=True))
    assert first.inputs == second.inputs == 1
    assert list(pd.read_csv(folder / "out" / "documents.csv")["source"]) == ["a.txt"]


def test_damaged_resume_marker_is_a_usage_error(tmp_path, settings):
    (tmp_path / "a.txt").write_text(SATZ[0])
    out = tmp_path / "out"
    (out / ".parts").mkdir(parents=True)
    (out / ".parts" / "run-config.json").write_text('{"settings": ')
    with pytest.raises(RunConflict, match="damaged"):
        run(settings, RunOptions([str(tmp_path / "a.txt")], out, {"parquet"}))


def _cli(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pipeline", "run", *args, "--quiet"]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("kind", ["file", "below_a_file"])
def test_unusable_out_is_a_usage_error_before_any_work(tmp_path, kind):
    (tmp_path / "a.txt").write_text(SATZ[0])
    (tmp_path / "datei").write_text("")
    out = tmp_path / "datei" if kind == "file" else tmp_path / "datei" / "out"
    result = _cli(str(tmp_path / "a.txt"), "--out", str(out), "--model", "/nonexistent-model")
    assert result.returncode == 2
    assert "--out" in result.stderr or "output folder" in result.stderr
    assert "model" not in result.stderr  # refused before the model was looked at


def test_missing_input_is_a_usage_error_and_creates_nothing(tmp_path):
    result = _cli(str(tmp_path / "fehlt.txt"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "fehlt.txt" in result.stderr
    assert not (tmp_path / "out").exists()


def test_mixed_folder_run_exits_3_and_accounts_for_every_record(tmp_path, blank_model):
    folder = tmp_path / "in"
    for name, case in CASES.items():
        (folder / name).mkdir(parents=True)
        case.write(folder / name)
    out = tmp_path / "out"
    limits = ["--max-bytes", str(LIMITS.max_bytes), "--max-archive-bytes", str(LIMITS.max_archive_bytes)]
    result = _cli(str(folder), "--out", str(out), "--model", str(blank_model), "--format", "csv", *limits)
    assert result.returncode == 3, result.stderr
    counts = json.loads((out / "run.json").read_text())["counts"]
    documents = pd.read_csv(out / "documents.csv")
    rejects = pd.read_csv(out / "rejects.csv")
    expected = sum(case.inputs for case in CASES.values())
    assert counts["inputs"] == len(documents) + len(rejects) == expected
    assert not documents["source"].str.startswith("/").any()
    assert documents["encoding"].notna().all()
    assert "symlink leaves the input root" in set(rejects["reason"])


MEMORY_SCRIPT = """
import resource, sys
from pipeline.ingest import IngestOptions, iter_items
items = list(iter_items([sys.argv[1]], IngestOptions(max_bytes=1_000_000)))
print(len(items), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def _zip_holding_a_tar(path: Path, member_bytes: int) -> None:
    """A zip with a tar inside whose one member is ``member_bytes`` zeros, written as a stream."""

    class Zeros(io.RawIOBase):
        def __init__(self, n: int) -> None:
            self.left = n

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            n = min(len(buffer), self.left)
            buffer[:n] = bytes(n)
            self.left -= n
            return n

    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("big.tar", "w") as member,
        tarfile.open(fileobj=member, mode="w|") as tar,
    ):
        info = tarfile.TarInfo("nullen.txt")
        info.size = member_bytes
        tar.addfile(info, io.BufferedReader(Zeros(member_bytes)))
        info = tarfile.TarInfo("meldung.txt")
        info.size = len(SATZ[0].encode())
        tar.addfile(info, io.BytesIO(SATZ[0].encode()))


def test_peak_memory_does_not_grow_with_an_archive_member(tmp_path):
    peaks = {}
    for size in (1_000, 300_000_000):
        path = tmp_path / f"z{size}.zip"
        _zip_holding_a_tar(path, size)
        result = subprocess.run(
            [sys.executable, "-c", MEMORY_SCRIPT, str(path)], capture_output=True, text=True, timeout=300, check=True
        )
        n_items, peak_mb = map(int, result.stdout.split())
        assert n_items == 2
        peaks[size] = peak_mb
    assert peaks[300_000_000] - peaks[1_000] < 40, peaks
