"""The evidence behind the entries: every 佐证链接 of the log checked — does the page still open, where
does it end up, what is its title and the publish date it shows — with a verdict an assessor would
give: 可访问 (``ok``), 已失效 (``dead``: 4xx, 5xx, no answer) or 无发布日期 (``no_date``).

Each address is fetched once however many entries cite it, several at a time; the fetching itself
(:mod:`gkcli.store.web`) and the copies kept (:mod:`gkcli.store.evidence`) are the store's. What a
check found is logged (``link_checked``), so the bulletin and the progress table can mark the
entries whose evidence failed at the last check, as known on any day."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from gkcli.core.queries import TaskFilter, list_tasks
from gkcli.domain.records import LogEvent, LogFile, Verdict
from gkcli.domain.registry import Registry
from gkcli.domain.units import Entity

if TYPE_CHECKING:
    from gkcli.store.web import Page

WORKERS = 8  # pages fetched at once: a county site is often one small server


@dataclass(frozen=True)
class Evidence:
    """One entry's link: the task, the unit that reported, the entry's date and the address."""

    task: int
    unit: str | None
    on: dt.date
    url: str


def evidence(
    registry: Registry, as_of: dt.date, *, unit: Entity | None = None, since: dt.date | None = None,
    known_on: dt.date | None = None,
) -> list[Evidence]:  # fmt: skip
    """Every link in the log of the tasks ``list`` would give (``unit``'s, as of ``as_of``, known on
    ``known_on``), from entries dated after ``since``; by task, date, unit and address."""
    found = {
        Evidence(item.task.id, entry.unit, entry.on, entry.link)
        for item in list_tasks(registry, TaskFilter(as_of=as_of, unit=unit, known_on=known_on))
        for entry in item.entries
        if entry.link and (since is None or entry.on > since)
    }
    return sorted(found, key=lambda e: (e.task, e.on, e.unit or "", e.url))


@dataclass(frozen=True)
class Checked:
    """What the page at one address showed."""

    url: str
    status: int | None
    final_url: str
    title: str | None
    published: dt.date | None
    verdict: Verdict
    problem: str | None = None  # why it is dead, or what was odd (only the start of a large page read)
    redirects: tuple[str, ...] = ()
    archived: str | None = None  # saved, unchanged (a copy was kept before and the page is the same)


# ---- reading a page -------------------------------------------------------------------------

_DATE = re.compile(r"((?:19|20)[0-9]{2})\s*(?:[-/.年])\s*([01]?[0-9])\s*(?:[-/.月])\s*([0-3]?[0-9])")
_SAID = re.compile(r"(?:发布|发表|公开|成文|更新|印发)(?:时间|日期|于)\s*[::]?\s*")
_META_NAMES = frozenset({"pubdate", "publishdate", "publish_date", "firstpublishedtime", "article:published_time",
                         "og:published_time", "dc.date", "dcterms.issued", "releasedate"})  # fmt: skip
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.in_title = False
        self.dated: list[str] = []  # from <meta> and <time>: the surest
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k.lower(): v or "" for k, v in attrs}
        if tag == "title":
            self.in_title = True
        elif tag == "meta" and (found.get("name") or found.get("property") or "").lower() in _META_NAMES:
            self.dated.append(found.get("content", ""))
        elif tag == "time" and found.get("datetime"):
            self.dated.append(found["datetime"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif len(self.text) < 20000:
            self.text.append(data)


def _day(text: str) -> dt.date | None:
    found = _DATE.search(text)
    if found is None:
        return None
    try:
        return dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def decoded(body: bytes, content_type: str | None) -> str:
    """A page's text in the charset its header or its own ``<meta>`` names (GB2312 and GBK read as
    GB18030, their superset), else UTF-8, else GB18030."""
    named = _CHARSET.search((content_type or "").encode("latin-1", "replace")) or _CHARSET.search(body[:4096])
    candidates = [named[1].decode("ascii", "replace").lower()] if named else []
    for charset in [*candidates, "utf-8", "gb18030"]:
        charset = "gb18030" if charset in ("gb2312", "gbk", "x-gbk") else charset
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", "replace")


def read_page(body: bytes, content_type: str | None) -> tuple[str | None, dt.date | None]:
    """A page's title and the publish date it shows: a ``<meta>`` naming it (``PubDate`` …) or a
    ``<time datetime>``, else the date after 发布时间/发布日期/… in its text."""
    reader = _Reader()
    try:
        reader.feed(decoded(body, content_type))
        reader.close()
    except (AssertionError, ValueError):  # a page too broken to parse: what was read stands
        pass
    title = " ".join("".join(reader.title).split()) or None
    for value in reader.dated:
        day = _day(value)
        if day is not None:
            return title, day
    text = " ".join("".join(reader.text).split())
    for said in _SAID.finditer(text):
        day = _day(text[said.end() : said.end() + 24])
        if day is not None:
            return title, day
    return title, None


def judged(page: Page, body: bytes | None = None) -> Checked:
    """The verdict on a fetched page (``body``: the copy kept, for a page that did not change)."""
    if page.failure is not None or page.status is None:
        return Checked(page.url, page.status, page.final_url, None, None, "dead", page.failure or "没有应答",
                       tuple(page.redirects))  # fmt: skip
    if page.status >= 400 or (300 <= page.status < 400 and page.status != 304):
        return Checked(page.url, page.status, page.final_url, None, None, "dead", f"HTTP {page.status}",
                       tuple(page.redirects))  # fmt: skip
    title, published = read_page(body if body is not None else page.body, page.headers.get("content-type"))
    problem = "页面过大,只读取了开头" if page.truncated else None
    verdict: Verdict = "ok" if published is not None else "no_date"
    return Checked(page.url, page.status, page.final_url, title, published, verdict, problem, tuple(page.redirects))


def check_all(urls: Iterable[str], check: Callable[[str], Checked], workers: int = WORKERS) -> dict[str, Checked]:
    """Each address checked once, ``workers`` at a time; the results by address, in the order given."""
    ordered = list(dict.fromkeys(urls))
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(ordered) or 1))) as pool:
        results = list(pool.map(check, ordered))
    return dict(zip(ordered, results, strict=True))


def logged(found: Mapping[str, Checked], today: dt.date) -> list[LogEvent]:
    """The log's lines for a check: one per address, in address order."""
    return [
        LogEvent(today, "link_checked", url=url, status=c.status, verdict=c.verdict) for url, c in sorted(found.items())
    ]


def failed_links(log: LogFile, known_on: dt.date) -> dict[str, dt.date]:
    """The addresses whose latest check known on ``known_on`` found them dead, with that check's date."""
    latest: dict[str, LogEvent] = {}
    for event in log.events:
        url = event.url if event.kind == "link_checked" and event.on <= known_on else None
        if url is not None and (url not in latest or latest[url].on <= event.on):
            latest[url] = event
    return {url: e.on for url, e in sorted(latest.items()) if e.verdict == "dead"}


def with_results(found: Sequence[Evidence], results: Mapping[str, Checked]) -> list[tuple[Evidence, Checked]]:
    return [(e, results[e.url]) for e in found]
