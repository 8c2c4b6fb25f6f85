"""Documents as an office signs them: the attachment on landscape pages with columns sized by what
they hold, the bulletin's number, addressees, title and general requirements, full-width
punctuation in every Chinese string the writers emit, groups named as offices name them, plans of
other levels (a city, a district) without a county word, and the same bytes from every process."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from .conftest import Cli

DAY = "2022-10-08"
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
HALF_WIDTH_IN_CHINESE = re.compile(f"[{_CJK}]\\s*[,;:?!]|[,;][ ]?[{_CJK}]")


def _xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")


def _texts(xml: str) -> list[str]:
    """Each paragraph's text."""
    return ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in re.findall(r"<w:p>.*?</w:p>", xml)]


def _september(cli: Cli) -> None:
    """A few entries, with half-width punctuation as typed (and as the plan's text keeps it)."""
    for args in (
        ("progress", "3", "--unit", "县财政局", "--on", "2022-09-10", "--note", "已梳理,待公开;预计10月"),
        ("done", "36", "--on", "2022-08-05", "--note", "矩阵已建成:见链接"),
        ("extend", "20", "--request", "--to", "2022-11-30", "--unit", "县信访局", "--on", "2022-09-20", "--note", "平台升级?"),
    ):  # fmt: skip
        assert cli(*args, GKCLI_TODAY=DAY).exit_code == 0


@pytest.mark.slow  # a Word bulletin read back
def test_the_attachment_is_on_landscape_pages_with_columns_by_content(cli: Cli, tmp_path: Path) -> None:
    """The bulletin's body portrait, its attachment landscape; in the attachment's table 序号 is the
    narrowest column, 任务内容 the widest, and the empty 存在问题及困难 column narrower than it."""
    out = tmp_path / "通报.docx"
    assert cli("report", "-o", str(out), "--as-of", DAY, GKCLI_TODAY=DAY).exit_code == 0
    xml = _xml(out)
    portrait, _, landscape = xml.partition('<w:pgSz w:w="11906" w:h="16838"/>')
    assert landscape.count('w:orient="landscape"') == 1 and 'w:orient="landscape"' not in portrait
    table = re.findall(r"<w:tbl>.*?</w:tbl>", landscape)[-1]
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', table)]
    assert sum(widths) == 14003 and len(widths) == 6
    assert widths[0] == min(widths) and widths[1] == max(widths) and widths[4] < widths[1] / 2
    exported = tmp_path / "进展.docx"
    assert cli("export", "-o", str(exported), "--as-of", DAY, GKCLI_TODAY=DAY).exit_code == 0
    assert _xml(exported).count('w:orient="landscape"') == 1  # the progress table alone: all landscape


def test_number_addressees_title_and_requirements(cli: Cli, tmp_path: Path) -> None:
    requirements = tmp_path / "要求.txt"
    requirements.write_text("一是加强组织领导,压实工作责任。\n\n二是强化督查考核:定期通报进展。\n", encoding="utf-8")
    out = tmp_path / "通报.docx"
    result = cli("report", "-o", str(out), "--period", "2022-09", "--number", "嵊政办〔2022〕58号",
                 "--to", "各乡镇人民政府,县属有关单位", "--requirements", str(requirements), GKCLI_TODAY=DAY)  # fmt: skip
    assert result.exit_code == 0, result.output
    texts = [t for t in _texts(_xml(out)) if t]
    assert texts[:2] == ["嵊政办〔2022〕58号", "关于2022年嵊泗县政务公开工作要点9月落实情况的通报"]
    assert "各乡镇人民政府，县属有关单位：" in texts
    at = texts.index("四、下一步工作要求")
    assert texts[at + 1 : at + 3] == ["一是加强组织领导，压实工作责任。", "二是强化督查考核：定期通报进展。"]
    custom = cli("report", "-f", "markdown", "--period", "2022Q3", "--title", "{plan}{period}工作进展情况通报",
                 GKCLI_TODAY=DAY).stdout  # fmt: skip
    assert custom.startswith("# 2022年嵊泗县政务公开工作要点第三季度工作进展情况通报")
    bad = cli("report", "-f", "markdown", "--title", "{plan}{unit}", GKCLI_TODAY=DAY)
    assert bad.exit_code == 2 and "{period}" in bad.stderr


