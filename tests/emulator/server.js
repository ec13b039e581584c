#!/usr/bin/env node
'use strict';
// Tollgate's GitHub REST API emulator.
//   node tests/emulator/server.js [--port N] [--port-file PATH] [--check-responses]
// Every request outside /_emulator/ is checked against GitHub's OpenAPI description
// (@octokit/openapi, pinned in package.json) before it is answered. See README.md.

const fs = require('fs');
const http = require('http');
const path = require('path');

const { Spec, coerce } = require('./lib/spec');
const G = require('./lib/github');
const S = require('./lib/shapes');
const { Faults } = require('./lib/faults');
const P = require('./lib/pulls');

const H = require('./lib/history');
Object.assign(G.handlers, P.makeHandlers(G));
const C = require('./lib/compare');
Object.assign(G.handlers, C.makeHandlers(G));
// History's compare and commit handlers stand in only where no other file answers those operations.
for (const [op, fn] of Object.entries(H.makeHandlers(G))) G.handlers[op] = G.handlers[op] || fn;

const API_VERSION = '2022-11-28';
const MAX_BODY = 32 * 1024 * 1024;
const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const DOCS = 'https://docs.github.com/rest';

function parseArgs(argv) {
  const o = { port: 0, portFile: null, checkResponses: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      i += 1;
      if (i >= argv.length) throw new Error(`${a} needs a value`);
      return argv[i];
    };
    if (a === '--port' || a.startsWith('--port=')) o.port = Number(val());
    else if (a === '--port-file' || a.startsWith('--port-file=')) o.portFile = val();
    else if (a === '--check-responses') o.checkResponses = true;
    else if (a === '--quiet') o.quiet = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node server.js [--port N] [--port-file PATH] [--check-responses]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error('bad --port');
  return o;
}

function defaultSettings(opts) {
  return {
    dispatch_mode: 'modern', // 'modern' | 'legacy'
    latency_ms: 1500, // delay used by the `slow` fault
    retry_after_s: 1, // retry-after for secondary_rate_limit / rate_limit_429
    rate_limit: 5000, // x-ratelimit-limit; exceeding it answers like a primary rate limit
    require_full_sha: true, // statuses/check runs need a 40-hex SHA (GitHub: "No commit found")
    check_responses: !!opts.checkResponses, // validate the emulator's own responses
  };
}

class Emulator {
  constructor(opts) {
    this.opts = opts;
    this.spec = new Spec();
    this.store = new G.Store();
    this.faults = new Faults();
    this.base = 'http://127.0.0.1:0';
    this.reset();
  }

  reset() {
    this.store.reset();
    this.faults.reset();
    this.settings = defaultSettings(this.opts);
    this.tokens = new Map(); // token -> {mode, login}
    this.defaultTokenMode = 'read-write';
    this.requests = [];
    this.validationErrors = [];
    this.responseErrors = [];
    this.seq = 0;
    this.rate = { used: 0, windowStart: Math.floor(Date.now() / 1000) };
  }

  rateLimit() {
    const now = Math.floor(Date.now() / 1000);
    if (now >= this.rate.windowStart + 3600) this.rate = { used: 0, windowStart: now };
    const limit = this.settings.rate_limit;
    return {
      limit,
      used: this.rate.used,
      remaining: Math.max(0, limit - this.rate.used),
      reset: this.rate.windowStart + 3600,
    };
  }

  // ---- sending -------------------------------------------------------------------

  send(res, status, body, headers = {}, extra = {}) {
    if (res.destroyed || res.writableEnded) return;
    const rl = this.rateLimit();
    const h = {
      'x-ratelimit-limit': String(rl.limit),
      'x-ratelimit-remaining': String(rl.remaining),
      'x-ratelimit-reset': String(rl.reset),
      'x-ratelimit-used': String(rl.used),
      'x-ratelimit-resource': 'core',
      'x-github-api-version-selected': API_VERSION,
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `EMU:${process.pid}:${extra.seq ?? 0}`,
    };
    Object.assign(h, headers);
    let payload = '';
    if (typeof body === 'string') {
      payload = body;
      if (!h['content-type']) h['content-type'] = 'text/html; charset=utf-8';
    } else if (body !== null && body !== undefined && status !== 204) {
      payload = JSON.stringify(body);
      h['content-type'] = 'application/json; charset=utf-8';
    }
    h['content-length'] = String(Buffer.byteLength(payload));
    res.writeHead(status, h);
    res.end(payload);
  }

