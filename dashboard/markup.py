"""The few Markdown marks the sections write (**bold**, *italic*, [text](link), :colour[text], :colour-badge[text],
:material/icon:, backslash escapes from `theme.plain_md`) as HTML for the screen's HTML blocks, or as ReportLab's
paragraph markup for the pack: one reading of the marks for both."""

from __future__ import annotations

import html
import re

from dashboard.theme import STATUS_COLOURS

# Material icons the sections name, as characters any font draws (an HTML block or a PDF has no icon font)
ICONS = {"arrow_upward": "↑", "arrow_downward": "↓", "block": "⊘", "info": "≈", "remove": "–", "warning": "⚠",
         "schedule": "◷", "science": "⚗", "event": "◷", "search_off": "⊘"}
_ESCAPED = re.compile(r"\\(.)")
_ICON = re.compile(r":material/([a-z_]+): ?")
_COLOUR = re.compile(r":([a-z]+)(-badge)?\[([^\]]*)\]")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def convert(text: str, target: str = "html") -> str:
    """`text` (our Markdown subset) as HTML (`target="html"`) or ReportLab markup (`"reportlab"`); everything else in
    it is shown as written, never as a tag."""
    kept: list[str] = []

    def keep(m: re.Match) -> str:  # an escaped mark stands for itself: set aside from the parsing below
        kept.append(m.group(1))
        return f"\ue000{len(kept) - 1}\ue001"

    out = html.escape(_ESCAPED.sub(keep, text.replace("\u2060", "")), quote=False)
    out = _ICON.sub(lambda m: ICONS.get(m.group(1), "") + (" " if m.group(1) in ICONS else ""), out)

    def colour(m: re.Match) -> str:
        hex_ = STATUS_COLOURS.get(m.group(1), STATUS_COLOURS["gray"])
        if target == "reportlab":
            return f'<font color="{hex_}">{m.group(3)}</font>'
        badge = ";border:1px solid;border-radius:.6rem;padding:0 .4rem" if m.group(2) else ""
        return f'<span style="color:{hex_}{badge}">{m.group(3)}</span>'

    out = _COLOUR.sub(colour, out)
    out = _LINK.sub((lambda m: m.group(1)) if target == "reportlab" else
                    (lambda m: f'<a href="{m.group(2)}" target="_self">{m.group(1)}</a>'), out)
    out = _BOLD.sub(r"<b>\1</b>", out)
    out = _ITALIC.sub(r"<i>\1</i>", out)
    return re.sub("\ue000(\\d+)\ue001", lambda m: html.escape(kept[int(m.group(1))], quote=False), out)


def plain(text: str) -> str:
    """`text` without its marks, as a reader reads it (a tooltip's text)."""
    text = _ICON.sub("", text.replace("\u2060", ""))
    text = _COLOUR.sub(lambda m: m.group(3), text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _BOLD.sub(r"\1", text)
    return _ESCAPED.sub(r"\1", text)