def test_every_chinese_string_the_writers_emit_has_full_width_punctuation(cli: Cli, tmp_path: Path) -> None:
    """Word bulletin, Word progress table, Markdown and HTML bulletins: no , ; : ? ! next to Chinese
    text (the plan's own text keeps ASCII punctuation, and the notes were typed with it); "今天"
    never stands for a date in a document read later."""
    _september(cli)
    written = {}
    for name, args in {
        "bulletin.docx": ("report", "--as-of", DAY, "--since", "2022-08-31"),
        "table.docx": ("export", "--as-of", DAY),
    }.items():
        out = tmp_path / name
        assert cli(*args, "-o", str(out), GKCLI_TODAY=DAY).exit_code == 0
        written[name] = _texts(_xml(out))
    markdown = cli("report", "-f", "markdown", "--as-of", DAY, "--since", "2022-08-31", GKCLI_TODAY=DAY).stdout
    written["markdown"] = markdown.splitlines()
    page = cli("report", "-f", "html", "--as-of", DAY, "--since", "2022-08-31", "-o", "-", GKCLI_TODAY=DAY).stdout
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    written["html"] = [html.unescape(t) for t in re.split(r"<[^>]+>", body) if t.strip()]
    for name, strings in written.items():
        bad = [s for s in strings if HALF_WIDTH_IN_CHINESE.search(s)]
        assert bad == [], (name, bad[:3])
        assert not any("今天" in s for s in strings), name
    assert any("已梳理，待公开；预计10月" in s for s in written["bulletin.docx"])
    assert any("https://" not in s and "：" in s for s in written["table.docx"])


def test_groups_are_named_as_offices_name_them_and_never_ranked(cli: Cli) -> None:
    """Task 46 (lead 县政务公开领导小组, responsible 成员单位) and tasks through 县属有关单位: where every
    member still owes, the next steps name the group, not thirty units; the ranking leaves out groups
    whose members are unknown and says so."""
    markdown = cli("report", "-f", "markdown", "--as-of", "2022-12-20", "--limit", "0", GKCLI_TODAY="2022-12-20").stdout
    steps = markdown.split("四、下一步工作要求")[1]
    assert "县属有关单位" in steps and "县信访局、县发展和改革局、县经济和信息化局" not in steps
    ranking = markdown.split("各单位完成情况排名")[1].split("二、存在问题")[0]
    assert "市级有关单位" not in ranking.split("不参加排名")[1] and "成员未列出的群组(" in ranking


CITY_PLAN = {  # a city's plan, in the shape of the county's (written out by yaml below)
    "plan": {"title": "2023年舟山市政务公开工作要点", "document_number": "舟政办发〔2023〕12号",
             "issuer": "舟山市人民政府办公室", "issued_on": dt.date(2023, 4, 20), "year": 2023, "office": "市政府办公室"},
    "parts": [{"id": 1, "title": "深化主动公开", "sections": [{"id": "1.1", "title": "政策公开"}]}],
    "tasks": [
        {"id": 1, "section": "1.1", "title": "做好市级预算公开, 推动部门预算信息全面公开。", "lead": ["市财政局"],
         "responsible": ["市直有关部门"], "deadline": "9月底前", "status": "not_started"},
        {"id": 2, "section": "1.1", "title": "加强政策解读:做好重要政策的解读发布。", "lead": ["市政府办公室"],
         "responsible": ["各区人民政府"], "deadline": "全年", "status": "not_started"},
    ],
}  # fmt: skip
CITY_TASKS = yaml.safe_dump(CITY_PLAN, allow_unicode=True, sort_keys=False)
CITY_UNITS = """units:
  - {name: 市政府办公室, kind: department}
  - {name: 市财政局, kind: department}
  - {name: 市司法局, kind: department}
  - {name: 定海区人民政府, kind: township}
  - {name: 普陀区人民政府, kind: township}
groups:
  - {name: 市直有关部门, members: [市财政局, 市司法局]}
  - {name: 各区人民政府, members: [定海区人民政府, 普陀区人民政府]}
"""


@pytest.mark.parametrize(
    ("level", "replace"), [("市", {}), ("区", {"舟山市": "定海区", "市": "区", "各区人民政府": "各街道办事处"})]
)
def test_a_city_or_district_plan_has_no_county_word(
    cli: Cli, tmp_path: Path, level: str, replace: dict[str, str]
) -> None:
    folder = tmp_path / level
    folder.mkdir()
    tasks, units = CITY_TASKS, CITY_UNITS
    for old, new in replace.items():
        tasks, units = tasks.replace(old, new), units.replace(old, new)
    (folder / "tasks.yaml").write_text(tasks, encoding="utf-8")
    (folder / "units.yaml").write_text(units, encoding="utf-8")
    assert cli("check", str(folder), GKCLI_TODAY="2023-10-08").exit_code in (0, 1)
    out = tmp_path / f"{level}.docx"
    assert cli("--data", str(folder), "report", "-o", str(out), GKCLI_TODAY="2023-10-08").exit_code == 0
    markdown = cli("--data", str(folder), "report", "-f", "markdown", GKCLI_TODAY="2023-10-08").stdout
    for text in ("\n".join(_texts(_xml(out))), markdown):
        assert "县" not in text
        assert f"“{'市直有关部门' if level == '市' else '区直有关部门'}”" in text


