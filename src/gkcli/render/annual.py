"""The annual report's plan section (年报要点落实情况): how the year's tasks were carried out, in words
to paste into sections 一 and 五 of the 政府信息公开工作年度报告, laid out as blocks and written by the
bulletin's Word and Markdown writers (the same 公文 layout)."""

from __future__ import annotations

import datetime as dt

from gkcli.core.annual import Annual, evidence_of, latest_words
from gkcli.core.queries import Item
from gkcli.render.bulletin import Block, Heading, Note, Signature, Title

_NUMERALS = "一二三四五六七八九十"


def _date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _percent(done: int, counted: int) -> str:
    return f"{round(100 * done / counted, 1) if counted else 0.0:g}%"


def outline(a: Annual) -> list[Block]:
    plan = a.registry.plan
    t = a.total
    counted = t.total - t.carried
    blocks: list[Block] = [
        Title(f"{plan.title}落实情况", f"{plan.issuer} {plan.document_number}", a.as_of),
        Note(f"（供{a.year}年政府信息公开工作年度报告第一部分“总体情况”和第五部分“存在的主要问题及改进情况”使用）"),
        Heading("一、总体情况", "overview", level=1),
        Note(
            f"{plan.issuer}于{_date(plan.issued_on)}印发《{plan.title}》（{plan.document_number}），部署重点任务 {t.total} 项。"
            f"截至{_date(a.as_of)},已完成 {t.done} 项（其中逾期完成 {t.done_late} 项），完成率 {_percent(t.done, counted)};"
            f"经批准延期 {len(a.extended)} 项;结转下一年度 {t.carried} 项;尚未完成 {a.open_count} 项。"
        ),
    ]
    for n, facts in enumerate(a.parts):
        blocks.append(Heading(f"（{_NUMERALS[n % 10]}）{facts.part.title}", f"part-{facts.part.id}"))
        blocks.append(Note(f"本部分重点任务 {len(facts.items)} 项,已完成 {facts.done} 项。"))
        blocks += [Note(_done_sentence(i)) for i in facts.items if i.status == "done"]
    blocks.append(Heading("二、存在的主要问题及改进情况", "problems", level=1))
    if a.open_items:
        blocks.append(Note(f"截至{_date(a.as_of)},尚有 {a.open_count} 项任务未完成:"))
        blocks += [Note(_open_sentence(i)) for i in a.open_items]
    else:
        blocks.append(Note("年度重点任务均已完成或结转。"))
    if a.extended:
        blocks.append(
            Note(f"经批准延期的任务 {len(a.extended)} 项:" + ";".join(_extended(i) for i in a.extended) + "。")
        )
    if a.carried:
        blocks.append(Note("结转下一年度继续推进的任务:" + ";".join(_carried(i) for i in a.carried) + "。"))
    blocks.append(Signature(plan.issuer, a.as_of))
    return blocks


def _which(item: Item) -> str:
    return f"{item.task.id}. {item.task.title.rstrip('。')}（{'、'.join(item.task.lead)}牵头）"


def _done_sentence(item: Item) -> str:
    late = f",逾期 {item.days_late} 天" if item.days_late else ""
    links = evidence_of(item)
    shown = f"佐证:{'、'.join(links)}" if links else "未登记佐证链接"
    return f"{_which(item)}:于{_date(item.done_on)}完成{late}。{shown}。"


def _open_sentence(item: Item) -> str:
    latest = latest_words(item)
    said = f"最新进展（{latest.on.isoformat()}）：{latest.note}" if latest else "未登记进展"
    due = f"截止日期 {item.due.isoformat()}" if item.due else f"完成时限“{item.task.deadline}”"
    return f"{_which(item)}:{due},{said}。"


def _extended(item: Item) -> str:
    grants = [e for e in item.entries if e.kind == "extend" and e.due]
    moved = "、".join(f"{e.on.isoformat()} 批准延至 {e.due.isoformat() if e.due else ''}" for e in grants)
    return f"任务 {item.task.id}（{moved}）"


def _carried(item: Item) -> str:
    where = item.state.carried.note if item.state is not None and item.state.carried is not None else "结转"
    return f"任务 {item.task.id}（{where}）"


def to_docx(a: Annual) -> bytes:
    from gkcli.render.bulletin_word import blocks_docx

    return blocks_docx(outline(a), a.registry.plan.issuer, a.as_of)


def to_markdown(a: Annual) -> bytes:
    from gkcli.render.bulletin_markdown import blocks_markdown

    return blocks_markdown(outline(a)).encode("utf-8")
