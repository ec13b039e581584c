#!/usr/bin/env python3
"""Renders a job summary (Markdown) the way a reviewer sees it on the run page, as a PNG:
cmark-gfm (Debian package `cmark-gfm`, GitHub's fork of cmark, with the GFM extensions GitHub
enables) to HTML, GitHub's alert syntax (`> [!CAUTION]`) as the coloured box GitHub draws, a
stylesheet close to GitHub's light theme, and headless Chromium (Debian package `chromium`) for
the screenshot.

    docs/images/render_summary.py SUMMARY.md OUT.png [--width 900]
"""
import argparse

import re
import subprocess
import tempfile
from pathlib import Path

CSS = """
body { margin: 0; padding: 16px 24px; background: #fff; color: #1f2328; width: %dpx;
       font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, "DejaVu Sans", sans-serif; }
h3 { font-size: 1.25em; margin: 8px 0 16px; } h4 { font-size: 1em; margin: 24px 0 8px; }
code { font: 85%% "DejaVu Sans Mono", monospace; background: #eff1f3; padding: .2em .4em; border-radius: 6px; }
table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
tr:nth-child(2n) { background: #f6f8fa; } a { color: #0969da; text-decoration: none; }
ul { padding-left: 2em; margin: 8px 0; } p { margin: 8px 0; }
.alert { border-left: .25em solid #d1242f; padding: 8px 16px; margin: 8px 0; }
.alert .title { color: #d1242f; font-weight: 500; }
.frame { border: 1px solid #d1d9e0; border-radius: 6px; padding: 8px 16px; }
"""


def alerts(body):
    """GitHub draws `> [!CAUTION]` blockquotes as alerts; cmark-gfm leaves them blockquotes."""
    def box(m):
        inner = re.sub(r"^\s*<p>\[!CAUTION\]\s*", "<p>", m.group(1))
        return f'<div class="alert"><p class="title">⊘ Caution</p>{inner}</div>'
    return re.sub(r"<blockquote>\s*(<p>\[!CAUTION\].*?)</blockquote>", box, body, flags=re.S)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("markdown")
    ap.add_argument("png")
    ap.add_argument("--width", type=int, default=900)
    a = ap.parse_args()
    md = Path(a.markdown).read_text()
    body = subprocess.run(["cmark-gfm", "--extension", "table", "--extension", "autolink", "--to", "html", "--unsafe"],
                          input=md, text=True, stdout=subprocess.PIPE, check=True).stdout
    page = f"<!doctype html><meta charset=utf-8><style>{CSS % a.width}</style><div class=frame>{alerts(body)}</div>"
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "summary.html"
        src.write_text(page)
        height = 200 + 24 * md.count("\n")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--window-size={a.width + 48},{height}", f"--screenshot={Path(a.png).resolve()}",
                        src.as_uri()], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)



if __name__ == "__main__":
    main()
