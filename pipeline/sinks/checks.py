"""Warnings about outputs that look wrong although the run succeeded."""

from __future__ import annotations

from pathlib import Path

from pipeline.sinks import duck

MIN_DOCUMENTS = 20  # below this, no quotes or few coordinates are no surprise
MAX_PLACES_WITHOUT_COORDINATES = 0.5


def output_warnings(out: Path, counts: dict[str, int]) -> list[str]:
    """Short warnings for suspicious tables: no quotes at all, most places without coordinates."""
    warnings: list[str] = []
    documents = counts.get("documents", 0)
    if documents >= MIN_DOCUMENTS and counts.get("quotes", 0) == 0:
        warnings.append(f"no quotes in {documents:,} documents")
    entities = out / "entities.parquet"
    if not entities.is_file():
        return warnings
    with duck.cursor() as con:  # streets carry their town's entity, not coordinates of their own
        columns = {row[0] for row in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(entities)]).fetchall()}
        not_street = "AND coalesce(place_type::VARCHAR, '') <> 'street'" if "place_type" in columns else ""
        places, located = con.execute(
            f"SELECT count(*), count(lat) FROM read_parquet(?) WHERE label::VARCHAR = 'LOC' {not_street}",
            [str(entities)],
        ).fetchone()
    if documents >= MIN_DOCUMENTS and places and (places - located) / places > MAX_PLACES_WITHOUT_COORDINATES:
        warnings.append(f"{places - located:,} of {places:,} places have no coordinates")
    return warnings
