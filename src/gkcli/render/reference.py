"""Reference tables the README shows, generated from the definitions they describe."""

from __future__ import annotations


def readme_sections() -> dict[str, str]:
    """Each generated README section by name (``<!-- generated: NAME -->`` … ``<!-- end: NAME -->``)."""
    from gkcli.check.rules import readme_table

    return {"rules": readme_table()}