@pytest.mark.slow  # a process per hash seed
def test_the_bulletin_is_the_same_bytes_from_three_processes(cli: Cli, tmp_path: Path) -> None:
    _september(cli)
    found: dict[str, set[bytes]] = {"docx": set(), "markdown": set()}
    for seed in ("0", "1", "77"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "GKCLI_DATA": cli.env["GKCLI_DATA"], "GKCLI_TODAY": DAY}
        for fmt in found:
            out = tmp_path / f"{seed}.{'docx' if fmt == 'docx' else 'md'}"
            subprocess.run([sys.executable, "-m", "gkcli", "report", "-f", fmt, "-o", str(out), "--as-of", DAY,
                            "--number", "嵊政办〔2022〕58号"], env=env, check=True, capture_output=True)  # fmt: skip
            found[fmt].add(out.read_bytes())
    assert all(len(v) == 1 for v in found.values())


def test_the_annual_section_agrees_with_stats_on_the_last_day(cli: Cli, tmp_path: Path) -> None:
    """Task 36 done 08-05 (due 07-31: 5 days late), task 3 done 12-20 with its evidence link, task 20
    extended to 12-15 and left open: the section's figures are those of `stats --as-of 2022-12-31`,
    each done task is told with its date and evidence, each open one with its latest state."""
    today = "2023-01-05"
    for args in (
        ("done", "36", "--on", "2022-08-05", "--note", "矩阵已建成"),
        ("done", "3", "--unit", "县财政局", "--on", "2022-12-20", "--link", "https://www.shengsi.gov.cn/a.html"),
        ("extend", "20", "--to", "2022-12-15", "--unit", "县信访局", "--on", "2022-09-20", "--note", "平台升级"),
    ):
        assert cli(*args, GKCLI_TODAY=today).exit_code == 0
    total = json.loads(cli("stats", "--as-of", "2022-12-31", "-f", "json", GKCLI_TODAY=today).stdout)["total"]
    text = cli("report", "--annual", "2022", "-f", "markdown", GKCLI_TODAY=today).stdout
    opened = total["total"] - total["done"] - total["carried"]
    assert f"部署重点任务 {total['total']} 项" in text
    assert f"已完成 {total['done']} 项（其中逾期完成 {total['done_late']} 项）" in text and total["done"] == 2
    assert f"尚未完成 {opened} 项" in text and f"尚有 {opened} 项任务未完成" in text
    assert "于2022年8月5日完成，逾期 5 天" in text and "佐证：https://www.shengsi.gov.cn/a.html" in text
    assert "经批准延期的任务 1 项：任务 20（2022-09-20 批准延至 2022-12-15）" in text
    out = tmp_path / "年报要点落实情况.docx"
    assert cli("report", "--annual", "2022", "-o", str(out), GKCLI_TODAY=today).exit_code == 0
    assert next(t for t in _texts(_xml(out)) if t) == "2022年嵊泗县政务公开工作要点落实情况"
    wrong = cli("report", "--annual", "2023", "-f", "markdown", GKCLI_TODAY=today)
    assert wrong.exit_code == 2 and "2022" in wrong.stderr


def test_one_bulletin_over_the_plans_of_a_workspace(cli: Cli, tmp_path: Path) -> None:
    """台账/2022 (the shipped plan) and 台账/岱山 (one task, lead 县财政局, 8月底前): one document with
    a section per plan, units ranked over both (县财政局: its 30 tasks here and 1 there), and an
    attachment per plan on landscape pages."""
    from .test_workspace import PLAN_OTHER, _plans

    root = _plans(tmp_path / "台账", {"岱山": PLAN_OTHER.replace("2023", "2022")})
    markdown = cli("--data", str(root), "report", "-f", "markdown", "--as-of", DAY, GKCLI_TODAY=DAY).stdout
    assert markdown.startswith("# 关于2022年嵊泗县政务公开工作要点、2022年岱山县政务公开工作要点落实情况的通报")
    assert "### (一)2022年嵊泗县政务公开工作要点" in markdown and "### (二)2022年岱山县政务公开工作要点" in markdown
    ranking = markdown.split("各单位完成情况排名")[1].split("## 二、")[0]
    assert re.search(r"\| 县财政局 \| 31 \| 0 \| 0% \| 2 \|", ranking)
    assert "## 附件：2022年嵊泗县政务公开工作要点重点工作进展情况表" in markdown
    assert "## 附件：2022年岱山县政务公开工作要点重点工作进展情况表" in markdown
    out = tmp_path / "通报.docx"
    assert cli("--data", str(root), "report", "-o", str(out), "--as-of", DAY, GKCLI_TODAY=DAY).exit_code == 0
    xml = _xml(out)
    assert xml.count('w:orient="landscape"') == 1 and xml.count('<w:br w:type="page"/>') >= 1
    assert len(re.findall(r"<w:tbl>", xml.partition('w:h="16838"/>')[2])) == 2  # a table per plan, landscape
