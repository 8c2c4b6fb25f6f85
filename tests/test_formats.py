"""JSON as every listing writes it: one object per line, the same text as the standard library
would write with compact separators, whatever the objects hold."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkcli.render.formats import _json_text, json_text

# What a record holds: text (any character, lone surrogates too), whole numbers, null, true and
# false, lists and objects; keys from a small pool, so that a nested list of objects beginning
# with the same key as the records themselves comes up often.
KEYS = st.sampled_from(["id", "plan", "on", "unit", "note", '},{"id":'])
SCALARS = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=12)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
                      max_leaves=8)  # fmt: skip
RECORDS = st.lists(st.dictionaries(KEYS, VALUES, min_size=1, max_size=4), min_size=1, max_size=6)


def standard(objects: list[dict[str, Any]]) -> str:
    """The listing as the standard library writes it: the reference."""
    lines = ",\n  ".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) for o in objects)
    return _json_text("[\n  " + lines + "\n]\n")


@pytest.mark.slow  # a thousand examples
@settings(max_examples=1000, deadline=None)
@given(RECORDS)
def test_a_listing_is_the_standard_librarys_text_one_object_per_line(objects: list[dict[str, Any]]) -> None:
    text = json_text(objects)
    assert text == standard(objects)
    assert len(text.splitlines()) == len(objects) + 2
    assert json.loads(text) == objects


def test_records_holding_lists_of_records_that_begin_alike_stay_one_per_line() -> None:
    objects = [{"id": n, "parts": [{"id": 1}, {"id": 2}], "title": '},{"id":'} for n in range(3)]
    text = json_text(objects)
    assert text.splitlines()[1] == '  {"id":0,"parts":[{"id":1},{"id":2}],"title":"},{\\"id\\":"},'
    assert json.loads(text) == objects


def test_a_lone_surrogate_and_a_huge_number_are_written_as_the_standard_library_writes_them() -> None:
    objects = [{"file": "bad\udcff.yaml", "line": 1}, {"file": "ok.yaml", "line": 2**70}]
    text = json_text(objects)
    assert text == standard(objects)
    assert "\\udcff" in text and "\udcff" not in text


def test_what_a_terminal_could_act_on_is_escaped() -> None:
    text = json_text([{"title": "推进\u202e建设\u2028\x85"}])
    assert text == '[\n  {"title":"推进\\u202e建设\\u2028\\u0085"}\n]\n'
