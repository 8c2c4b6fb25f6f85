"""Evidence links checked against real pages served on 127.0.0.1 (tests/servers.py): each verdict as an
assessor would give it, the limits (time, size, redirects, private addresses), the copies kept, and
what the log makes of a check afterwards (the bulletin and the progress table, as known on a day)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gkcli.core.links import failed_links, read_page
from gkcli.domain.records import LogEvent, LogFile
from gkcli.store.web import is_public

from . import servers
from .conftest import Cli

PATHS = ["/dated", "/gbk", "/time", "/nodate", "/missing", "/broken", "/slow", "/loop", "/moved", "/big"]


def _cite(
    cli: Cli, base: str, paths: list[str], task_marker: str = "    deadline: 12月底前\n    status: not_started\n"
) -> None:
    """Task 3 (lead 县财政局) gets one progress entry per path, dated 09-01, 09-02, …, citing it."""
    folder = Path(cli.env["GKCLI_DATA"])
    text = (folder / "tasks.yaml").read_text(encoding="utf-8")
    entries = "".join(
        f'      - {{date: 2022-09-{n + 1:02d}, note: 进展{n}, unit: 县财政局, link: "{base}{path}", recorded: 2022-09-{n + 1:02d}}}\n'
        for n, path in enumerate(paths)
    )
    assert task_marker in text
    replaced = task_marker.replace("not_started", "in_progress") + "    progress:\n" + entries
    (folder / "tasks.yaml").write_text(text.replace(task_marker, replaced, 1), encoding="utf-8")


def _check(cli: Cli, *args: str, today: str = "2022-10-01") -> list[dict[str, object]]:
    result = cli("links", "check", "--allow-private", "--timeout", "3", *args, "-f", "json", GKCLI_TODAY=today)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.mark.slow  # pages that answer slowly or never: seconds of waiting
def test_every_page_gets_the_verdict_an_assessor_would_give(cli: Cli) -> None:
    """/dated (PubDate meta), /gbk (GB2312, 发布时间 in the text), /time (<time>), /moved (301 to /dated):
    可访问 with their dates; /nodate and /big (50 MB, only the start read): 无发布日期; /missing (404),
    /broken (500), /slow (no answer within 3 s), /loop (redirect loop): 已失效. All within seconds."""
    with servers.pages(slow_seconds=8) as site:
        _cite(cli, site.base, PATHS)
        started = time.monotonic()
        found = {r["url"].removeprefix(site.base): r for r in _check(cli)}  # type: ignore[union-attr]
        took = time.monotonic() - started
    verdicts = {path: found[path]["verdict"] for path in PATHS}
    assert verdicts == {
        "/dated": "ok", "/gbk": "ok", "/time": "ok", "/nodate": "no_date", "/missing": "dead", "/broken": "dead",
        "/slow": "dead", "/loop": "dead", "/moved": "ok", "/big": "no_date",
    }  # fmt: skip
    assert (found["/dated"]["title"], found["/dated"]["published"]) == ("嵊泗县财政局 预算公开", "2022-09-18")
    assert (found["/gbk"]["title"], found["/gbk"]["published"]) == ("决策目录", "2022-09-20")
    assert found["/time"]["published"] == "2022-07-28"
    assert found["/moved"]["final_url"] == site.base + "/dated" and found["/moved"]["redirects"] == [
        site.base + "/dated"
    ]
    assert (found["/missing"]["status"], found["/broken"]["status"]) == (404, 500)
    assert found["/slow"]["status"] is None and "超时" in str(found["/slow"]["problem"])
    assert "重定向循环" in str(found["/loop"]["problem"])
    assert found["/big"]["title"] == "big" and "只读取了开头" in str(found["/big"]["problem"])
    assert took < 15  # 10 pages, one slow and one of 50 MB, checked at once
    for record in found.values():
        assert {"task", "unit", "url", "status", "final_url", "title", "published", "verdict"} <= set(record)
        assert record["task"] == 3 and record["unit"] == "县财政局"


def test_private_addresses_are_not_visited_unless_allowed(cli: Cli) -> None:
    with servers.pages() as site:
        _cite(cli, site.base, ["/dated"])
        result = cli("links", "check", "-f", "json", GKCLI_TODAY="2022-10-01")
        assert site.hits == {}  # no request reached the server
    [record] = json.loads(result.stdout)
    assert record["verdict"] == "dead" and "--allow-private" in record["problem"]


@pytest.mark.parametrize(
    ("address", "public"),
    [("8.8.8.8", True), ("2001:4860:4860::8888", True), ("10.1.2.3", False), ("172.16.0.1", False),
     ("192.168.1.1", False), ("127.0.0.1", False), ("::1", False), ("fe80::1", False), ("169.254.169.254", False),
     ("::ffff:127.0.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False)],
)  # fmt: skip
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public(address) is public


def test_archive_keeps_pages_once_and_asks_if_changed(cli: Cli, tmp_path: Path) -> None:
    """First run: a copy and an index per page that opened. Second run: nothing written again (the
    same bytes, or 304 for /etag, whose title and date are then read from the copy kept)."""
    archive = tmp_path / "留存"
    with servers.pages() as site:
        _cite(cli, site.base, ["/dated", "/etag", "/missing"])
        first = {r["url"].removeprefix(site.base): r for r in _check(cli, "--archive", str(archive))}  # type: ignore[union-attr]
        files = {p.name: p.stat().st_mtime_ns for p in archive.iterdir()}
        second = {r["url"].removeprefix(site.base): r for r in _check(cli, "--archive", str(archive))}  # type: ignore[union-attr]
    assert [first[p]["archived"] for p in ("/dated", "/etag", "/missing")] == ["saved", "saved", None]
    assert [second[p]["archived"] for p in ("/dated", "/etag")] == ["unchanged", "unchanged"]
    assert second["/etag"]["status"] == 304 and second["/etag"]["published"] == "2022-09-18"
    assert {p.name: p.stat().st_mtime_ns for p in archive.iterdir()} == files and len(files) == 4
    index = next(json.loads(p.read_text(encoding="utf-8")) for p in archive.glob("*.json")
                 if json.loads(p.read_text(encoding="utf-8"))["url"].endswith("/dated"))  # fmt: skip
    [copy] = index["copies"]
    kept = (archive / copy["file"]).read_bytes()
    assert copy["sha256"] == __import__("hashlib").sha256(kept).hexdigest() and kept == servers.PAGE_WITH_DATE.encode()
    assert copy["fetched_at"] and copy["status"] == 200


def test_a_check_is_logged_and_the_bulletin_marks_dead_evidence_as_known_then(cli: Cli, tmp_path: Path) -> None:
    """Checked on 09-20: /missing is dead. The bulletin as of 09-30 lists the entry citing it and the
    progress table marks it; known on 09-19 (before the check) it does not."""
    with servers.pages() as site:
        _cite(cli, site.base, ["/dated", "/missing"])
        _check(cli, today="2022-09-20")
    log = (Path(cli.env["GKCLI_DATA"]) / "log.yaml").read_text(encoding="utf-8")
    assert log.count("kind: link_checked") == 2 and "verdict: dead" in log
    report = cli("report", "-f", "markdown", "--as-of", "2022-09-30", GKCLI_TODAY="2022-10-01").stdout
    assert "佐证链接已失效的进展记录(1 条)" in report and "2022-09-20 检查" in report
    earlier = cli("report", "-f", "markdown", "--as-of", "2022-09-30", "--known-on", "2022-09-19",
                  GKCLI_TODAY="2022-10-01").stdout  # fmt: skip
    assert "佐证链接已失效" not in earlier
    docx = pytest.importorskip("docx")
    out = tmp_path / "进展.docx"
    assert cli("export", "-o", str(out), "--as-of", "2022-09-30", GKCLI_TODAY="2022-10-01").exit_code == 0
    cells = [c.text for row in docx.Document(str(out)).tables[0].rows for c in row.cells]
    assert any("佐证链接已失效(2022-09-20 检查)" in c for c in cells)


def test_the_latest_check_decides() -> None:
    log = LogFile((
        LogEvent(dt.date(2022, 9, 1), "link_checked", url="https://a.gov.cn/1", status=404, verdict="dead"),
        LogEvent(dt.date(2022, 9, 5), "link_checked", url="https://a.gov.cn/1", status=200, verdict="ok"),
        LogEvent(dt.date(2022, 9, 5), "link_checked", url="https://a.gov.cn/2", status=None, verdict="dead"),
    ))  # fmt: skip
    assert failed_links(log, dt.date(2022, 9, 3)) == {"https://a.gov.cn/1": dt.date(2022, 9, 1)}
    assert failed_links(log, dt.date(2022, 9, 30)) == {"https://a.gov.cn/2": dt.date(2022, 9, 5)}


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<meta name="PubDate" content="2022-09-18 09:30"><title>a</title>', dt.date(2022, 9, 18)),
        ('<meta property="article:published_time" content="2022-08-01T10:00:00+08:00">', dt.date(2022, 8, 1)),
        ("<div>发布日期:2022/7/5</div>", dt.date(2022, 7, 5)),
        ("<span>发布时间 : 2022年10月1日 09:00</span>", dt.date(2022, 10, 1)),
        ("<p>成文日期:2022.06.30</p>", dt.date(2022, 6, 30)),
        ('<time datetime="2022-07-28">7月28日</time>', dt.date(2022, 7, 28)),
        ("<p>2022年9月1日召开会议</p>", None),  # a date not said to be the publish date
        ("<p>发布时间:2022-02-30</p>", None),  # not a date
    ],
)
def test_publish_dates_as_county_sites_write_them(html: str, expected: dt.date | None) -> None:
    assert read_page(html.encode("utf-8"), "text/html; charset=utf-8")[1] == expected


def test_a_gbk_page_without_a_charset_reads(tmp_path: Path) -> None:
    body = "<title>政务公开</title><p>发布时间:2022-09-01</p>".encode("gbk")
    assert read_page(body, "text/html") == ("政务公开", dt.date(2022, 9, 1))


@pytest.mark.slow  # a process per hash seed
def test_links_check_json_is_the_same_bytes_in_every_process(cli: Cli) -> None:
    with servers.pages() as site:
        _cite(cli, site.base, ["/nodate", "/dated", "/missing", "/moved"])
        outputs = set()
        for seed in ("1", "2"):
            env = {
                **os.environ,
                "PYTHONHASHSEED": seed,
                "GKCLI_DATA": cli.env["GKCLI_DATA"],
                "GKCLI_TODAY": "2022-10-01",
            }
            done = subprocess.run([sys.executable, "-m", "gkcli", "links", "check", "--allow-private", "-f", "json"],
                                  env=env, capture_output=True, check=True)  # fmt: skip
            outputs.add(done.stdout)
    assert len(outputs) == 1


def test_no_links_says_so(cli: Cli) -> None:
    result = cli("links", "check", GKCLI_TODAY="2022-10-01")
    assert result.exit_code == 0 and "没有佐证链接" in result.stdout
