"""Workflow commands read from a step's stdout and stderr exactly as the Actions runner reads them.

The runner (github.com/actions/runner) reads both streams of a step line by line
(src/Runner.Sdk/ProcessInvoker.cs: StreamReader.ReadLine on StandardOutput and StandardError,
so "\\n", "\\r" and "\\r\\n" all end a line) and offers every line to
ActionCommandManager.TryProcessCommand (src/Runner.Worker/ActionCommandManager.cs), which tries
  - ActionCommand.TryParseV2 (src/Runner.Common/ActionCommand.cs): the line after
    string.TrimStart() (every Unicode white space) must start with "::"; the command info runs
    to the next "::"; the name ends at the first space; properties are split on ',' and '=' with
    empty entries dropped; data and properties are unescaped (%0D %0A %25, and %3A %2C in
    properties);
  - then ActionCommand.TryParse, the legacy form: "##[" ANYWHERE in the line, the command info
    runs to the next ']', properties split on ';', unescaped %3B %0D %0A %5D %25.
A name counts only if registered (case-insensitively). "stop-commands" pauses all processing
until a command named by its data (the token) arrives; that token is registered while paused.

Nothing here is kinder than the runner: whitespace is the .NET set plus the four C0 separators
Python also strips, both streams are parsed from a fresh state (so a stop-commands on stdout does
not hide a command on stderr whichever order the runner interleaved them in), and invalid UTF-8
becomes U+FFFD as the runner's UTF-8 decoder makes it.
"""
from dataclasses import dataclass, field

# Commands the runner registers (its IActionCommandExtension implementations in
# src/Runner.Worker/ActionCommandManager.cs and the annotation/echo/group extensions beside it).
REGISTERED = frozenset({
    "stop-commands", "set-env", "set-output", "save-state", "add-mask", "add-path", "add-matcher",
    "remove-matcher", "warning", "error", "notice", "debug", "group", "endgroup", "echo",
})

# .NET Char.IsWhiteSpace (what string.TrimStart() removes), plus U+001C..U+001F.
WHITESPACE = "".join(chr(c) for c in [*range(0x09, 0x0E), 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
                                       *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000])

_DATA_V2 = [("\r", "%0D"), ("\n", "%0A"), ("%", "%25")]
_PROPERTY_V2 = [("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")]
_LEGACY = [(";", "%3B"), ("\r", "%0D"), ("\n", "%0A"), ("]", "%5D"), ("%", "%25")]


def _unescape(text, mappings):
    # The runner replaces each escape in turn, in this order (so "%253A" unescapes twice over).
    for token, replacement in mappings:
        text = text.replace(replacement, token)
    return text


@dataclass
class Command:
    name: str                 # as written; compare with .key
    properties: dict          # keys lower-cased (the runner's dictionary ignores case)
    data: str
    form: str                 # "v2" or "legacy"
    stream: str               # "stdout" or "stderr"
    line_no: int              # 1-based, in its stream
    line: str                 # the raw line
    paused_by: str = None     # set on a resume token: the stop-commands token it ends

    @property
    def key(self):
        return self.name.lower()


