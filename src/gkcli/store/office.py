"""Word documents made into PDF by LibreOffice (``soffice --headless --convert-to pdf``).

Offices send a bulletin as a Word document and then as a PDF. The official fonts (方正小标宋简体,
仿宋_GB2312, 楷体_GB2312, 黑体) are seldom on a Linux machine, and LibreOffice left to itself falls
back to whatever font covers the characters (with the Noto CJK fonts: the Japanese face). So each conversion runs
with a profile of its own (in a temporary folder, so it never meets an open LibreOffice) whose
font replacement table names, for every font the document asks for and the machine lacks, the
closest Chinese font the machine has (a Song face for 宋 and 仿宋, a Kai face for 楷, a sans face
for 黑); the caller is told each replacement, so the person knows the PDF is not set in the
official fonts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from gkcli.errors import WriteFailed
from gkcli.text import terminal_safe

TIMEOUT_SECONDS = 180
PROGRAMS = ("soffice", "libreoffice")
# For each font the official layout uses, Chinese fonts of the same kind, best first: what Windows
# and WPS have, then the free fonts Linux distributions ship.
SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "方正小标宋简体": ("方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "宋体", "SimSun", "Noto Serif CJK SC",
                "Source Han Serif SC", "AR PL UMing CN"),
    "仿宋_GB2312": ("仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"),
    "楷体_GB2312": ("楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC", "Source Han Serif SC"),
    "黑体": ("SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Droid Sans Fallback"),
    "宋体": ("SimSun", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"),
}  # fmt: skip


@dataclass(frozen=True)
class Converted:
    pdf: bytes
    replaced: list[tuple[str, str | None]]  # a font the machine lacks, and what stood in (None: nothing found)


def program(env: Mapping[str, str] = os.environ) -> str | None:
    """LibreOffice's command, if this machine has it (``$GKCLI_SOFFICE`` names another)."""
    named = env.get("GKCLI_SOFFICE")
    if named is not None:
        return shutil.which(named) if named else None
    return next((found for name in PROGRAMS if (found := shutil.which(name, path=env.get("PATH")))), None)


def installed_fonts(env: Mapping[str, str] = os.environ) -> set[str] | None:
    """Every font family name the machine has (in each of its languages), from fontconfig; None
    when fontconfig cannot say."""
    lister = shutil.which("fc-list", path=env.get("PATH"))
    if lister is None:
        return None
    try:
        listed = subprocess.run([lister, ":", "family"], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in listed.stdout.splitlines() for name in line.split(",") if name.strip()}


def replacements(fonts: Sequence[str], have: set[str] | None) -> list[tuple[str, str | None]]:
    """For each of ``fonts`` the machine lacks, the first substitute it has (None: none of them)."""
    if have is None:
        return []
    return [
        (font, next((s for s in SUBSTITUTES.get(font, ()) if s in have), None)) for font in fonts if font not in have
    ]


def command(env: Mapping[str, str] = os.environ) -> str:
    """LibreOffice's command, or the error that says it is missing and what to do."""
    found = program(env)
    if found is None:
        raise WriteFailed(
            "写 PDF 需要 LibreOffice,这台机器上没有找到 soffice",
            hint="安装 LibreOffice(Debian/Ubuntu: apt-get install libreoffice-writer-nogui)后重试;"
            "或者写成 .docx,用 WPS 或 Word 另存为 PDF",
        )
    return found


def to_pdf(docx: bytes, fonts: Sequence[str], env: Mapping[str, str] = os.environ) -> Converted:
    """``docx`` as PDF, set in ``fonts`` or, where the machine lacks one, its nearest substitute."""
    soffice = command(env)
    replaced = replacements(fonts, installed_fonts(env))
    with tempfile.TemporaryDirectory(prefix="gkcli-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(docx)
        profile = folder / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_profile(replaced), encoding="utf-8")
        argv = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                "--convert-to", "pdf", "--outdir", str(folder), str(source)]  # fmt: skip
        stderr = _run(argv, soffice, env, folder / "stderr.txt")
        result = folder / "document.pdf"
        if not result.is_file():
            said = terminal_safe(stderr.strip().splitlines()[-1]) if stderr.strip() else ""
            raise WriteFailed(
                "LibreOffice 没有生成 PDF" + (f": {said}" if said else ""), hint="可先写成 .docx 再另存为 PDF"
            )
        return Converted(result.read_bytes(), replaced)


def _run(argv: list[str], soffice: str, env: Mapping[str, str], log: Path) -> str:
    """Run LibreOffice in a process group of its own, its standard error to ``log``; what it said
    there. On a timeout, Ctrl-C or SIGTERM the whole group is killed (``soffice`` starts
    ``soffice.bin``, which outlives a killed parent) before anything else happens, so no converter
    is left running and the temporary folder can go. A signal only kills the group and is noted
    (from before LibreOffice starts, so none falls between the start and the wait); the wait then
    ends by itself and the interruption is raised after it, never inside it (an exception raised
    in the middle of a wait can leave the process object locked)."""
    started: list[subprocess.Popen[bytes]] = []
    stopped: list[int] = []

    def stop(signum: int, frame: object) -> None:
        stopped.append(signum)
        for child in started:
            _signal_group(child)

    in_main = threading.current_thread() is threading.main_thread()
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)} if in_main else {}
    try:
        for signum in previous:
            signal.signal(signum, stop)
        try:
            with open(log, "wb") as errors:
                started.append(subprocess.Popen(
                    argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors, env=dict(env),
                    start_new_session=True,
                ))  # fmt: skip
        except OSError as exc:
            raise WriteFailed(f"无法运行 LibreOffice({soffice}): {exc.strerror}") from None
        child = started[0]
        if stopped:  # a signal while it was starting
            _signal_group(child)
        try:
            child.wait(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            _kill_group(child)
            raise WriteFailed(f"LibreOffice 在 {TIMEOUT_SECONDS} 秒内没有转换完成,已停止它,没有写出 PDF") from None
        finally:
            _kill_group(child)  # helpers it started and left behind, when it ended by itself
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if stopped:
        raise KeyboardInterrupt  # the temporary folder goes as this leaves it; then "已中断"
    return log.read_text(encoding="utf-8", errors="replace")


def _signal_group(child: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signal.SIGKILL)


def _kill_group(child: subprocess.Popen[bytes]) -> None:
    _signal_group(child)
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=10)


def _profile(replaced: list[tuple[str, str | None]]) -> str:
    """A LibreOffice profile's settings: the font replacement table, always applied."""
    pairs = "".join(
        f'<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
        f'<node oor:name="gk{n}" oor:op="replace">'
        f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(font)}</value></prop>'
        f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(substitute)}</value></prop>'
        '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
        '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop></node></item>'
        for n, (font, substitute) in enumerate(replaced)
        if substitute is not None
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>'
        f"{pairs}</oor:items>\n"
    )


def replaced_text(replaced: list[tuple[str, str | None]]) -> str | None:
    """What to tell the person about the fonts of a PDF (None: every font was the machine's own)."""
    if not replaced:
        return None
    said = "、".join(
        f"{font} → {substitute or '(未找到中文字体,由 LibreOffice 自选)'}" for font, substitute in replaced
    )
    return f"本机没有公文字体,PDF 中替换为: {said};装上这些字体后重新生成即与 Word 中一致"