  errorBody(status, message, extra = {}, docUrl = DOCS) {
    return Object.assign({ message }, extra, { documentation_url: docUrl, status: String(status) });
  }

  // ---- request pipeline ----------------------------------------------------------

  async handle(req, res) {
    const url = new URL(req.url, this.base);
    let body;
    try {
      body = await readBody(req);
    } catch (e) {
      this.send(res, 413, this.errorBody(413, 'Payload Too Large'));
      return;
    }
    if (url.pathname === '/_emulator' || url.pathname.startsWith('/_emulator/')) {
      await this.control(req, res, url, body);
      return;
    }
    const seq = ++this.seq;
    const entry = {
      seq,
      time: new Date().toISOString(),
      method: req.method,
      path: url.pathname,
      query: queryObject(url.searchParams),
      operation_id: null,
      status: null,
      fault: null,
      auth_header_present: !!req.headers.authorization,
      token_match: null,
      token_mode: null,
      body_size: body.length,
      validation_error: null,
    };
    if (this.requests.length >= 100000) this.requests.shift();
    this.requests.push(entry);
    const t0 = Date.now();
    const finish = (status, rbody, headers = {}) => {
      entry.status = status;
      entry.duration_ms = Date.now() - t0;
      this.send(res, status, rbody, headers, { seq });
    };

    // 1. validation against the OpenAPI description
    const v = this.validate(req, url, body);
    if (v.route) entry.operation_id = v.route.operationId;
    if (v.error) {
      const e = v.error;
      entry.validation_error = e.message;
      this.validationErrors.push({
        seq, time: entry.time, method: req.method, path: url.pathname, query: entry.query,
        operation_id: entry.operation_id, status: e.status, kind: e.kind, message: e.message, errors: e.errors || [],
      });
      const extra = e.errors && e.errors.length ? { errors: e.errors } : {};
      finish(e.status, this.errorBody(e.status, e.message, extra, v.route ? v.route.docUrl : DOCS));
      return;
    }
    const { route } = v;
    const isWrite = WRITE_METHODS.has(req.method);

    // 2. authentication
    const auth = req.headers.authorization;
    let actor = S.user(this.base, 'github-actions[bot]', 41898282, 'Bot');
    if (auth) {
      const m = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(auth);
      if (!m) {
        entry.token_mode = 'malformed';
        finish(401, this.errorBody(401, 'Bad credentials'));
        return;
      }
      const t = this.tokens.get(m[1]);
      entry.token_match = t ? 'configured' : 'unconfigured';
      const mode = t ? t.mode : this.defaultTokenMode;
      entry.token_mode = mode;
      if (t && t.login) actor = S.user(this.base, t.login, 1000 + [...this.tokens.keys()].indexOf(m[1]), 'User');
      if (mode === 'bad') {
        finish(401, this.errorBody(401, 'Bad credentials'));
        return;
      }
      if (mode === 'read-only' && isWrite) {
        finish(403, this.errorBody(403, 'Resource not accessible by integration', {}, route.docUrl));
        return;
      }
      // A token scoped like a job's `permissions:`: the operation's category permission
      // (lib/history.js), and what some need besides (lib/compare.js).
      const denied = H.permissionDenied(t, route, isWrite)
        || (t && C.permissionRefusal(route.operationId, t.permissions) ? 'Resource not accessible by integration' : null);
      if (denied) {
        finish(403, this.errorBody(403, denied, {}, route.docUrl));
        return;
      }
    } else if (isWrite) {
      finish(401, this.errorBody(401, 'Requires authentication', {}, route.docUrl));
      return;
    }

    // 3. rate limit accounting and faults
    if (route.operationId !== 'rate-limit/get') this.rate.used += 1;
    const fault = this.faults.pick(req.method, url.pathname);
    if (fault) entry.fault = fault.kind;
    const retryAfter = String(fault && fault.retry_after_s != null ? fault.retry_after_s : this.settings.retry_after_s);
    if (!fault && this.rate.used > this.settings.rate_limit) {
      entry.fault = 'rate_limit_exhausted';
      finish(403, this.errorBody(403, 'API rate limit exceeded for installation ID 1.', {},
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api'), { 'x-ratelimit-remaining': '0' });
      return;
    }
    if (fault) {
      switch (fault.kind) {
        case 'reset':
          entry.status = null;
          req.socket.destroy();
          return;
        case '500':
          finish(500, this.errorBody(500, 'Server Error'));
          return;
        case '502':
          finish(502, BAD_GATEWAY_HTML);
          return;
        case '503':
          finish(503, this.errorBody(503, 'Service Unavailable'));
          return;
        case 'secondary_rate_limit':
          finish(403, this.errorBody(403, 'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.', {},
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'), { 'retry-after': retryAfter });
          return;
        case 'rate_limit_429':
          finish(429, this.errorBody(429, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', {},
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'), { 'retry-after': retryAfter });
          return;
        case 'primary_rate_limit':
          finish(403, this.errorBody(403, 'API rate limit exceeded for installation ID 1.', {},
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api'),
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1) });
          return;
        default:
          break; // slow / applied_502 below
      }
    }

    // 4. behaviour
    const handler = G.handlers[route.operationId];
    let out;
    if (!handler) {
      entry.unimplemented = true;
      out = {
        status: 404,
        body: this.errorBody(404, `Not Found (emulator: operation ${route.operationId} is valid but not emulated)`, {}, route.docUrl),
        headers: {},
      };
    } else {
      const ctx = {
        store: this.store,
        base: this.base,
        url,
        params: v.params,
        query: v.query,
        body: v.json === undefined || v.json === null ? {} : v.json,
        settings: this.settings,
        actor,
        route,
        rateLimit: () => this.rateLimit(),
      };
      try {
        out = handler(ctx);
      } catch (e) {
        if (!(e instanceof G.HttpError)) throw e;
        out = { status: e.status, body: this.errorBody(e.status, e.message, e.extra, route.docUrl), headers: {} };
      }
      if (this.settings.check_responses && handler) this.checkResponse(seq, req, url, route, out);
    }

    if (fault && fault.kind === 'applied_502') {
      finish(502, BAD_GATEWAY_HTML);
      return;
    }
    if (fault && fault.kind === 'slow') {
      const ms = Number(fault.latency_ms != null ? fault.latency_ms : this.settings.latency_ms);
      await new Promise((r) => setTimeout(r, ms));
    }
    finish(out.status, out.body, out.headers);
  }

  checkResponse(seq, req, url, route, out) {
    if (out.status >= 400) return;
    const fn = this.spec.responseValidator(route, out.status);
    let errors = null;
    if (fn === null) errors = [{ message: `status ${out.status} is not documented for ${route.operationId}` }];
    else if (fn === 'no-content') {
      if (out.body !== null && out.body !== undefined) errors = [{ message: 'documented without content but body sent' }];
    } else if (!fn(JSON.parse(JSON.stringify(out.body)))) {
      errors = fn.errors.slice(0, 20).map((e) => ({ field: e.instancePath, code: e.keyword, message: e.message, params: e.params }));
    }
    if (errors) {
      this.responseErrors.push({ seq, method: req.method, path: url.pathname, operation_id: route.operationId, status: out.status, errors });
    }
  }

  // Returns {route, params, query, json} or {route?, error:{status, kind, message, errors}}.
  validate(req, url, raw) {
    const method = req.method.toUpperCase();
    const m = this.spec.match(method, url.pathname);
    if (m.error) {
      const what = m.error === 'method' ? `method ${method} is not defined for ${url.pathname}` : `no operation matches ${method} ${url.pathname}`;
      return { error: { status: 404, kind: `unknown_${m.error}`, message: `Not Found (emulator: ${what})`, errors: [] } };
    }
    const { route } = m;
    const val = this.spec.validatorsFor(route);
    const errors = [];
    const add = (resource, field, code, message) => errors.push({ resource, field, code, message });

    // headers
    const accept = req.headers.accept;
    if (!accept) add('Header', 'accept', 'missing', 'Accept header is missing (use application/vnd.github+json)');
    else {
      const types = accept.split(',').map((t) => t.split(';')[0].trim().toLowerCase());
      if (!types.some((t) => t.startsWith('application/vnd.github') || t === 'application/json')) {
        add('Header', 'accept', 'invalid', `Accept "${accept}" is not application/vnd.github+json or application/json`);
      }
    }
    const ver = req.headers['x-github-api-version'];
    if (ver !== API_VERSION) {
      add('Header', 'x-github-api-version', ver ? 'invalid' : 'missing',
        ver ? `X-GitHub-Api-Version "${ver}" is not ${API_VERSION}` : `X-GitHub-Api-Version header is missing (use ${API_VERSION})`);
    }
    if (!req.headers['user-agent']) add('Header', 'user-agent', 'missing', 'User-Agent header is missing');

    // path parameters
    const params = {};
    for (const [name, rawVal] of Object.entries(m.params)) {
      const p = val.params.get(`path:${name}`);
      if (!p) { params[name] = rawVal; continue; }
      const value = coerce(rawVal, p.schema, this.spec);
      params[name] = value;
      if (!p.validate(value)) {
        add('Path', name, 'invalid', `path parameter ${name}=${JSON.stringify(rawVal)} ${ajvMessage(p.validate.errors)}`);
      }
    }

    // query parameters
    const query = {};
    const grouped = new Map();
    for (const [k, vv] of url.searchParams) {
      if (!grouped.has(k)) grouped.set(k, []);
      grouped.get(k).push(vv);
    }
    for (const [k, values] of grouped) {
      const p = val.params.get(`query:${k}`);
      if (!p) {
        add('Query', k, 'unknown', `unknown query parameter "${k}" for ${route.operationId}`);
        continue;
      }
      const isArray = this.spec.deref(p.schema).type === 'array';
      if (values.length > 1 && !isArray) {
        add('Query', k, 'invalid', `query parameter "${k}" given ${values.length} times`);
        continue;
      }
      const value = isArray && values.length > 1
        ? values.flatMap((x) => coerce(x, p.schema, this.spec))
        : coerce(values[0], p.schema, this.spec);
      query[k] = value;
      if (!p.validate(value)) add('Query', k, 'invalid', `query parameter ${k}=${JSON.stringify(values.join(','))} ${ajvMessage(p.validate.errors)}`);
    }
    for (const [key, p] of val.params) {
      if (key.startsWith('query:') && p.param.required && !grouped.has(p.param.name)) {
        add('Query', p.param.name, 'missing_field', `required query parameter "${p.param.name}" is missing`);
      }
    }

    // body
    let json;
    const text = raw.toString('utf8');
    if (text.trim() !== '') {
      const ct = (req.headers['content-type'] || '').toLowerCase();
      if (!/json/.test(ct)) add('Header', 'content-type', 'invalid', `Content-Type "${ct}" is not application/json`);
      try {
        json = JSON.parse(text);
      } catch (e) {
        return { route, error: { status: 400, kind: 'json', message: `Problems parsing JSON (emulator: ${e.message})`, errors } };
      }
    }
    if (!val.hasBody) {
      if (json !== undefined && json !== null && !(isPlainObject(json) && Object.keys(json).length === 0)) {
        add('Body', '', 'invalid', `${route.operationId} takes no request body`);
      }
    } else if (json === undefined) {
      if (val.bodyRequired) add('Body', '', 'missing', `${route.operationId} requires a JSON request body`);
    } else if (val.body) {
      if (!val.body(json)) {
        for (const e of val.body.errors.slice(0, 30)) {
          add('Body', dotted(e.instancePath), e.keyword, `${dotted(e.instancePath) || 'body'} ${describeAjv(e)}`);
        }
      }
      if (errors.length === 0) {
        for (const e of G.checkLimits(route.operationId, json)) errors.push(e);
      }
    }
    if (errors.length) {
      const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : '';
      return {
        route,
        error: { status: 422, kind: 'schema', message: `Validation Failed (emulator: ${errors[0].message}${more})`, errors },
      };
    }
    return { route, params, query, json };
  }

  // ---- control API -----------------------------------------------------------------

  async control(req, res, url, raw) {
    const ok = (body, status = 200) => this.send(res, status, body);
    const fail = (status, message) => this.send(res, status, { message });
    let b = {};
    const text = raw.toString('utf8').trim();
    if (text) {
      try { b = JSON.parse(text); } catch (e) { fail(400, `bad JSON: ${e.message}`); return; }
    }
    const key = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
    const ctx = { base: this.base, settings: this.settings, store: this.store };
    const repoFrom = (x) => {
      const full = x.repo || 'octo-org/octo-repo';
      const [o, r] = String(full).split('/');
      if (!o || !r) throw Object.assign(new Error('repo must be "owner/name"'), { status: 400 });
      return this.store.repo(o, r);
    };
    const since = Number(url.searchParams.get('since') || 0);
    try {
      switch (key) {
        case 'GET /_emulator/health':
          return ok({
            ok: true, base_url: this.base, spec_package: '@octokit/openapi', spec_version: this.spec.version,
            spec_file: path.relative(__dirname, this.spec.file), load_ms: this.spec.loadMs,
          });
        case 'POST /_emulator/reset':
          this.reset();
          return ok({ ok: true });
        case 'GET /_emulator/state':
          return ok(G.stateDump(ctx, this.store, url.searchParams.get('repo')));
        case 'GET /_emulator/requests':
          return ok({ requests: this.requests.filter((r) => r.seq > since) });
        case 'GET /_emulator/validation-errors':
          return ok({ validation_errors: this.validationErrors.filter((r) => r.seq > since) });
        case 'GET /_emulator/response-errors':
          return ok({ response_errors: this.responseErrors.filter((r) => r.seq > since) });
        case 'POST /_emulator/clear-logs':
          this.requests = [];
          this.validationErrors = [];
          this.responseErrors = [];
          return ok({ ok: true });
        case 'GET /_emulator/faults':
          return ok(this.faults.describe());
        case 'POST /_emulator/faults':
          return ok(this.faults.configure(b));
        case 'POST /_emulator/faults/once':
          return ok(this.faults.pushOnce(b));
        case 'GET /_emulator/tokens':
          return ok({ default_mode: this.defaultTokenMode, configured: this.tokens.size });
        case 'POST /_emulator/tokens': {
          const modes = ['read-write', 'read-only', 'bad'];
          if (!modes.includes(b.mode)) return fail(400, `mode must be one of ${modes.join(', ')}`);
          if (b.token === undefined || b.token === null) this.defaultTokenMode = b.mode;
          else this.tokens.set(String(b.token), { mode: b.mode, login: b.login || null, permissions: b.permissions || null });
          return ok({ default_mode: this.defaultTokenMode, configured: this.tokens.size });
        }
        case 'GET /_emulator/settings':
          return ok(this.settings);
        case 'POST /_emulator/settings': {
          if (b.dispatch_mode !== undefined && !['modern', 'legacy'].includes(b.dispatch_mode)) {
            return fail(400, 'dispatch_mode must be "modern" or "legacy"');
          }
          for (const k of Object.keys(b)) {
            if (!(k in this.settings)) return fail(400, `unknown setting ${k}`);
          }
          Object.assign(this.settings, b);
          return ok(this.settings);
        }
        case 'POST /_emulator/jobs': {
          const repo = repoFrom(b);
          const r = G.seedJobs(this.store, repo, b);
          return ok({
            run: G.runShape(ctx, repo, r.run),
            jobs: r.jobs.map((j) => Object.assign(G.jobShape(ctx, repo, j), { check_run_id: j.check_run_id })),
          }, 201);
        }
        case 'POST /_emulator/deployments': {
          const repo = repoFrom(b);
          const d = G.createDeployment(this.store, repo, b, S.botUser(this.base));
          for (const s of b.statuses || []) G.addDeploymentStatus(this.store, repo, d, s, S.botUser(this.base));
          return ok(G.deploymentShape(ctx, repo, d), 201);
        }
        case 'POST /_emulator/check-runs': {
          const repo = repoFrom(b);
          const cr = G.createCheckRun(this.store, repo, Object.assign({ name: 'seeded', head_sha: S.fakeSha('seed') }, b));
          return ok(G.checkRunShape(ctx, repo, cr), 201);
        }
        case 'POST /_emulator/workflows': {
          const repo = repoFrom(b);
          const w = G.findWorkflow(this.store, repo, b.workflow_id ?? b.file ?? 'ci.yml');
          if (b.name !== undefined) w.name = b.name;
          if (b.inputs !== undefined) w.inputs = b.inputs;
          if (b.required_inputs !== undefined) w.required_inputs = b.required_inputs;
          return ok(Object.assign(G.workflowShape(ctx, repo, w), { inputs: w.inputs }), 201);
        }
        case 'POST /_emulator/workflow-runs': {
          const repo = repoFrom(b);
          let run = b.id !== undefined ? repo.workflow_runs.find((x) => x.id === Number(b.id)) : null;
          if (run) G.updateRun(run, b);
          else run = G.createRun(this.store, repo, b);
          return ok(G.runShape(ctx, repo, run), 201);
        }
        case 'POST /_emulator/commits':
          return ok(C.seedCommits(this.store, repoFrom(b), b), 201);
        case 'POST /_emulator/history':
          return ok(H.seedHistory(this.store, repoFrom(b), b, G, S.botUser(this.base)), 201);
        case 'POST /_emulator/pulls':
          return ok(P.seedPull(this.store, repoFrom(b), b), 201);
        case 'POST /_emulator/refs': {
          const repo = repoFrom(b);
          if (!b.ref || !/^[0-9a-f]{40}$/i.test(b.sha || '')) return fail(400, 'need ref and a 40-hex sha');
          repo.refs[G.stripRef(b.ref)] = b.sha.toLowerCase();
          return ok({ ref: b.ref, sha: b.sha.toLowerCase() });
        }
        default:
          return fail(404, `unknown control endpoint ${key}`);
      }
    } catch (e) {
      if (e.status) return fail(e.status, e.message);
      throw e;
    }
  }
}

const BAD_GATEWAY_HTML = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>emulated upstream</center>\r\n</body>\r\n</html>\r\n';

function isPlainObject(x) { return x && typeof x === 'object' && !Array.isArray(x); }

function dotted(pointer) {
  return pointer.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}

function describeAjv(e) {
  const p = e.params || {};
  if (e.keyword === 'additionalProperties') return `has unknown property "${p.additionalProperty}"`;
  if (e.keyword === 'enum') return `must be one of ${JSON.stringify(p.allowedValues)}`;
  return e.message;
}

function ajvMessage(errors) {
  return (errors || []).map(describeAjv).join('; ');
}

function queryObject(sp) {
  const o = {};
  for (const [k, v] of sp) {
    if (k in o) o[k] = [].concat(o[k], v);
    else o[k] = v;
  }
  return o;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`emulator: ${e.message}\n`);
    process.exit(2);
  }
  const emu = new Emulator(opts);
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    emu.handle(req, res).catch((e) => {
      process.stderr.write(`emulator: internal error: ${e.stack || e}\n`);
      try {
        emu.send(res, 500, { message: `emulator internal error: ${e.message}` });
      } catch (e2) { /* socket gone */ }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  server.on('error', (e) => {
    process.stderr.write(`emulator: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(opts.port, '127.0.0.1', () => {
    const { port } = server.address();
    emu.base = `http://127.0.0.1:${port}`;
    if (opts.portFile) {
      const tmp = `${opts.portFile}.tmp${process.pid}`;
      fs.writeFileSync(tmp, `${port}\n`);
      fs.renameSync(tmp, opts.portFile);
    }
    process.stdout.write(`emulator listening on http://127.0.0.1:${port}\n`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    for (const s of sockets) s.destroy();
    setTimeout(() => process.exit(0), 300);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) main();

module.exports = { Emulator, parseArgs };
