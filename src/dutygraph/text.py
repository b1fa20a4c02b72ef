"""Views of a source text that keep every character's offset into the original.

Parsers work on a normalised view (full-width punctuation folded to ASCII, PDF line breaks and
stray spaces removed) and map every match back, so that ``source[start:end]`` is always the exact
written text of a span.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# One character for one character: folding keeps offsets.
_FOLD = {0x3000: " ", 0xFF1A: ":", 0xFF1B: ";", 0xFF0C: ",", 0xFF08: "(", 0xFF09: ")",
         0xFF01: "!", 0xFF1F: "?", 0xFF0E: ".", 0x2014: "-", 0x2013: "-", 0xFF5E: "~",
         0xFF05: "%", 0x00A0: " ", 0x3001: "、"}
for _c in range(0xFF10, 0xFF1A):  # full-width digits
    _FOLD[_c] = chr(_c - 0xFEE0)
for _c in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):  # full-width letters
    _FOLD[_c] = chr(_c - 0xFEE0)
FOLD_TABLE = str.maketrans(_FOLD)

_T2S: dict[int, str] = {}   # traditional → simplified, character by character, filled as met
_CONVERTER = []


def _simplified(chars) -> None:
    """Learn the simplified form of unseen CJK characters (OpenCC), keeping only one-for-one ones."""
    new = [c for c in chars if ord(c) not in _T2S and ("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff")]
    if not new:
        return
    if not _CONVERTER:
        try:
            import opencc

            _CONVERTER.append(opencc.OpenCC("t2s"))
        except Exception:  # OpenCC missing or without its data: no conversion
            _CONVERTER.append(None)
    cc = _CONVERTER[0]
    for c in new:
        s = cc.convert(c) if cc else c
        _T2S[ord(c)] = s if len(s) == 1 else c


def fold(text: str) -> str:
    """Fold full-width punctuation, digits and letters to ASCII and traditional characters to
    simplified ones, one character for one, so that offsets never move."""
    _simplified(set(text))
    return text.translate(FOLD_TABLE).translate(_T2S)


@dataclass(frozen=True)
class View:
    """A derived string ``text`` whose character i sits at ``index[i]`` in the source."""

    text: str
    index: tuple[int, ...]
    source: str = ""    # the original text the index points into

    @classmethod
    def of(cls, source: str, start: int = 0, end: int | None = None) -> "View":
        end = len(source) if end is None else end
        return cls(fold(source[start:end]), tuple(range(start, end)), source)

    def __len__(self) -> int:
        return len(self.text)

    def __add__(self, other: "View") -> "View":
        return View(self.text + other.text, self.index + other.index, self.source or other.source)

    def __getitem__(self, key: slice) -> "View":
        return View(self.text[key], self.index[key], self.source)

    def written(self, i: int = 0, j: int | None = None) -> str:
        """The characters i..j as the source writes them (not folded), without spaces or breaks."""
        j = len(self.text) if j is None else j
        if not self.source:
            return "".join(self.text[i:j].split())
        return "".join(self.source[k] for k in self.index[i:j] if not self.source[k].isspace())

    def span(self, i: int = 0, j: int | None = None) -> tuple[int, int]:
        """Source offsets (start, end) of view characters i..j (end exclusive)."""
        j = len(self.text) if j is None else j
        if j <= i:
            at = self.index[i] if i < len(self.index) else (self.index[-1] + 1 if self.index else 0)
            return at, at
        return self.index[i], self.index[j - 1] + 1

    def strip(self, chars: str = " \t\r\n") -> "View":
        i, j = 0, len(self.text)
        while i < j and self.text[i] in chars:
            i += 1
        while j > i and self.text[j - 1] in chars:
            j -= 1
        return self[i:j]

    def without(self, chars: str = " \t\r\n") -> "View":
        """The view with the given characters removed (PDF spaces inside names, line breaks)."""
        keep = [k for k, c in enumerate(self.text) if c not in chars]
        return View("".join(self.text[k] for k in keep), tuple(self.index[k] for k in keep), self.source)


def split_keep(view: View, seps: str) -> list[View]:
    """Split a view after each separator character, keeping the separator with its piece."""
    out, start = [], 0
    for k, c in enumerate(view.text):
        if c in seps:
            out.append(view[start:k + 1])
            start = k + 1
    if start < len(view.text):
        out.append(view[start:])
    return [v for v in (p.strip() for p in out) if v.text.strip(seps + " ")]


WIDE_FROM = "\u2e80"   # CJK radicals onwards: two columns each
WIDE = re.compile(f"[{WIDE_FROM}-\U0010ffff]")


def display_width(text: str) -> int:
    """Width as printed: CJK and full-width characters count two columns."""
    return len(text) if text.isascii() else 2 * len(text) - len(WIDE.sub("", text))
