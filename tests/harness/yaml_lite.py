"""A strict parser for the YAML that workflows and action metadata use (Python's standard library
has none). Supported: block mappings and sequences (a sequence may sit at its key's indentation),
plain / 'single' / "double" quoted scalars, plain scalars continued on more-indented lines, block
scalars (| |- |+ > >- >+), single-line flow collections ([a, b], {a: b}), comments, a leading
`---`. Anchors, aliases, tags, multi-document streams and multi-line quoted or flow values are
errors, never silently misread.

Scalars follow YAML 1.2's core schema as GitHub reads it: true/false, null/~/empty, integers,
floats; everything else is a string. Keys are always strings (`on:` stays "on").
"""
import re

__all__ = ["YamlError", "load", "load_file"]


class YamlError(ValueError):
    def __init__(self, message, line=None, source="<yaml>"):
        super().__init__(f"{source}:{line}: {message}" if line else f"{source}: {message}")


_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$|^0x[0-9a-fA-F]+$|^0o[0-7]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_DOUBLE_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
                   "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0"}


def plain_value(text):
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.match(text):
        return int(text, 0)
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    if text in (".inf", "+.inf", ".Inf"):
        return float("inf")
    if text in ("-.inf", "-.Inf"):
        return float("-inf")
    if text in (".nan", ".NaN"):
        return float("nan")
    return text


