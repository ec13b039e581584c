'use strict';
// Loads GitHub's OpenAPI description (from the pinned @octokit/openapi package),
// builds an in-memory route table and validates requests (and, optionally,
// the emulator's own responses) against it.

const path = require('path');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const SPEC_PACKAGE = '@octokit/openapi';
const SPEC_FILE = 'generated/api.github.com.json';

function specPath() {
  const pkgJson = require.resolve(`${SPEC_PACKAGE}/package.json`, { paths: [path.join(__dirname, '..')] });
  return path.join(path.dirname(pkgJson), SPEC_FILE);
}

function specVersion() {
  const pkgJson = require.resolve(`${SPEC_PACKAGE}/package.json`, { paths: [path.join(__dirname, '..')] });
  return require(pkgJson).version;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// Keywords dropped when turning an OpenAPI 3.0 schema object into JSON schema.
const DROP = new Set(['example', 'examples', 'description', 'discriminator', 'externalDocs', 'xml',
  'deprecated', 'readOnly', 'writeOnly', 'nullable', 'title', 'default']);

// GitHub's search-style date qualifier used by e.g. `created` on workflow-run lists:
// 2024-01-01, 2024-01-01T10:00:00Z, >=X, <=X, >X, <X, X..Y, *..Y, X..*
const DATE_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
function isGithubDateQualifier(s) {
  if (typeof s !== 'string') return false;
  let m = /^(>=|<=|>|<)(.+)$/.exec(s);
  if (m) return DATE_RE.test(m[2]);
  if (s.includes('..')) {
    const [a, b] = s.split('..');
    return (a === '*' || DATE_RE.test(a)) && (b === '*' || DATE_RE.test(b)) && !(a === '*' && b === '*');
  }
  return DATE_RE.test(s);
}

class Spec {
  constructor(opts = {}) {
    const t0 = Date.now();
    this.file = opts.file || specPath();
    this.version = specVersion();
    this.doc = require(this.file);
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false, allowUnionTypes: true, validateFormats: true });
    addFormats(this.ajv);
    // GitHub answers "" for unset URL fields (e.g. deployment status target_url).
    const { fullFormats } = require('ajv-formats/dist/formats');
    this.ajv.addFormat('uri', (x) => x === '' || fullFormats.uri(x));
    // Formats used by GitHub's description that ajv-formats does not know.
    this.ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
    this.ajv.addFormat('timestamp', true);
    this.ajv.addFormat('github-date-qualifier', isGithubDateQualifier);
    this.routes = {}; // method -> [route]
    this.byOperationId = new Map();
    this._buildRoutes();
    this.loadMs = Date.now() - t0;
  }

  resolveRef(ref) {
    if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
    let node = this.doc;
    for (const part of ref.slice(2).split('/')) {
      node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
    }
    return node;
  }

  deref(node) {
    let n = node;
    let guard = 0;
    while (n && n.$ref && guard++ < 20) n = this.resolveRef(n.$ref);
    return n;
  }

  _buildRoutes() {
    for (const [tpl, item] of Object.entries(this.doc.paths)) {
      const pathParams = (item.parameters || []).map((p) => this.deref(p));
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const params = new Map();
        for (const p of pathParams) params.set(`${p.in}:${p.name}`, p);
        for (const p0 of op.parameters || []) {
          const p = this.deref(p0);
          params.set(`${p.in}:${p.name}`, p);
        }
        const paramList = [...params.values()];
        const names = [];
        let literal = 0;
        let multi = 0;
        const re = tpl.replace(/\{([^}]+)\}|([^{]+)/g, (m, name, lit) => {
          if (lit !== undefined) {
            literal += lit.length;
            return lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          }
          names.push(name);
          const p = params.get(`path:${name}`);
          if (p && p['x-multi-segment']) { multi++; return '(.+?)'; }
          return '([^/]+)';
        });
        const route = {
          method: method.toUpperCase(),
          template: tpl,
          regex: new RegExp(`^${re}$`),
          names,
          literal,
          multi,
          op,
          operationId: op.operationId,
          docUrl: (op.externalDocs && op.externalDocs.url) || 'https://docs.github.com/rest',
          params: paramList,
          validators: null,
        };
        (this.routes[route.method] = this.routes[route.method] || []).push(route);
        this.byOperationId.set(op.operationId, route);
      }
    }
    for (const list of Object.values(this.routes)) {
      // Most specific first: more literal characters, fewer multi-segment params.
      list.sort((a, b) => (b.literal - a.literal) || (a.multi - b.multi) || (a.names.length - b.names.length));
    }
  }

  // Returns {route, params} or {error:'path'|'method'}.
  match(method, pathname) {
    const list = this.routes[method] || [];
    for (const r of list) {
      const m = r.regex.exec(pathname);
      if (!m) continue;
      const params = {};
      let bad = false;
      r.names.forEach((n, i) => {
        try { params[n] = decodeURIComponent(m[i + 1]); } catch (e) { bad = true; }
      });
      if (bad) continue;
      return { route: r, params };
    }
    for (const [meth, l] of Object.entries(this.routes)) {
      if (meth === method) continue;
      if (l.some((r) => r.regex.test(pathname))) return { error: 'method' };
    }
    return { error: 'path' };
  }

  // ---- OpenAPI 3.0 schema -> JSON schema (draft-07) -------------------------

  // strict: close object schemas (additionalProperties:false) that do not say otherwise;
  // used for request bodies so unknown properties are caught.
  convert(schema, strict, defs) {
    return this._conv(schema, strict, false, defs);
  }

  _conv(s, strict, inAllOf, defs) {
    if (s === true || s === false || s === null || typeof s !== 'object') return s;
    if (Array.isArray(s)) return s.map((x) => this._conv(x, strict, inAllOf, defs));
    if (s.$ref) {
      const closable = strict && !inAllOf;
      const key = `${closable ? 's' : 'n'}_${s.$ref.split('/').pop()}`;
      if (!(key in defs)) {
        defs[key] = {}; // placeholder for recursion
        defs[key] = this._conv(this.resolveRef(s.$ref), strict, inAllOf, defs);
      }
      return { $ref: `#/definitions/${key}` };
    }
    const out = {};
    for (const [k, v] of Object.entries(s)) {
      if (DROP.has(k) || k.startsWith('x-')) continue;
      switch (k) {
        case 'properties': {
          out.properties = {};
          for (const [pn, ps] of Object.entries(v)) out.properties[pn] = this._conv(ps, strict, false, defs);
          break;
        }
        case 'items':
        case 'not':
          out[k] = this._conv(v, strict, false, defs);
          break;
        case 'additionalProperties':
          out[k] = typeof v === 'object' ? this._conv(v, strict, false, defs) : v;
          break;
        case 'allOf':
          out[k] = v.map((x) => this._conv(x, strict, true, defs));
          break;
        case 'anyOf':
        case 'oneOf':
          out[k] = v.map((x) => this._conv(x, strict, inAllOf, defs));
          break;
        default:
          out[k] = v;
      }
    }
    if (strict && !inAllOf && out.properties && out.additionalProperties === undefined && !out.allOf &&
        (out.type === 'object' || (Array.isArray(out.type) && out.type.includes('object')))) {
      const own = new Set(Object.keys(out.properties));
      const branches = [...(s.anyOf || []), ...(s.oneOf || [])];
      const ok = branches.every((b) => !b.$ref && Object.keys(b.properties || {}).every((p) => own.has(p)));
      if (ok) out.additionalProperties = false;
    }
    if (s.nullable) {
      if (typeof out.type === 'string') {
        out.type = [out.type, 'null'];
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
        return out;
      }
      return { anyOf: [out, { type: 'null' }] };
    }
    return out;
  }

  compile(schema, strict) {
    const defs = {};
    const root = this.convert(schema, strict, defs);
    const full = Object.assign({}, root, { definitions: defs });
    return this.ajv.compile(full);
  }

  validatorsFor(route) {
    if (route.validators) return route.validators;
    const v = { params: new Map(), body: null, bodyRequired: false, hasBody: false, responses: new Map() };
    for (const p of route.params) {
      if (p.in !== 'path' && p.in !== 'query') continue;
      let schema = p.schema || {};
      if (p.in === 'query' && p.name === 'created' && /workflow|runs/.test(route.template)) {
        // GitHub accepts search-style date qualifiers here (">=2024-01-01T00:00:00Z", "a..b").
        schema = { type: 'string', format: 'github-date-qualifier' };
      }
      const resolved = this.deref(schema);
      v.params.set(`${p.in}:${p.name}`, {
        param: p,
        schema: resolved,
        validate: this.compile(schema, false),
      });
    }
    const rb = route.op.requestBody && this.deref(route.op.requestBody);
    if (rb) {
      v.hasBody = true;
      v.bodyRequired = !!rb.required;
      const content = rb.content || {};
      const media = content['application/json'] || Object.entries(content).find(([k]) => /json/.test(k))?.[1];
      if (media && media.schema) v.body = this.compile(media.schema, true);
      else v.bodyMedia = Object.keys(content);
    }
    route.validators = v;
    return v;
  }

  responseValidator(route, status) {
    const v = this.validatorsFor(route);
    if (v.responses.has(status)) return v.responses.get(status);
    let fn = null;
    const resp = route.op.responses && (route.op.responses[String(status)] || route.op.responses.default);
    if (resp) {
      const r = this.deref(resp);
      const media = r.content && (r.content['application/json'] ||
        Object.entries(r.content).find(([k]) => /json/.test(k))?.[1]);
      if (media && media.schema) fn = this.compile(media.schema, false);
      else fn = 'no-content';
    }
    v.responses.set(status, fn);
    return fn;
  }
}

// Coerces a raw query/path string into the JS type the parameter schema expects.
function coerce(raw, schema, spec) {
  const s = spec.deref(schema) || {};
  let type = s.type;
  if (!type && (s.oneOf || s.anyOf)) {
    // e.g. workflow_id: oneOf [integer, string]
    const alts = (s.oneOf || s.anyOf).map((x) => spec.deref(x).type);
    if (alts.includes('integer') && /^-?\d+$/.test(raw)) return Number(raw);
    return raw;
  }
  if (Array.isArray(type)) type = type.find((t) => t !== 'null');
  switch (type) {
    case 'integer':
    case 'number':
      if (raw !== '' && !Number.isNaN(Number(raw)) && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return Number(raw);
      return raw; // left as string: schema validation reports the type error
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      return raw;
    case 'array':
      return raw === '' ? [] : raw.split(',').map((x) => coerce(x, s.items || {}, spec));
    default:
      return raw;
  }
}

module.exports = { Spec, coerce, isGithubDateQualifier, specPath };
