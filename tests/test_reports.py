"""stats, export, report and calendar: every file parses back, numbers agree, text stays inert."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gkcli.core import stats
from gkcli.domain.registry import Registry

from .conftest import Cli, Edit

AS_OF = "2022-10-01"


def test_stats_by_section_adds_up(registry: Registry) -> None:
    result = stats.compute(registry, dt.date(2022, 10, 1), "section")
    assert [r.key for r in result.rows] == list(registry.sections)
    assert sum(r.total for r in result.rows) == result.total.total == 46
    assert (result.total.red, result.total.yellow, result.total.green, result.total.done) == (4, 0, 42, 0)
    assert sum(r.red for r in result.rows) == 4


def test_stats_by_unit_counts_roles_apart(registry: Registry) -> None:
    rows = {r.key: r for r in stats.compute(registry, dt.date(2022, 10, 1), "unit").rows}
    finance = rows["县财政局"]
    assert (finance.lead, finance.responsible, finance.total) == (15, 15, 30)
    assert "县属有关单位" not in rows  # known groups are expanded into their members
    assert rows["市级有关单位"].total == 2  # a group of unknown members is counted as itself


def test_stats_by_status_and_deadline(registry: Registry) -> None:
    by_status = stats.compute(registry, dt.date(2022, 10, 1), "status")
    assert [(r.key, r.total) for r in by_status.rows] == [
        ("not_started", 46),
        ("in_progress", 0),
        ("awaiting_review", 0),
        ("done", 0),
        ("carried_over", 0),
    ]
    by_deadline = stats.compute(registry, dt.date(2022, 10, 1), "deadline")
    assert [r.key for r in by_deadline.rows][:2] == ["7月底前", "三季度前"]


def test_stats_cli_formats(cli: Cli) -> None:
    data = json.loads(cli("stats", "--by", "section", "--as-of", AS_OF, "-f", "json").stdout)
    assert data["total"]["total"] == 46 and len(data["rows"]) == 15
    rows = list(csv.DictReader(io.StringIO(cli("stats", "--by", "status", "-f", "csv").stdout)))
    assert [r["key"] for r in rows] == [
        "not_started",
        "in_progress",
        "awaiting_review",
        "done",
        "carried_over",
        "total",
    ]
    table = cli("stats", "--by", "unit", "--as-of", AS_OF, "-f", "table").stdout
    assert "县财政局" in table and "░" in table and "完成率" in table  # nothing done yet: an open bar
    assert cli("stats", "--by", "nothing").exit_code == 2


def test_export_csv_has_bom_46_rows_and_the_columns(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "任务清单.csv"
    assert cli("export", "-f", "csv", "-o", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 46
    assert list(rows[0]) == [
        "序号",
        "部分",
        "小节",
        "重点工作",
        "牵头单位",
        "责任单位",
        "完成时限",
        "截止日期",
        "状态",
        "完成日期",
        "灯",
        "逾期完成天数",
        "最新进展",
        "进展记录",
    ]
    assert rows[0]["部分"] == "一、围绕中心工作、重大事项,着力深化主动公开"
    assert rows[3]["小节"] == "(二)聚焦打造一流营商环境加大公开力度"
    assert rows[37]["完成时限"] == "2022年底前" and rows[37]["截止日期"] == "2022-12-31"


def test_export_never_overwrites_without_force(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    out.write_text("mine", encoding="utf-8")
    result = cli("export", "-o", str(out))
    assert result.exit_code == 2 and "已存在" in result.stderr
    assert out.read_text(encoding="utf-8") == "mine"
    assert cli("export", "-o", str(out), "--force").exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_xlsx_opens_with_openpyxl(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "清单.xlsx"
    assert cli("export", "-f", "xlsx", "-o", str(out)).exit_code == 0
    sheet = load_workbook(out).worksheets[0]
    assert sheet.freeze_panes == "A3"
    assert [c.value for c in sheet[2]] == [
        "序号",
        "重点工作",
        "牵头单位",
        "责任单位",
        "完成时限",
        "截止日期",
        "状态",
        "完成日期",
        "灯",
        "逾期完成天数",
        "最新进展",
        "进展记录",
    ]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    task_rows = [r for r in rows if isinstance(r[0], int) or re.fullmatch(r"\d+※", str(r[0]))]
    assert [int(str(r[0]).rstrip("※")) for r in task_rows] == list(range(1, 47))
    assert [r[0] for r in task_rows if isinstance(r[0], str)] == ["4※", "9※", "10※", "11※", "12※", "38※"]
    assert isinstance(task_rows[0][5], dt.datetime)  # 截止日期 is a date, not text
    headings = [r[0] for r in rows if r not in task_rows and isinstance(r[0], str) and not r[0].startswith("※")]
    assert len(headings) == 4 + 15
    assert str(rows[-1][0]).startswith("※")  # the footnote
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert headings[0].startswith("一、") and headings[1].startswith("(一)")
    first_task = next(row for row in sheet.iter_rows(min_row=3) if isinstance(row[0].value, int))
    assert first_task[1].alignment.wrap_text and first_task[1].alignment.vertical == "top"
    assert sheet.column_dimensions["B"].width >= 40


def test_export_filters_and_structured_formats(cli: Cli) -> None:
    data = json.loads(cli("export", "-f", "json", "--unit", "县财政局", "--role", "lead", "--direct").stdout)
    ids = [t["id"] for p in data["parts"] for s in p["sections"] for t in s["tasks"]]
    assert ids == [3, 10, 38]
    assert data["plan"]["document_number"] == "嵊政办发〔2022〕36号"
    import yaml

    loaded = yaml.safe_load(cli("export", "-f", "yaml", "--section", "4").stdout)
    assert [s["id"] for p in loaded["parts"] for s in p["sections"]] == ["4.1", "4.2", "4.3"]
    red = {t["id"] for t in json.loads(cli("overdue", "--as-of", AS_OF, "-f", "json").stdout)}
    md = cli("export", "-f", "markdown", "--light", "red", "--as-of", AS_OF).stdout
    assert red and {int(n) for n in re.findall(r"^\| (\d+)※? \|", md, flags=re.M)} == red


class _Numbers(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stats: dict[str, str] = {}
        self.current: str | None = None
        self.text: list[str] = []
        self.tables = 0
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "b" and values.get("data-stat"):
            self.current = values["data-stat"]
        self.tables += tag == "table"
        self.scripts += tag == "script"

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.current:
            self.stats[self.current] = data
            self.current = None


def test_html_bulletin_matches_stats(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "通报.html"
    assert cli("report", "--as-of", AS_OF, "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    parser = _Numbers()
    parser.feed(page)
    total = json.loads(cli("stats", "--as-of", AS_OF, "-f", "json").stdout)["total"]
    assert parser.stats["全部任务"] == str(total["total"])
    assert parser.stats["红灯"] == str(total["red"])
    assert parser.stats["黄灯"] == str(total["yellow"])
    assert parser.stats["绿灯"] == str(total["green"])
    assert parser.stats["已完成"].startswith(str(total["done"]))
    assert parser.scripts == 0 and parser.tables >= 2
    assert "http://" not in page and "https://" not in page  # self-contained: nothing fetched
    assert "@page{size:A4" in page and 'name="viewport"' in page
    text = "".join(parser.text)
    assert "红灯任务(已逾期，4 项)" in text and "62" in text


def test_html_bulletin_reads_on_a_phone_and_on_paper(cli: Cli, tmp_path: Path) -> None:
    """The section chart names each section in full (not just "1.1"); every cell carries its
    header for the card layout on narrow screens; dates and unit names do not break inside;
    headings stay with what follows them when printed."""
    page = cli("report", "--as-of", AS_OF, "-f", "html").stdout
    sections = json.loads(cli("stats", "--by", "section", "--as-of", AS_OF, "-f", "json").stdout)["rows"]
    chart = re.findall(r'<span class="k" title="([^"]+)">', page)
    assert chart == [f"{row['key']} {html.escape(row['label'], quote=True)}" for row in sections]
    cells = re.findall(r"<td([^>]*)>", page)
    assert cells and all("data-label=" in attrs for attrs in cells)
    assert re.findall(r'<td class="d" data-label="截止日期">(\d{4}-\d\d-\d\d)</td>', page)
    assert "td.d,td.u{white-space:nowrap}" in page and "@media (max-width:640px)" in page
    assert "h2{" in page and "break-after:avoid" in page.split("h2{", 1)[1].split("}", 1)[0]


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_a_long_list_in_the_bulletin_is_cut_with_a_note(cli: Cli, fmt: str) -> None:
    red = [t["id"] for t in json.loads(cli("overdue", "--as-of", AS_OF, "-f", "json").stdout)]
    assert len(red) == 4
    cut = cli("report", "--as-of", AS_OF, "-f", fmt, "--limit", "2").stdout
    whole = cli("report", "--as-of", AS_OF, "-f", fmt, "--limit", "0").stdout
    assert "共 4 项，这里列出前 2 项；全部列出：gkcli report --limit 0" in cut
    assert "这里列出前" not in whole
    assert cli("report", "--as-of", AS_OF, "-f", fmt).stdout == whole  # 46 tasks: within the default
    red_part = cut.split("红灯任务", 1)[1].split("黄灯任务", 1)[0]
    listed = re.findall(r'data-label="序号">(\d+)<' if fmt == "html" else r"^\| (\d+) \|", red_part, re.M)
    assert [int(n) for n in listed] == red[:2]  # the most overdue first, as overdue lists them
    assert "红灯任务(已逾期，4 项)" in cut  # the heading still counts all of them


def test_markdown_bulletin(cli: Cli) -> None:
    md = cli("report", "--as-of", AS_OF, "-f", "markdown").stdout
    assert "全部任务 46 项" in md and "红灯 4 项" in md
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert [h for h in headings if h.startswith("## ")] == [
        "## 一、总体情况", "## 二、存在问题", "## 三、本期进展", "## 四、下一步工作要求", "## 附件：重点工作进展情况表",
    ]  # fmt: skip
    assert "### (二)各单位任务情况" in headings and "### (一)红灯任务(已逾期，4 项)" in headings


def test_calendar_parses_with_icalendar(cli: Cli) -> None:
    from icalendar import Calendar

    cal = Calendar.from_ical(cli("calendar", "--as-of", AS_OF, "--alarm-days", "7").stdout.encode("utf-8"))
    events = cal.walk("VEVENT")
    starts = [e.decoded("dtstart") for e in events]  # one event per due date: 07-31, 09-30, 12-31
    assert starts == [dt.date(2022, 7, 31), dt.date(2022, 9, 30), dt.date(2022, 12, 31)]
    for event in events:
        [alarm] = event.walk("VALARM")
        assert alarm.decoded("trigger") == dt.timedelta(days=-7)
        assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(days=1)
    assert len({str(e["uid"]) for e in events}) == 3
    described = "".join(str(e["description"]) for e in events)
    assert all(f"任务{n}" in described for n in range(1, 47))  # every task is listed on its day


def test_calendar_for_one_unit_without_alarms(cli: Cli) -> None:
    from icalendar import Calendar

    cal = Calendar.from_ical(cli("calendar", "--unit", "县信访局", "--alarm-days", "0").stdout.encode("utf-8"))
    events = cal.walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [dt.date(2022, 9, 30), dt.date(2022, 12, 31)]
    assert all(not e.walk("VALARM") for e in events)
    assert "【牵头】" in str(events[0]["summary"]) and "任务20" in str(events[0]["summary"])
    assert "县信访局 26 项任务" in str(events[1]["summary"]) and "【责任,经县属有关单位】" in str(
        events[1]["description"]
    )


HOSTILE = '=HYPERLINK("http://x","点我")<script>alert(1)</script>[red]红[/red]'


def test_hostile_text_stays_inert_everywhere(cli: Cli, tmp_path: Path, edit: Edit) -> None:
    folder = edit(
        "tasks.yaml",
        "title: 积极为老年人等群体提供大字版、语音版、简洁版移动政务服务应用。",
        "title: " + json.dumps(HOSTILE, ensure_ascii=False),
    )
    env = {"GKCLI_DATA": str(folder)}
    rows = list(csv.DictReader(io.StringIO(cli("export", "-f", "csv", **env).stdout.lstrip("\ufeff"))))
    assert rows[16]["重点工作"] == "'" + HOSTILE
    out = tmp_path / "x.xlsx"
    assert cli("export", "-f", "xlsx", "-o", str(out), **env).exit_code == 0
    from openpyxl import load_workbook

    cells = [c.value for row in load_workbook(out).worksheets[0].iter_rows() for c in row]
    assert "'" + HOSTILE in cells and HOSTILE not in cells
    page = cli("report", "--as-of", "2022-12-05", **env).stdout
    assert "<script>" not in page and "&lt;script&gt;" in page
    md = cli("export", "-f", "markdown", **env).stdout
    assert "<script>" not in md and "\\<script\\>" in md
    shown = cli("show", "17", "-f", "table", **env).stdout
    assert "[red]红" in re.sub(r"[\s│]", "", shown)  # printed as text, not taken as a style


def test_html_escapes_unit_names(cli: Cli, edit: Edit) -> None:
    folder = edit("units.yaml", "  - name: 县教育局\n", '  - name: "县教育局<b>"\n')
    folder = edit("units.yaml", "      - 县教育局\n", '      - "县教育局<b>"\n')
    tasks = folder / "tasks.yaml"  # a registry may switch the shell-character rule off: the page stays safe
    tasks.write_text(tasks.read_text(encoding="utf-8") + "check:\n  ignore: [GK307]\n", encoding="utf-8")
    page = cli("report", "--as-of", AS_OF, GKCLI_DATA=str(folder)).stdout
    assert "县教育局&lt;b&gt;" in page and "县教育局<b>" not in page


@pytest.mark.parametrize("command, name", [(["report"], "x.html"), (["calendar"], "x.ics"), (["export"], "x.csv")])
def test_output_to_a_missing_folder(cli: Cli, tmp_path: Path, command: list[str], name: str) -> None:
    result = cli(*command, "-o", str(tmp_path / "nope" / name))
    assert result.exit_code == 2 and "不存在" in result.stderr


@pytest.mark.parametrize("name", ["清单.doc", "清单.odt", "清单", "通报.ics"])
@pytest.mark.parametrize("command", [["export"], ["report"]])
def test_a_file_name_the_command_does_not_write_is_refused(
    cli: Cli, tmp_path: Path, command: list[str], name: str
) -> None:
    result = cli(*command, "-o", str(tmp_path / name))
    assert result.exit_code == 2 and "能写的" in result.stderr and not (tmp_path / name).exists()
    assert (".csv" in result.stderr) == (command == ["export"]) and (".html" in result.stderr) == (
        command == ["report"]
    )


def test_dash_means_stdout(cli: Cli) -> None:
    assert cli("report", "-f", "markdown", "-o", "-").stdout.startswith(
        "# 关于2022年嵊泗县政务公开工作要点落实情况的通报"
    )
    assert re.match(r"BEGIN:VCALENDAR", cli("calendar", "-o", "-").stdout)
