'use strict';
// In-memory GitHub state and the behaviour of the emulated REST operations.
// Handlers are keyed by OpenAPI operationId; each gets a ctx and returns
// {status, body, headers} or throws an HttpError.

const S = require('./shapes');

class HttpError extends Error {
  constructor(status, message, extra = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

const ID_BASES = {
  repo: 700000000,
  check_run: 4500000000, // > 2^32: catches 32-bit id handling in clients
  check_suite: 3000000000,
  status: 5000000000,
  comment: 6000000000,
  deployment: 2500000000,
  deployment_status: 9000000000,
  workflow: 100000000,
  run: 10000000000,
  job: 30000000000,
  owner: 9000000,
};

function stripRef(ref) {
  return String(ref).replace(/^refs\/(heads|tags)\//, '').replace(/^heads\//, '');
}

class Store {
  constructor() { this.reset(); }

  reset() {
    this.repos = new Map();
    this.counters = Object.assign({}, ID_BASES);
  }

  nextId(kind) {
    this.counters[kind] += 1;
    return this.counters[kind];
  }

  bump(kind, id) {
    if (id > this.counters[kind]) this.counters[kind] = id;
  }

  repo(owner, name) {
    const key = `${owner}/${name}`.toLowerCase();
    let r = this.repos.get(key);
    if (!r) {
      r = {
        owner, name, full_name: `${owner}/${name}`,
        id: this.nextId('repo'),
        owner_id: this.nextId('owner'),
        default_branch: 'main',
        created_at: S.iso(),
        refs: {},
        check_runs: [],
        check_suites: new Map(),
        statuses: [],
        comments: [],
        deployments: [],
        dispatches: [],
        workflows: [],
        workflow_runs: [],
        jobs: [],
      };
      this.repos.set(key, r);
    }
    return r;
  }

  resolveRef(repo, ref) {
    if (/^[0-9a-f]{40}$/i.test(ref)) return ref.toLowerCase();
    const name = stripRef(ref);
    if (repo.refs[name]) return repo.refs[name];
    return S.fakeSha(repo.full_name.toLowerCase(), name);
  }

  suiteFor(repo, sha) {
    if (!repo.check_suites.has(sha)) repo.check_suites.set(sha, this.nextId('check_suite'));
    return repo.check_suites.get(sha);
  }
}

// ---- pagination --------------------------------------------------------------

function paginate(ctx, items) {
  let perPage = Number(ctx.query.per_page ?? 30);
  if (!Number.isFinite(perPage) || perPage < 1) perPage = 30;
  perPage = Math.min(perPage, 100);
  let page = Number(ctx.query.page ?? 1);
  if (!Number.isFinite(page) || page < 1) page = 1;
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p) => {
    const u = new URL(ctx.url.pathname, ctx.base);
    for (const [k, v] of ctx.url.searchParams) if (k !== 'page') u.searchParams.append(k, v);
    u.searchParams.set('page', String(p));
    return `<${u.toString()}>`;
  };
  const rels = [];
  if (page > 1) {
    rels.push(`${link(Math.min(page - 1, lastPage))}; rel="prev"`);
  }
  if (page < lastPage) {
    rels.push(`${link(page + 1)}; rel="next"`);
    rels.push(`${link(lastPage)}; rel="last"`);
  }
  if (page > 1) rels.push(`${link(1)}; rel="first"`);
  const headers = rels.length ? { link: rels.join(', ') } : {};
  return { items: slice, headers };
}

// ---- shapes ------------------------------------------------------------------

function checkRunShape(ctx, repo, cr) {
  const base = ctx.base;
  const r = `${base}/repos/${repo.owner}/${repo.name}`;
  return {
    id: cr.id,
    head_sha: cr.head_sha,
    node_id: S.nodeId('CheckRun', cr.id),
    external_id: cr.external_id,
    url: `${r}/check-runs/${cr.id}`,
    html_url: `${S.HTML}/${repo.owner}/${repo.name}/runs/${cr.id}`,
    details_url: cr.details_url ?? `${S.HTML}/${repo.owner}/${repo.name}/runs/${cr.id}`,
    status: cr.status,
    conclusion: cr.conclusion,
    started_at: cr.started_at,
    completed_at: cr.completed_at,
    output: {
      title: cr.output.title,
      summary: cr.output.summary,
      text: cr.output.text,
      annotations_count: cr.annotations.length,
      annotations_url: `${r}/check-runs/${cr.id}/annotations`,
    },
    name: cr.name,
    check_suite: { id: cr.check_suite_id },
    app: S.app(base),
    pull_requests: [],
  };
}

function annotationShape(repo, cr, a) {
  return {
    path: a.path,
    blob_href: `${S.HTML}/${repo.owner}/${repo.name}/blob/${cr.head_sha}/${a.path}`,
    start_line: a.start_line,
    end_line: a.end_line,
    start_column: a.start_column ?? null,
    end_column: a.end_column ?? null,
    annotation_level: a.annotation_level,
    title: a.title ?? null,
    message: a.message,
    raw_details: a.raw_details ?? null,
  };
}

function statusShape(ctx, repo, st) {
  return {
    url: `${ctx.base}/repos/${repo.owner}/${repo.name}/statuses/${st.sha}`,
    avatar_url: `${S.HTML}/avatars/u/41898282?v=4`,
    id: st.id,
    node_id: S.nodeId('StatusContext', st.id),
    state: st.state,
    description: st.description,
    target_url: st.target_url,
    context: st.context,
    created_at: st.created_at,
    updated_at: st.updated_at,
    creator: st.creator,
  };
}

function commentShape(ctx, repo, c) {
  const r = `${ctx.base}/repos/${repo.owner}/${repo.name}`;
  return {
    id: c.id,
    node_id: S.nodeId('IssueComment', c.id),
    url: `${r}/issues/comments/${c.id}`,
    html_url: `${S.HTML}/${repo.owner}/${repo.name}/issues/${c.issue_number}#issuecomment-${c.id}`,
    body: c.body,
    user: c.user,
    created_at: c.created_at,
    updated_at: c.updated_at,
    issue_url: `${r}/issues/${c.issue_number}`,
    author_association: 'NONE',
    performed_via_github_app: null,
    reactions: {
      url: `${r}/issues/comments/${c.id}/reactions`,
      total_count: 0, '+1': 0, '-1': 0, laugh: 0, confused: 0, heart: 0, hooray: 0, eyes: 0, rocket: 0,
    },
  };
}

function deploymentShape(ctx, repo, d) {
  const r = `${ctx.base}/repos/${repo.owner}/${repo.name}`;
  return {
    url: `${r}/deployments/${d.id}`,
    id: d.id,
    node_id: S.nodeId('Deployment', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.original_environment,
    environment: d.environment,
    description: d.description,
    creator: d.creator,
    created_at: d.created_at,
    updated_at: d.updated_at,
    statuses_url: `${r}/deployments/${d.id}/statuses`,
    repository_url: r,
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
    performed_via_github_app: null,
  };
}

function deploymentStatusShape(ctx, repo, d, s) {
  const r = `${ctx.base}/repos/${repo.owner}/${repo.name}`;
  return {
    url: `${r}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: S.nodeId('DeploymentStatus', s.id),
    state: s.state,
    creator: s.creator,
    description: s.description,
    environment: s.environment,
    target_url: s.target_url,
    created_at: s.created_at,
    updated_at: s.updated_at,
    deployment_url: `${r}/deployments/${d.id}`,
    repository_url: r,
    environment_url: s.environment_url,
    log_url: s.log_url,
    performed_via_github_app: null,
  };
}

function workflowShape(ctx, repo, w) {
  return {
    id: w.id,
    node_id: S.nodeId('Workflow', w.id),
    name: w.name,
    path: w.path,
    state: 'active',
    created_at: w.created_at,
    updated_at: w.created_at,
    url: `${ctx.base}/repos/${repo.owner}/${repo.name}/actions/workflows/${w.id}`,
    html_url: `${S.HTML}/${repo.owner}/${repo.name}/blob/${repo.default_branch}/${w.path}`,
    badge_url: `${S.HTML}/${repo.owner}/${repo.name}/workflows/${encodeURIComponent(w.name)}/badge.svg`,
  };
}

function runShape(ctx, repo, run) {
  const r = `${ctx.base}/repos/${repo.owner}/${repo.name}`;
  const ru = `${r}/actions/runs/${run.id}`;
  const actor = S.user(ctx.base, run.actor.login, run.actor.id, run.actor.type);
  return {
    id: run.id,
    name: run.name,
    node_id: S.nodeId('WorkflowRun', run.id),
    head_branch: run.head_branch,
    head_sha: run.head_sha,
    path: run.path,
    display_title: run.display_title,
    run_number: run.run_number,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflow_id,
    check_suite_id: run.check_suite_id,
    check_suite_node_id: S.nodeId('CheckSuite', run.check_suite_id),
    url: ru,
    html_url: `${S.HTML}/${repo.owner}/${repo.name}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.created_at,
    updated_at: run.updated_at,
    actor,
    run_attempt: run.run_attempt,
    referenced_workflows: [],
    run_started_at: run.run_started_at,
    triggering_actor: actor,
    jobs_url: `${ru}/jobs`,
    logs_url: `${ru}/logs`,
    check_suite_url: `${r}/check-suites/${run.check_suite_id}`,
    artifacts_url: `${ru}/artifacts`,
    cancel_url: `${ru}/cancel`,
    rerun_url: `${ru}/rerun`,
    previous_attempt_url: run.run_attempt > 1 ? `${ru}/attempts/${run.run_attempt - 1}` : null,
    workflow_url: `${r}/actions/workflows/${run.workflow_id}`,
    head_commit: {
      id: run.head_sha,
      tree_id: S.fakeSha('tree', run.head_sha),
      message: `Commit ${run.head_sha.slice(0, 7)}`,
      timestamp: run.created_at,
      author: { name: 'Emulated Author', email: 'author@example.com' },
      committer: { name: 'GitHub', email: 'noreply@example.com' },
    },
    repository: S.minimalRepository(ctx.base, repo),
    head_repository: S.minimalRepository(ctx.base, repo),
  };
}

function jobShape(ctx, repo, j) {
  const r = `${ctx.base}/repos/${repo.owner}/${repo.name}`;
  return {
    id: j.id,
    run_id: j.run_id,
    workflow_name: j.workflow_name,
    head_branch: j.head_branch,
    run_url: `${r}/actions/runs/${j.run_id}`,
    run_attempt: j.run_attempt,
    node_id: S.nodeId('CheckRun', j.id),
    head_sha: j.head_sha,
    url: `${r}/actions/jobs/${j.id}`,
    html_url: `${S.HTML}/${repo.owner}/${repo.name}/actions/runs/${j.run_id}/job/${j.id}`,
    status: j.status,
    conclusion: j.conclusion,
    created_at: j.created_at,
    started_at: j.started_at,
    completed_at: j.completed_at,
    name: j.name,
    steps: j.steps,
    check_run_url: `${r}/check-runs/${j.check_run_id}`,
    labels: j.labels,
    runner_id: j.runner_id,
    runner_name: j.runner_name,
    runner_group_id: j.runner_group_id,
    runner_group_name: j.runner_group_name,
  };
}

// ---- mutations shared by the REST handlers and the control API ------------------

function applyOutput(cr, out) {
  if (!out) return;
  for (const k of ['title', 'summary', 'text']) if (out[k] !== undefined) cr.output[k] = out[k];
  for (const a of out.annotations || []) cr.annotations.push(Object.assign({}, a));
  for (const i of out.images || []) cr.output.images.push(Object.assign({}, i));
}

function createCheckRun(store, repo, b) {
  const now = S.iso();
  const completed = !!b.conclusion || b.status === 'completed';
  const cr = {
    id: store.nextId('check_run'),
    head_sha: String(b.head_sha).toLowerCase(),
    name: b.name,
    external_id: b.external_id ?? '',
    details_url: b.details_url ?? null,
    status: completed ? 'completed' : (b.status || 'queued'),
    conclusion: b.conclusion ?? null,
    started_at: b.started_at ?? now,
    completed_at: completed ? (b.completed_at ?? now) : null,
    output: { title: null, summary: null, text: null, images: [] },
    annotations: [],
    actions: b.actions || [],
    created_at: now,
    updated_at: now,
  };
  cr.check_suite_id = store.suiteFor(repo, cr.head_sha);
  applyOutput(cr, b.output);
  for (const a of b.annotations || []) cr.annotations.push(a); // control API convenience
  repo.check_runs.push(cr);
  return cr;
}

function findWorkflow(store, repo, wid, create = true) {
  const isNum = typeof wid === 'number' || /^\d+$/.test(String(wid));
  let w = isNum
    ? repo.workflows.find((x) => x.id === Number(wid))
    : repo.workflows.find((x) => x.file === String(wid));
  if (!w && create) {
    const id = isNum ? Number(wid) : store.nextId('workflow');
    if (isNum) store.bump('workflow', id);
    const file = isNum ? `workflow-${id}.yml` : String(wid);
    w = {
      id, file, path: `.github/workflows/${file}`,
      name: file.replace(/\.ya?ml$/, ''),
      inputs: null,
      created_at: S.iso(),
    };
    repo.workflows.push(w);
  }
  return w;
}

function createRun(store, repo, f) {
  const now = f.created_at || S.iso();
  const wf = findWorkflow(store, repo, f.workflow_id ?? 'ci.yml');
  const id = f.id ?? store.nextId('run');
  store.bump('run', id);
  const head_branch = f.head_branch ?? stripRef(f.ref || repo.default_branch);
  const head_sha = (f.head_sha ?? store.resolveRef(repo, head_branch)).toLowerCase();
  const run = {
    id,
    name: wf.name,
    workflow_id: wf.id,
    path: wf.path,
    display_title: f.display_title ?? wf.name,
    run_number: repo.workflow_runs.filter((x) => x.workflow_id === wf.id).length + 1,
    run_attempt: f.run_attempt ?? 1,
    event: f.event ?? 'push',
    status: f.status ?? 'queued',
    conclusion: f.conclusion ?? null,
    head_branch,
    head_sha,
    check_suite_id: store.suiteFor(repo, head_sha),
    actor: f.actor || { login: 'octocat', id: 583231, type: 'User' },
    created_at: now,
    updated_at: now,
    run_started_at: now,
    inputs: f.inputs ?? null,
  };
  repo.workflow_runs.push(run);
  return run;
}

function updateRun(run, f) {
  for (const k of ['status', 'conclusion', 'display_title', 'head_branch', 'head_sha', 'event', 'run_attempt', 'created_at']) {
    if (f[k] !== undefined) run[k] = f[k];
  }
  if (f.conclusion && f.status === undefined) run.status = 'completed';
  run.updated_at = S.iso();
}

function createDeployment(store, repo, b, creator) {
  const now = S.iso();
  const environment = b.environment ?? 'production';
  let payload = b.payload ?? {};
  if (typeof payload === 'string') {
    if (payload === '') payload = {};
    else {
      try { payload = JSON.parse(payload); } catch (e) { /* GitHub keeps non-JSON strings */ }
    }
  }
  const d = {
    id: store.nextId('deployment'),
    sha: b.sha ? String(b.sha).toLowerCase() : store.resolveRef(repo, b.ref),
    ref: b.ref ?? b.sha,
    task: b.task ?? 'deploy',
    payload,
    original_environment: environment,
    environment,
    description: b.description ?? '',
    creator,
    created_at: now,
    updated_at: now,
    transient_environment: b.transient_environment ?? false,
    production_environment: b.production_environment ?? (environment === 'production'),
    statuses: [],
  };
  repo.deployments.push(d);
  return d;
}

function addDeploymentStatus(store, repo, d, b, creator) {
  const now = S.iso();
  const target = b.log_url ?? b.target_url ?? '';
  const s = {
    id: store.nextId('deployment_status'),
    state: b.state,
    description: b.description ?? '',
    environment: b.environment ?? d.environment,
    target_url: target,
    log_url: target,
    environment_url: b.environment_url ?? '',
    creator,
    created_at: now,
    updated_at: now,
  };
  if (b.environment) d.environment = b.environment;
  d.statuses.push(s);
  d.updated_at = now;
  // Documented auto_inactive behaviour (default true): a success status marks prior
  // non-transient, non-production deployments of the same environment inactive.
  if (s.state === 'success' && b.auto_inactive !== false) {
    for (const o of repo.deployments) {
      if (o === d || o.environment !== d.environment || o.transient_environment || o.production_environment) continue;
      const last = o.statuses[o.statuses.length - 1];
      if (last && last.state === 'inactive') continue;
      o.statuses.push(Object.assign({}, s, {
        id: store.nextId('deployment_status'), state: 'inactive', description: '', environment: o.environment,
      }));
    }
  }
  return s;
}

function seedJobs(store, repo, b) {
  const runId = Number(b.run_id);
  let run = repo.workflow_runs.find((x) => x.id === runId);
  if (!run) {
    run = createRun(store, repo, {
      id: runId || undefined, workflow_id: b.workflow_id ?? 'ci.yml', head_sha: b.head_sha,
      head_branch: b.head_branch, event: b.event ?? 'push', status: 'in_progress',
      run_attempt: Number(b.run_attempt ?? 1), // the github context carries it as a string
    });
  }
  const attempt = Number(b.run_attempt ?? run.run_attempt ?? 1);
  if (attempt > run.run_attempt) run.run_attempt = attempt;
  const out = [];
  for (const j of b.jobs || []) {
    const now = S.iso();
    const status = j.status ?? 'in_progress';
    // A job seeded before, given again by its id: it has ended (the runner completes the job and
    // GitHub Actions its check run: https://docs.github.com/en/rest/actions/workflow-jobs).
    const seeded = j.id !== undefined ? repo.jobs.find((x) => x.id === Number(j.id)) : undefined;
    if (seeded) {
      Object.assign(seeded, { status, conclusion: j.conclusion ?? null, completed_at: status === 'completed' ? now : null });
      const cr = repo.check_runs.find((x) => x.id === seeded.check_run_id);
      if (cr && status === 'completed') Object.assign(cr, { status, conclusion: j.conclusion ?? 'success', completed_at: now });
      out.push(seeded);
      continue;
    }
    const cr = createCheckRun(store, repo, {
      name: j.name, head_sha: run.head_sha, status: status === 'completed' ? 'completed' : 'in_progress',
      conclusion: j.conclusion ?? undefined,
    });
    cr.actions_job = true;
    const job = {
      id: j.id ?? store.nextId('job'),
      run_id: run.id,
      run_attempt: attempt,
      workflow_name: b.workflow_name ?? run.name,
      head_branch: run.head_branch,
      head_sha: run.head_sha,
      name: j.name,
      status,
      conclusion: j.conclusion ?? null,
      created_at: now,
      started_at: j.started_at ?? now,
      completed_at: j.completed_at ?? (status === 'completed' ? now : null),
      steps: j.steps ?? [],
      labels: j.labels ?? ['ubuntu-latest'],
      runner_id: j.runner_id ?? (j.runner_name ? 1 : null),
      runner_name: j.runner_name ?? null,
      runner_group_id: j.runner_group_id ?? (j.runner_name ? 1 : null),
      runner_group_name: j.runner_group_name ?? (j.runner_name ? 'Default' : null),
      check_run_id: cr.id,
    };
    store.bump('job', job.id);
    repo.jobs.push(job);
    out.push(job);
  }
  return { run, jobs: out };
}

// ---- helpers -----------------------------------------------------------------

function repoOf(ctx) {
  return ctx.store.repo(ctx.params.owner, ctx.params.repo);
}

function json(status, body, headers = {}) {
  return { status, body, headers };
}

function requireSha(ctx, sha) {
  if (ctx.settings.require_full_sha && !/^[0-9a-f]{40}$/i.test(sha)) {
    throw new HttpError(422, `No commit found for SHA: ${sha}`);
  }
}

function byIdDesc(a, b) { return b.id - a.id; }

// created qualifier: see GitHub's search syntax for dates.
function dateBounds(v) {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(v);
  let s = v;
  if (!dateOnly && !/(Z|[+-]\d{2}:?\d{2})$/.test(s)) s += 'Z';
  const start = Date.parse(dateOnly ? `${v}T00:00:00Z` : s);
  const end = dateOnly ? start + 86400000 : start + (/\.\d+/.test(v) ? 1 : 1000);
  return { start, end };
}

function createdMatcher(q) {
  if (!q) return () => true;
  let m = /^(>=|<=|>|<)(.+)$/.exec(q);
  if (m) {
    const b = dateBounds(m[2]);
    switch (m[1]) {
      case '>=': return (t) => t >= b.start;
      case '>': return (t) => t >= b.end;
      case '<': return (t) => t < b.start;
      default: return (t) => t < b.end;
    }
  }
  if (q.includes('..')) {
    const [a, c] = q.split('..');
    const lo = a === '*' ? -Infinity : dateBounds(a).start;
    const hi = c === '*' ? Infinity : dateBounds(c).end;
    return (t) => t >= lo && t < hi;
  }
  const b = dateBounds(q);
  return (t) => t >= b.start && t < b.end;
}

function combinedState(latest) {
  if (latest.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
  if (latest.length === 0 || latest.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

function latestStatuses(repo, sha) {
  const seen = new Set();
  const out = [];
  for (const s of repo.statuses.filter((x) => x.sha === sha).sort(byIdDesc)) {
    if (seen.has(s.context)) continue;
    seen.add(s.context);
    out.push(s);
  }
  return out;
}

// ---- REST handlers by operationId ---------------------------------------------------

const handlers = {
  'rate-limit/get': (ctx) => {
    const rl = ctx.rateLimit();
    const core = { limit: rl.limit, remaining: rl.remaining, reset: rl.reset, used: rl.used };
    const other = { limit: 5000, remaining: 5000, reset: rl.reset, used: 0 };
    return json(200, {
      resources: { core, search: Object.assign({}, other, { limit: 30, remaining: 30 }), graphql: other },
      rate: core,
    });
  },

  'repos/get': (ctx) => json(200, S.fullRepository(ctx.base, repoOf(ctx))),

  // -- check runs
  'checks/create': (ctx) => {
    const repo = repoOf(ctx);
    requireSha(ctx, ctx.body.head_sha);
    const cr = createCheckRun(ctx.store, repo, ctx.body);
    return json(201, checkRunShape(ctx, repo, cr));
  },

  'checks/update': (ctx) => {
    const repo = repoOf(ctx);
    const cr = repo.check_runs.find((x) => x.id === ctx.params.check_run_id);
    if (!cr) throw new HttpError(404, 'Not Found');
    const b = ctx.body;
    // A job's own check run: only GitHub Actions sets its status and conclusion (since 2025-03-31:
    // https://github.blog/changelog/2025-02-12-notice-of-upcoming-deprecations-and-breaking-changes-for-github-actions/#changes-to-check-run-status-modification).
    if (cr.actions_job && (b.status !== undefined || b.conclusion !== undefined)) {
      throw new HttpError(403, 'Check run status and conclusions can only be updated internally by GitHub Actions');
    }
    const now = S.iso();
    for (const k of ['name', 'details_url', 'external_id', 'started_at']) if (b[k] !== undefined) cr[k] = b[k];
    if (b.conclusion) {
      cr.status = 'completed';
      cr.conclusion = b.conclusion;
      cr.completed_at = b.completed_at ?? cr.completed_at ?? now;
    } else if (b.status) {
      cr.status = b.status;
      if (b.status !== 'completed') { cr.conclusion = null; cr.completed_at = null; }
    }
    if (b.completed_at && cr.status === 'completed') cr.completed_at = b.completed_at;
    if (b.actions) cr.actions = b.actions;
    applyOutput(cr, b.output);
    cr.updated_at = now;
    return json(200, checkRunShape(ctx, repo, cr));
  },

  'checks/get': (ctx) => {
    const repo = repoOf(ctx);
    const cr = repo.check_runs.find((x) => x.id === ctx.params.check_run_id);
    if (!cr) throw new HttpError(404, 'Not Found');
    return json(200, checkRunShape(ctx, repo, cr));
  },

  'checks/list-annotations': (ctx) => {
    const repo = repoOf(ctx);
    const cr = repo.check_runs.find((x) => x.id === ctx.params.check_run_id);
    if (!cr) throw new HttpError(404, 'Not Found');
    const p = paginate(ctx, cr.annotations.map((a) => annotationShape(repo, cr, a)));
    return json(200, p.items, p.headers);
  },

  'checks/list-for-ref': (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.store.resolveRef(repo, ctx.params.ref);
    const q = ctx.query;
    let runs = repo.check_runs.filter((x) => x.head_sha === sha).sort(byIdDesc);
    if (q.check_name !== undefined) runs = runs.filter((x) => x.name === q.check_name);
    if (q.status !== undefined) runs = runs.filter((x) => x.status === q.status);
    if (q.app_id !== undefined && q.app_id !== 15368) runs = [];
    if ((q.filter ?? 'latest') === 'latest') {
      const seen = new Set();
      runs = runs.filter((x) => (seen.has(x.name) ? false : (seen.add(x.name), true)));
    }
    const p = paginate(ctx, runs);
    return json(200, { total_count: runs.length, check_runs: p.items.map((cr) => checkRunShape(ctx, repo, cr)) }, p.headers);
  },

  // -- commit statuses
  'repos/create-commit-status': (ctx) => {
    const repo = repoOf(ctx);
    const sha = String(ctx.params.sha);
    requireSha(ctx, sha);
    const b = ctx.body;
    const context = b.context ?? 'default';
    const same = repo.statuses.filter((x) => x.sha === sha.toLowerCase() && x.context === context).length;
    if (same >= 1000) {
      throw new HttpError(422, 'Validation Failed', {
        errors: [{ resource: 'Status', code: 'custom', field: 'context', message: 'This SHA and context has reached the maximum number of statuses.' }],
      });
    }
    const now = S.iso();
    const st = {
      id: ctx.store.nextId('status'), sha: sha.toLowerCase(), state: b.state,
      description: b.description ?? null, target_url: b.target_url ?? null, context,
      created_at: now, updated_at: now, creator: ctx.actor,
    };
    repo.statuses.push(st);
    return json(201, statusShape(ctx, repo, st), { location: `${ctx.base}/repos/${repo.owner}/${repo.name}/statuses/${st.sha}` });
  },

  'repos/list-commit-statuses-for-ref': (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.store.resolveRef(repo, ctx.params.ref);
    const list = repo.statuses.filter((x) => x.sha === sha).sort(byIdDesc);
    const p = paginate(ctx, list);
    return json(200, p.items.map((s) => statusShape(ctx, repo, s)), p.headers);
  },

  'repos/get-combined-status-for-ref': (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.store.resolveRef(repo, ctx.params.ref);
    const latest = latestStatuses(repo, sha);
    const p = paginate(ctx, latest);
    const r = `${ctx.base}/repos/${repo.owner}/${repo.name}`;
    return json(200, {
      state: combinedState(latest),
      statuses: p.items.map((s) => {
        const x = statusShape(ctx, repo, s);
        delete x.creator;
        return x;
      }),
      sha,
      total_count: latest.length,
      repository: S.minimalRepository(ctx.base, repo),
      commit_url: `${r}/commits/${sha}`,
      url: `${r}/commits/${sha}/status`,
    }, p.headers);
  },

  // -- issue comments
  'issues/list-comments': (ctx) => {
    const repo = repoOf(ctx);
    let list = repo.comments.filter((c) => c.issue_number === ctx.params.issue_number);
    if (ctx.query.since) {
      const t = Date.parse(ctx.query.since);
      list = list.filter((c) => Date.parse(c.updated_at) >= t);
    }
    list.sort((a, b) => a.id - b.id);
    const p = paginate(ctx, list);
    return json(200, p.items.map((c) => commentShape(ctx, repo, c)), p.headers);
  },

  'issues/create-comment': (ctx) => {
    const repo = repoOf(ctx);
    const now = S.iso();
    const c = {
      id: ctx.store.nextId('comment'), issue_number: ctx.params.issue_number, body: ctx.body.body,
      user: ctx.actor, created_at: now, updated_at: now,
    };
    repo.comments.push(c);
    const shape = commentShape(ctx, repo, c);
    return json(201, shape, { location: shape.url });
  },

  'issues/get-comment': (ctx) => {
    const repo = repoOf(ctx);
    const c = repo.comments.find((x) => x.id === ctx.params.comment_id);
    if (!c) throw new HttpError(404, 'Not Found');
    return json(200, commentShape(ctx, repo, c));
  },

  'issues/update-comment': (ctx) => {
    const repo = repoOf(ctx);
    const c = repo.comments.find((x) => x.id === ctx.params.comment_id);
    if (!c) throw new HttpError(404, 'Not Found');
    c.body = ctx.body.body;
    c.updated_at = S.iso();
    return json(200, commentShape(ctx, repo, c));
  },

  'issues/delete-comment': (ctx) => {
    const repo = repoOf(ctx);
    const i = repo.comments.findIndex((x) => x.id === ctx.params.comment_id);
    if (i < 0) throw new HttpError(404, 'Not Found');
    repo.comments.splice(i, 1);
    return json(204, null);
  },

  // -- deployments
  'repos/create-deployment': (ctx) => {
    const repo = repoOf(ctx);
    const b = ctx.body;
    const sha = ctx.store.resolveRef(repo, b.ref);
    // Documented commit-status verification (required_contexts).
    const latest = latestStatuses(repo, sha);
    const required = b.required_contexts === undefined ? latest.map((s) => s.context) : b.required_contexts;
    const failing = required
      .map((c) => latest.find((s) => s.context === c) || { context: c, state: 'missing' })
      .filter((s) => s.state !== 'success');
    if (failing.length) {
      throw new HttpError(409, `Conflict: Commit status checks failed for ${b.ref}.`, {
        errors: [{
          contexts: failing.map((s) => ({ context: s.context, state: s.state })),
          resource: 'Deployment', field: 'required_contexts', code: 'invalid',
        }],
      });
    }
    const d = createDeployment(ctx.store, repo, Object.assign({}, b, { sha }), ctx.actor);
    return json(201, deploymentShape(ctx, repo, d));
  },

  'repos/list-deployments': (ctx) => {
    const repo = repoOf(ctx);
    const q = ctx.query;
    let list = repo.deployments.slice().sort(byIdDesc);
    if (q.sha !== undefined) list = list.filter((d) => d.sha === String(q.sha).toLowerCase());
    if (q.ref !== undefined) list = list.filter((d) => d.ref === q.ref);
    if (q.task !== undefined) list = list.filter((d) => d.task === q.task);
    if (q.environment !== undefined && q.environment !== null) list = list.filter((d) => d.environment === q.environment);
    const p = paginate(ctx, list);
    return json(200, p.items.map((d) => deploymentShape(ctx, repo, d)), p.headers);
  },

  'repos/get-deployment': (ctx) => {
    const repo = repoOf(ctx);
    const d = repo.deployments.find((x) => x.id === ctx.params.deployment_id);
    if (!d) throw new HttpError(404, 'Not Found');
    return json(200, deploymentShape(ctx, repo, d));
  },

  'repos/create-deployment-status': (ctx) => {
    const repo = repoOf(ctx);
    const d = repo.deployments.find((x) => x.id === ctx.params.deployment_id);
    if (!d) throw new HttpError(404, 'Not Found');
    const s = addDeploymentStatus(ctx.store, repo, d, ctx.body, ctx.actor);
    return json(201, deploymentStatusShape(ctx, repo, d, s));
  },

  'repos/list-deployment-statuses': (ctx) => {
    const repo = repoOf(ctx);
    const d = repo.deployments.find((x) => x.id === ctx.params.deployment_id);
    if (!d) throw new HttpError(404, 'Not Found');
    const p = paginate(ctx, d.statuses.slice().sort(byIdDesc));
    return json(200, p.items.map((s) => deploymentStatusShape(ctx, repo, d, s)), p.headers);
  },

  'repos/get-deployment-status': (ctx) => {
    const repo = repoOf(ctx);
    const d = repo.deployments.find((x) => x.id === ctx.params.deployment_id);
    const s = d && d.statuses.find((x) => x.id === ctx.params.status_id);
    if (!s) throw new HttpError(404, 'Not Found');
    return json(200, deploymentStatusShape(ctx, repo, d, s));
  },

  // -- workflows
  'actions/list-repo-workflows': (ctx) => {
    const repo = repoOf(ctx);
    const p = paginate(ctx, repo.workflows);
    return json(200, { total_count: repo.workflows.length, workflows: p.items.map((w) => workflowShape(ctx, repo, w)) }, p.headers);
  },

  'actions/get-workflow': (ctx) => {
    const repo = repoOf(ctx);
    const w = findWorkflow(ctx.store, repo, ctx.params.workflow_id);
    return json(200, workflowShape(ctx, repo, w));
  },

  'actions/create-workflow-dispatch': (ctx) => {
    const repo = repoOf(ctx);
    const b = ctx.body;
    const modern = ctx.settings.dispatch_mode !== 'legacy';
    if (!modern && Object.prototype.hasOwnProperty.call(b, 'return_run_details')) {
      throw new HttpError(422, 'Invalid request.\n\n"return_run_details" is not a permitted key.');
    }
    const w = findWorkflow(ctx.store, repo, ctx.params.workflow_id);
    const inputs = b.inputs || {};
    if (w.inputs) {
      const unexpected = Object.keys(inputs).filter((k) => !w.inputs.includes(k));
      if (unexpected.length) throw new HttpError(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
      const missing = (w.required_inputs || []).filter((k) => inputs[k] === undefined);
      if (missing.length) throw new HttpError(422, `Required input '${missing[0]}' not provided`);
    }
    const display = inputs.dedupe_key !== undefined
      ? `Rollback ${inputs.environment} to ${inputs.to_ref || 'last good'} (${inputs.dedupe_key})`
      : w.name;
    const run = createRun(ctx.store, repo, {
      workflow_id: w.id, ref: b.ref, event: 'workflow_dispatch', display_title: display, inputs,
      head_sha: ctx.store.resolveRef(repo, b.ref),
    });
    run.actor = { login: ctx.actor.login, id: ctx.actor.id, type: ctx.actor.type };
    repo.dispatches.push({
      workflow_id: ctx.params.workflow_id, resolved_workflow_id: w.id, ref: b.ref, inputs: b.inputs ?? null,
      return_run_details: b.return_run_details ?? null, run_id: run.id, created_at: run.created_at,
    });
    if (modern && b.return_run_details === true) {
      const r = `${ctx.base}/repos/${repo.owner}/${repo.name}`;
      return json(200, {
        workflow_run_id: run.id,
        run_url: `${r}/actions/runs/${run.id}`,
        html_url: `${S.HTML}/${repo.owner}/${repo.name}/actions/runs/${run.id}`,
      });
    }
    return json(204, null);
  },

  'actions/list-workflow-runs': (ctx) => listRuns(ctx, findWorkflow(ctx.store, repoOf(ctx), ctx.params.workflow_id)),
  'actions/list-workflow-runs-for-repo': (ctx) => listRuns(ctx, null),

  'actions/get-workflow-run': (ctx) => {
    const repo = repoOf(ctx);
    const run = repo.workflow_runs.find((x) => x.id === ctx.params.run_id);
    if (!run) throw new HttpError(404, 'Not Found');
    return json(200, runShape(ctx, repo, run));
  },

  'actions/list-jobs-for-workflow-run': (ctx) => {
    const repo = repoOf(ctx);
    const run = repo.workflow_runs.find((x) => x.id === ctx.params.run_id);
    if (!run) throw new HttpError(404, 'Not Found');
    let jobs = repo.jobs.filter((j) => j.run_id === run.id);
    if ((ctx.query.filter ?? 'latest') === 'latest') jobs = jobs.filter((j) => j.run_attempt === run.run_attempt);
    const p = paginate(ctx, jobs);
    return json(200, { total_count: jobs.length, jobs: p.items.map((j) => jobShape(ctx, repo, j)) }, p.headers);
  },

  'actions/list-jobs-for-workflow-run-attempt': (ctx) => {
    const repo = repoOf(ctx);
    const run = repo.workflow_runs.find((x) => x.id === ctx.params.run_id);
    if (!run || ctx.params.attempt_number > run.run_attempt || ctx.params.attempt_number < 1) throw new HttpError(404, 'Not Found');
    const jobs = repo.jobs.filter((j) => j.run_id === run.id && j.run_attempt === ctx.params.attempt_number);
    const p = paginate(ctx, jobs);
    return json(200, { total_count: jobs.length, jobs: p.items.map((j) => jobShape(ctx, repo, j)) }, p.headers);
  },

  'actions/get-job-for-workflow-run': (ctx) => {
    const repo = repoOf(ctx);
    const j = repo.jobs.find((x) => x.id === ctx.params.job_id);
    if (!j) throw new HttpError(404, 'Not Found');
    return json(200, jobShape(ctx, repo, j));
  },
};

function listRuns(ctx, wf) {
  const repo = repoOf(ctx);
  const q = ctx.query;
  let runs = repo.workflow_runs.slice().sort(byIdDesc);
  if (wf) runs = runs.filter((r) => r.workflow_id === wf.id);
  if (q.actor !== undefined) runs = runs.filter((r) => r.actor.login === q.actor);
  if (q.branch !== undefined) runs = runs.filter((r) => r.head_branch === q.branch);
  if (q.event !== undefined) runs = runs.filter((r) => r.event === q.event);
  if (q.status !== undefined) runs = runs.filter((r) => r.status === q.status || r.conclusion === q.status);
  if (q.head_sha !== undefined) runs = runs.filter((r) => r.head_sha === String(q.head_sha).toLowerCase());
  if (q.check_suite_id !== undefined) runs = runs.filter((r) => r.check_suite_id === q.check_suite_id);
  if (q.created !== undefined) {
    const m = createdMatcher(q.created);
    runs = runs.filter((r) => m(Date.parse(r.created_at)));
  }
  const p = paginate(ctx, runs);
  return json(200, { total_count: runs.length, workflow_runs: p.items.map((r) => runShape(ctx, repo, r)) }, p.headers);
}

// ---- documented limits beyond the schema ------------------------------------------
// Returns a list of {field, code, message} for the given operation and parsed body.

function chars(s) { return typeof s === 'string' ? [...s].length : 0; }
function bytes(s) { return typeof s === 'string' ? Buffer.byteLength(s, 'utf8') : 0; }

function checkLimits(operationId, body) {
  const errs = [];
  const err = (field, message, code = 'custom') => errs.push({ resource: 'Body', field, code, message });
  if (!body || typeof body !== 'object') return errs;
  switch (operationId) {
    case 'checks/create':
    case 'checks/update': {
      const out = body.output;
      if (operationId === 'checks/create' && (body.status === 'completed' || body.completed_at !== undefined) && !body.conclusion) {
        err('conclusion', 'conclusion is required when status is completed or completed_at is given', 'missing_field');
      }
      if (out && typeof out === 'object') {
        if (Array.isArray(out.annotations)) {
          if (out.annotations.length > 50) err('output.annotations', `at most 50 annotations per request (got ${out.annotations.length})`);
          out.annotations.forEach((a, i) => {
            if (!a || typeof a !== 'object') return;
            if (chars(a.title) > 255) err(`output.annotations[${i}].title`, `title is longer than 255 characters (${chars(a.title)})`);
            if (bytes(a.message) > 65536) err(`output.annotations[${i}].message`, `message is larger than 64 KB (${bytes(a.message)} bytes)`);
            if (bytes(a.raw_details) > 65536) err(`output.annotations[${i}].raw_details`, `raw_details is larger than 64 KB (${bytes(a.raw_details)} bytes)`);
            if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
              err(`output.annotations[${i}].start_column`, 'start_column/end_column are only allowed when start_line equals end_line');
            }
            if (typeof a.start_line === 'number' && typeof a.end_line === 'number' && a.end_line < a.start_line) {
              err(`output.annotations[${i}].end_line`, 'end_line is before start_line');
            }
          });
        }
        if (chars(out.summary) > 65535) err('output.summary', `summary is longer than 65535 characters (${chars(out.summary)})`);
        if (chars(out.text) > 65535) err('output.text', `text is longer than 65535 characters (${chars(out.text)})`);
      }
      break;
    }
    case 'repos/create-commit-status':
      if (chars(body.description) > 140) err('description', `description is longer than 140 characters (${chars(body.description)})`);
      break;
    case 'repos/create-deployment-status':
      if (chars(body.description) > 140) err('description', `description is longer than 140 characters (${chars(body.description)})`);
      break;
    case 'issues/create-comment':
    case 'issues/update-comment':
      if (chars(body.body) > 65536) err('body', `body is longer than 65536 characters (${chars(body.body)})`);
      break;
    default:
  }
  return errs;
}

function stateDump(ctx, store, only) {
  const repos = {};
  for (const repo of store.repos.values()) {
    if (only && repo.full_name.toLowerCase() !== only.toLowerCase()) continue;
    repos[repo.full_name] = {
      check_runs: repo.check_runs.map((cr) => Object.assign(checkRunShape(ctx, repo, cr), {
        app: undefined,
        output: Object.assign(checkRunShape(ctx, repo, cr).output, { images: cr.output.images }),
        annotations: cr.annotations.map((a) => annotationShape(repo, cr, a)),
      })),
      statuses: repo.statuses.map((s) => Object.assign(statusShape(ctx, repo, s), { sha: s.sha })),
      comments: repo.comments.map((c) => Object.assign(commentShape(ctx, repo, c), { issue_number: c.issue_number })),
      deployments: repo.deployments.map((d) => Object.assign(deploymentShape(ctx, repo, d), {
        statuses: d.statuses.slice().sort(byIdDesc).map((s) => deploymentStatusShape(ctx, repo, d, s)),
      })),
      dispatches: repo.dispatches,
      workflows: repo.workflows.map((w) => Object.assign(workflowShape(ctx, repo, w), { inputs: w.inputs })),
      workflow_runs: repo.workflow_runs.map((r) => Object.assign(runShape(ctx, repo, r), {
        repository: undefined, head_repository: undefined, inputs: r.inputs,
      })),
      jobs: repo.jobs.map((j) => Object.assign(jobShape(ctx, repo, j), { check_run_id: j.check_run_id })),
    };
  }
  return JSON.parse(JSON.stringify({ repos }));
}

module.exports = {
  Store, HttpError, handlers, checkLimits, stateDump,
  createCheckRun, createDeployment, addDeploymentStatus, createRun, updateRun, findWorkflow, seedJobs,
  checkRunShape, deploymentShape, deploymentStatusShape, runShape, jobShape, workflowShape,
  createdMatcher, stripRef, paginate,
};
