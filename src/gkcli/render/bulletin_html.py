"""The bulletin as one self-contained HTML page: styles and charts inside, no script, nothing
fetched; on a narrow screen each table row is a card, on paper each heading keeps with what follows."""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence

from gkcli.core.bulletin import Bulletin, Several
from gkcli.core.stats import StatRow
from gkcli.render import bulletin
from gkcli.text import chinese_punctuation, terminal_safe

_LABELS = {"done": "已完成", "red": "红灯(逾期)", "yellow": "黄灯(临近)", "green": "绿灯(正常)"}


def _e(value: object) -> str:
    return _escaped(str(value))


@functools.lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    """Text for HTML; remembered, as a bulletin repeats unit names, dates and notes thousands of times."""
    return html.escape(terminal_safe(chinese_punctuation(text)), quote=True)


def _stack_bar(row: StatRow) -> str:
    """The whole plan as one bar of done / red / yellow / green, with a text alternative."""
    parts = [
        (k, n) for k, n in (("done", row.done), ("red", row.red), ("yellow", row.yellow), ("green", row.green)) if n
    ]
    label = ",".join(f"{_LABELS[k]} {n} 项" for k, n in parts) or "暂无任务"
    segments = "".join(
        f'<i class="{k}" style="width:{100 * n / row.total:.2f}%" title="{_e(_LABELS[k])} {n} 项"></i>'
        for k, n in parts
    )
    return f'<div class="stack" role="img" aria-label="{_e(label)}">{segments}</div>'


def _section_chart(rows: list[StatRow]) -> str:
    """Percent done per section: the section's number and title (whole on hover), a bar, the count."""
    lines = "".join(
        f'<li><span class="k" title="{_e(row.key)} {_e(row.label)}">{_e(row.key)} {_e(row.label)}</span>'
        f'<span class="track"><i style="width:{row.percent_done:g}%"></i></span>'
        f'<span class="p">{row.percent_done:g}%({row.done}/{row.total})</span></li>'
        for row in rows
    )
    return f'<ul class="chart" aria-label="各小节完成率">{lines}</ul>'


