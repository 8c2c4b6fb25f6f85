"""Reaching the units where they work: reminders sent to work-group robots (``notify``), and the
evidence links behind the entries checked and kept (``links check``)."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gkcli.cli import context
from gkcli.cli import options as opt
from gkcli.cli.base import command, command_group, subcommand
from gkcli.cli.writing import logged
from gkcli.errors import BadValue
from gkcli.render.views import Lines, LinksView, Result

if TYPE_CHECKING:
    from collections.abc import Callable

    from gkcli.core.links import Checked
    from gkcli.core.notify import Block, Message, Outcome
    from gkcli.domain.records import LogEvent
    from gkcli.store.robots import Robot

EXIT_SOME_FAILED = 1


@command("notify")
def notify_command(
    ctx: typer.Context,
    robot: Annotated[
        str, typer.Option("--robot", "-r", metavar="NAME", help="机器人的名称(配置文件中 [robots.名称])。", show_default=False)
    ],
    config: Annotated[
        Path | None,
        typer.Option("--config", metavar="FILE", help="机器人配置文件,默认 ~/.config/gkcli/robots.toml。"),
    ] = None,
    within: Annotated[
        int | None,
        typer.Option("--within", "-w", parser=opt.days_parser("--within"), metavar="DAYS",
                     help="提醒多少天内到期的任务(黄灯),默认取 plan.warn_days。"),
    ] = None,
    as_of: opt.AsOf = None,
    unit: opt.UnitName = None,
    per_unit: Annotated[bool, typer.Option("--per-unit", help="每个单位发一条(默认全部单位合成一条摘要,过长时分几条)。")] = False,
    missing_forms: Annotated[
        bool, typer.Option("--missing-forms", help="改为催交尚未交回的填报表(同 gkcli remind --missing-forms)。")
    ] = False,
    period: opt.FormPeriod = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出将要发送的消息(地址中的密钥已隐去),不发送、不记录。")] = False,
    retry_wait: Annotated[
        float,
        typer.Option("--retry-wait", metavar="SECONDS", min=0, max=600,
                     help="机器人答复“发送太快”时,等多少秒再发一次(只重发一次)。"),
    ] = 60.0,
    timeout: Annotated[
        float, typer.Option("--timeout", metavar="SECONDS", min=1, max=120, help="每条消息等机器人应答的最长时间。")
    ] = 10.0,
) -> Result:  # fmt: skip
    """把提醒发到钉钉或企业微信工作群:内容同 gkcli remind(各单位的红灯、黄灯任务,牵头在前),@ 单位联系人。

    机器人写在配置文件中(地址和密钥是凭据,只放在这里,不写入台账、记录、报告或任何输出)。每条消息的结果记入
    台账的 log.yaml(日期、机器人名称、单位、任务、应答码);有消息未送达时以 1 结束。

    示例: gkcli --data 台账 notify --robot 督查群 --dry-run
    """
    from gkcli.core import notify
    from gkcli.store import robots as robot_store

    here = context.of(ctx)
    folder = here.folder()  # one plan: its log records what was sent
    chosen = _robot(robot_store.load(config), robot)
    registry = here.registry()
    day = here.day(as_of)
    if missing_forms:
        title, blocks, forms_period = _form_blocks(here, chosen, period)
    else:
        if period is not None:
            raise BadValue(
                "--period 只与 --missing-forms 同用", hint="例如 notify --robot 督查群 --missing-forms --period 2022-09"
            )
        days = registry.plan.warn_days if within is None else within
        title, blocks, forms_period = _task_blocks(here, chosen, day, days, unit)
    found = notify.messages(title, blocks, per_unit=per_unit, keyword=chosen.keyword)
    if not found:
        return Result(Lines([f"截至 {day.isoformat()},没有需要提醒的单位,未发送"]))
    if dry_run:
        return Result(Lines(_dry_run(chosen, found)), notes=[f"(试运行)共 {len(found)} 条消息,未发送,未记录"])
    outcomes = _send(chosen, found, retry_wait, timeout)
    lines = [_said(n, len(outcomes), o) for n, o in enumerate(outcomes, 1)]
    notes = [logged(folder, [_event(chosen, o, context.today(), forms_period) for o in outcomes], "发送结果")]
    failed = sum(1 for o in outcomes if not o.delivered)
    if failed:
        notes.append(f"{failed} 条消息未送达,已记入 log.yaml;处理后可重新发送")
    return Result(Lines(lines), notes=notes, exit_code=EXIT_SOME_FAILED if failed else 0)


def _robot(found: dict[str, Robot], name: str) -> Robot:
    robot = found.get(name)
    if robot is None:
        raise BadValue(f"配置文件中没有机器人 {name}", hint=f"已配置: {'、'.join(sorted(found))}")
    return robot


def _task_blocks(
    here: context.Context, robot: Robot, day: dt.date, days: int, unit: str | None
) -> tuple[str, list[Block], str | None]:
    from gkcli.core import notify
    from gkcli.core.reminders import reminder_lines

    registry = here.registry()
    blocks: list[Block] = []
    for reminder in here.workspace.reminders(day, days, unit, None):
        contact = registry.directory.unit(reminder.unit)
        wording = reminder_lines(reminder, day, days)
        blocks.append(notify.reminder_block(wording, [*reminder.red, *reminder.yellow], contact, robot.kind))
    return f"政务公开工作任务提醒(截至 {day.isoformat()})", blocks, None


def _form_blocks(here: context.Context, robot: Robot, period: str | None) -> tuple[str, list[Block], str | None]:
    from gkcli.core import notify
    from gkcli.core.reminders import missing_form_words
    from gkcli.core.returns import forms_of
    from gkcli.store import office_log

    registry = here.registry()
    chosen, rows = forms_of(registry, office_log.read(here.folder()), period)
    blocks = [
        notify.text_block(
            r.unit, missing_form_words(r.unit, chosen, r.sent_on), registry.directory.unit(r.unit), robot.kind
        )
        for r in rows
        if r.missing
    ]
    return f"{chosen} 填报表催交", blocks, chosen


def _dry_run(robot: Robot, found: list[Message]) -> list[str]:
    from gkcli.core.notify import payload
    from gkcli.store.robots import masked

    kind = "钉钉" if robot.kind == "dingtalk" else "企业微信"
    signed = "(加签:发送时附 timestamp 和 sign)" if robot.kind == "dingtalk" and robot.secret else ""
    lines = []
    for n, message in enumerate(found, 1):
        lines.append(f"# 消息 {n}/{len(found)} → {robot.name}({kind},POST {masked(robot.url)}{signed})")
        lines.append(json.dumps(payload(robot.kind, message), ensure_ascii=False))
    return lines


def _send(robot: Robot, found: list[Message], retry_wait: float, timeout: float) -> list[Outcome]:
    from gkcli.core import notify
    from gkcli.store.web import post_json

    return notify.send(
        robot, found, lambda url, body: post_json(url, body, timeout=timeout), retry_wait=retry_wait,
        pace=notify.Pace(notify.PER_MINUTE, time.monotonic, time.sleep), clock_ms=lambda: int(time.time() * 1000),
        sleep=time.sleep,
    )  # fmt: skip


def _said(n: int, total: int, outcome: Outcome) -> str:
    message = outcome.message
    about = f"{message.units[0]}{f' 等 {len(message.units)} 个单位' if len(message.units) > 1 else ''}"
    tasks = f",{len(message.tasks)} 项任务" if message.tasks else ""
    if outcome.delivered:
        return f"消息 {n}/{total}: 已送达({about}{tasks})"
    return f"消息 {n}/{total}: 未送达({about}{tasks}):{outcome.problem}"


def _event(robot: Robot, outcome: Outcome, today: dt.date, period: str | None) -> LogEvent:
    from gkcli.domain.records import LogEvent

    message = outcome.message
    return LogEvent(today, "reminder_sent", None, period, robot=robot.name, units=message.units, tasks=message.tasks,
                    code=outcome.code)  # fmt: skip


links_app = command_group("links", "佐证链接:检查进展记录中的网址是否仍能打开、有没有发布日期,并留存网页副本。")

MAX_PAGE_BYTES = 5 * 1024 * 1024  # of a page read: its title and date are at the start


@subcommand(links_app, "check")
def links_check_command(
    ctx: typer.Context,
    unit: opt.UnitName = None,
    as_of: opt.AsOf = None,
    known_on: opt.KnownOn = None,
    since: Annotated[
        dt.date | None,
        typer.Option("--since", parser=opt.date_parser("--since"), metavar="DATE", help="只检查这天之后的进展记录中的链接。"),
    ] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="也检查内网和本机地址(默认不访问,以免被链接引向内部系统)。")
    ] = False,
    archive: Annotated[
        Path | None,
        typer.Option("--archive", metavar="DIR", help="把每个网页原样留存到 DIR(地址、时间、SHA-256);再次运行时未变的网页不重复保存。"),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", metavar="SECONDS", min=1, max=120, help="一个网页多久没有应答即算已失效。")
    ] = 15.0,
    workers: Annotated[int, typer.Option("--workers", metavar="N", min=1, max=32, help="同时检查几个网页。")] = 8,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="有已失效的链接时以退出码 1 结束(用于 CI)。")] = False,
    fmt: opt.Format = None,
) -> Result:  # fmt: skip
    """检查进展记录中的佐证链接:能否打开(跟随重定向)、最终地址、网页标题、网页上的发布日期,判为
    可访问、已失效(4xx、5xx、无法解析、超时)或无发布日期。每个网址只访问一次。

    结果记入台账的 log.yaml,通报和进展情况表据此标出佐证链接已失效的记录。

    示例: gkcli --data 台账 links check --since 2022-08-31 --archive 佐证留存
    """
    from gkcli.core import links

    here = context.of(ctx)
    folder = here.folder()
    registry = here.registry()
    day = here.day(as_of)
    entity = registry.directory.resolve(unit) if unit is not None else None
    found = links.evidence(registry, day, unit=entity, since=since, known_on=known_on)
    if not found:
        return Result(Lines([f"截至 {day.isoformat()},进展记录中没有佐证链接"]))
    results = links.check_all((e.url for e in found), _checker(timeout, allow_private, archive), workers)
    notes = [logged(folder, links.logged(results, context.today()), "链接检查结果")]
    if archive is not None:
        saved = sum(1 for c in results.values() if c.archived == "saved")
        notes.append(
            f"网页副本在 {archive}:新保存 {saved} 个,未变 {sum(1 for c in results.values() if c.archived == 'unchanged')} 个"
        )
    dead = sum(1 for c in results.values() if c.verdict == "dead")
    view = LinksView(links.with_results(found, results), day)
    return Result(view, opt.output_format(fmt), notes=notes, exit_code=EXIT_SOME_FAILED if exit_code and dead else 0)


def _checker(timeout: float, allow_private: bool, archive: Path | None) -> Callable[[str], Checked]:
    from gkcli.core import links
    from gkcli.store import evidence, web

    def check(url: str) -> Checked:
        headers = evidence.asked_if_changed(archive, url) if archive is not None else {}
        page = web.fetch(url, timeout=timeout, max_bytes=MAX_PAGE_BYTES, allow_private=allow_private, headers=headers)
        kept = evidence.latest_copy(archive, url) if archive is not None and page.status == 304 else None
        checked = links.judged(page, kept)
        if archive is None or checked.verdict == "dead":
            return checked
        import dataclasses

        return dataclasses.replace(checked, archived=evidence.keep(archive, page, dt.datetime.now(dt.UTC)))

    return check
