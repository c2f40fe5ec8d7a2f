"""Without Chinese fonts a render fails, naming the Debian package; it never writes a file of
empty boxes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gongsheng.documents.fonts import FONT_PACKAGE, MissingFonts, cjk_fonts

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import django, sys
django.setup()
from gongsheng.documents.fonts import MissingFonts
from gongsheng.documents.services import render_files
from tests.documents.sample import sample_document
for fmt in ("pdf", "docx"):
    try:
        render_files(sample_document(), formats=[fmt])
    except MissingFonts as exc:
        print(fmt, "MISSING:", exc)
    else:
        print(fmt, "RENDERED")
"""


def test_fonts_are_found_here():
    fonts = cjk_fonts()
    assert "CJK" in fonts.sans.family and fonts.sans.style in ("Regular", "Book")
    assert "SC" in fonts.serif.family


def test_without_cjk_fonts_the_render_names_fonts_noto_cjk(tmp_path):
    empty = tmp_path / "fonts"
    empty.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>{empty}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(conf),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
    }
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 2
    for fmt, line in zip(("pdf", "docx"), lines):
        assert line.startswith(f"{fmt} MISSING:"), line
        assert FONT_PACKAGE in line and "fonts-noto-cjk" in line


def test_the_message_names_the_package():
    assert "apt-get install fonts-noto-cjk" in str(MissingFonts())
