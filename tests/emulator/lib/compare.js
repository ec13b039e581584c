'use strict';
// Git history, the compare API, the pull requests a commit came from, and token permissions.
// Seeded through POST /_emulator/commits; handlers keyed by operationId like lib/github.js.
// GitHub's documented behaviour modelled here, each with its source:
//   - GET /repos/{o}/{r}/compare/{base}...{head} (and /compare/{basehead}): "equivalent to running
//     git log base..head", commits in chronological order; status identical|ahead|behind|diverged
//     with ahead_by/behind_by against the merge base; without per_page/page at most 250 commits,
//     the last one the most recent; with paging, the first commit of each page is the earliest;
//     an unknown commit is 404, two commits without a common ancestor are 404 too
//     https://docs.github.com/en/rest/commits/commits#compare-two-commits
//   - GET /commits/{sha}/pulls: for a commit on the default branch, the merged pull request that
//     introduced it; otherwise the merged and open pull requests associated with the commit
//     https://docs.github.com/en/rest/commits/commits#list-pull-requests-associated-with-a-commit
//   - A GITHUB_TOKEN has the permissions the job's `permissions:` grants; an endpoint outside them
//     answers 403 "Resource not accessible by integration"
//     https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token
//     and the permission each endpoint needs:
//     https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps

const S = require('./shapes');

// Without paging parameters the compare API lists at most 250 commits (see above).
const UNPAGED_COMPARE_COMMITS = 250;

class CompareError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function historyOf(repo) {
  if (!repo.commits) repo.commits = new Map();
  return repo.commits;
}

const isSha = (x) => /^[0-9a-f]{40}$/i.test(String(x || ''));

