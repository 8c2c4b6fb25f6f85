"""Plans written as text, in the forms real ones take: numbered paragraphs closed by their units in
full-width (or re-typed ASCII) parentheses, every numbering (1. 1、 (1) ① 一是), units on labelled
lines or in a trailing clause, several tasks in one paragraph, tails (等, 等有关部门), a convention
the document states, traditional characters and a PDF's wrapped lines. Each plan is written here
in several files (text, Word paragraphs, a web page, lines wrapped as a text layer wraps them) and
compared with what it says, worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from gkcli.importing.cleaning import fold

from .conftest import FIXTURES, Cli

CITY = """嘉禾市人民政府办公室关于印发2023年嘉禾市政务公开工作要点的通知
嘉政办发〔2023〕12号
各县（市、区）人民政府，市政府各部门：
《2023年嘉禾市政务公开工作要点》已经市政府同意，现印发给你们，请认真贯彻落实。
嘉禾市人民政府办公室
2023年4月18日
2023年嘉禾市政务公开工作要点
一、总体要求
坚持以人民为中心的发展思想，全面推进政务公开。
二、围绕稳经济促发展加强政策公开
（一）加强经济政策解读。
1．及时公开稳经济一揽子政策措施及实施细则。（市发改委牵头，各县区政府负责）
2．做好减税降费政策的宣传解读，提高政策知晓度。（市税务局、市财政局牵头；9月底前完成）
3．加大惠企政策集中发布力度。（市营商环境局负责）
（二）推进重大项目信息公开。
4．公开重大建设项目批准和实施情况。（市发改委、市住建局等有关部门按职责分工负责）
三、夯实公开基础
（一）规范政府网站管理。
5．开展政府网站和政务新媒体常态化监管，每季度通报检查结果。（市政府办公室牵头，各县区政府、市直各部门负责，每季度）
6．优化政府信息公开专栏。（市政府办公室、市大数据中心负责）
（二）加强培训。
7．组织全市政务公开业务培训不少于2次。（市政务公开办牵头）
四、保障措施
各地各部门要高度重视，抓好落实。
抄送：市委办公室。
嘉禾市人民政府办公室 2023年4月18日印发
"""

CITY_TASKS = [  # (id, section, title, lead, responsible, deadline), read from the plan by hand
    (1, "1.1", "及时公开稳经济一揽子政策措施及实施细则。", ["市发改委"], ["各县区政府"], ""),
    (2, "1.1", "做好减税降费政策的宣传解读，提高政策知晓度。", ["市税务局", "市财政局"], [], "9月底前"),
    (3, "1.1", "加大惠企政策集中发布力度。", ["市营商环境局"], [], ""),
    (4, "1.2", "公开重大建设项目批准和实施情况。", ["市发改委", "市住建局", "有关部门"], [], ""),
    (5, "2.1", "开展政府网站和政务新媒体常态化监管，每季度通报检查结果。", ["市政府办公室"], ["各县区政府", "市直各部门"], "每季度"),
    (6, "2.1", "优化政府信息公开专栏。", ["市政府办公室", "市大数据中心"], [], ""),
    (7, "2.2", "组织全市政务公开业务培训不少于2次。", ["市政务公开办"], [], ""),
]  # fmt: skip
CITY_PARTS = [
    ("围绕稳经济促发展加强政策公开", ["加强经济政策解读", "推进重大项目信息公开"]),
    ("夯实公开基础", ["规范政府网站管理", "加强培训"]),
]


def _ascii(text: str) -> str:
    """The same plan re-typed with ASCII punctuation."""
    return text.translate(str.maketrans("（），；：．", "(),;:."))


def _wrapped(text: str, width: int = 17) -> str:
    """The plan as a PDF's text layer gives it: every line cut at ``width`` characters."""
    return "\n".join(line[i : i + width] for line in text.splitlines() for i in range(0, len(line), width))


def _docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _html(text: str) -> str:
    body = "".join(f"<p>{line}</p>" for line in text.splitlines())
    return f"<html><head><meta charset='utf-8'><title>要点</title></head><body><div class='article'>{body}</div></body></html>"


def _write(kind: str, text: str, folder: Path) -> Path:
    if kind == "docx":
        return _docx(text, folder / "要点.docx")
    path = folder / f"要点.{'html' if kind == 'html' else 'txt'}"
    path.write_text(_html(text) if kind == "html" else _wrapped(text) if kind == "wrapped" else text, encoding="utf-8")
    return path


