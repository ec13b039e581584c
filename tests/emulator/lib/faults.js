'use strict';
// Fault injection: a seeded random fault rate plus a queue of one-shot faults.

const KINDS = ['500', '502', '503', 'applied_502', 'secondary_rate_limit', 'rate_limit_429',
  'primary_rate_limit', 'slow', 'reset'];

function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function badRequest(msg) {
  const e = new Error(msg);
  e.status = 400;
  return e;
}

function checkKind(kind) {
  if (!KINDS.includes(String(kind))) throw badRequest(`unknown fault kind ${JSON.stringify(kind)}; known: ${KINDS.join(', ')}`);
  return String(kind);
}

function compileRegex(src) {
  if (src === undefined || src === null) return null;
  try { return new RegExp(src); } catch (e) { throw badRequest(`bad path_regex: ${e.message}`); }
}

class Faults {
  constructor() { this.reset(); }

  reset() {
    this.config = null;
    this.rng = null;
    this.queue = [];
    this.fired = 0;
  }

  configure(c) {
    if (!c || Object.keys(c).length === 0) {
      this.config = null;
      this.rng = null;
      return this.describe();
    }
    const rate = c.rate === undefined ? 1 : Number(c.rate);
    if (!(rate >= 0 && rate <= 1)) throw badRequest('rate must be within 0..1');
    const kinds = (c.kinds || []).map(checkKind);
    if (!kinds.length) throw badRequest('kinds must list at least one fault kind');
    this.config = {
      rate,
      kinds,
      seed: c.seed === undefined ? 1 : Number(c.seed),
      only_methods: c.only_methods ? c.only_methods.map((m) => String(m).toUpperCase()) : null,
      path_regex: c.path_regex ?? null,
      latency_ms: c.latency_ms ?? null,
      retry_after_s: c.retry_after_s ?? null,
      re: compileRegex(c.path_regex),
    };
    this.rng = mulberry32(this.config.seed);
    return this.describe();
  }

  pushOnce(spec) {
    const list = Array.isArray(spec) ? spec : [spec];
    for (const f of list) {
      const entry = {
        kind: checkKind(f.kind),
        method: f.method ? String(f.method).toUpperCase() : null,
        path_regex: f.path_regex ?? null,
        latency_ms: f.latency_ms ?? null,
        retry_after_s: f.retry_after_s ?? null,
        re: compileRegex(f.path_regex),
      };
      const times = Math.max(1, Number(f.times ?? 1));
      for (let i = 0; i < times; i++) this.queue.push(entry);
    }
    return this.describe();
  }

  describe() {
    const strip = (x) => { if (!x) return x; const { re, ...rest } = x; return rest; };
    return { config: strip(this.config), queue: this.queue.map(strip), fired: this.fired };
  }

  // Picks the fault (if any) for a request. One-shot faults take precedence.
  pick(method, path) {
    const i = this.queue.findIndex((f) => (!f.method || f.method === method) && (!f.re || f.re.test(path)));
    if (i >= 0) {
      const f = this.queue.splice(i, 1)[0];
      this.fired++;
      return { kind: f.kind, latency_ms: f.latency_ms, retry_after_s: f.retry_after_s, source: 'once' };
    }
    const c = this.config;
    if (!c) return null;
    if (c.only_methods && !c.only_methods.includes(method)) return null;
    if (c.re && !c.re.test(path)) return null;
    const roll = this.rng();
    if (roll >= c.rate) return null;
    const kind = c.kinds[Math.floor(this.rng() * c.kinds.length) % c.kinds.length];
    this.fired++;
    return { kind, latency_ms: c.latency_ms, retry_after_s: c.retry_after_s, source: 'random' };
  }
}

module.exports = { Faults, KINDS, mulberry32 };
