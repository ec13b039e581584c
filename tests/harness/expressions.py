"""GitHub Actions expressions (`${{ ... }}`), evaluated by GitHub's own evaluator (the npm package
@actions/expressions, through gh.mjs): literals, operators, loose equality, truthiness and the
functions are the library's, not a re-implementation.

A value from a parsed workflow or action is either plain data or {"$expr": expression} — the
parser has already turned "a-${{ x }}" into format('a-{0}', x). A Python string given by a test
(run_steps, run_action's with) is split the same way here (the template reader's algorithm:
${{ opens, the first }} outside a '...' literal closes).

The harness adds one strictness GitHub lacks: a `Strict` context (inputs of an action, steps,
matrix, needs, runner, github) makes a missing key an error instead of null, so a typo in an action
fails the test; ordinary dicts (env, secrets, vars, outputs, github.event) answer null as GitHub does.
"""
import hashlib
import math
from pathlib import Path

from . import gh

__all__ = ["ExpressionError", "Strict", "evaluate", "interpolate", "condition", "to_string", "truthy", "is_expr",
           "contains_expression", "hash_files"]


class ExpressionError(ValueError):
    pass


class Strict(dict):
    """A context or object whose missing keys are errors (case-insensitive like GitHub), except
    those named in `known` (null here, present elsewhere: a matrix key of other legs)."""

    def __init__(self, name, *args, known=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name
        self.known = {k.lower() for k in known}


def is_expr(value):
    return isinstance(value, dict) and set(value) == {"$expr"}


def _plain(value):
    """Contexts as JSON for gh.mjs; a Strict dict carries its name and known keys."""
    if isinstance(value, dict):
        out = {str(k): _plain(v) for k, v in value.items()}
        if isinstance(value, Strict):
            out["\u0000strict"] = value.name
            out["\u0000known"] = sorted(value.known)
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


def truthy(v):
    if v is None or v is False:
        return False
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v != 0 and not math.isnan(v)
    if isinstance(v, str):
        return v != ""
    return True


def to_string(v, where="expression"):
    """A value as the runner turns it into text (env values, run scripts, with: inputs)."""
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        f = float(v)
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        return str(int(f)) if f == int(f) and abs(f) < 1e15 else repr(f)
    if isinstance(v, str):
        return v
    raise ExpressionError(f"{where}: an {'array' if isinstance(v, list) else 'object'} cannot become a string "
                          "(use toJSON())")


def hash_files(workspace, patterns):
    """hashFiles(): SHA-256 over the SHA-256 of each matched file (sorted), '' when none match."""
    root = Path(workspace)
    included, excluded = set(), set()
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern[1:] if negate else pattern
        matches = {p for p in root.glob(pattern) if p.is_file()}
        (excluded if negate else included).update(matches)
    files = sorted(included - excluded)
    if not files:
        return ""
    total = hashlib.sha256()
    for f in files:
        total.update(hashlib.sha256(f.read_bytes()).digest())
    return total.hexdigest()


_STATUS = ("success", "failure", "cancelled", "always")


def _ask(text, contexts, functions, is_if=False):
    functions = functions or {}
    status = {name: bool(functions[name]()) for name in _STATUS if name in functions}
    hasher = functions.get("hashfiles")
    answer = gh.ask_eval({"expr": text, "contexts": _plain(contexts), "status": status, "if": is_if,
                          "hashFiles": hasher is not None},
                         callback=lambda _name, args: hasher(args))
    if not answer["ok"]:
        raise ExpressionError(f"{answer['error']} (in {text!r})")
    return answer["value"]


def evaluate(text, contexts, functions=None):
    """The value of one expression (without the ${{ }})."""
    return _ask(text, contexts, functions)


def _split(text):
    """A string with ${{ }} in it as the template reader splits it: [("text", s) | ("expr", e)]."""
    parts, k = [], 0
    while True:
        start = text.find("${{", k)
        if start < 0:
            parts.append(("text", text[k:]))
            return [p for p in parts if p != ("text", "")]
        parts.append(("text", text[k:start]))
        j, quote = start + 3, False
        while j < len(text):
            if text[j] == "'":
                quote = not quote
            elif not quote and text.startswith("}}", j):
                break
            j += 1
        else:
            raise ExpressionError(f"the expression is not closed: an unescaped ${{{{ without }}}} in {text!r}")
        inner = text[start + 3:j].strip()
        if not inner:
            raise ExpressionError(f"an expression was expected in {text!r}")
        parts.append(("expr", inner))
        k = j + 2


def to_expression(text):
    """A Python string as the parser would have it: itself, one expression, or format(...)."""
    parts = _split(text)
    if not any(kind == "expr" for kind, _ in parts):
        return None
    if len(parts) == 1:
        return parts[0][1]
    fmt, args = [], []
    for kind, value in parts:
        if kind == "text":
            fmt.append(value.replace("'", "''").replace("{", "{{").replace("}", "}}"))
        else:
            fmt.append("{%d}" % len(args))
            args.append(value)
    return "format('" + "".join(fmt) + "'" + "".join(", " + a for a in args) + ")"


def contains_expression(value):
    return is_expr(value) or (isinstance(value, str) and "${{" in value)


def interpolate(value, contexts, functions=None, where="value"):
    """A template value evaluated: an expression (alone, it keeps its type as GitHub keeps it for
    with:, if: and matrix values; embedded in text, it becomes format()'s string); plain data as is."""
    if is_expr(value):
        text = value["$expr"]
    elif isinstance(value, str):
        text = to_expression(value)
        if text is None:
            return value
    elif isinstance(value, list):
        return [interpolate(v, contexts, functions, where) for v in value]
    elif isinstance(value, dict):
        return {k: interpolate(v, contexts, functions, where) for k, v in value.items()}
    else:
        return value
    try:
        return _ask(text, contexts, functions)
    except ExpressionError as e:
        raise ExpressionError(f"{where}: {e}") from None


def condition(text, contexts, functions):
    """An `if:` condition as the workflow parser converts it (convertToIfCondition): with or without
    ${{ }}, and without a status function it means success() && (condition)."""
    if text is None:
        text = "success()"
    elif isinstance(text, bool):
        text = "true" if text else "false"
    elif isinstance(text, (int, float)):
        text = to_string(text)
    elif is_expr(text):
        text = text["$expr"]
    else:
        text = str(text)
        text = to_expression(text) or text.strip()
    return bool(_ask(text, contexts, functions, is_if=True))
