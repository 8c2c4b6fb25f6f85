"""The benchmark registry generator writes registries that pass the strictest check."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from .conftest import ROOT, Cli


def _make():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_registry", ROOT / "benchmarks" / "make_registry.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make


@pytest.mark.slow  # generates and checks 300 tasks
def test_generated_registry_passes_check_strict(cli: Cli, tmp_path: Path) -> None:
    _make()(300, tmp_path / "r")
    result = cli("check", "--strict", "--as-of", "2022-12-31", str(tmp_path / "r"))
    assert result.exit_code == 0, result.output
    data = __import__("json").loads(cli("list", "-f", "json", GKCLI_DATA=str(tmp_path / "r")).stdout)
    assert len(data) == 300
    assert {t["status"] for t in data} == {"not_started", "in_progress", "done"}
    assert any(t["due"] is None for t in data)  # open-ended phrases are there too


def test_the_links_benchmark_registry_cites_every_page(cli: Cli, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("links_bench", ROOT / "benchmarks" / "links.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.registry_citing(tmp_path / "r", "https://example.gov.cn", 60)
    assert cli("check", "--as-of", "2022-10-01", str(tmp_path / "r")).exit_code == 0
    text = (tmp_path / "r" / "tasks.yaml").read_text(encoding="utf-8")
    assert [text.count(f'https://example.gov.cn/n/{n}"') for n in range(61)] == [1] * 60 + [0]
