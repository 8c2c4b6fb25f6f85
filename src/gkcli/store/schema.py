"""Pydantic's view of the two registry files: validation straight into the domain records,
and the JSON Schema editors use. The records themselves are defined in
:mod:`gkcli.domain.records`; nothing here repeats a field."""

from __future__ import annotations

import dataclasses
import functools
import json
import typing
from typing import Any

from pydantic import TypeAdapter

from gkcli.domain.records import LogFile, TasksFile, UnitsFile, hints, read_keys, use_pydantic

FILES: dict[str, type] = {"tasks": TasksFile, "units": UnitsFile, "log": LogFile}


@functools.cache
def adapter(record: type) -> TypeAdapter[Any]:
    """The validator of one record type (built once: building one takes a few milliseconds)."""
    use_pydantic()
    return TypeAdapter(record)


def json_schema(which: str) -> str:
    """JSON Schema of ``tasks.yaml``, ``units.yaml`` or ``log.yaml``, as text with a stable layout."""
    schema = adapter(FILES[which]).json_schema(by_alias=True)
    for definition in [schema, *schema.get("$defs", {}).values()]:
        definition.pop("description", None)  # a class's docstring is for maintainers, not for editors' hints
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": f"gkcli {which}.yaml"}
    return json.dumps(schema, ensure_ascii=False, indent=2)


@functools.cache
def yaml_fields(record: type) -> dict[str, type | None]:
    """The keys a record has in YAML (aliases included), each with the record type found
    inside its value (a part's sections, a task's progress entries), or None."""
    return {key: _inner_record(hints(record)[name]) for key, name in read_keys(record).items()}


def _inner_record(annotation: Any) -> type | None:
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return annotation
    for arg in typing.get_args(annotation):
        inner = _inner_record(arg)
        if inner is not None:
            return inner
    return None
