"""Text for a thermal printer in Chinese mode: columns, wrapping and GB18030 bytes.

In Chinese (Kanji) mode an ESC/POS printer prints every ASCII byte as one half-width cell and
every multi-byte GB18030 character as one full-width cell (two columns) — whatever Unicode
calls "ambiguous" width (·, —, ：) is still two columns on paper. So the width of a character
here is its GB18030 width, not `unicodedata.east_asian_width`.

Order text reaches the printer as raw bytes, so control characters are taken out first: an
ESC or GS inside a customer's name would otherwise be read as a command.
"""

from __future__ import annotations

import unicodedata

__all__ = ["clean", "encode", "fit_right", "pad", "text_width", "wrap"]

_NO_START = set("，。、；：？！）】》」』”’,.;:?!)]")
_DROP = {"Cf", "Cs", "Co", "Cn", "Mn", "Me"}  # invisible, or nothing the printer's font has


def clean(text: str) -> str:
    """`text` safe for the printer: control characters become spaces, invisible ones go."""
    out: list[str] = []
    for ch in text:
        if ch == "\n":
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Zl", "Zp") or (cat == "Zs" and ch != "\u3000"):
            out.append(" ")  # U+3000 is a real full-width space in GB18030; keep it
        elif cat not in _DROP:
            out.append(ch)
    return "".join(out)


def char_width(ch: str) -> int:
    return 1 if ord(ch) < 0x80 else 2


def text_width(text: str) -> int:
    """Columns `text` takes on the printer (ASCII 1, everything else 2)."""
    return sum(char_width(ch) for ch in text)


def _can_break(left: str, right: str) -> bool:
    """Whether a line may end between `left` and `right`."""
    if right in _NO_START:
        return False  # 。，） never start a line
    if not (left.isascii() and right.isascii()):
        return True  # beside a Chinese character
    return left in " -/" or right == " "


def wrap(text: str, cols: int) -> list[str]:
    """`text` cut into lines of at most `cols` columns (explicit newlines kept).

    A full-width character is never split; a line ends where it may (beside a Chinese
    character, after a space, "-" or "/") when such a place is in its second half, so order
    numbers and words stay whole where they can and 。，） do not start a line.
    """
    if cols < 4:
        raise ValueError("a line needs at least four columns")
    lines: list[str] = []
    for para in clean(text).split("\n"):
        rest = para.rstrip()
        if not rest:
            lines.append("")
            continue
        while rest:
            used, cut = 0, 0
            for i, ch in enumerate(rest):
                if used + char_width(ch) > cols:
                    break
                used += char_width(ch)
                cut = i + 1
            if cut < len(rest):
                best = next((j for j in range(cut, cut // 2, -1)
                             if _can_break(rest[j - 1], rest[j])), cut)
                cut = best
            lines.append(rest[:cut].rstrip())
            rest = rest[cut:].lstrip(" ")
    return lines


def pad(text: str, cols: int) -> str:
    """`text` with spaces after it up to `cols` columns."""
    return text + " " * max(0, cols - text_width(text))


def fit_right(left: str, right: str, cols: int) -> str:
    """One line: `left` at the start and `right` flush with the end (caller keeps it short)."""
    gap = cols - text_width(left) - text_width(right)
    return left + " " * max(1, gap) + right


def encode(text: str) -> bytes:
    """GB18030 bytes of one printable line (every Unicode character has a GB18030 code)."""
    return clean(text).replace("\n", " ").encode("gb18030", errors="replace")