def _import(cli: Cli, source: Path, target: Path, *options: str) -> tuple[dict[str, object], str]:
    result = cli("import", str(source), "-o", str(target), *options)
    assert result.exit_code in (0, 1), result.output
    return yaml.safe_load((target / "tasks.yaml").read_text(encoding="utf-8")), result.stdout


def _tasks(plan: dict[str, object]) -> list[tuple[object, ...]]:
    return [
        (t["id"], t["section"], t["title"], t["lead"], t["responsible"], t["deadline"])
        for t in plan["tasks"]  # type: ignore[attr-defined]
    ]


def _parts(plan: dict[str, object]) -> list[tuple[str, list[str]]]:
    return [(p["title"], [s["title"] for s in p["sections"]]) for p in plan["parts"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["txt", "ascii", "docx", "html", "wrapped", "pdf"])
def test_a_city_plan_of_numbered_paragraphs_in_every_form(cli: Cli, tmp_path: Path, kind: str) -> None:
    """pdf: tests/fixtures/shapes/city-libreoffice.pdf, this plan printed by LibreOffice
    (scripts/make_shape_fixtures.py)."""
    text = _ascii(CITY) if kind == "ascii" else CITY
    source = FIXTURES / "shapes" / "city-libreoffice.pdf" if kind == "pdf" else None
    source = source or _write("txt" if kind == "ascii" else kind, text, tmp_path)
    plan, said = _import(cli, source, tmp_path / "台账")
    expected = CITY_TASKS
    if kind == "ascii":  # titles keep the punctuation the document uses
        expected = [(i, s, _ascii(title), lead, resp, d) for i, s, title, lead, resp, d in CITY_TASKS]
    assert _tasks(plan) == expected
    assert _parts(plan) == CITY_PARTS
    header = plan["plan"]  # type: ignore[index]
    assert (header["document_number"], header["issuer"], str(header["issued_on"]), header["year"]) == (
        "嘉政办发〔2023〕12号", "嘉禾市人民政府办公室", "2023-04-18", 2023,
    )  # fmt: skip
    assert header["office"] == "市政府办公室"
    assert "7 项任务" in said
    # the draft loads: gkcli serves the review at once
    listed = cli("--data", str(tmp_path / "台账"), "list", "-f", "json", "--as-of", "2023-06-01")
    assert listed.exit_code == 0, listed.stderr
    assert [t["id"] for t in json.loads(listed.stdout)] == list(range(1, 8))
    assert cli("--data", str(tmp_path / "台账"), "unit", "市政府办公室", "-f", "json").exit_code == 0
    assert cli("check", str(tmp_path / "台账")).exit_code in (0, 1)


PROVINCE = """2023年某省政务公开工作要点
一、加强政策解读回应
（一）加强政策解读。围绕稳增长、稳就业等重点，做好政策解读工作，全年发布解读材料不少于100篇。（省政府办公厅牵头，省直各单位按职责分工负责）
（二）围绕重点工作做好信息公开。制定发布城市设计导则以及核心区控制性详细规划等规划信息。（省自然资源厅负责落实）推进支持新区建设、区域污染联防联控等信息公开。（省发展改革委、省生态环境厅分别负责落实）及时公开高速公路建设情况。（省交通运输厅负责落实）
（三）做好政务舆情回应。
1.建立健全舆情收集研判机制。
牵头单位：省政府办公厅
责任单位：省直各单位
完成时限：2023年6月底前
2.对涉及本地区的重要舆情，及时回应，由省政府新闻办牵头，各市州政府配合。
3、一是加强政府网站建设（省大数据局负责）；二是规范政务新媒体管理（省委网信办、省政府办公厅负责）。
（1）推进基层政务公开标准化。（各市州政府负责，縣級政府參照執行）
①编制公开事项目录（省司法厅牽頭，各市州配合）
二、加强组织保障
（一）强化责任落实。各地各部门要明确分管负责同志。
"""


def test_a_province_plan_with_every_way_of_naming_units(cli: Cli, tmp_path: Path) -> None:
    plan, said = _import(cli, _write("txt", PROVINCE, tmp_path), tmp_path / "台账")
    assert _tasks(plan) == [
        # a section that is itself a task: its heading and its text, up to the parenthesis
        (1, "1.1", "加强政策解读。围绕稳增长、稳就业等重点，做好政策解读工作，全年发布解读材料不少于100篇。",
         ["省政府办公厅"], ["省直各单位"], ""),
        # a paragraph of three sentences, each closed by its own parenthesis: three tasks
        (2, "1.2", "制定发布城市设计导则以及核心区控制性详细规划等规划信息。", ["省自然资源厅"], [], ""),
        (3, "1.2", "推进支持新区建设、区域污染联防联控等信息公开。", ["省发展改革委", "省生态环境厅"], [], ""),
        (4, "1.2", "及时公开高速公路建设情况。", ["省交通运输厅"], [], ""),
        # units on labelled lines of their own, every one read
        (5, "1.3", "建立健全舆情收集研判机制。", ["省政府办公厅"], ["省直各单位"], "2023年6月底前"),
        # a trailing clause
        (6, "1.3", "对涉及本地区的重要舆情，及时回应。", ["省政府新闻办"], ["各市州政府"], ""),
        # 一是 … 二是 …, each with its parenthesis
        (7, "1.3", "加强政府网站建设", ["省大数据局"], [], ""),
        (8, "1.3", "规范政务新媒体管理。", ["省委网信办", "省政府办公厅"], [], ""),
        # (1) and ①, one of them in traditional characters
        (9, "1.3", "推进基层政务公开标准化。", ["各市州政府"], ["縣級政府"], ""),
        (10, "1.3", "编制公开事项目录", ["省司法厅"], ["各市州"], ""),
    ]  # fmt: skip
    assert _parts(plan) == [("加强政策解读回应", ["加强政策解读", "围绕重点工作做好信息公开", "做好政务舆情回应"])]
    assert plan["plan"]["office"] == "省政府办公厅"  # type: ignore[index]
    assert "序号已按全文顺序重排" in said  # the numbering restarts and is mixed: said once for the plan


def test_tails_and_generic_groups_are_not_names(cli: Cli, tmp_path: Path) -> None:
    text = """2023年测试区政务公开工作要点
一、深化公开
1、公开财政预决算。（区财政局、区审计局等负责）
2、公开重点项目。（区发改局等有关部门负责）
3、公开教育信息。（区教育局和区人社局负责）
4、公开统计数据。（区统计局、区税务局等单位按职责分工负责）
5、公开医疗信息。（区卫健局牵头，各镇（街）、各科室配合）
6、公开政策文件。（区委宣传部（区网信办）牵头，各县〔市、区〕人民政府负责）
"""
    plan, _ = _import(cli, _write("txt", text, tmp_path), tmp_path / "台账")
    assert [(t[3], t[4]) for t in _tasks(plan)] == [
        (["区财政局", "区审计局"], []),
        (["区发改局", "有关部门"], []),
        (["区教育局", "区人社局"], []),
        (["区统计局", "区税务局"], []),
        (["区卫健局"], ["各镇（街）", "各科室"]),
        (["区委宣传部（区网信办）"], ["各县〔市、区〕人民政府"]),
    ]
    units = yaml.safe_load((tmp_path / "台账" / "units.yaml").read_text(encoding="utf-8"))
    groups = {g["name"] for g in units["groups"]}
    assert {"有关部门", "各镇（街）", "各科室", "各县〔市、区〕人民政府"} <= groups  # written as groups


def test_a_convention_the_document_states_is_applied_and_said(cli: Cli, tmp_path: Path) -> None:
    text = """2023年测试县政务公开工作要点
各项任务所列单位中，列第一位的为牵头单位，其余为责任单位。
一、深化公开
1. 公开财政预决算。（县财政局、县审计局、县税务局）
2. 公开教育信息。（县教育局）
"""
    plan, said = _import(cli, _write("txt", text, tmp_path), tmp_path / "台账")
    assert [(t[3], t[4]) for t in _tasks(plan)] == [(["县财政局"], ["县审计局", "县税务局"]), (["县教育局"], [])]
    assert "列第一位的为牵头单位" in plan["plan"]["review"]  # type: ignore[index]
    assert "列第一位的为牵头单位" in said
    # the option does the same where the document does not say it
    plain = text.replace("各项任务所列单位中，列第一位的为牵头单位，其余为责任单位。\n", "")
    source = tmp_path / "b.txt"
    source.write_text(plain, encoding="utf-8")
    unsaid, said = _import(cli, source, tmp_path / "b")
    assert _tasks(unsaid)[0][3:5] == (["县财政局", "县审计局", "县税务局"], [])
    assert (
        ":3: 任务 1 的牵头单位: 括号中的 3 个单位都没有写角色,都记为牵头单位;若第一个才是牵头单位,用 --lead-first"
        in said
    )
    chosen, _ = _import(cli, source, tmp_path / "c", "--lead-first")
    assert _tasks(chosen)[0][3:5] == (["县财政局"], ["县审计局", "县税务局"])


def test_an_item_whose_units_cannot_be_found_is_kept_and_flagged(cli: Cli, tmp_path: Path) -> None:
    text = """2023年测试县政务公开工作要点
一、深化公开
（一）预算公开
1. 公开财政预决算。（县财政局牵头）
2. 办好政府开放日活动。
3. 做好解读。（按要求落实）
"""
    plan, said = _import(cli, _write("txt", text, tmp_path), tmp_path / "台账")
    assert [(t[0], t[2], t[3]) for t in _tasks(plan)] == [
        (1, "公开财政预决算。", ["县财政局"]), (2, "办好政府开放日活动。", []), (3, "做好解读。", []),
    ]  # fmt: skip
    assert ":5: 任务 2 的牵头单位: 原文中找不到它的牵头单位" in said
    assert ":6: 任务 3 的牵头单位: 括号中没有写明牵头单位" in said
    assert cli("--data", str(tmp_path / "台账"), "show", "2").exit_code == 0


def test_tasks_of_a_part_without_sections_go_into_a_flagged_section(cli: Cli, tmp_path: Path) -> None:
    text = """2023年测试县政务公开工作要点
一、深化公开
1. 公开财政预决算。（县财政局牵头）
二、夯实基础
（一）规范网站
2. 管好政府网站。（县大数据管理中心负责）
"""
    plan, said = _import(cli, _write("txt", text, tmp_path), tmp_path / "台账")
    assert _parts(plan) == [("深化公开", ["(未分小节)"]), ("夯实基础", ["规范网站"])]
    assert [t[1] for t in _tasks(plan)] == ["1.1", "2.1"]
    assert "小节 1.1 的标题: 原文这一部分的任务没有小节,已生成一个" in said


def test_radicals_from_a_text_layer_are_the_ideographs(cli: Cli, tmp_path: Path) -> None:
    from gkcli.importing.cleaning import RADICALS, cell_text

    # every radical of the table becomes its ideograph; a Kangxi radical is folded by NFKC
    assert all(cell_text(radical) == ideograph for radical, ideograph in RADICALS.items())
    assert cell_text("⾦融⻑效") == "金融長效" and cell_text("⼈⺠") == "人民" and cell_text("⻓期") == "长期"
    text = "2023年测试县政务公开工作要点\n\u2f00、深化公开\n1. 建\u2f74\u2ed1效机制。（县财政局牵头）\n"  # ⼀ ⽴ ⻑
    plan, _ = _import(cli, _write("txt", text, tmp_path), tmp_path / "台账")
    assert _tasks(plan)[0][2] == "建立長效机制。" and _parts(plan)[0][0] == "深化公开"


def test_fold_reads_either_width_and_either_script_in_place() -> None:
    text = "牽頭單位：縣財政局（負責）；完成時限：年底前，"
    folded = fold(text)
    assert folded == "牵头单位:县财政局(负责);完成时限:年底前,"
    assert len(folded) == len(text)  # a match's place is the same in both


def test_labels_written_after_the_sentence_and_names_marked_with_their_role(cli: Cli, tmp_path: Path) -> None:
    text = """2023年测试县政务公开工作要点
一、深化公开
1. 公开财政预决算。牵头单位：县财政局；责任单位：各乡镇人民政府；完成时限：6月底前。
2. 公开教育信息。责任单位：县教育局（牵头）、县财政局
3. 公开统计数据。（县统计局（牵头）、县税务局）
4. 公开审计结果。(责任单位:县审计局、县财政局)
"""
    plan, _ = _import(cli, _write("txt", text, tmp_path), tmp_path / "台账")
    assert [(t[2], t[3], t[4], t[5]) for t in _tasks(plan)] == [
        ("公开财政预决算。", ["县财政局"], ["各乡镇人民政府"], "6月底前"),
        ("公开教育信息。", ["县教育局"], ["县财政局"], ""),
        ("公开统计数据。", ["县统计局"], ["县税务局"], ""),
        ("公开审计结果。", ["县审计局", "县财政局"], [], ""),  # only 责任单位 named: those lead, as a one-column table
    ]
