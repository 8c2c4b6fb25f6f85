"""Plans side by side: diff, carryover (in a workspace of several plans)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Annotated

import typer

from gkcli.cli import options as opt
from gkcli.cli.base import command
from gkcli.domain.records import Task
from gkcli.domain.registry import Registry
from gkcli.errors import BadValue
from gkcli.render.formats import json_text
from gkcli.render.views import Lines, Result
from gkcli.text import terminal_safe

if TYPE_CHECKING:
    from gkcli.core.plans import Comparison, Pair

Format = Annotated[opt.TextFormat, typer.Option("--format", "-f", help="输出格式。")]


def _two(ctx: typer.Context, first: str, second: str) -> tuple[Registry, Registry]:
    if first == second:
        raise BadValue(f"要比较的是两份不同的要点,这里两次都是 {first}", hint="例如 carryover --from 2022 --to 2023")
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
    from gkcli.core.plans import compare, confirmed, still_open

    chosen = dict(_pairing(text) for text in pair or ())
    old, new = _two(ctx, first, second)
    open_tasks = still_open(old, known_on)
    skipped = set(skip or ())
    recorded = {  # pairs written by an earlier --write stand, unless corrected now
        int(t.carried_from.rpartition(":")[2]): t.id
        for t in new.tasks
        if t.carried_from and t.carried_from.rpartition(":")[0] == first
    }
    open_ids = {t.id for t in open_tasks}
    chosen = {
        **{o: n for o, n in recorded.items() if o in open_ids and o not in skipped and n not in chosen.values()},
        **chosen,
    }
    found = confirmed(compare(old, new, open_tasks), skipped, chosen, new)
    carried = _to_add(found, set(add or ()), into, first, new)
    notes: list[str] = list(found.cut)
    if write:
        from gkcli.core import updates

        folder = next(plan.folder for plan in opt.plans(ctx) if plan.id == second)
        links = {p.new.id: f"{first}:{p.old.id}" for p in found.pairs}
        if add and into is not None:  # the links and the new tasks in one write
            written, new_ids = updates.add_carried(folder, carried, into, opt.today(), links)
        else:
            written, new_ids = updates.link_carried(folder, links, opt.today()), []
        notes.append(
            f"已在 {second} 的 {len(written)} 项任务上记下接续关系" if written else "接续关系都已记下,没有要写入的"
        )
        if add:
            notes.append(
                f"已作为新任务结转 {len(new_ids)} 项:{'、'.join(f'{second}:{n}' for n in new_ids)}"
                if new_ids
                else "要结转的任务都已在新要点中,没有要追加的"
            )
    if fmt.value == "json":
        return Result(Lines([json_text({
            "open": len(open_tasks),
            "continued": [
                {"from": p.old.id, "to": p.new.id, "likeness": p.likeness, "by_hand": p.by_hand} for p in found.pairs
            ],
            "not_continued": [t.id for t in found.dropped],
            "added_as_new": [t.id for t in found.dropped if t.id in set(add or ())],
        }).rstrip("\n")]), notes=notes)  # fmt: skip
    lines = [f"{first} 到 {old.plan.year} 年底仍未完成 {len(open_tasks)} 项:{len(found.pairs)} 项在 {second} 中有接续的任务,"
             f"{len(found.dropped)} 项没有。", "", "有接续的(请核对):"]  # fmt: skip
    lines += [
        f"  {first}:{p.old.id} → {second}:{p.new.id}({_how(p, first)} {p.likeness:.2f}){p.old.title}"
        for p in found.pairs
    ]
    lines += ["", f"{second} 中没有相近任务的(需决定是否作为新任务结转):"]
    lines += [
        f"  {first}:{t.id}{'(作为新任务结转)' if t.id in set(add or ()) else ''} {t.title}" for t in found.dropped
    ]
    return Result(Lines(lines), notes=notes)


def _to_add(found: Comparison, add: set[int], into: str | None, first: str, new: Registry) -> list[Task]:
    """The tasks --add names, each marked as carried from the first plan; refused unless each is one
    without a continuing task and --into says where they go."""
    if not add:
        if into is not None:
            raise BadValue("--into 只与 --add 一起使用", hint="例如 --add 44 --into 1.1")
        return []
    if into is None:
        raise BadValue("--add 需要 --into 指明放入新要点的哪个小节", hint="例如 --add 44 --into 1.1")
    if into not in new.sections:
        raise BadValue(f"{new.plan.title}中没有小节 {into}", hint=f"现有小节: {'、'.join(new.sections)}")
    free = {t.id: t for t in found.dropped}
    done = {p.old.id for p in found.pairs if p.new.carried_from == f"{first}:{p.old.id}"}  # carried before
    wrong = sorted(add - set(free) - done)
    if wrong:
        raise BadValue(
            f"任务 {'、'.join(map(str, wrong))} 不是没有接续任务的上年任务,不能作为新任务结转",
            hint="--add 只用于“没有相近任务的”一栏中的序号",
        )
    return [dataclasses.replace(free[n], carried_from=f"{first}:{n}") for n in sorted(add - done)]


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
