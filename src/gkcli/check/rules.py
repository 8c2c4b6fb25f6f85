"""Every rule ``gkcli check`` knows, defined once.

Each rule has its id, severity, a one-line title (the README's table), an explanation and an
example (``gkcli check --explain GK301``). Findings name only their rule id: the severity
comes from here. ``--select``/``--ignore``, the registry's own ``check:`` block and the
per-line comment ``# gkcli: ignore[GK605]`` choose which rules report; the reading rules
(GK1xx) always do, since without them the file cannot be read at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from gkcli.domain.registry import MAX_FILE_BYTES
from gkcli.findings import Diagnostic, Severity

_LIMIT_MB = MAX_FILE_BYTES // 1024 // 1024

SEVERITY_LABELS = {"error": "错误", "warning": "警告"}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    title: str
    explanation: str
    example: str

    @property
    def always_on(self) -> bool:
        """Reading and schema rules cannot be ignored: a file with such a problem cannot be read."""
        return self.id.startswith("GK1")


def _rule(id: str, severity: Severity, title: str, explanation: str, example: str) -> Rule:
    return Rule(id, severity, title, explanation, example)


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        _rule("GK100", "error", "YAML 语法错误",
              "文件不是合法的 YAML:常见原因是括号或引号没有闭合、缩进没有对齐、值中含有“: ”却没有加引号。"
              "未闭合的括号和引号报在它开始的位置。",
              "lead: [县财政局   # 缺少 ]"),
        _rule("GK101", "error", "重复的键(YAML 本会静默保留后一个)",
              "同一个映射中写了两次同一个键,YAML 会悄悄丢掉前一个值。请删去其一。",
              "status: done\nstatus: not_started"),
        _rule("GK102", "error", "使用了锚点或别名(`&`/`*`)",
              "台账不使用锚点和别名:它们让一处修改影响多处,还可被用来构造“别名炸弹”。请把内容直接写出。",
              "lead: &leads [县财政局]\nresponsible: *leads"),
        _rule("GK103", "error", "非常规 YAML 标签(如 `!!python/...`),不会构造任何对象",
              "台账只用文本、数字、日期和列表;`!` 开头的标签一律不解析。",
              "title: !!python/object/apply:os.system [ls]"),
        _rule("GK104", "error", "嵌套过深",
              "嵌套超过 64 层的结构不是台账,读取到此为止。",
              "a: [[[[[[ ... ]]]]]]"),
        _rule("GK105", "error", "文件为空",
              "文件中没有任何内容(或只有注释)。",
              "# 只有注释"),
        _rule("GK106", "error", "不是 UTF-8 编码(指出字节位置;识别 GBK/GB18030 并给出转换方法)",
              "台账必须存为 UTF-8。Windows 中文编辑器常存成 GBK,可用 iconv -f GB18030 -t UTF-8 转换。",
              "(GBK 编码的文件)"),
        _rule("GK107", "error", f"文件超过 {_LIMIT_MB} MB",
              f"超过 {_LIMIT_MB} MB(约 13 万项任务)的文件不读取,以免耗尽时间和内存;写入也不会让文件超过这个上限。",
              "(一个 80 MB 的 tasks.yaml)"),
        _rule("GK108", "error", "顶层不是映射",
              "文件的顶层应是“键: 值”的映射(plan、parts、tasks 或 units、groups)。",
              "- id: 1\n- id: 2"),
        _rule("GK109", "error", "用制表符(Tab)缩进",
              "YAML 只能用空格缩进,Tab 在不同编辑器中宽度不同,会让层次错乱。",
              "tasks:\n\t- id: 1"),
        _rule("GK110", "error", "缺少必填字段",
              "记录缺少必须写的字段(如任务的 title、lead、deadline)。",
              "- id: 3\n  section: \"1.1\"   # 缺少 title"),
        _rule("GK111", "error", "未知字段(提示相近的字段名)",
              "记录中有不认识的字段,多半是拼写错误;一个映射超过 256 个键时只读前 256 个并报告一次。",
              "- id: 3\n  titel: …"),
        _rule("GK112", "error", "类型不对:文字处写了数字或未加引号的日期,日期处写了带引号的文字等",
              "每个字段的值要有正确的类型:小节编号要加引号(\"1.2\"),日期不加引号(2022-07-12)。",
              "section: 1.2"),
        _rule("GK113", "error", "取值不合要求(如 `status` 不在可选值中、序号不是正数)",
              "值的类型对了,但不在允许的范围或写法内:状态只能是 not_started、in_progress、done,"
              "序号为 1 到 9999999,数字最多 18 位,网址以 http:// 或 https:// 开头。",
              "status: finished"),
        _rule("GK114", "error",
              "YAML 1.1 的意外读法:未加引号的 `no`/`on`/`yes` 成了布尔值,`010` 成了八进制,`1:30` 成了六十进制",
              "YAML 1.1 会把一些看似文字或数字的写法读成别的值。若是文字请加引号。",
              "deadline: no"),
        _rule("GK115", "warning", "进展记录的日期写在旧的键 `on:` 下",
              "gkcli 早先把进展记录的日期写作 on:。YAML 1.1 的读取器(PyYAML 等,许多 CI 脚本用它读台账)会把这个键"
              "读成布尔值 true 而不是文字 on。现在写作 date:,两种都能读。gkcli check --fix 把旧键改为 date:,"
              "文件的其他字节不变。",
              "progress:\n  - on: 2022-09-01\n    note: 已起草"),
        _rule("GK201", "error", "任务序号重复",
              "两项任务用了同一个序号,命令无法区分它们。",
              "- id: 3\n…\n- id: 3"),
        _rule("GK202", "warning", "任务序号不连续",
              "序号中间有缺号,可能漏录了任务。原文本就跳号时可以忽略。",
              "- id: 1\n- id: 3"),
        _rule("GK203", "error", "任务引用的小节不存在",
              "任务的 section 不是 parts 中列出的任何小节。",
              "section: \"9.9\""),
        _rule("GK204", "warning", "小节下没有任务",
              "parts 中列出的小节没有任何任务,可能漏录了任务。",
              "sections:\n  - id: \"1.5\"   # 没有任务属于 1.5"),
        _rule("GK205", "error", "部分或小节编号重复",
              "两个部分或两个小节用了同一个编号。",
              "- id: \"1.1\"\n- id: \"1.1\""),
        _rule("GK206", "error", "小节编号与所属部分不符",
              "小节编号的前一半应是所属部分的编号:第 2 部分下的小节写成 2.1、2.2……",
              "- id: 2\n  sections:\n    - id: \"1.3\""),
        _rule("GK301", "error", "牵头或责任单位不是已登记的单位、别名或群组(提示相近名称)",
              "任务或进展中写的单位在 units.yaml 中找不到。请改正写法,或把它(或它的别名)登记到 units.yaml。",
              "lead: [县税务]   # units.yaml 中是 县税务局"),
        _rule("GK302", "error", "任务没有牵头单位",
              "每项任务至少要有一个牵头单位。",
              "lead: []"),
        _rule("GK303", "error", "单位名或别名重复,或别名与另一个单位同名",
              "同一个名字指向两个单位或群组时,命令无法判断指的是哪一个。",
              "- name: 县政务服务办公室\n  aliases: [县教育局]"),
        _rule("GK304", "error", "群组成员不是已登记的单位",
              "群组的 members 中写了 units.yaml 中没有的单位。",
              "members: [县财政]"),
        _rule("GK305", "error", "群组包含自身",
              "群组直接或经其他群组间接包含了自己,展开成员时会无穷循环。",
              "- name: 县属有关单位\n  members: [县属有关单位]"),
        _rule("GK306", "error",
              "单位名或别名与另一个单位看起来一样(只差不可见字符、附加符号、全半角或字形相近的部首字)",
              "两个名字在屏幕上无法分辨,查询一个时会漏掉另一个。请删去多余的字符,或改用能区分的名称。",
              "- name: 县财政局\n- name: \"县财政局\\u0301\""),
        _rule("GK307", "error", "单位名或别名中有命令行会解释的字符",
              "名称中有 $ ` ; & | < > \\ ' \" * ? ! { } [ ] ~ # 或空白时,在命令行中照写会被 shell 当作命令、变量或通配符"
              "(补全时按下回车就可能执行)。正式的单位名称不含这些字符;括号请用全角(),或照写半角 ( )。"
              "带 review 的单位(导入草稿中读错的文字)只报 GK701。",
              "- name: 县财政局\n  aliases: [\"县财政$(rm -rf ~)局\"]"),
        _rule("GK401", "error", "无法识别的完成时限",
              "完成时限不是 gkcli 认得的写法(全年、12月底前、三季度前、上半年、2022-12-31 等),"
              "或数字不是 0–9、全角数字或汉字数字。可另写 due: YYYY-MM-DD 指定截止日期。",
              "deadline: 尽快"),
        _rule("GK402", "warning", "截止日期不在要点年度内或早于印发日期",
              "推算出的截止日期不在要点年度内,或早于要点印发日期,多半是年份写错了。",
              "deadline: 2021年底前"),
        _rule("GK403", "warning", "待核对任务的完成时限或牵头单位读不出",
              "导入的草稿中,原文的完成时限或牵头单位没有读出来(或原文没写)的任务带有 review 说明;这时只是警告,"
              "草稿仍可用 gkcli list、show 查看。核对后写上完成时限(或 due: YYYY-MM-DD)和牵头单位,并删去 review。",
              "deadline: \"\"\nreview: 完成时限:完成时限为空(原文第 12 行)"),
        _rule("GK501", "error", "状态为已完成(`done`)却没有完成日期 `done_on`",
              "已完成的任务必须写明完成日期,红黄绿灯和“逾期完成”都要用它。",
              "status: done   # 缺少 done_on"),
        _rule("GK502", "error", "完成日期晚于今天(`--as-of`)",
              "完成日期不能在未来。需要按某一天检查时用 --as-of 或 GKCLI_TODAY。",
              "done_on: 2099-12-31"),
        _rule("GK503", "error", "完成日期早于要点印发日期",
              "任务不可能在要点印发之前完成。",
              "done_on: 2022-01-01   # 印发日期 2022-07-12"),
        _rule("GK504", "warning", "未完成的任务写了完成日期",
              "状态不是 done 却写了 done_on,二者必有一处写错。",
              "status: in_progress\ndone_on: 2022-09-01"),
        _rule("GK505", "warning", "进展记录没有按日期从早到晚排列",
              "progress 应按日期从早到晚排列,最新的在最后。",
              "progress:\n  - on: 2022-09-01\n  - on: 2022-08-01"),
        _rule("GK506", "error", "进展日期早于印发日期或晚于今天",
              "进展记录的日期必须在要点印发日期与今天之间。",
              "- on: 2099-01-01"),
        _rule("GK507", "error", "状态或完成日期与进展记录不符",
              "进展记录是唯一的依据,status 和 done_on 由它推出、写出来方便阅读;手工改动让二者不一致时报告。"
              "gkcli done/progress/reopen 会同时写好三者。",
              "status: not_started\nprogress:\n  - on: 2022-08-01\n    note: 已起草"),
        _rule("GK508", "error", "进展记录自相矛盾",
              "完成之后又记“完成”、未完成却记“重新打开”等,无法推出任务在各日期的状态。请删去或改正那条记录。",
              "progress:\n  - {on: 2022-08-01, note: 完成, kind: done}\n  - {on: 2022-08-05, note: 又完成, kind: done}"),
        _rule("GK509", "error", "延期记录缺少新的截止日期,或别的记录写了截止日期",
              "kind: extend(延期)和 request(申请延期)要用 due 写明新的截止日期;进展、完成、重新打开不写 due。",
              "progress:\n  - {on: 2022-09-01, note: 批准延期, kind: extend}   # 缺少 due: 2022-12-15"),
        _rule("GK510", "error", "接续关系(`carried_from`)指向本要点自己的任务,或几份要点的接续关系成环",
              "carried_from 记下新要点的任务接续上一年要点的哪一项(gkcli carryover --write 写入)。指向本要点自己的"
              "任务,或 A 接续 B、B 又接续 A,都说明写错了:结转后的任务会被算作“已结转”而消失。只有工作区知道每份要点"
              "的简称,所以这条规则在 gkcli --data 工作区 check 校验几份要点时检查。",
              "# 工作区 台账/2023 中:\ncarried_from: \"2023:5\""),
        _rule("GK511", "error", "答复了并不存在的申请:销号或退回没有待审核的销号申请,不予延期没有待批准的延期申请",
              "accept(销号)和 send_back(退回)答复单位的销号申请(claim),decline(不予延期)答复延期申请(request)。"
              "申请已被批准、已答复、任务已完成,或从未申请时,这条答复无从谈起;请删去它,或先登记申请。",
              "progress:\n  - {date: 2022-09-01, note: 批准延期, kind: extend, due: 2022-12-15}\n"
              "  - {date: 2022-09-05, note: 不予延期, kind: decline}   # 申请已于 09-01 批准"),
        _rule("GK512", "error", "检查节点(`checkpoints`)读不出,或晚于任务的截止日期",
              "checkpoints 写规则(每季度末、每月末、每月25日、每半年、每年末)或日期(2022-09-30、2022-12-31)。"
              "写明的日期晚于截止日期时,这个节点不会生效,多半是写错了。",
              "deadline: 9月底前\ncheckpoints: 2022-10-31"),
        _rule("GK601", "error", "文字中有控制字符",
              "控制字符看不见,却会改变终端和表格的显示。请删去。",
              "title: \"第二项\\u0007任务\""),
        _rule("GK602", "error", "文字中有终端转义序列",
              "以 ESC 开头的序列可以改变终端的颜色、标题甚至内容。",
              "title: \"\\u001b[31m任务\""),
        _rule("GK603", "error", "文字中有双向文本控制字符(会让显示顺序与实际内容不同)",
              "双向控制字符能让文字显示的顺序与实际内容不同,是常见的伪装手段。",
              "title: \"第二项\\u202e任务\""),
        _rule("GK604", "warning", "文字首尾有空白",
              "首尾的空格、Tab 多半是复制粘贴带来的,会让查询和比较出错。",
              "title: \"任务 \""),
        _rule("GK605", "warning", "两个汉字之间有空格(PDF 折行遗留);`provenance` 和 `note` 会引用残缺原文,不查此项",
              "从 PDF 复制的文字常在折行处留下空格。原文确有空格时可在该行末写 # gkcli: ignore[GK605]。",
              "title: 推进基层政务 新媒体建设"),
        _rule("GK606", "error", "文字中有不可见字符(零宽空格、零宽连接符、变体选择符、U+3164 等)",
              "不可见字符能让两个看起来相同的名字成为不同的名字,或让标题看似有内容实则为空。",
              "lead: [\"县财政\\u200b局\"]"),
        _rule("GK607", "error", "只能写一行的字段(标题、单位名、完成时限等)中有换行符;`provenance` 和 `note` 可以换行",
              "单行字段中的换行会让提醒、表格和 CI 输出出现伪造的行。",
              "title: \"任务\\n::error::伪造\""),
        _rule("GK608", "error", "文字中有任何文件格式都写不出的字符(非字符 U+FFFE、U+FFFF、U+FDD0–U+FDEF 等,或孤立的代理项)",
              "这些码位不是文字:XLSX、Word 和 JSON 都无法写出它们,导出和通报会因此失败。它们只会经由 YAML 转义"
              "(\\uFFFE)混进台账,请删去。",
              "note: \"已完成\\uFFFE\""),
        _rule("GK701", "warning", "导入时标记的待核对内容(`review`)",
              "gkcli import 读不准的单元格(跨栏的文字、被拆开的单位名、读不懂的完成时限等)照原样写入,并在该项"
              "加上 review 说明原因。核对原件、改正内容后删除 review 这一行,警告即消失。",
              "review: 牵头单位中有不认识的名称:县(可能是被拆开的名称)"),
    )
}  # fmt: skip


def finding(file: str, position: tuple[int, int], rule: str, message: str, task: int | None = None) -> Diagnostic:
    """A diagnostic of ``rule`` (its severity from RULES) at ``position`` (line, column) of ``file``."""
    return Diagnostic(file, position[0], position[1], RULES[rule].severity, rule, message, task)


def matching(codes: Iterable[str]) -> set[str]:
    """The rule ids that codes name: a whole id (GK301), a family (GK3) or every rule (ALL)."""
    found: set[str] = set()
    for code in codes:
        prefix = code.strip().upper()
        if not prefix:
            continue
        chosen = set(RULES) if prefix == "ALL" else {rule for rule in RULES if rule.startswith(prefix)}
        if not chosen:
            raise ValueError(code)
        found |= chosen
    return found


@dataclass(frozen=True)
class Selection:
    """Which rules report: ``select`` (empty: all) less ``ignore``; GK1xx always report."""

    select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()

    def reports(self, rule: str) -> bool:
        if RULES[rule].always_on:
            return True
        return (not self.select or rule in self.select) and rule not in self.ignore

    def narrowed(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Selection:
        """This selection with a command line's ``--select`` (replaces) and ``--ignore`` (adds)."""
        chosen = matching(select)
        return Selection(frozenset(chosen) if chosen else self.select, self.ignore | matching(ignore))


_SUPPRESSION = re.compile(r"#\s*gkcli:\s*ignore(?:\[([A-Za-z0-9,\s]*)\])?\s*$")


def suppressed(line_text: str | None, rule: str) -> bool:
    """True when the line ends with ``# gkcli: ignore`` (every rule) or ``# gkcli: ignore[GK605, GK604]``."""
    if line_text is None or RULES[rule].always_on or "gkcli" not in line_text:
        return False
    match = _SUPPRESSION.search(line_text)
    if match is None:
        return False
    codes = match.group(1)
    return codes is None or rule in matching(re.split(r"[,\s]+", codes))


def readme_table() -> str:
    """The README's table of rules, generated from RULES."""
    rows = ["| 规则 | 级别 | 含义 |", "|---|---|---|"]
    rows += [
        f"| {r.id} | {SEVERITY_LABELS[r.severity]} | {r.title} |" for r in sorted(RULES.values(), key=lambda r: r.id)
    ]
    return "\n".join(rows)