// POST /_emulator/commits {repo, commits: [{sha, parents: [sha], message, author: {name, email,
// date, login?}}], refs?: {branch: sha}} — parents must be seeded before their children (in the
// list or earlier); `refs` moves branches (a force-push moves one to a commit that does not
// descend from the old one; the old commits stay readable by SHA, as on GitHub).
function seedCommits(store, repo, b) {
  const history = historyOf(repo);
  for (const c of b.commits || []) {
    if (!isSha(c.sha)) throw new CompareError(400, `commit sha must be 40 hex digits: ${c.sha}`);
    if (history.has(c.sha.toLowerCase())) continue; // seeded before: a commit never changes
    const parents = (c.parents || []).map((p) => String(p).toLowerCase());
    for (const p of parents) {
      if (!history.has(p)) throw new CompareError(400, `parent ${p} of ${c.sha} is not seeded yet`);
    }
    const author = c.author || {};
    const date = author.date || S.iso();
    history.set(c.sha.toLowerCase(), {
      sha: c.sha.toLowerCase(),
      parents,
      message: c.message || `Commit ${c.sha.slice(0, 7)}`,
      author: { name: author.name || 'Someone', email: author.email || 'someone@example.com', date },
      login: author.login || null,
      order: history.size,
    });
  }
  for (const [ref, sha] of Object.entries(b.refs || {})) {
    if (!isSha(sha) || !history.has(sha.toLowerCase())) throw new CompareError(400, `ref ${ref}: ${sha} is not a seeded commit`);
    repo.refs[ref.replace(/^refs\/heads\//, '')] = sha.toLowerCase();
  }
  return { commits: history.size, refs: repo.refs };
}

function resolve(store, repo, ref) {
  const history = historyOf(repo);
  const name = String(ref);
  if (isSha(name)) {
    if (!history.has(name.toLowerCase())) throw new CompareError(404, 'Not Found');
    return name.toLowerCase();
  }
  const sha = repo.refs[name.replace(/^refs\/heads\//, '').replace(/^heads\//, '')];
  if (!sha || !history.has(sha)) throw new CompareError(404, 'Not Found');
  return sha;
}

function ancestors(history, sha) {
  const seen = new Set();
  const stack = [sha];
  while (stack.length) {
    const x = stack.pop();
    if (seen.has(x)) continue;
    seen.add(x);
    for (const p of history.get(x).parents) stack.push(p);
  }
  return seen;
}

// The best common ancestor: a common ancestor that no other common ancestor descends from.
function mergeBase(history, a, b) {
  const ofB = ancestors(history, b);
  const common = [...ancestors(history, a)].filter((x) => ofB.has(x));
  if (!common.length) return null;
  const best = common.filter((x) => !common.some((y) => y !== x && ancestors(history, y).has(x)));
  best.sort((x, y) => history.get(y).order - history.get(x).order);
  return best[0];
}

// Chronological: parents before children, then by seeding order.
function chronological(history, shas) {
  return shas.slice().sort((x, y) => history.get(x).order - history.get(y).order);
}

function commitShape(ctx, repo, c) {
  const r = `${ctx.base}/repos/${repo.owner}/${repo.name}`;
  const html = `${S.HTML}/${repo.owner}/${repo.name}`;
  const gitUser = { name: c.author.name, email: c.author.email, date: c.author.date };
  const account = c.login ? S.user(ctx.base, c.login, 2000 + (c.login.length * 7919) % 100000) : null;
  return {
    url: `${r}/commits/${c.sha}`,
    sha: c.sha,
    node_id: S.nodeId('Commit', c.sha),
    html_url: `${html}/commit/${c.sha}`,
    comments_url: `${r}/commits/${c.sha}/comments`,
    commit: {
      url: `${r}/git/commits/${c.sha}`,
      author: gitUser,
      committer: gitUser,
      message: c.message,
      comment_count: 0,
      tree: { sha: S.fakeSha('tree', c.sha), url: `${r}/git/trees/${S.fakeSha('tree', c.sha)}` },
      verification: { verified: false, reason: 'unsigned', payload: null, signature: null, verified_at: null },
    },
    author: account,
    committer: account,
    parents: c.parents.map((p) => ({ sha: p, url: `${r}/commits/${p}`, html_url: `${html}/commit/${p}` })),
  };
}

function compare(ctx, G, baseRef, headRef) {
  const repo = ctx.store.repo(ctx.params.owner, ctx.params.repo);
  const history = historyOf(repo);
  const base = resolve(ctx.store, repo, baseRef);
  const head = resolve(ctx.store, repo, headRef);
  const mb = mergeBase(history, base, head);
  if (!mb) throw new CompareError(404, `No common ancestor between ${baseRef} and ${headRef}.`);
  const ofBase = ancestors(history, base);
  const ofHead = ancestors(history, head);
  const ahead = chronological(history, [...ofHead].filter((x) => !ofBase.has(x)));
  const behindBy = [...ofBase].filter((x) => !ofHead.has(x)).length;
  let status = 'identical';
  if (ahead.length && behindBy) status = 'diverged';
  else if (ahead.length) status = 'ahead';
  else if (behindBy) status = 'behind';
  const paged = ctx.query.per_page !== undefined || ctx.query.page !== undefined;
  const shaped = ahead.map((x) => commitShape(ctx, repo, history.get(x)));
  let commits = shaped;
  let headers = {};
  if (paged) {
    const p = G.paginate(ctx, shaped);
    commits = p.items;
    headers = p.headers;
  } else {
    commits = shaped.slice(-UNPAGED_COMPARE_COMMITS);
  }
  const html = `${S.HTML}/${repo.owner}/${repo.name}`;
  const spec = `${baseRef}...${headRef}`;
  return {
    status: 200,
    headers,
    body: {
      url: `${ctx.base}/repos/${repo.owner}/${repo.name}/compare/${spec}`,
      html_url: `${html}/compare/${spec}`,
      permalink_url: `${html}/compare/${repo.owner}:${base.slice(0, 7)}...${repo.owner}:${head.slice(0, 7)}`,
      diff_url: `${html}/compare/${spec}.diff`,
      patch_url: `${html}/compare/${spec}.patch`,
      base_commit: commitShape(ctx, repo, history.get(base)),
      merge_base_commit: commitShape(ctx, repo, history.get(mb)),
      status,
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      commits,
    },
  };
}

// Merged pull requests (seeded through POST /_emulator/pulls with state "closed", merged_at and
// commits) whose commits or merge commit include `sha`.
function mergedPullsWith(repo, sha) {
  return (repo.pulls || []).filter((p) => p.merged_at && (p.merge_commit_sha === sha || (p.commits || []).includes(sha)));
}

function onDefaultBranch(repo, sha) {
  const history = historyOf(repo);
  const tip = repo.refs[repo.default_branch];
  return !!tip && history.has(tip) && ancestors(history, tip).has(sha);
}

// ---- token permissions ------------------------------------------------------------------
// The permission (and level) each emulated operation needs; `metadata` is always granted. An
// operation with several entries accepts any of them (issue comments: issues or pull_requests).
const READ = 'read';
const WRITE = 'write';
const PERMISSIONS = {
  'repos/get': [['metadata', READ]],
  'rate-limit/get': [],
  'repos/compare-commits': [['contents', READ]],
  'repos/compare-commits-with-basehead': [['contents', READ]],
  'repos/list-pull-requests-associated-with-commit': [['pull_requests', READ]],
  'checks/list-for-ref': [['checks', READ]],
  'checks/get': [['checks', READ]],
  'checks/list-annotations': [['checks', READ]],
  'checks/create': [['checks', WRITE]],
  'checks/update': [['checks', WRITE]],
  'repos/get-combined-status-for-ref': [['statuses', READ]],
  'repos/list-commit-statuses-for-ref': [['statuses', READ]],
  'repos/create-commit-status': [['statuses', WRITE]],
  'repos/list-deployments': [['deployments', READ]],
  'repos/get-deployment': [['deployments', READ]],
  'repos/list-deployment-statuses': [['deployments', READ]],
  'repos/get-deployment-status': [['deployments', READ]],
  'repos/create-deployment': [['deployments', WRITE]],
  'repos/create-deployment-status': [['deployments', WRITE]],
  'pulls/list': [['pull_requests', READ]],
  'pulls/get': [['pull_requests', READ]],
  'pulls/list-files': [['pull_requests', READ]],
  'issues/list-comments': [['issues', READ], ['pull_requests', READ]],
  'issues/get-comment': [['issues', READ], ['pull_requests', READ]],
  'issues/create-comment': [['issues', WRITE], ['pull_requests', WRITE]],
  'issues/update-comment': [['issues', WRITE], ['pull_requests', WRITE]],
  'issues/delete-comment': [['issues', WRITE], ['pull_requests', WRITE]],
  'actions/list-repo-workflows': [['actions', READ]],
  'actions/get-workflow': [['actions', READ]],
  'actions/create-workflow-dispatch': [['actions', WRITE]],
  'actions/list-workflow-runs': [['actions', READ]],
  'actions/list-workflow-runs-for-repo': [['actions', READ]],
  'actions/get-workflow-run': [['actions', READ]],
  'actions/list-jobs-for-workflow-run': [['actions', READ]],
  'actions/list-jobs-for-workflow-run-attempt': [['actions', READ]],
  'actions/get-job-for-workflow-run': [['actions', READ]],
};

// `permissions:` as a workflow writes it ("pull-requests: read") → {pull_requests: 'read'}.
function normalisePermissions(p) {
  if (!p || typeof p !== 'object') return null;
  const out = {};
  for (const [k, v] of Object.entries(p)) out[k.replace(/-/g, '_')] = String(v);
  return out;
}

// null when the token may call the operation; else why not.
function permissionRefusal(operationId, granted) {
  if (!granted) return null;
  const needs = PERMISSIONS[operationId];
  if (needs === undefined) return `emulator: no permission is recorded for ${operationId}`;
  if (!needs.length) return null;
  const level = (name) => (name === 'metadata' ? READ : granted[name]);
  const ok = needs.some(([name, want]) => level(name) === WRITE || (want === READ && level(name) === READ));
  return ok ? null : `needs ${needs.map(([n, w]) => `${n.replace(/_/g, '-')}: ${w}`).join(' or ')}`;
}

function makeHandlers(G) {
  const wrap = (fn) => (ctx) => {
    try {
      return fn(ctx);
    } catch (e) {
      if (e instanceof CompareError) throw new G.HttpError(e.status, e.message);
      throw e;
    }
  };
  return {
    'repos/compare-commits': wrap((ctx) => compare(ctx, G, ctx.params.base, ctx.params.head)),
    'repos/compare-commits-with-basehead': wrap((ctx) => {
      const spec = String(ctx.params.basehead);
      const i = spec.indexOf('...');
      if (i <= 0) throw new CompareError(404, 'Not Found');
      return compare(ctx, G, spec.slice(0, i), spec.slice(i + 3));
    }),
    'repos/list-pull-requests-associated-with-commit': wrap((ctx) => {
      const repo = ctx.store.repo(ctx.params.owner, ctx.params.repo);
      const sha = String(ctx.params.commit_sha).toLowerCase();
      const merged = mergedPullsWith(repo, sha).sort((a, b) => b.number - a.number);
      if (onDefaultBranch(repo, sha)) {
        const P = require('./pulls');
        const pg = G.paginate(ctx, merged.map((p) => P.pullShape(ctx, ctx.store, repo, p)));
        return { status: 200, body: pg.items, headers: pg.headers };
      }
      // Not on the default branch: the merged and the open ones whose head it is.
      const open = (repo.pulls || []).filter((p) => p.state === 'open' && p.head.sha === sha)
        .sort((a, b) => b.number - a.number);
      const P = require('./pulls');
      const pg = G.paginate(ctx, merged.concat(open).map((p) => P.pullShape(ctx, ctx.store, repo, p)));
      return { status: 200, body: pg.items, headers: pg.headers };
    }),
  };
}

module.exports = {
  makeHandlers, seedCommits, CompareError, normalisePermissions, permissionRefusal, PERMISSIONS,
  UNPAGED_COMPARE_COMMITS,
};