# Narrow screens (a phone at 390 px) show each table row as a card of "header: value" lines;
# dates and unit names never break inside; printing keeps each heading with what follows it.
_CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:1100px;
padding:16px;color:#222;line-height:1.6;-webkit-print-color-adjust:exact;print-color-adjust:exact}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;border-left:4px solid #c62828;padding-left:8px;margin-top:1.6em;
break-after:avoid}h3{font-size:1.05em;margin:1.2em 0 .4em;break-after:avoid}.sign{text-align:right;margin:1.5em 4em 0 0}
h2.attachment{break-before:page}
.meta{color:#555}.number{text-align:center}.to{font-weight:bold}.cards{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
.card{flex:1 1 100px;box-sizing:border-box;border:1px solid #ddd;border-radius:6px;padding:8px 12px}
.card b{display:block;font-size:1.6em}.red b{color:#c62828}.yellow b{color:#b28704}.done b{color:#2e7d32}
.stack{display:flex;height:22px;background:#eee;border-radius:3px;overflow:hidden}.stack i{display:block}
i.done{background:#2e7d32}i.red{background:#c62828}i.yellow{background:#f9a825}i.green{background:#81c784}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;
margin-right:4px;vertical-align:middle}
.chart{list-style:none;padding:0;margin:0}
.chart li{display:grid;grid-template-columns:minmax(0,28em) minmax(6em,1fr) 7.5em;gap:4px 10px;align-items:center;
padding:2px 0;break-inside:avoid}
.chart .k{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.chart .track{height:14px;background:#eee;border-radius:3px;overflow:hidden}.chart .track i{display:block;height:100%;
background:#2e7d32}.chart .p{white-space:nowrap;text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top}th{background:#f3f3f3;white-space:nowrap}
td.n{text-align:right;white-space:nowrap}td.d,td.u{white-space:nowrap}td.w{min-width:8em}
tr{break-inside:avoid}.none,.more{color:#777}.intro{break-after:avoid}
@media (max-width:640px){
.chart li{grid-template-columns:1fr 7.5em}.chart .k{grid-column:1/-1;white-space:normal}
.rows,.rows tbody,.rows tr,.rows td{display:block}.rows thead{display:none}.rows tr{border:1px solid #ccc;
border-radius:6px;margin:0 0 8px;padding:4px 8px}.rows td{border:0;padding:1px 0;display:grid;
grid-template-columns:5.5em 1fr;gap:6px}.rows td.n,.rows td.d{text-align:left}.rows td.u{white-space:normal}
.rows td::before{content:attr(data-label);color:#666}.grid{font-size:.8em}.grid th{white-space:normal}
.grid th,.grid td{padding:3px 4px}
}
@page{size:A4;margin:15mm}
@media print{body{max-width:none;padding:0}.scroll{overflow:visible}.chart .k{white-space:normal}thead{display:table-header-group}
a[href]::after{content:"(" attr(href) ")";word-break:break-all;color:#555}}
time{white-space:nowrap}
"""


def _html_cell(cell: bulletin.Cell) -> str:
    if isinstance(cell, tuple):
        text, link = cell
        anchor = (
            f' <a href="{html.escape(link, quote=True)}" rel="noopener">链接</a>' if link else ""
        )  # on paper: the address
        return _e(text) + anchor
    return _e(cell)


def _table(
    headers: list[str],
    rows: Sequence[Sequence[bulletin.Cell]],
    classes: dict[int, str] | None = None,
    *,
    cards: bool = True,
) -> str:
    """A table whose cells carry their header (for the card layout on narrow screens); ``classes``
    marks columns as numbers ``n``, dates ``d``, unit names ``u`` or wide text ``w``. A table of
    numbers (``cards=False``) stays a table on narrow screens, in smaller type."""
    classes = classes or {}
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)

    css = {n: f' class="{name}"' for n, name in classes.items()}
    opening = [f'<td{css.get(n, "")} data-label="{_e(h)}">' for n, h in enumerate(headers)]  # once per column
    parts: list[str] = []  # one join at the end: a province's bulletin has tens of thousands of cells
    for row in rows:
        parts.append("<tr>")
        for start, value in zip(opening, row, strict=False):
            parts += (start, _html_cell(value) if type(value) is tuple else _e(value), "</td>")
        parts.append("</tr>")
    body = "".join(parts)
    kind = "rows" if cards else "grid"
    return (
        f'<div class="scroll"><table class="{kind}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
    )


def to_html(b: Bulletin | Several, limit: int = 0) -> str:
    """The bulletin (over one plan or several) as one HTML page: styles and charts inside, no
    script, nothing fetched."""
    blocks = bulletin.outline_of(b, limit)
    title = next(block for block in blocks if isinstance(block, bulletin.Title))
    head = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title.text)}({title.as_of.isoformat()})</title>",
        f"<style>{_CSS}</style></head><body>",
    ]
    return "\n".join([*head, *(_html_block(block) for block in blocks), "</body></html>"]) + "\n"


@functools.singledispatch
def _html_block(block: object) -> str:
    raise TypeError(type(block).__name__)  # pragma: no cover - every kind of block has a writer


@_html_block.register
def _(block: bulletin.Title) -> str:
    day = block.as_of.isoformat()
    number = f'<p class="number">{_e(block.number)}</p>\n' if block.number else ""
    to = f'\n<p class="to">{_e(block.to.rstrip(":：") + "：")}</p>' if block.to else ""
    return (
        f"{number}<h1>{_e(block.text)}</h1>\n"
        f'<p class="meta">{_e(block.meta)} · 统计截至 <time datetime="{day}">{day}</time></p>{to}'
    )


@_html_block.register
def _(block: bulletin.Heading) -> str:
    text = _e(block.text)
    for day in block.dates:
        text = text.replace(day.isoformat(), _date(day), 1)
    tag = "h2" if block.level == 1 else "h3"
    return f'<{tag} id="{block.anchor}">{text}</{tag}>'


@_html_block.register
def _(block: bulletin.Signature) -> str:
    return f'<p class="sign">{_e(block.issuer)}<br>{_date(block.day)}</p>'


@_html_block.register
def _(block: bulletin.Attachment) -> str:
    return f'<h2 id="attachment" class="attachment">附件：{_e(block.title)}</h2>'


@_html_block.register
def _(block: bulletin.Note) -> str:
    return f'<p class="intro">{_e(block.text)}</p>'


@_html_block.register
def _(block: bulletin.Figures) -> str:
    t = block.total
    cards = [("全部任务", t.total, ""), ("已完成", f"{t.done}({t.percent_done:g}%)", "done"), ("红灯", t.red, "red"),
             ("黄灯", t.yellow, "yellow"), ("绿灯", t.green, ""), ("逾期完成", t.done_late, "")]  # fmt: skip
    legend = "".join(f'<span><i class="{k}"></i>{_e(v)}</span>' for k, v in _LABELS.items())
    boxes = "".join(
        f'<div class="card {c}"><span>{_e(k)}</span><b data-stat="{_e(k)}">{_e(v)}</b></div>' for k, v, c in cards
    )
    return f'<div class="cards">{boxes}</div>\n{_stack_bar(t)}\n<p class="legend">{legend}</p>'


@_html_block.register
def _(block: bulletin.Chart) -> str:
    return _section_chart(block.rows)


@_html_block.register
def _(block: bulletin.Table) -> str:
    if not block.rows:
        return '<p class="none">无</p>'
    note = bulletin.more_note(block.total, block.limit)
    return _table(block.headers, block.rows, block.classes, cards=block.cards) + (
        f'<p class="more">{_e(note)}</p>' if note else ""
    )


def _date(day: object) -> str:
    """A date that never breaks across lines."""
    text = day.isoformat() if hasattr(day, "isoformat") else str(day)
    return f'<time datetime="{_e(text)}">{_e(text)}</time>'


def html_file(b: Bulletin | Several, limit: int = 0) -> bytes:
    return to_html(b, limit).encode("utf-8")