class _Parser:
    def __init__(self, text, source):
        self.source = source
        if "\t" in "".join(l[: len(l) - len(l.lstrip(" \t"))] for l in text.splitlines()):
            raise YamlError("tabs in indentation", None, source)
        self.lines = text.splitlines()
        self.i = 0

    def error(self, message, index=None):
        return YamlError(message, (self.i if index is None else index) + 1, self.source)

    # ---- lines ---------------------------------------------------------------------------------

    @staticmethod
    def significant(line):
        stripped = line.strip()
        return bool(stripped) and not stripped.startswith("#")

    def peek(self):
        """(index, indent, text) of the next significant line, or None."""
        j = self.i
        while j < len(self.lines):
            line = self.lines[j]
            if self.significant(line):
                if line.strip() in ("---", "...") and len(line) - len(line.lstrip()) == 0:
                    if j == 0 or all(not self.significant(l) for l in self.lines[:j]):
                        j += 1
                        continue
                    raise self.error("several YAML documents in one file", j)
                return j, len(line) - len(line.lstrip(" ")), line.strip()
            j += 1
        return None

    # ---- scalars -------------------------------------------------------------------------------

    def strip_comment(self, text):
        """Text without a trailing comment (a # after whitespace, outside quotes)."""
        quote = None
        k = 0
        while k < len(text):
            c = text[k]
            if quote == "'":
                if c == "'":
                    if k + 1 < len(text) and text[k + 1] == "'":
                        k += 1
                    else:
                        quote = None
            elif quote == '"':
                if c == "\\":
                    k += 1
                elif c == '"':
                    quote = None
            elif c in "'\"" and (k == 0 or text[k - 1] in " \t[{,:"):
                quote = c
            elif c == "#" and (k == 0 or text[k - 1] in " \t"):
                return text[:k].rstrip()
            k += 1
        return text.rstrip()

    def quoted(self, text, index):
        """A quoted scalar that must fill `text`; returns the value."""
        value, end = self.quoted_at(text, 0, index)
        if text[end:].strip():
            raise self.error(f"unexpected text after a quoted scalar: {text[end:].strip()!r}", index)
        return value

    def quoted_at(self, text, k, index):
        q = text[k]
        out = []
        k += 1
        while k < len(text):
            c = text[k]
            if q == "'" and c == "'":
                if k + 1 < len(text) and text[k + 1] == "'":
                    out.append("'")
                    k += 2
                    continue
                return "".join(out), k + 1
            if q == '"' and c == '"':
                return "".join(out), k + 1
            if q == '"' and c == "\\":
                k += 1
                if k >= len(text):
                    break
                e = text[k]
                if e in _DOUBLE_ESCAPES:
                    out.append(_DOUBLE_ESCAPES[e])
                elif e in "xuU":
                    n = {"x": 2, "u": 4, "U": 8}[e]
                    digits = text[k + 1:k + 1 + n]
                    if not re.fullmatch(r"[0-9a-fA-F]{%d}" % n, digits):
                        raise self.error(f"bad escape \\{e}{digits}", index)
                    out.append(chr(int(digits, 16)))
                    k += n
                else:
                    raise self.error(f"unknown escape \\{e}", index)
                k += 1
                continue
            out.append(c)
            k += 1
        raise self.error("a quoted scalar must end on its line (multi-line quoted scalars are not supported)", index)

    def flow(self, text, index):
        value, end = self.flow_at(text, 0, index)
        if text[end:].strip():
            raise self.error(f"unexpected text after a flow collection: {text[end:].strip()!r}", index)
        return value

    def flow_at(self, text, k, index):
        def skip(k):
            while k < len(text) and text[k] in " \t":
                k += 1
            return k

        opener = text[k]
        closer = "]" if opener == "[" else "}"
        k = skip(k + 1)
        result = [] if opener == "[" else {}
        if k < len(text) and text[k] == closer:
            return result, k + 1
        while True:
            k = skip(k)
            if k >= len(text):
                raise self.error("a flow collection must end on its line", index)
            item, k = self.flow_item(text, k, index, closer)
            k = skip(k)
            if opener == "{":
                if k >= len(text) or text[k] != ":":
                    raise self.error("a flow mapping needs key: value pairs", index)
                k = skip(k + 1)
                value, k = self.flow_item(text, k, index, closer)
                if not isinstance(item, str):
                    item = str(item).lower() if isinstance(item, bool) else ("" if item is None else str(item))
                result[item] = value
                k = skip(k)
            else:
                result.append(item)
            if k < len(text) and text[k] == ",":
                k += 1
                continue
            if k < len(text) and text[k] == closer:
                return result, k + 1
            raise self.error(f"expected ',' or '{closer}' in a flow collection", index)

    def flow_item(self, text, k, index, closer):
        c = text[k]
        if c in "[{":
            return self.flow_at(text, k, index)
        if c in "'\"":
            return self.quoted_at(text, k, index)
        if c in "&*!|>":
            raise self.error(f"'{c}' is not supported", index)
        j = k
        while j < len(text) and text[j] not in ",]}" and not (text[j] == ":" and (j + 1 == len(text) or text[j + 1] in " ,]}")):
            j += 1
        return plain_value(text[k:j].strip()), j

    def inline(self, text, index, parent_indent):
        """The value written after `key:` or `- ` on line `index`."""
        text = self.strip_comment(text)
        if not text:
            return None
        c = text[0]
        if c in "&*!":
            raise self.error(f"anchors, aliases and tags are not supported: {text!r}", index)
        if c in "|>":
            return self.block_scalar(text, index, parent_indent)
        if c in "'\"":
            return self.quoted(text, index)
        if c in "[{":
            return self.flow(text, index)
        if c in "@`" or text.startswith(("- ", "? ")) or text in ("-", "?"):
            raise self.error(f"a plain scalar cannot start with {c!r}", index)
        if re.search(r":(\s|$)", text):
            raise self.error(f"a mapping cannot start inside a value: {text!r}", index)
        # A plain scalar may continue on more-indented lines: they fold into one line.
        parts = [text]
        while True:
            nxt = self.peek()
            if not nxt or nxt[1] <= parent_indent:
                break
            j, _, more = nxt
            if more.startswith("#"):
                break
            if re.match(r"^(- |-$)", more) or self.key_of(more) is not None:
                raise self.error("unexpected mapping or sequence inside a plain scalar", j)
            parts.append(self.strip_comment(more))
            self.i = j + 1
        return plain_value(" ".join(parts))

    def block_scalar(self, header, index, parent_indent):
        m = re.fullmatch(r"([|>])([-+]?)([1-9]?)([-+]?)", header)
        if not m:
            raise self.error(f"bad block scalar header {header!r}", index)
        style, chomp = m.group(1), m.group(2) or m.group(4)
        indent = parent_indent + 1 + int(m.group(3)) - 1 if m.group(3) else None
        raw, j = [], index + 1
        while j < len(self.lines):
            line = self.lines[j]
            if line.strip() == "":
                raw.append("")
                j += 1
                continue
            n = len(line) - len(line.lstrip(" "))
            if indent is None:
                if n <= parent_indent:
                    break
                indent = n
            if n < indent:
                break
            raw.append(line[indent:])
            j += 1
        self.i = j
        end = len(raw)
        while end and raw[end - 1] == "":
            end -= 1
        trailing_blank, lines = len(raw) - end, raw[:end]
        if not lines:
            return ""
        if style == "|":
            body = "\n".join(lines)
        else:
            # Folding: a break between two normal lines becomes a space, b blank lines become b
            # breaks; breaks next to more-indented lines are kept.
            body, blanks = lines[0], 0
            previous_more = lines[0].startswith((" ", "\t"))
            for line in lines[1:]:
                if line == "":
                    blanks += 1
                    continue
                more = line.startswith((" ", "\t"))
                if more or previous_more:
                    body += "\n" * (blanks + 1) + line
                else:
                    body += ("\n" * blanks if blanks else " ") + line
                blanks, previous_more = 0, more
        if chomp == "-":
            return body
        if chomp == "+":
            return body + "\n" + "\n" * trailing_blank
        return body + "\n"

    # ---- collections ---------------------------------------------------------------------------

    def key_of(self, text):
        """(key, rest) when `text` starts a mapping entry, else None."""
        if text[0] in "'\"":
            try:
                key, end = self.quoted_at(text, 0, self.i)
            except YamlError:
                return None
            rest = text[end:]
            m = re.match(r"^\s*:(\s|$)", rest)
            return (key, rest[m.end():]) if m else None
        if text[0] in "[{&*!|>%@`#" or text.startswith(("- ", "? ")) or text == "-":
            return None
        m = re.match(r"^([^#]*?)\s*:(\s+|$)", text)
        if not m:
            return None
        return m.group(1), text[m.end():]

    def node(self, indent):
        """The node whose lines are indented at least `indent` (None when there is none)."""
        nxt = self.peek()
        if not nxt or nxt[1] < indent:
            return None
        j, n, text = nxt
        if text.startswith("- ") or text == "-":
            return self.sequence(n)
        if self.key_of(text) is not None:
            return self.mapping(n)
        self.i = j
        return self.inline(text, j, n - 1)

    def mapping(self, indent):
        result = {}
        while True:
            nxt = self.peek()
            if not nxt or nxt[1] < indent:
                return result
            j, n, text = nxt
            if n > indent:
                raise self.error("unexpected indentation", j)
            entry = self.key_of(text)
            if entry is None:
                if text.startswith("- ") or text == "-":
                    return result  # a sequence at its parent key's indentation ends here
                raise self.error(f"expected 'key: value', found {text!r}", j)
            key, rest = entry
            if key in result:
                raise self.error(f"duplicate key {key!r}", j)
            self.i = j + 1
            rest_value = self.strip_comment(rest)
            if rest_value:
                result[key] = self.inline(rest, j, indent)
                continue
            child = self.peek()
            if child and child[1] > indent:
                result[key] = self.node(child[1])
            elif child and child[1] == indent and (child[2].startswith("- ") or child[2] == "-"):
                result[key] = self.sequence(indent)
            else:
                result[key] = None

    def sequence(self, indent):
        result = []
        while True:
            nxt = self.peek()
            if not nxt or nxt[1] != indent or not (nxt[2].startswith("- ") or nxt[2] == "-"):
                if nxt and nxt[1] > indent:
                    raise self.error("unexpected indentation", nxt[0])
                return result
            j, n, text = nxt
            rest = text[1:]
            content = rest.lstrip(" ")
            if not self.strip_comment(content):
                self.i = j + 1
                child = self.peek()
                result.append(self.node(child[1]) if child and child[1] > indent else None)
                continue
            column = n + 1 + (len(rest) - len(content))
            # The item's first line, re-read as if it started at its own column.
            self.lines[j] = " " * column + content
            self.i = j
            if content.startswith("- ") or self.key_of(content) is not None:
                result.append(self.node(column))
            else:
                self.i = j + 1
                result.append(self.inline(content, j, n))


def load(text, source="<yaml>"):
    parser = _Parser(text, source)
    nxt = parser.peek()
    if nxt is None:
        return None
    value = parser.node(nxt[1])
    rest = parser.peek()
    if rest is not None:
        raise parser.error(f"unexpected {rest[2]!r}", rest[0])
    return value


def load_file(path):
    with open(path, encoding="utf-8") as f:
        return load(f.read(), str(path))
