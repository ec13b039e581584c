// GitHub's own workflow parser and expression evaluator (the npm packages @actions/workflow-parser
// and @actions/expressions, pinned in package-lock.json beside this file), served to the Python
// harness as one long-lived process speaking JSON lines on stdin/stdout:
//
//   {"op": "workflow"|"action", "name": file name, "content": text}
//       → {"ok": true, "value": tree} or {"ok": false, "errors": ["file (Line: n, Col: m): message", ...]}
//     The tree is the parsed template as JSON: mappings, sequences and literals as themselves, a
//     value with ${{ }} in it as {"$expr": expression} — the parser's own BasicExpressionToken,
//     where "a-${{ x }}" has already become format('a-{0}', x) as GitHub makes it.
//   {"op": "yaml", "name", "content"} → the file as plain data (one document, no duplicate keys).
//   {"op": "eval", "expr": text, "contexts": {...}, "status": {"success": bool, ...}|null, "if": bool}
//       → {"ok": true, "value": v} or {"ok": false, "error": message}
//     With "if": true the text is an `if:` condition: wrapped in success() && (...) unless it calls
//     a status function (the parser's own ensureStatusFunction), and the answer is its truthiness.
//   While evaluating, hashFiles(...) is asked back: the helper writes {"callback": "hashFiles",
//   "args": [...]} and reads one line {"value": "..."}.
//
// Contexts arrive as JSON; an object with the key "\u0000strict" is a context whose missing keys are
// errors in the harness (a typo in an action fails the test instead of reading as '').
import fs from "node:fs";
import { register } from "node:module";

// stdout is the protocol: whatever the libraries log goes to stderr.
console.log = console.info = console.debug = console.warn = console.error;

// The published workflow-parser imports its JSON schemas without `with { type: "json" }`, which
// only bundlers accept; this load hook serves those two files as modules exporting the JSON.
register("data:text/javascript," + encodeURIComponent(`
  import fs from "node:fs";
  export async function load(url, context, next) {
    if (url.startsWith("file:") && url.endsWith(".min.json")) {
      return { format: "module", shortCircuit: true,
               source: "export default " + fs.readFileSync(new URL(url), "utf8") + ";" };
    }
    return next(url, context);
  }`));

const { Evaluator, Lexer, Parser, data } = await import("@actions/expressions");
const { IndexAccess, Star } = await import("@actions/expressions/ast");
const { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow, isBasicExpression, isBoolean, isMapping,
  isNumber, isSequence, isString } = await import("@actions/workflow-parser");
const { parseAllDocuments } = await import("yaml");
const { StringToken } = await import("@actions/workflow-parser/templates/tokens/string-token");
// The runner's TemplateReader.ParseScalar (actions/runner src/Sdk/DTObjectTemplating/ObjectTemplating/
// TemplateReader.cs) splits the scalar's *value* into literal text and expressions. This library,
// written for editors, reads a multi-line block scalar from its source text instead (indentation
// included, chomping ignored) to keep editor positions; without its source it uses the value as the
// runner does.
Object.defineProperty(StringToken.prototype, "source", { get() { return undefined; }, set() {}, configurable: true });
const { parseAction } = await import("@actions/workflow-parser/actions/action-parser");
const { ensureStatusFunction } = await import("@actions/workflow-parser/model/converter/if-condition");

const STRICT = "\u0000strict";
const KNOWN = "\u0000known";
const strictInfo = new WeakMap();

function toJson(token) {
  if (token === undefined || token === null) return null;
  if (isBasicExpression(token)) return { $expr: token.expression };
  if (isString(token) || isNumber(token) || isBoolean(token)) return token.value;
  if (isSequence(token)) {
    const out = [];
    for (let i = 0; i < token.count; i++) out.push(toJson(token.get(i)));
    return out;
  }
  if (isMapping(token)) {
    const out = {};
    for (let i = 0; i < token.count; i++) {
      const pair = token.get(i);
      const key = isBasicExpression(pair.key) ? "${{ " + pair.key.expression + " }}" : String(pair.key.value ?? pair.key);
      out[key] = toJson(pair.value);
    }
    return out;
  }
  return null; // NullToken
}

function errorsOf(context) {
  return context.errors.getErrors().map(e => e.message);
}

async function parse(op, name, content) {
  const file = { name, content };
  const result = op === "action" ? parseAction(file, new NoOperationTraceWriter())
    : parseWorkflow(file, new NoOperationTraceWriter());
  let errors = errorsOf(result.context);
  if (op === "workflow" && errors.length === 0 && result.value) {
    // The conversion step is where GitHub checks what the schema cannot: needs, job ids, matrices.
    const template = await convertWorkflowTemplate(result.context, result.value);
    errors = (template.errors || []).map(e => e.Message);
  }
  if (errors.length > 0 || !result.value) return { ok: false, errors: errors.length ? errors : [`${name}: empty file`] };
  return { ok: true, value: toJson(result.value) };
}

// Plain YAML data (for readers that want the file as written, not as a template): the `yaml` package
// the parser reads with, one document, duplicate keys refused as the template reader refuses them.
function plainYaml(name, content) {
  const docs = parseAllDocuments(content, { uniqueKeys: true, prettyErrors: true });
  if (!Array.isArray(docs) || docs.length !== 1) return { ok: false, errors: [`${name}: expected one YAML document`] };
  const errors = docs[0].errors.map(e => `${name}: ${e.message.split("\n")[0]}`);
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: docs[0].toJS({ maxAliasCount: 100 }) ?? null };
}

