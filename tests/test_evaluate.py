"""`pressewerk evaluate` scoring: exact and overlap matching, values, the confusion table (numbers by hand)."""

from __future__ import annotations

import pytest

from pipeline.evaluate import GoldDoc, parse_label_map, same_value, score

TEXT = "Am 3. Mai 2020 kam Anna Schmidt nach Köln, drei Tage später nach Bonn."
LABELS = ["PER", "LOC", "ORG", "DATE", "DURATION"]


def at(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return start, start + len(fragment)


def fixture() -> list[tuple[GoldDoc, list[dict]]]:
    gold = GoldDoc(
        "d",
        TEXT,
        None,
        [
            (*at("3. Mai 2020"), "DATE", "2020-05-03"),
            (*at("Anna Schmidt"), "PER", None),
            (*at("Köln"), "LOC", None),
            (*at("drei Tage später"), "DATE", "2020-05-06"),
            (*at("Bonn"), "LOC", None),
        ],
    )

    def pred(fragment: str, label: str, value: str | None = None) -> dict:
        start, end = at(fragment)
        return {"start_char": start, "end_char": end, "label": label, "timex_value": value}

    predicted = [
        pred("Am 3. Mai 2020", "DATE", "2020-05-03"),  # boundary error
        pred("Anna Schmidt", "PER"),  # right
        pred("Köln", "ORG"),  # label error
        pred("drei Tage", "DURATION", "P3D"),  # another TIMEX type, overlapping a DATE
        pred("kam", "PER"),  # spurious; "Bonn" is missed
    ]
    return [(gold, predicted)]


def test_exact_matching():
    result = score(fixture(), LABELS, "exact")
    per_label = result["per_label"]
    assert per_label["PER"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1}
    assert per_label["DATE"]["f1"] == 0.0 and per_label["LOC"]["recall"] == 0.0
    # 1 of 5 predictions and 1 of 5 gold spans match exactly.
    assert result["overall"] == {"precision": 0.2, "recall": 0.2, "f1": 0.2, "support": 5}


def test_overlap_matching_forgives_boundaries_not_labels():
    result = score(fixture(), LABELS, "overlap")
    date = result["per_label"]["DATE"]
    assert (date["precision"], date["recall"], date["f1"]) == (1.0, 0.5, 0.6667)
    assert result["per_label"]["LOC"]["recall"] == 0.0  # "Köln" was predicted ORG
    assert result["overall"] == {"precision": 0.4, "recall": 0.4, "f1": 0.4, "support": 5}
    # Values: the one judged DATE prediction is right; 1 of 2 valued gold dates is found.
    assert (date["value_precision"], date["value_recall"], date["value_f1"]) == (1.0, 0.5, 0.6667)


def test_confusion_tells_label_errors_from_misses():
    confusion = score(fixture(), LABELS, "exact")["confusion"]
    matrix = confusion["matrix"]
    assert matrix["DATE"]["DATE"] == 1 and matrix["DATE"]["DURATION"] == 1
    assert matrix["LOC"]["ORG"] == 1 and matrix["LOC"]["LOC"] == 0
    assert matrix["PER"]["PER"] == 1
    assert sum(sum(row.values()) for row in matrix.values()) == 4
    assert confusion["missed"] == {"PER": 0, "LOC": 1, "ORG": 0, "DATE": 0, "DURATION": 0}
    assert confusion["spurious"] == {"PER": 1, "LOC": 0, "ORG": 0, "DATE": 0, "DURATION": 0}


def test_label_map_scores_durations_against_timex2_dates():
    result = score(fixture(), ["DATE"], "overlap", parse_label_map("DURATION=DATE"))
    date = result["per_label"]["DATE"]
    assert (date["precision"], date["recall"]) == (1.0, 1.0)
    # "drei Tage" (P3D) is now judged against the gold value 2020-05-06 and is wrong.
    assert (date["value_precision"], date["value_recall"]) == (0.5, 0.5)


def test_bad_options_are_clear_errors():
    with pytest.raises(ValueError, match="match"):
        score(fixture(), LABELS, "fuzzy")
    with pytest.raises(ValueError, match="PREDICTED=GOLD"):
        parse_label_map("DURATION")


def test_values_compare_at_the_precision_the_gold_gives():
    assert same_value("2019-12-15T22:05", "22:05")  # a gold clock time against the full TIMEX3 point
    assert not same_value("2019-12-15T22:50", "22:05")
    assert same_value("2019-12-15", "2019-12-15T10:00") and same_value("2019-w50", "2019-W50")
    assert not same_value(None, "2019")


def test_clock_times_in_values_compare_in_one_spelling():
    # Hand-written TIMEX3 gold spells clock times "20.30" and "8:30"; the pipeline writes "20:30", "08:30".
    assert same_value("2010-02-25T20:30", "2010-02-25T20.30")
    assert same_value("2011-03-17T08:30", "2011-03-17T8:30") and same_value("2013-11-23T06:00", "2013-11-23T6:00")
    assert not same_value("2011-03-17T08:30", "2011-03-17T8:40")
    assert not same_value("2011-03-18T08:30", "2011-03-17T8:30")
