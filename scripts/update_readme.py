"""Rewrite the README's generated sections (the rule table, the JSON key tables) from the code.

    python scripts/update_readme.py

tests/test_docs.py fails when a section is out of date.
"""

from __future__ import annotations

import re
from pathlib import Path

from gkcli.render.reference import readme_sections

README = Path(__file__).resolve().parent.parent / "README.md"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    for name, body in readme_sections().items():
        pattern = re.compile(rf"(<!-- generated: {name} -->\n).*?(\n<!-- end: {name} -->)", flags=re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no section marked <!-- generated: {name} -->")
        text = pattern.sub(lambda m, body=body: m.group(1) + body + m.group(2), text)  # type: ignore[misc]
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
