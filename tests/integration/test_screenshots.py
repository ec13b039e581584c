"""The pictures in docs/ are the current output (issue 15.7): scripts/screenshots makes them from
the agent's real output, and --check (no Chromium needed) fails when the HTML a picture was
captured from has changed — a summary, the comment or the page around them."""
import re
import subprocess

from conftest import ROOT, TOLLGATE

IMG = ROOT / "docs/img"


def test_every_picture_matches_the_current_output():
    proc = subprocess.run([str(ROOT / "scripts/screenshots"), "--tollgate", TOLLGATE, "--check"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_the_docs_show_every_picture_and_only_existing_ones():
    made = {p.stem for p in IMG.glob("*.png")}
    assert made, "no pictures in docs/img"
    for png in IMG.glob("*.png"):
        digest = IMG / f"{png.stem}.html.sha256"
        assert re.fullmatch(r"[0-9a-f]{64}  \S+\.html\n", digest.read_text()), digest
    shown = set()
    for doc in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for target in re.findall(r"\[[^\]]+\]\(([^)]+\.png)\)", doc.read_text()):  # shown or linked
            path = (doc.parent / target).resolve()
            assert path.exists(), f"{doc.name} shows {target}, which does not exist"
            shown.add(path.stem)
    assert made <= shown, f"pictures no page shows: {sorted(made - shown)}"
