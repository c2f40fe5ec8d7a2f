"""Finding the Chinese fonts the renderers need, through fontconfig.

WeasyPrint (through Pango) and matplotlib both draw missing glyphs as empty boxes without a
warning a reader would see; so every render asks :func:`cjk_fonts` first, which raises
:class:`MissingFonts` naming the Debian package to install instead of producing such a file.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

#: the Debian package that provides the fonts (installed by ``.ci/run``)
FONT_PACKAGE = "fonts-noto-cjk"

#: families in order of preference, for body text (serif) and headings / charts (sans)
SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "Noto Serif CJK")
SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Noto Sans CJK")


class MissingFonts(RuntimeError):
    """No Chinese font is installed; the message names the package to install."""

    def __init__(self, detail: str = "") -> None:
        message = (
            "No Chinese (CJK) font was found through fontconfig, so Chinese text would print as "
            f"empty boxes. Install the Debian package {FONT_PACKAGE} "
            f"(apt-get install {FONT_PACKAGE}) and try again."
        )
        if detail:
            message += f" ({detail})"
        super().__init__(message)


@dataclass(frozen=True)
class FontFace:
    family: str
    file: str
    index: int
    style: str = "Regular"


@dataclass(frozen=True)
class CJKFonts:
    """The faces chosen for one render."""

    serif: FontFace
    sans: FontFace
    faces: tuple[FontFace, ...]

    def css_stack(self, which: str = "serif") -> str:
        first = self.serif if which == "serif" else self.sans
        other = self.sans if which == "serif" else self.serif
        names = [first.family, other.family]
        return ", ".join(f'"{n}"' for n in dict.fromkeys(names)) + (
            ", serif" if which == "serif" else ", sans-serif"
        )


def _list_faces() -> list[FontFace]:
    exe = shutil.which("fc-list")
    if exe is None:
        raise MissingFonts("fontconfig's fc-list is not installed")
    out = subprocess.run(
        [exe, ":lang=zh", "-f", "%{file}\t%{index}\t%{family[0]}\t%{style[0]}\n"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    ).stdout
    faces = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or not parts[0]:
            continue
        path, index, family, style = parts
        faces.append(
            FontFace(family=family.strip(), file=path, index=int(index or 0), style=style.strip())
        )
    return faces


def _pick(faces: list[FontFace], preferred: tuple[str, ...]) -> FontFace | None:
    """The regular face of the first preferred family installed."""
    for name in preferred:
        mine = [f for f in faces if f.family == name]
        if mine:
            return min(mine, key=lambda f: (f.style not in ("Regular", "Book"), f.style))
    return None


def cjk_fonts() -> CJKFonts:
    """The Chinese fonts installed, or :class:`MissingFonts` naming ``fonts-noto-cjk``."""
    faces = _list_faces()
    if not faces:
        raise MissingFonts()
    proportional = [f for f in faces if "Mono" not in f.family] or faces
    sans = _pick(proportional, SANS) or _pick(proportional, (proportional[0].family,))
    serif = _pick(proportional, SERIF) or sans
    return CJKFonts(serif=serif, sans=sans, faces=tuple(faces))


_registered: set[str] = set()


def matplotlib_family(fonts: CJKFonts) -> str:
    """Make the sans face known to matplotlib (it does not scan .ttc collections itself) and
    return its family name for ``font.family``."""
    from matplotlib import font_manager

    for face in fonts.faces:
        if face.family == fonts.sans.family and face.file not in _registered:
            font_manager.fontManager.addfont(face.file)  # every weight of the family
            _registered.add(face.file)
    # fails loudly rather than fall back to a font without Chinese glyphs
    font_manager.findfont(
        font_manager.FontProperties(family=fonts.sans.family), fallback_to_default=False
    )
    return fonts.sans.family
