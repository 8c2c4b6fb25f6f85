"""The progress bulletin (进展通报) laid out: one self-contained HTML page, or Markdown with the
same content. The data comes from :mod:`gkcli.core.report`, so it agrees with ``gkcli stats``."""

from __future__ import annotations

import html
from collections.abc import Sequence

from gkcli.core.queries import Item
from gkcli.core.report import Bulletin
from gkcli.core.stats import StatRow
from gkcli.core.timeline import lead_parties
from gkcli.domain.records import ENTRY_KIND_LABELS
from gkcli.render.columns import entry_text
from gkcli.render.formats import RawMarkdown, markdown_cell, markdown_link, markdown_table
from gkcli.text import terminal_safe

_COLORS = {"done": "#2e7d32", "red": "#c62828", "yellow": "#f9a825", "green": "#81c784"}
_LABELS = {"done": "已完成", "red": "红灯(逾期)", "yellow": "黄灯(临近)", "green": "绿灯(正常)"}


# ---- HTML ---------------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(terminal_safe(str(value)), quote=True)


def _bar_svg(row: StatRow, width: int = 600, height: int = 28) -> str:
    """A stacked bar of done / red / yellow / green, with a text alternative."""
    parts = [("done", row.done), ("red", row.red), ("yellow", row.yellow), ("green", row.green)]
    label = ",".join(f"{_LABELS[k]} {n} 项" for k, n in parts)
    out = [
        f'<svg role="img" aria-label="{_e(label)}" viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="none">'
    ]
    x = 0.0
    for key, count in parts:
        if not count or not row.total:
            continue
        w = width * count / row.total
        out.append(
            f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{height}" fill="{_COLORS[key]}"><title>{_e(_LABELS[key])} {count}</title></rect>'
        )
        x += w
    if not row.total:
        out.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eeeeee"/>')
    out.append("</svg>")
    return "".join(out)


def _section_chart_svg(rows: list[StatRow]) -> str:
    """Percent done per section, one labelled bar each."""
    line, label_w, bar_w = 26, 70, 480
    height = line * len(rows) + 8
    out = [f'<svg role="img" aria-label="各小节完成率" viewBox="0 0 {label_w + bar_w + 60} {height}" width="100%">']
    for n, row in enumerate(rows):
        y = 4 + n * line
        w = bar_w * row.percent_done / 100
        out.append(f'<text x="0" y="{y + 16}" font-size="13">{_e(row.key)}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="16" fill="#eeeeee"/>')
        out.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.2f}" height="16" fill="{_COLORS["done"]}"/>')
        out.append(f'<text x="{label_w + bar_w + 6}" y="{y + 16}" font-size="13">{row.percent_done:g}%</text>')
    out.append("</svg>")
    return "".join(out)


_CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:960px;
padding:16px;color:#222;line-height:1.6}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;border-left:4px solid #c62828;padding-left:8px;margin-top:1.6em}
.meta{color:#555}.cards{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
.card{flex:1 1 100px;border:1px solid #ddd;border-radius:6px;padding:8px 12px}
.card b{display:block;font-size:1.6em}.red b{color:#c62828}.yellow b{color:#b28704}.done b{color:#2e7d32}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;
margin-right:4px;vertical-align:middle}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right}
tr{page-break-inside:avoid}.none{color:#777}
@page{size:A4;margin:15mm}
@media print{body{max-width:none;padding:0}.scroll{overflow:visible}h2{page-break-after:avoid}}
"""


Cell = str | tuple[str, str | None]  # text, or text with a link (a progress note and where to see the work)


def _html_cell(cell: Cell) -> str:
    if isinstance(cell, tuple):
        text, link = cell
        anchor = f' <a href="{html.escape(link, quote=True)}" rel="noopener">链接</a>' if link else ""
        return _e(text) + anchor
    return _e(cell)


def _table(headers: list[str], rows: Sequence[Sequence[Cell]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{_html_cell(c)}</td>' if n in numeric else f"<td>{_html_cell(c)}</td>"
            for n, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _latest(item: Item) -> Cell:
    """The latest progress known on the day: date, unit and note (and its link)."""
    entry = item.entries[-1] if item.entries else None
    if entry is None:
        return "(暂无进展)"
    return (entry_text({"on": entry.on.isoformat(), "unit": entry.unit, "kind": entry.kind, "note": entry.note}),
            entry.link)  # fmt: skip


def _leads(b: Bulletin, item: Item) -> str:
    """The lead units, and for a shared task how many of its lead parties have done their part."""
    names = "、".join(item.task.lead)
    parties = lead_parties(b.registry, item.task)
    if len(parties) < 2:
        return names
    done = len(parties) - len(item.state.parts_open) if item.state is not None else 0
    return f"{names}(牵头单位完成 {done}/{len(parties)})"


_TAILS = {"overdue": "逾期天数", "left": "剩余天数", "late": "逾期天数", "done": "完成日期"}


def _task_rows(b: Bulletin, items: list[Item], tail: str) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for item in items:
        extra = {"overdue": item.days_overdue, "left": item.days_left, "late": item.days_late,
                 "done": item.done_on.isoformat() if item.done_on else ""}[tail]  # fmt: skip
        due = item.due.isoformat() if item.due else ""
        rows.append([str(item.task.id), item.task.title, _leads(b, item), due, str(extra), _latest(item)])
    return rows


def _task_headers(tail: str) -> list[str]:
    return ["序号", "重点工作", "牵头单位", "截止日期", _TAILS[tail], "最新进展"]


def _entry_rows(b: Bulletin) -> list[list[Cell]]:
    return [
        [e.on.isoformat(), str(item.task.id), e.unit or "(整项任务)", ENTRY_KIND_LABELS[e.kind], (e.note, e.link)]
        for item, e in b.entries
    ]


_ENTRY_HEADERS = ["日期", "序号", "单位", "类别", "进展情况"]


def _task_sections(b: Bulletin) -> list[tuple[str, list[Item], str]]:
    return [
        (f"红灯任务(已逾期,{len(b.red)} 项)", b.red, "overdue"),
        (f"黄灯任务(临近到期,{len(b.yellow)} 项)", b.yellow, "left"),
        (f"本期完成的任务({len(b.done)} 项)", b.done, "done"),
        (f"逾期完成的任务({len(b.late)} 项)", b.late, "late"),
    ]


def to_html(b: Bulletin) -> str:
    plan = b.registry.plan
    t = b.total
    cards = [("全部任务", t.total, ""), ("已完成", f"{t.done}({t.percent_done:g}%)", "done"), ("红灯", t.red, "red"),
             ("黄灯", t.yellow, "yellow"), ("绿灯", t.green, ""), ("逾期完成", t.done_late, "")]  # fmt: skip
    legend = "".join(f'<span><i style="background:{_COLORS[k]}"></i>{_e(v)}</span>' for k, v in _LABELS.items())
    unit_rows = [
        [
            r.label,
            str(r.lead or 0),
            str(r.responsible or 0),
            str(r.total),
            str(r.done),
            str(r.red),
            str(r.yellow),
            f"{r.percent_done:g}%",
        ]
        for r in b.units
    ]
    sections: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(plan.title)}进展通报({b.as_of.isoformat()})</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_e(plan.title)}进展通报</h1>",
        f'<p class="meta">{_e(plan.issuer)} {_e(plan.document_number)} · 统计截至 <time datetime="{b.as_of.isoformat()}">{b.as_of.isoformat()}</time></p>',
        '<div class="cards">' + "".join(f'<div class="card {c}"><span>{_e(k)}</span><b data-stat="{_e(k)}">{_e(v)}</b></div>' for k, v, c in cards) + "</div>",
        _bar_svg(t),
        f'<p class="legend">{legend}</p>',
        "<h2>各小节完成情况</h2>",
        _section_chart_svg(b.sections),
        "<h2>各单位任务情况</h2>",
        "<p>牵头、责任任务分开统计,经“县属有关单位”“各乡镇人民政府”分派的任务计入各成员单位。</p>",
        _table(["单位", "牵头", "责任", "合计", "已完成", "红灯", "黄灯", "完成率"], unit_rows, {1, 2, 3, 4, 5, 6, 7}),
        *(part for title, items, tail in _task_sections(b) for part in (
            f"<h2>{_e(title)}</h2>",
            _table(_task_headers(tail), _task_rows(b, items, tail), {0, 4}) if items else '<p class="none">无</p>',
        )),
        f"<h2>本期进展({_e(b.since.isoformat())} 之后至 {_e(b.as_of.isoformat())},{len(b.entries)} 条)</h2>",
        _table(_ENTRY_HEADERS, _entry_rows(b), {1}) if b.entries else '<p class="none">无</p>',
        "</body></html>",
    ]  # fmt: skip
    return "\n".join(sections) + "\n"


# ---- Markdown -----------------------------------------------------------------------------


def _md_cell(cell: Cell) -> str:
    if isinstance(cell, tuple):
        text, link = cell
        return markdown_cell(text) + (" " + markdown_link(link) if link else "")
    return markdown_cell(cell)


def _md_table(headers: list[str], rows: list[list[Cell]]) -> list[str]:
    return [markdown_table(headers, [[RawMarkdown(_md_cell(c)) for c in row] for row in rows])]


def to_markdown(b: Bulletin) -> str:
    plan = b.registry.plan
    t = b.total
    out = [
        f"# {markdown_cell(plan.title)}进展通报",
        "",
        f"{markdown_cell(plan.issuer)} {markdown_cell(plan.document_number)},统计截至 {b.as_of.isoformat()}",
        "",
        f"全部任务 {t.total} 项:已完成 {t.done} 项({t.percent_done:g}%,其中逾期完成 {t.done_late} 项),"
        f"红灯 {t.red} 项,黄灯 {t.yellow} 项,绿灯 {t.green} 项。",
        "",
        "## 各小节完成情况",
        "",
        *_md_table(
            ["小节", "标题", "任务", "已完成", "红灯", "黄灯", "完成率"],
            [[r.key, r.label, str(r.total), str(r.done), str(r.red), str(r.yellow), f"{r.percent_done:g}%"] for r in b.sections],
        ),
        "## 各单位任务情况",
        "",
        *_md_table(
            ["单位", "牵头", "责任", "合计", "已完成", "红灯", "黄灯", "完成率"],
            [[r.label, str(r.lead or 0), str(r.responsible or 0), str(r.total), str(r.done), str(r.red), str(r.yellow), f"{r.percent_done:g}%"] for r in b.units],
        ),
    ]  # fmt: skip
    for title, items, tail in _task_sections(b):
        out += [f"## {title}", ""]
        out += _md_table(_task_headers(tail), _task_rows(b, items, tail)) if items else ["无", ""]
    out += [f"## 本期进展({b.since.isoformat()} 之后至 {b.as_of.isoformat()},{len(b.entries)} 条)", ""]
    out += _md_table(_ENTRY_HEADERS, _entry_rows(b)) if b.entries else ["无", ""]
    return "\n".join(out)
