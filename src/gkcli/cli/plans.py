"""Plans side by side: diff, carryover (in a workspace of several plans)."""

from __future__ import annotations

from typing import Annotated

import typer

from gkcli.cli import options as opt
from gkcli.cli.base import command
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue
from gkcli.render.formats import json_text
from gkcli.render.views import Lines, Result
from gkcli.text import terminal_safe

Format = Annotated[opt.TextFormat, typer.Option("--format", "-f", help="输出格式。")]


def _two(ctx: typer.Context, first: str, second: str) -> tuple[Registry, Registry]:
    by_id = dict(opt.registries(ctx))
    missing = [p for p in (first, second) if p not in by_id]
    if missing:
        raise BadValue(f"工作区中没有要点 {'、'.join(missing)}", hint=f"现有: {'、'.join(by_id)}")
    return by_id[first], by_id[second]


@command("diff")
def diff_command(
    ctx: typer.Context,
    first: Annotated[str, typer.Argument(metavar="PLAN", help="较早的一份要点的简称。", show_default=False)],
    second: Annotated[str, typer.Argument(metavar="PLAN", help="较晚的一份要点的简称。", show_default=False)],
    fmt: Format = opt.TextFormat.text,
) -> Result:
    """两份要点的对比:延续下来的任务(按标题相近配对,供核对)、新增的和不再列入的,以及延续的比例。

    示例: gkcli --data 台账 diff 2022 2023
    """
    from gkcli.core.plans import compare

    old, new = _two(ctx, first, second)
    found = compare(old, new)
    share = round(100 * found.recurring_share)
    if fmt.value == "json":
        return Result(Lines([json_text({
            "recurring": [{"from": p.old.id, "to": p.new.id, "likeness": p.likeness} for p in found.pairs],
            "added": [t.id for t in found.added], "dropped": [t.id for t in found.dropped], "recurring_percent": share,
        }).rstrip("\n")]))  # fmt: skip
    lines = [f"{first} 的 {len(old.tasks)} 项任务中,{len(found.pairs)} 项在 {second} 中延续({share}%),"
             f"{len(found.dropped)} 项不再列入;{second} 新增 {len(found.added)} 项。", "", "延续(按标题相近配对,请核对):"]  # fmt: skip
    lines += [f"  {first}:{p.old.id} → {second}:{p.new.id}(相近 {p.likeness:.2f}){p.new.title}" for p in found.pairs]
    lines += ["", "不再列入:", *(f"  {first}:{t.id} {t.title}" for t in found.dropped)] + (
        [] if found.dropped else ["  (无)"]
    )
    lines += ["", "新增:", *(f"  {second}:{t.id} {t.title}" for t in found.added)] + ([] if found.added else ["  (无)"])
    return Result(Lines(lines))


@command("carryover")
def carryover_command(
    ctx: typer.Context,
    first: Annotated[str, typer.Option("--from", metavar="PLAN", help="上一年的要点。", show_default=False)],
    second: Annotated[str, typer.Option("--to", metavar="PLAN", help="接续的要点。", show_default=False)],
    known_on: opt.KnownOn = None,
    skip: Annotated[
        list[int] | None,
        typer.Option(
            "--skip", metavar="ID", help="核对后不采用的配对:上一年任务的序号(可写多次)。", show_default=False
        ),
    ] = None,
    pair: Annotated[
        list[str] | None,
        typer.Option(
            "--pair",
            metavar="OLD=NEW",
            help="人工配对,如 --pair 36=2:上一年任务 36 由新要点任务 2 接续(可写多次)。",
            show_default=False,
        ),
    ] = None,
    write: Annotated[
        bool, typer.Option("--write", help="核对无误后写入:在新要点的接续任务上记下它接续哪一项(再运行一次不会重复)。")
    ] = False,
    fmt: Format = opt.TextFormat.text,
) -> Result:
    """结转:上一年的要点中到年底仍未完成的任务,各配上新要点中接续它的任务(按标题相近,供核对);
    没有相近任务的列出来,由办公室决定是否作为新任务结转。加 --write 把配对记入新要点。

    示例: gkcli --data 台账 carryover --from 2022 --to 2023 --skip 7 --pair 36=2 --write
    """
    from gkcli.core.plans import compare, confirmed, still_open

    chosen = dict(_pairing(text) for text in pair or ())
    old, new = _two(ctx, first, second)
    open_tasks = still_open(old, known_on)
    found = confirmed(compare(old, new, open_tasks), set(skip or ()), chosen, new)
    notes: list[str] = []
    if write:
        from gkcli.core import updates

        folder = next(plan.folder for plan in opt.plans(ctx) if plan.id == second)
        links = {p.new.id: f"{first}:{p.old.id}" for p in found.pairs}
        written = updates.link_carried(folder, links, opt.today())
        notes.append(
            f"已在 {second} 的 {len(written)} 项任务上记下接续关系" if written else "接续关系都已记下,没有要写入的"
        )
    if fmt.value == "json":
        return Result(Lines([json_text({
            "open": len(open_tasks),
            "continued": [
                {"from": p.old.id, "to": p.new.id, "likeness": p.likeness, "by_hand": p.by_hand} for p in found.pairs
            ],
            "not_continued": [t.id for t in found.dropped],
        }).rstrip("\n")]), notes=notes)  # fmt: skip
    lines = [f"{first} 到 {old.plan.year} 年底仍未完成 {len(open_tasks)} 项:{len(found.pairs)} 项在 {second} 中有接续的任务,"
             f"{len(found.dropped)} 项没有。", "", "有接续的(请核对):"]  # fmt: skip
    lines += [
        f"  {first}:{p.old.id} → {second}:{p.new.id}({'人工配对' if p.by_hand else '相近'} {p.likeness:.2f}){p.old.title}"
        for p in found.pairs
    ]
    lines += ["", f"{second} 中没有相近任务的(需决定是否作为新任务结转):"]
    lines += [f"  {first}:{t.id} {t.title}" for t in found.dropped]
    return Result(Lines(lines), notes=notes)


def _pairing(text: str) -> tuple[int, int]:
    """``36=2`` of --pair: the old plan's task 36 continued by the new plan's task 2."""
    old, sep, new = text.partition("=")
    try:
        if sep:
            return opt.task_id(old.strip()), opt.task_id(new.strip())
    except BadValue:
        pass
    raise BadValue(f"--pair 应写作 上年序号=新序号: {terminal_safe(text, one_line=True)}", hint="例如 --pair 36=2")
