"""The structure of a Markdown document as GitHub renders it, with cmark-gfm (Debian package
`cmark-gfm`, GitHub's fork of cmark) and the GFM extensions GitHub enables
(https://github.github.com/gfm/: tables, autolinks, strikethrough, task lists).

structure(md) is the document's node tree without its text: block and inline node names
(heading levels, code blocks, tables, html blocks...). Two documents whose reports differ only
in the text of names and messages must have the same structure; live_references(md) lists what
GitHub would still turn into a link, a mention or an image."""
import re
import subprocess
import xml.etree.ElementTree as ET

CMARK = ["cmark-gfm", "--extension", "table", "--extension", "autolink", "--extension", "strikethrough",
         "--extension", "tasklist"]
NS = "{http://commonmark.org/xml/1.0}"
_TEXTUAL = {"text", "softbreak", "linebreak"}
_LINE_BREAK = re.compile(r"<br\s*/?>", re.I)  # a line break inside a cell or paragraph: text, not structure


def render(md, to="xml"):
    # --unsafe: keep raw HTML as GitHub does (it sanitises afterwards) instead of cmark's
    # "raw HTML omitted" placeholder.
    return subprocess.run([*CMARK, "--unsafe", "--to", to], input=md, stdout=subprocess.PIPE, text=True, check=True,
                          timeout=60).stdout


def tree(md):
    return ET.fromstring(render(md))


def _shape(node):
    name = node.tag.replace(NS, "")
    if name in _TEXTUAL or (name == "html_inline" and _LINE_BREAK.fullmatch(node.text or "")):
        return None
    attrs = ""
    if name == "heading":
        attrs = node.get("level")
    elif name == "html_block":
        # Tollgate's own HTML: keep the tags, not the escaped text between them.
        attrs = " ".join(re.findall(r"</?[a-zA-Z]+", node.text or ""))
    elif name == "html_inline":
        attrs = node.text or ""
    elif name == "link":
        # A commit SHA in a link (Tollgate's links to the commit and to lines at it) is the run's, not
        # structure: two workspaces' documents compare equal whatever their commits.
        attrs = re.sub(r"\b[0-9a-f]{40}\b", "<sha>", node.get("destination", ""))
    children = [c for c in (_shape(ch) for ch in node) if c is not None]
    return (name, attrs, tuple(children))


def structure(md):
    return _shape(tree(md))


def flat(shape, depth=0):
    """The structure as indented lines, for readable assertion diffs."""
    name, attrs, children = shape
    out = ["  " * depth + name + (f" {attrs}" if attrs else "")]
    for c in children:
        out += flat(c, depth + 1)
    return out


REFERENCE = re.compile(r"(?<![\w@])@[A-Za-z0-9][\w-]*|(?<![\w&])#\d+|(?<!\w)GH-\d+|https?://|(?<![\w.])www\.", re.I)


def live_references(md):
    """Text GitHub would link: mentions, #123, GH-123, URLs (issue and pull URLs become
    references), in text that is neither code nor a code block; plus every <img> and <a> of the
    rendered HTML and every HTML comment."""
    found = []

    def walk(node, in_code=False):
        name = node.tag.replace(NS, "")
        if name in ("code", "code_block"):
            return
        if name in ("text", "html_inline", "html_block"):
            text = node.text or ""
            if name != "text":
                text = re.sub(r"<[^>]*>", " ", text)
            found.extend(m.group(0) for m in REFERENCE.finditer(text))
        for ch in node:
            walk(ch)

    walk(tree(md))
    html = render(md, "html")
    found += [re.sub(r"\b[0-9a-f]{40}\b", "<sha>", m) for m in re.findall(r"<img\b|<a\b[^>]*>|<!--(?! tollgate)", html)]
    return found
