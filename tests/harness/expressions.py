"""GitHub Actions expressions (`${{ ... }}`), evaluated the way the runner evaluates them, and
strictly: an unknown context, property, function or syntax is an error instead of an empty string,
so a typo in an action fails the harness.

Semantics follow GitHub's documentation: literals (null, booleans, numbers, 'strings' with ''),
property access (a.b, a['b'], a.*.b object filters), operators ! < <= > >= == != && || with loose
equality (mismatched types compare as numbers, strings ignore case), truthiness (false, 0, -0, NaN,
'' and null are falsy), && and || returning an operand, and the functions contains, startsWith,
endsWith, format, join, toJSON, fromJSON, hashFiles, success, always, cancelled, failure.

Contexts are plain dicts; a `Strict` dict raises on a missing key (inputs an action does not
declare, steps that do not exist, runner.* and github.* names the harness does not provide),
while an ordinary dict answers null for a missing key as GitHub does (env, secrets, vars, outputs,
github.event payloads).
"""
import hashlib
import json
import math
import re
from pathlib import Path

__all__ = ["ExpressionError", "Strict", "evaluate", "interpolate", "condition", "to_string", "contains_expression"]


class ExpressionError(ValueError):
    pass


class Strict(dict):
    """A context or object whose missing keys are errors (case-insensitive like GitHub), except
    those named in `known` (null here, present elsewhere: a matrix key of other legs)."""

    def __init__(self, name, *args, known=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name
        self.known = {k.lower() for k in known}


_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<number>0x[0-9a-fA-F]+|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<string>'(?:[^']|'')*')
  | (?P<op>&&|\|\||==|!=|<=|>=|[<>!()\[\].,*])
  | (?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
""", re.VERBOSE)

_FUNCTIONS = {"contains", "startswith", "endswith", "format", "join", "tojson", "fromjson", "hashfiles",
              "success", "always", "cancelled", "failure"}
_STATUS_FUNCTIONS = {"success", "always", "cancelled", "failure"}


def _tokenize(text):
    tokens, k = [], 0
    while k < len(text):
        m = _TOKEN.match(text, k)
        if not m:
            raise ExpressionError(f"unexpected character {text[k]!r} in expression {text!r}")
        k = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        tokens.append((kind, m.group()))
    tokens.append(("end", ""))
    return tokens


class _Parser:
    """Recursive descent; returns an AST of tuples."""

    def __init__(self, text):
        self.text = text
        self.tokens = _tokenize(text)
        self.k = 0

    def peek(self):
        return self.tokens[self.k]

    def take(self, value=None):
        tok = self.tokens[self.k]
        if value is not None and tok[1] != value:
            raise ExpressionError(f"expected {value!r}, found {tok[1] or 'the end'!r} in {self.text!r}")
        self.k += 1
        return tok

    def parse(self):
        node = self.or_()
        if self.peek()[0] != "end":
            raise ExpressionError(f"unexpected {self.peek()[1]!r} in {self.text!r}")
        return node

    def or_(self):
        node = self.and_()
        while self.peek()[1] == "||":
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self):
        node = self.equality()
        while self.peek()[1] == "&&":
            self.take()
            node = ("and", node, self.equality())
        return node

    def equality(self):
        node = self.comparison()
        while self.peek()[1] in ("==", "!="):
            op = self.take()[1]
            node = ("cmp", op, node, self.comparison())
        return node

    def comparison(self):
        node = self.unary()
        while self.peek()[1] in ("<", "<=", ">", ">="):
            op = self.take()[1]
            node = ("cmp", op, node, self.unary())
        return node

    def unary(self):
        if self.peek()[1] == "!":
            self.take()
            return ("not", self.unary())
        return self.postfix()

    def postfix(self):
        node = self.primary()
        while True:
            tok = self.peek()
            if tok[1] == ".":
                self.take()
                name = self.take()
                if name[1] == "*":
                    node = ("filter", node)
                elif name[0] == "ident":
                    node = ("prop", node, name[1])
                else:
                    raise ExpressionError(f"expected a property name after '.' in {self.text!r}")
            elif tok[1] == "[":
                self.take()
                if self.peek()[1] == "*":
                    self.take()
                    self.take("]")
                    node = ("filter", node)
                else:
                    index = self.or_()
                    self.take("]")
                    node = ("index", node, index)
            else:
                return node

    def primary(self):
        kind, value = self.take()
        if kind == "number":
            return ("lit", float(int(value, 16)) if value.lower().startswith("0x") else float(value))
        if kind == "string":
            return ("lit", value[1:-1].replace("''", "'"))
        if kind == "op" and value == "(":
            node = self.or_()
            self.take(")")
            return node
        if kind == "ident":
            lower = value.lower()
            if lower in ("true", "false"):
                return ("lit", lower == "true")
            if lower == "null":
                return ("lit", None)
            if self.peek()[1] == "(":
                self.take()
                args = []
                if self.peek()[1] != ")":
                    args.append(self.or_())
                    while self.peek()[1] == ",":
                        self.take()
                        args.append(self.or_())
                self.take(")")
                if lower not in _FUNCTIONS:
                    raise ExpressionError(f"unknown function {value}() in {self.text!r}")
                return ("call", lower, args)
            return ("context", value)
        raise ExpressionError(f"unexpected {value or 'end'!r} in {self.text!r}")


# ---- values ------------------------------------------------------------------------------------

def truthy(v):
    if v is None or v is False:
        return False
    if isinstance(v, float):
        return v != 0 and not math.isnan(v)
    if isinstance(v, int) and not isinstance(v, bool):
        return v != 0
    if isinstance(v, str):
        return v != ""
    return True


def to_number(v):
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        s = v.strip()
        if s == "":
            return 0.0
        try:
            return float(int(s, 16)) if s.lower().startswith("0x") else float(s)
        except ValueError:
            return math.nan
    return math.nan


def to_string(v, where="expression"):
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


def _compare(op, a, b):
    if op in ("==", "!="):
        if type(a) is type(b) or (isinstance(a, (int, float)) and isinstance(b, (int, float)) and
                                  not isinstance(a, bool) and not isinstance(b, bool)):
            if isinstance(a, str):
                equal = a.lower() == b.lower()
            elif isinstance(a, (dict, list)):
                equal = a is b
            elif isinstance(a, (int, float)) and not isinstance(a, bool):
                equal = float(a) == float(b)
            else:
                equal = a == b
        elif isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
            equal = False
        else:
            x, y = to_number(a), to_number(b)
            equal = x == y
        return equal if op == "==" else not equal
    if isinstance(a, str) and isinstance(b, str):
        x, y = a.lower(), b.lower()
    else:
        x, y = to_number(a), to_number(b)
        if math.isnan(x) or math.isnan(y):
            return False
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


def _get(obj, name, path):
    if isinstance(obj, dict):
        for key in obj:
            if key.lower() == name.lower():
                return obj[key]
        if isinstance(obj, Strict) and name.lower() in obj.known:
            return None
        if isinstance(obj, Strict):
            known = ", ".join(sorted(obj)) or "none"
            raise ExpressionError(f"{path}.{name} does not exist ({obj.name} has: {known})")
        return None
    if obj is None:
        return None
    if isinstance(obj, list):
        return None
    raise ExpressionError(f"{path} is a {type(obj).__name__}, it has no property {name!r}")


def _format(fmt, args):
    out, k = [], 0
    while k < len(fmt):
        c = fmt[k]
        if c == "{" and fmt.startswith("{{", k):
            out.append("{")
            k += 2
        elif c == "}" and fmt.startswith("}}", k):
            out.append("}")
            k += 2
        elif c == "{":
            end = fmt.find("}", k)
            index = fmt[k + 1:end] if end > 0 else ""
            if not index.isdigit() or int(index) >= len(args):
                raise ExpressionError(f"format(): bad placeholder in {fmt!r}")
            out.append(to_string(args[int(index)], "format()"))
            k = end + 1
        elif c == "}":
            raise ExpressionError(f"format(): unmatched '}}' in {fmt!r}")
        else:
            out.append(c)
            k += 1
    return "".join(out)


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


class _Evaluator:
    def __init__(self, contexts, functions):
        self.contexts = contexts
        self.functions = functions

    def eval(self, node):
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "context":
            name = node[1]
            for key, value in self.contexts.items():
                if key.lower() == name.lower():
                    return value
            raise ExpressionError(f"unknown context {name!r} here (available: {', '.join(sorted(self.contexts))})")
        if kind == "prop":
            return _get(self.eval(node[1]), node[2], self.describe(node[1]))
        if kind == "index":
            obj, index = self.eval(node[1]), self.eval(node[2])
            if isinstance(obj, list):
                n = to_number(index)
                return obj[int(n)] if not math.isnan(n) and 0 <= int(n) < len(obj) else None
            if isinstance(index, str):
                return _get(obj, index, self.describe(node[1]))
            return None
        if kind == "filter":
            obj = self.eval(node[1])
            if isinstance(obj, dict):
                return list(obj.values())
            if isinstance(obj, list):
                return list(obj)
            return []
        if kind == "not":
            return not truthy(self.eval(node[1]))
        if kind == "and":
            left = self.eval(node[1])
            return self.eval(node[2]) if truthy(left) else left
        if kind == "or":
            left = self.eval(node[1])
            return left if truthy(left) else self.eval(node[2])
        if kind == "cmp":
            return _compare(node[1], self.eval(node[2]), self.eval(node[3]))
        if kind == "call":
            return self.call(node[1], [self.eval(a) for a in node[2]])
        raise AssertionError(node)

    def describe(self, node):
        if node[0] == "context":
            return node[1]
        if node[0] == "prop":
            return self.describe(node[1]) + "." + node[2]
        return "(value)"

    def call(self, name, args):
        def arity(n, m=None):
            if not (n <= len(args) <= (m if m is not None else n)):
                raise ExpressionError(f"{name}() takes {n}{'' if m == n or m is None else f' to {m}'} arguments")

        if name in _STATUS_FUNCTIONS:
            arity(0)
            if name not in self.functions:
                raise ExpressionError(f"{name}() is only available in 'if:' conditions")
            return self.functions[name]()
        if name == "contains":
            arity(2)
            haystack, needle = args
            if isinstance(haystack, list):
                return any(_compare("==", item, needle) for item in haystack)
            return to_string(needle, "contains()").lower() in to_string(haystack, "contains()").lower()
        if name in ("startswith", "endswith"):
            arity(2)
            a, b = to_string(args[0], name).lower(), to_string(args[1], name).lower()
            return a.startswith(b) if name == "startswith" else a.endswith(b)
        if name == "format":
            if not args:
                raise ExpressionError("format() needs a format string")
            return _format(to_string(args[0], "format()"), args[1:])
        if name == "join":
            arity(1, 2)
            sep = to_string(args[1], "join()") if len(args) > 1 else ","
            items = args[0] if isinstance(args[0], list) else [args[0]]
            return sep.join(to_string(i, "join()") for i in items)
        if name == "tojson":
            arity(1)
            return json.dumps(_integral(args[0]), indent=2, ensure_ascii=False)
        if name == "fromjson":
            arity(1)
            try:
                value = json.loads(to_string(args[0], "fromJSON()"))
            except json.JSONDecodeError as e:
                raise ExpressionError(f"fromJSON(): {e}") from None
            return _numbers_as_floats(value)
        if name == "hashfiles":
            if "hashfiles" not in self.functions:
                raise ExpressionError("hashFiles() is not available here")
            if not args:
                raise ExpressionError("hashFiles() needs a pattern")
            return self.functions["hashfiles"]([to_string(a, "hashFiles()") for a in args])
        raise ExpressionError(f"unknown function {name}()")


def _integral(v):
    """Numbers as GitHub prints them: 1, not 1.0."""
    if isinstance(v, float) and v == int(v) and abs(v) < 1e15:
        return int(v)
    if isinstance(v, list):
        return [_integral(x) for x in v]
    if isinstance(v, dict):
        return {k: _integral(x) for k, x in v.items()}
    return v


def _numbers_as_floats(v):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, list):
        return [_numbers_as_floats(x) for x in v]
    return {k: _numbers_as_floats(x) for k, x in v.items()}


_PARSED = {}


def evaluate(text, contexts, functions=None):
    """The value of one expression (without the ${{ }})."""
    ast = _PARSED.get(text)
    if ast is None:
        ast = _PARSED[text] = _Parser(text).parse()
    return _Evaluator(contexts, functions or {}).eval(ast)


def _split(text):
    """Literal and expression parts of a string with ${{ }} in it."""
    parts, k = [], 0
    while True:
        start = text.find("${{", k)
        if start < 0:
            parts.append(("text", text[k:]))
            return parts
        parts.append(("text", text[k:start]))
        j, quote = start + 3, False
        while j < len(text):
            if text[j] == "'":
                quote = not quote
            elif not quote and text.startswith("}}", j):
                break
            j += 1
        else:
            raise ExpressionError(f"unterminated ${{{{ in {text!r}")
        parts.append(("expr", text[start + 3:j].strip()))
        k = j + 2


def contains_expression(text):
    return isinstance(text, str) and "${{" in text


def interpolate(value, contexts, functions=None, where="value"):
    """A string with ${{ }} expressions replaced. A string that is exactly one expression keeps the
    expression's type (as GitHub does for with:, if: and matrix values); others become strings."""
    if not isinstance(value, str):
        return value
    parts = [p for p in _split(value) if p != ("text", "")]
    if len(parts) == 1 and parts[0][0] == "expr":
        return evaluate(parts[0][1], contexts, functions)
    out = []
    for kind, text in parts:
        out.append(text if kind == "text" else to_string(evaluate(text, contexts, functions), where))
    return "".join(out)


def condition(text, contexts, functions):
    """An `if:` condition: with or without ${{ }}; without a status function it means
    success() && (condition)."""
    if text is None:
        text = "success()"
    if isinstance(text, bool):
        text = "true" if text else "false"
    text = str(text).strip()
    if text.startswith("${{") and text.endswith("}}") and len(_split(text)) == 3 and _split(text)[2] == ("text", ""):
        text = text[3:-2].strip()
    elif "${{" in text:
        text = to_string(interpolate(text, contexts, functions, "if"))
    ast = _Parser(text).parse()
    if not _uses_status(ast):
        ast = ("and", ("call", "success", []), ast)
    return truthy(_Evaluator(contexts, functions).eval(ast))


def _uses_status(node):
    if not isinstance(node, tuple):
        return False
    if node[0] == "call" and node[1] in _STATUS_FUNCTIONS:
        return True
    return any(_uses_status(child) for child in node[1:] if isinstance(child, tuple)) or \
        any(_uses_status(a) for child in node[1:] if isinstance(child, list) for a in child)