function toData(value) {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === "string") return new data.StringData(value);
  if (typeof value === "number") return new data.NumberData(value);
  if (typeof value === "boolean") return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toData));
  const dict = new data.Dictionary();
  for (const [k, v] of Object.entries(value)) {
    if (k !== STRICT && k !== KNOWN) dict.add(k, toData(v));
  }
  if (STRICT in value) strictInfo.set(dict, { name: value[STRICT], known: new Set((value[KNOWN] || []).map(k => k.toLowerCase())) });
  return dict;
}

function fromData(d) {
  switch (d.kind) {
    case data.Kind.Null: return null;
    case data.Kind.Boolean: return d.value;
    case data.Kind.Number: return d.value;
    case data.Kind.String: return d.value;
    case data.Kind.Array: return d.values().map(fromData);
    case data.Kind.Dictionary: return Object.fromEntries(d.pairs().map(p => [p.key, fromData(p.value)]));
    default: return null;
  }
}

function describe(expr) {
  if (expr instanceof IndexAccess) return describe(expr.expr) + "." + (expr.index.value?.value ?? "*");
  return expr.name?.lexeme ?? "(value)";
}

class StrictEvaluator extends Evaluator {
  visitIndexAccess(ia) {
    if (!(ia.index instanceof Star)) {
      const obj = this.eval(ia.expr);
      const info = obj.kind === data.Kind.Dictionary ? strictInfo.get(obj) : undefined;
      if (info) {
        const key = this.eval(ia.index);
        const name = key.kind === data.Kind.String ? key.value : key.coerceString();
        if (obj.get(name) === undefined && !info.known.has(name.toLowerCase())) {
          const has = obj.pairs().map(p => p.key).sort().join(", ") || "none";
          throw new Error(`${describe(ia.expr)}.${name} does not exist (${info.name} has: ${has})`);
        }
      }
    }
    return super.visitIndexAccess(ia);
  }
}

const STATUS = ["success", "failure", "cancelled", "always"];

function evaluate(request) {
  const contexts = request.contexts || {};
  const functions = new Map();
  const infos = [];
  for (const name of STATUS) {
    if (request.status && name in request.status) {
      const value = request.status[name];
      infos.push({ name, minArgs: 0, maxArgs: 0 });
      functions.set(name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value) });
    }
  }
  if (request.hashFiles) {
    infos.push({ name: "hashFiles", minArgs: 1, maxArgs: 255 });
    functions.set("hashfiles", { name: "hashFiles", minArgs: 1, maxArgs: 255, call: (...args) => {
      fs.writeSync(1, JSON.stringify({ callback: "hashFiles", id: request.id ?? null,
        args: args.map(a => a.coerceString()) }) + "\n");
      return new data.StringData(JSON.parse(readLine()).value);
    } });
  }
  let text = request.expr.trim();
  if (request.if) {
    const allowed = [...Object.keys(contexts), ...STATUS.map(f => `${f}(0,0)`), "hashFiles(1,255)"];
    text = text === "" ? "success()" : ensureStatusFunction(text, { allowedContext: allowed });
  }
  const tokens = new Lexer(text).lex().tokens;
  const tree = new Parser(tokens, Object.keys(contexts), infos).parse();
  const result = new StrictEvaluator(tree, toData(contexts), functions).evaluate();
  if (request.if) {
    // Truthiness as the runner has it: false, 0, -0, NaN, '' and null are falsy.
    const v = fromData(result);
    return !(v === null || v === false || v === "" || v === 0 || Number.isNaN(v));
  }
  return fromData(result);
}

// ---- synchronous line reading (so hashFiles can ask back in the middle of an evaluation) ----------
let pending = Buffer.alloc(0);
const chunk = Buffer.alloc(1 << 16);

function readLine() {
  for (;;) {
    const nl = pending.indexOf(10);
    if (nl >= 0) {
      const line = pending.subarray(0, nl).toString("utf8");
      pending = pending.subarray(nl + 1);
      return line;
    }
    let n;
    try {
      n = fs.readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      if (e.code === "EAGAIN") continue;
      if (e.code === "EOF") return null;
      throw e;
    }
    if (n === 0) return null;
    pending = Buffer.concat([pending, chunk.subarray(0, n)]);
  }
}

for (;;) {
  const line = readLine();
  if (line === null) break;
  if (line.trim() === "") continue;
  let answer;
  let id = null;
  try {
    const request = JSON.parse(line);
    id = request.id ?? null;
    if (request.op === "workflow" || request.op === "action") {
      answer = await parse(request.op, request.name, request.content);
    } else if (request.op === "yaml") {
      answer = plainYaml(request.name, request.content);
    } else if (request.op === "eval") {
      answer = { ok: true, value: evaluate(request) };
    } else {
      answer = { ok: false, error: `unknown op ${request.op}` };
    }
  } catch (e) {
    answer = { ok: false, error: e.message || String(e) };
  }
  fs.writeSync(1, JSON.stringify({ ...answer, id }) + "\n");
}
