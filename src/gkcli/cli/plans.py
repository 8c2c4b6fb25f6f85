"""Plans side by side: diff, carryover (in a workspace of several plans)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from gkcli.cli import context
from gkcli.cli import options as opt
from gkcli.cli.base import command
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue
from gkcli.render.formats import json_text
from gkcli.render.views import Lines, Result
from gkcli.text import terminal_safe

if TYPE_CHECKING:
    from gkcli.core.plans import Carryover, Pair
    from gkcli.store.locate import RegistryFolder

Format = Annotated[opt.TextFormat, typer.Option("--format", "-f", help="输出格式。")]


def _two(ctx: typer.Context, first: str, second: str) -> tuple[Registry, Registry]:
    if first == second:
        raise BadValue(f"要比较的是两份不同的要点,这里两次都是 {first}", hint="例如 carryover --from 2022 --to 2023")
    by_id = dict(context.of(ctx).plans())
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
    notes = list(found.cut)
    if fmt.value == "json":
        return Result(Lines([json_text({
            "recurring": [{"from": p.old.id, "to": p.new.id, "likeness": p.likeness} for p in found.pairs],
            "added": [t.id for t in found.added], "dropped": [t.id for t in found.dropped], "recurring_percent": share,
        }).rstrip("\n")]), notes=notes)  # fmt: skip
    lines = [f"{first} 的 {len(old.tasks)} 项任务中,{len(found.pairs)} 项在 {second} 中延续({share}%),"
             f"{len(found.dropped)} 项不再列入;{second} 新增 {len(found.added)} 项。", "", "延续(按标题相近配对,请核对):"]  # fmt: skip
    lines += [f"  {first}:{p.old.id} → {second}:{p.new.id}(相近 {p.likeness:.2f}){p.new.title}" for p in found.pairs]
    lines += ["", "不再列入:", *(f"  {first}:{t.id} {t.title}" for t in found.dropped)] + (
        [] if found.dropped else ["  (无)"]
    )
    lines += ["", "新增:", *(f"  {second}:{t.id} {t.title}" for t in found.added)] + ([] if found.added else ["  (无)"])
    return Result(Lines(lines), notes=notes)


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
    add: Annotated[
        list[int] | None,
        typer.Option(
            "--add",
            metavar="ID",
            help="没有接续任务的上年任务,作为新任务结转到新要点(序号接在最后,可写多次;需 --into)。",
            show_default=False,
        ),
    ] = None,
    into: Annotated[
        str | None, typer.Option("--into", metavar="SECTION", help="结转的新任务放入新要点的哪个小节,如 1.1。")
    ] = None,
    write: Annotated[
        bool, typer.Option("--write", help="核对无误后写入:在新要点的接续任务上记下它接续哪一项(再运行一次不会重复)。")
    ] = False,
    fmt: Format = opt.TextFormat.text,
) -> Result:
    """结转:上一年的要点中到年底仍未完成的任务,各配上新要点中接续它的任务(按标题相近,供核对);
    没有相近任务的列出来,由办公室决定是否用 --add 作为新任务结转。加 --write 把配对和结转的任务写入新要点。

    示例: gkcli --data 台账 carryover --from 2022 --to 2023 --skip 7 --pair 36=2 --write
    """
    from gkcli.core.plans import carryover

    old, new = _two(ctx, first, second)
    plan = carryover(
        old, new, first, known_on=known_on, skip=set(skip or ()), chosen=dict(_pairing(t) for t in pair or ()),
        add=set(add or ()), into=into,
    )  # fmt: skip
    notes = list(plan.found.cut)
    if write:
        workspace = context.of(ctx).workspace
        notes += _written(workspace.folder(second).folder, plan, second, into)
        notes += _settled(workspace.folder(first).folder, workspace.folder(second).folder, first, second)
    if fmt.value == "json":
        return Result(Lines([json_text(_carryover_record(plan, set(add or ()))).rstrip("\n")]), notes=notes)
    return Result(Lines(_carryover_lines(plan, second, old.plan.year, set(add or ()))), notes=notes)


def _written(folder: RegistryFolder, plan: Carryover, second: str, into: str | None) -> list[str]:
    """Write the links (and the tasks to add into the section ``into``) into the new plan, in one
    write; what was done, in words."""
    from gkcli.core import updates

    if into is not None:  # the links and the new tasks in one write
        written, new_ids = updates.add_carried(folder, plan.carried, into, context.today(), plan.links)
    else:
        written, new_ids = updates.link_carried(folder, plan.links, context.today()), []
    notes = [f"已在 {second} 的 {len(written)} 项任务上记下接续关系" if written else "接续关系都已记下,没有要写入的"]
    if into is not None:
        notes.append(
            f"已作为新任务结转 {len(new_ids)} 项:{'、'.join(f'{second}:{n}' for n in new_ids)}"
            if new_ids
            else "要结转的任务都已在新要点中,没有要追加的"
        )
    return notes


def _settled(old: RegistryFolder, new: RegistryFolder, first: str, second: str) -> list[str]:
    """Record in the earlier plan that each task the later one continues is carried over to it, so
    the earlier plan alone knows (status 已结转 from the later plan's issue date); what was done."""
    from gkcli.core import updates
    from gkcli.store.load import load_registry

    later = load_registry(new)
    continued = {
        int(t.carried_from.rpartition(":")[2]): f"{second}:{t.id}"
        for t in later.tasks
        if t.carried_from and t.carried_from.rpartition(":")[0] == first
    }
    if not continued:
        return []
    written, passed = updates.mark_carried(old, continued, later.plan.issued_on, context.today())
    notes = [f"已在 {first} 的 {len(written)} 项任务上记下结转(状态为已结转)"] if written else []
    return notes + [f"未记结转: {line}" for line in passed]


def _carryover_record(plan: Carryover, add: set[int]) -> dict[str, object]:
    found = plan.found
    return {
        "open": len(plan.open_tasks),
        "continued": [
            {"from": p.old.id, "to": p.new.id, "likeness": p.likeness, "by_hand": p.by_hand} for p in found.pairs
        ],
        "not_continued": [t.id for t in found.dropped],
        "added_as_new": [t.id for t in found.dropped if t.id in add],
    }


def _carryover_lines(plan: Carryover, second: str, year: int, add: set[int]) -> list[str]:
    found, first = plan.found, plan.first
    lines = [f"{first} 到 {year} 年底仍未完成 {len(plan.open_tasks)} 项:{len(found.pairs)} 项在 {second} 中有接续的任务,"
             f"{len(found.dropped)} 项没有。", "", "有接续的(请核对):"]  # fmt: skip
    lines += [
        f"  {first}:{p.old.id} → {second}:{p.new.id}({_how(p, first)} {p.likeness:.2f}){p.old.title}"
        for p in found.pairs
    ]
    lines += ["", f"{second} 中没有相近任务的(需决定是否作为新任务结转):"]
    lines += [f"  {first}:{t.id}{'(作为新任务结转)' if t.id in add else ''} {t.title}" for t in found.dropped]
    return lines


def _pairing(text: str) -> tuple[int, int]:
    """``36=2`` of --pair: the old plan's task 36 continued by the new plan's task 2."""
    old, sep, new = text.partition("=")
    try:
        if sep:
            return opt.task_id(old.strip()), opt.task_id(new.strip())
    except BadValue:
        pass
    raise BadValue(f"--pair 应写作 上年序号=新序号: {terminal_safe(text, one_line=True)}", hint="例如 --pair 36=2")


def _how(pair: Pair, first: str) -> str:
    """How a pair was made: written before (已记下), by hand now, or suggested by likeness."""
    if pair.new.carried_from == f"{first}:{pair.old.id}":
        return "已记下,相近"
    return "人工配对,相近" if pair.by_hand else "相近"