def split_lines(text):
    """Lines as StreamReader.ReadLine returns them: "\\r\\n", "\\r" and "\\n" each end one."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    lines, start, i, n = [], 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n" or c == "\r":
            lines.append(text[start:i])
            if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            start = i + 1
        i += 1
    if start < n:
        lines.append(text[start:])
    return lines


def parse_v2(line, registered):
    message = line.lstrip(WHITESPACE)
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    info = message[2:end]
    space = info.find(" ")
    name = info if space < 0 else info[:space]
    if name.lower() not in registered:
        return None
    props = {}
    if space > 0:
        for part in [p for p in info[space + 1:].strip().split(",") if p]:
            pair = [p for p in part.split("=", 1) if p]
            if len(pair) == 2:
                props[pair[0].lower()] = _unescape(pair[1], _PROPERTY_V2)
    return name, props, _unescape(message[end + 2:], _DATA_V2)


def parse_legacy(line, registered):
    start = line.find("##[")
    if start < 0:
        return None
    close = line.find("]", start)
    if close < 0:
        return None
    info = line[start + 3:close]
    space = info.find(" ")
    name = info if space < 0 else info[:space]
    if name.lower() not in registered:
        return None
    props = {}
    if space > 0:
        for part in [p for p in info[space + 1:].split(";") if p]:
            pair = [p for p in part.split("=", 1) if p]
            if len(pair) == 2:
                props[pair[0].lower()] = _unescape(pair[1], _LEGACY)
    return name, props, _unescape(line[close + 1:], _LEGACY)


@dataclass
class StreamParser:
    """One stream through ActionCommandManager.TryProcessCommand, stop-commands state included."""
    stream: str = "stdout"
    registered: frozenset = REGISTERED
    stop_token: str = None
    paused: bool = False
    commands: list = field(default_factory=list)

    def feed_line(self, line, line_no):
        names = set(self.registered)
        if self.paused and self.stop_token:
            names.add(self.stop_token.lower())
        parsed = parse_v2(line, names)
        form = "v2"
        if parsed is None:
            parsed, form = parse_legacy(line, names), "legacy"
        if parsed is None:
            return None
        name, props, data = parsed
        if self.paused:
            # Only the token resumes; every other command is ignored (ActionCommandManager).
            if self.stop_token and name.lower() == self.stop_token.lower():
                cmd = Command(name, props, data, form, self.stream, line_no, line, paused_by=self.stop_token)
                self.paused, self.stop_token = False, None
                self.commands.append(cmd)
                return cmd
            return None
        cmd = Command(name, props, data, form, self.stream, line_no, line)
        if name.lower() == "stop-commands":
            self.paused, self.stop_token = True, data
        self.commands.append(cmd)
        return cmd


def parse_stream(text, stream="stdout", registered=REGISTERED):
    parser = StreamParser(stream=stream, registered=registered)
    for i, line in enumerate(split_lines(text), 1):
        parser.feed_line(line, i)
    return parser


def commands(stdout, stderr="", registered=REGISTERED):
    """Every command the runner would execute from these two streams (stdout's first)."""
    return parse_stream(stdout, "stdout", registered).commands + parse_stream(stderr, "stderr", registered).commands


# What Tollgate itself issues (agent/runner/workflow_commands.*): annotations for findings,
# add-mask for its token, and stop-commands pairs with a 32-hex-digit random token.
ANNOTATIONS = frozenset({"error", "warning", "notice"})
ANNOTATION_PROPERTIES = frozenset({"file", "line", "endline", "col", "endcolumn", "title"})


def _confined(path):
    parts = path.replace("\\", "/").split("/")
    return path and not path.startswith(("/", "\\")) and ".." not in parts and ":" not in parts[0]


def _is_hex_token(text):
    return len(text) == 32 and all(c in "0123456789abcdef" for c in text)


def foreign_commands(stdout, stderr="", mask_values=(), allow=None):
    """Commands the runner would execute that Tollgate did not issue itself. Tollgate's own are
    recognised by where and how it writes them: on stdout only, V2 form at column 0, in the block
    of command lines it writes before any plain line (add-mask of a value it was given, then the
    annotations, whose file must stay inside the repository), or a stop-commands with a random
    hex token that its resume line ends. Anything else — a command on stderr, a legacy "##[",
    leading white space, an annotation after a plain line, set-output, echo… — is foreign.
    allow(cmd) may accept more for a test that expects them."""
    foreign = [c for c in parse_stream(stderr, "stderr").commands if not (allow and allow(c))]
    parser = StreamParser(stream="stdout")
    in_block, open_token = True, None
    for i, line in enumerate(split_lines(stdout), 1):
        cmd = parser.feed_line(line, i)
        if cmd is None:
            in_block = False
            continue
        own = False
        if cmd.form == "v2" and line.startswith("::"):
            if cmd.paused_by is not None:
                own = cmd.paused_by == open_token and line == f"::{open_token}::"
                open_token = None
            elif cmd.key == "stop-commands":
                own = _is_hex_token(cmd.data) and line == f"::stop-commands::{cmd.data}"
                open_token = cmd.data
            elif cmd.key == "add-mask":
                own = in_block and cmd.data in mask_values
            elif cmd.key in ANNOTATIONS:
                props = cmd.properties
                own = (in_block and set(props) <= ANNOTATION_PROPERTIES
                       and ("file" not in props or _confined(props["file"]))
                       and all(props.get(k, "1").isdigit() for k in ("line", "endline", "col", "endcolumn")))
        if not own and not (allow and allow(cmd)):
            foreign.append(cmd)
    if parser.paused:
        foreign.append(Command("stop-commands", {}, parser.stop_token or "", "v2", "stdout", 0,
                               "(commands still stopped when the step ended)"))
    return foreign


def describe(cmds):
    return "\n".join(f"{c.stream}:{c.line_no}: {c.form} '{c.name}' {c.properties} data={c.data!r} in {c.line!r}"
                     for c in cmds)
