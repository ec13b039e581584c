'use strict';
// Delivery history: a commit graph, deployments and statuses at given times (seeded through
// POST /_emulator/history), the commits and compare endpoints over that graph, and fine-grained
// token permissions. GitHub's documented behaviour modelled here, each with its source:
//   - GET /compare/{base}...{head} is `git log BASE..HEAD` in chronological order (oldest first);
//     without per_page or page at most 250 commits, the last being the newest of the comparison;
//     with them, pages in chronological order (per_page ≤ 100, 30 by default); `status` is
//     identical, ahead, behind or diverged with ahead_by / behind_by against the merge base
//     https://docs.github.com/en/rest/commits/commits#compare-two-commits
//   - GET /commits/{ref}: one commit; 404 for a commit the repository does not have (a force-push
//     that rewrote history leaves the old SHA unknown once it is gone)
//     https://docs.github.com/en/rest/commits/commits#get-a-commit
//   - a token without the permission an endpoint needs is answered 403 "Resource not accessible by
//     integration", reads included; each endpoint's permission is listed at
//     https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps and
//     GITHUB_TOKEN's are the workflow's `permissions:`, where `metadata: read` is always granted
//     https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token
// Commits live in `repo.commits` (a Map sha → {sha, parents, message, author: {name, email, date},
// login, order}), the store and shape lib/compare.js (release evidence) keeps: either file's compare
// reads commits the other seeded.

const S = require('./shapes');

// Without paging parameters compare lists at most this many commits (the newest ones).
const COMPARE_UNPAGED_MAX = 250;

class HistoryError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function commitsOf(repo) {
  if (!repo.commits) repo.commits = new Map();
  return repo.commits;
}

const isSha = (x) => /^[0-9a-f]{40}$/.test(String(x || ''));

function commitShape(ctx, repo, c) {
  const r = `${ctx.base}/repos/${repo.owner}/${repo.name}`;
  const html = `${S.HTML}/${repo.owner}/${repo.name}`;
  const person = { name: c.author.name, email: c.author.email, date: c.author.date };
  return {
    url: `${r}/commits/${c.sha}`,
    sha: c.sha,
    node_id: S.nodeId('Commit', c.sha),
    html_url: `${html}/commit/${c.sha}`,
    comments_url: `${r}/commits/${c.sha}/comments`,
    commit: {
      url: `${r}/git/commits/${c.sha}`,
      author: person,
      committer: person,
      message: c.message || `commit ${c.sha.slice(0, 7)}`,
      comment_count: 0,
      tree: { sha: S.fakeSha('tree', c.sha), url: `${r}/git/trees/${S.fakeSha('tree', c.sha)}` },
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    author: null,
    committer: null,
    parents: c.parents.map((p) => ({ sha: p, url: `${r}/commits/${p}`, html_url: `${html}/commit/${p}` })),
  };
}

// Every commit reachable from `sha` (itself included).
function ancestors(commits, sha) {
  const seen = new Set();
  const stack = [sha];
  while (stack.length) {
    const s = stack.pop();
    if (seen.has(s) || !commits.has(s)) continue;
    seen.add(s);
    for (const p of commits.get(s).parents) stack.push(p);
  }
  return seen;
}

// Chronological: committer date, then parents before children (a topological tie-break).
function chronological(commits, set) {
  const depth = new Map();
  const depthOf = (s) => {
    if (depth.has(s)) return depth.get(s);
    depth.set(s, 0);
    const c = commits.get(s);
    const d = c ? 1 + Math.max(-1, ...c.parents.filter((p) => commits.has(p)).map(depthOf)) : 0;
    depth.set(s, d);
    return d;
  };
  return [...set].sort((a, b) => (Date.parse(commits.get(a).author.date) - Date.parse(commits.get(b).author.date))
    || (depthOf(a) - depthOf(b)) || (a < b ? -1 : 1));
}

function resolve(ctx, repo, ref) {
  const sha = ctx.store.resolveRef(repo, ref);
  if (!commitsOf(repo).has(sha)) throw new HistoryError(404, 'Not Found');
  return sha;
}

// The description holds the path both ways: /compare/{basehead} and /compare/{base}...{head}
// (operations repos/compare-commits-with-basehead and repos/compare-commits); the more literal
// template matches a "base...head" path first.
function compare(ctx, repo, paginate) {
  let baseRef = ctx.params.base;
  let headRef = ctx.params.head;
  if (ctx.params.basehead !== undefined) {
    const basehead = String(ctx.params.basehead);
    const at = basehead.indexOf('...');
    if (at <= 0) throw new HistoryError(404, 'Not Found');
    baseRef = basehead.slice(0, at);
    headRef = basehead.slice(at + 3);
  }
  const basehead = `${baseRef}...${headRef}`;
  const commits = commitsOf(repo);
  const base = resolve(ctx, repo, String(baseRef));
  const head = resolve(ctx, repo, String(headRef));
  const fromBase = ancestors(commits, base);
  const fromHead = ancestors(commits, head);
  const ahead = [...fromHead].filter((s) => !fromBase.has(s));
  const behind = [...fromBase].filter((s) => !fromHead.has(s));
  // The merge base: the newest commit both reach.
  const common = chronological(commits, new Set([...fromHead].filter((s) => fromBase.has(s))));
  if (!common.length) throw new HistoryError(404, `No common ancestor between ${baseRef} and ${headRef}.`);
  const mergeBase = common[common.length - 1];
  let status = 'identical';
  if (ahead.length && behind.length) status = 'diverged';
  else if (ahead.length) status = 'ahead';
  else if (behind.length) status = 'behind';
  const listed = chronological(commits, new Set(ahead));
  const paged = ctx.query.per_page !== undefined || ctx.query.page !== undefined;
  let items = listed.slice(-COMPARE_UNPAGED_MAX);
  let headers = {};
  if (paged) {
    const p = paginate(ctx, listed);
    items = p.items;
    headers = p.headers;
  }
  const r = `${ctx.base}/repos/${repo.owner}/${repo.name}`;
  const html = `${S.HTML}/${repo.owner}/${repo.name}`;
  return {
    status: 200,
    headers,
    body: {
      url: `${r}/compare/${basehead}`,
      html_url: `${html}/compare/${basehead}`,
      permalink_url: `${html}/compare/${repo.owner}:${base}...${repo.owner}:${head}`,
      diff_url: `${html}/compare/${basehead}.diff`,
      patch_url: `${html}/compare/${basehead}.patch`,
      base_commit: commitShape(ctx, repo, commits.get(base)),
      merge_base_commit: commitShape(ctx, repo, commits.get(mergeBase)),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: items.map((s) => commitShape(ctx, repo, commits.get(s))),
      files: [],
    },
  };
}

function makeHandlers(G) {
  const repoOf = (ctx) => ctx.store.repo(ctx.params.owner, ctx.params.repo);
  const wrap = (fn) => (ctx) => {
    try {
      return fn(ctx);
    } catch (e) {
      if (e instanceof HistoryError) throw new G.HttpError(e.status, e.message);
      throw e;
    }
  };
  return {
    'repos/compare-commits-with-basehead': wrap((ctx) => compare(ctx, repoOf(ctx), G.paginate)),
    'repos/compare-commits': wrap((ctx) => compare(ctx, repoOf(ctx), G.paginate)),
    'repos/get-commit': wrap((ctx) => {
      const repo = repoOf(ctx);
      const sha = resolve(ctx, repo, String(ctx.params.ref));
      return { status: 200, headers: {}, body: Object.assign(commitShape(ctx, repo, commitsOf(repo).get(sha)), { files: [] }) };
    }),
  };
}

// POST /_emulator/history {repo, commits?: [{sha, parents, date, message?}] (date: author and committer),
// deployments?: [{environment, sha, ref?, created_at, task?, statuses: [{state, created_at, description?,
// log_url?, environment_url?}]}]}. Deployments are created in the order given (ids grow); statuses
// are stored as given: GitHub's auto_inactive statuses, where wanted, are part of the seed.
function seedHistory(store, repo, b, G, creator) {
  const commits = commitsOf(repo);
  for (const c of b.commits || []) {
    if (!isSha(c.sha) || !Array.isArray(c.parents) || !c.parents.every(isSha) || Number.isNaN(Date.parse(c.date))) {
      throw new HistoryError(400, 'a commit needs a 40-hex lower-case sha, parents (40-hex) and a date');
    }
    // The shape lib/compare.js keeps too (author and committer alike), so either reads both.
    if (commits.has(c.sha)) continue; // a commit never changes
    commits.set(c.sha, { sha: c.sha, parents: c.parents, message: c.message || `Commit ${c.sha.slice(0, 7)}`,
      author: { name: 'Dev', email: 'dev@example.invalid', date: S.iso(Date.parse(c.date)) }, login: null,
      order: commits.size });
  }
  const ids = [];
  for (const d of b.deployments || []) {
    if (!isSha(d.sha) || Number.isNaN(Date.parse(d.created_at)) || !d.environment) {
      throw new HistoryError(400, 'a deployment needs environment, a 40-hex sha and created_at');
    }
    const created = S.iso(Date.parse(d.created_at));
    const dep = G.createDeployment(store, repo, { environment: d.environment, sha: d.sha, ref: d.ref || d.sha,
      task: d.task, description: d.description }, creator);
    dep.created_at = created;
    dep.updated_at = created;
    for (const s of d.statuses || []) {
      if (Number.isNaN(Date.parse(s.created_at))) throw new HistoryError(400, 'a status needs created_at');
      const st = G.addDeploymentStatus(store, repo, dep, Object.assign({ auto_inactive: false }, s), creator);
      st.created_at = S.iso(Date.parse(s.created_at));
      st.updated_at = st.created_at;
      dep.updated_at = st.created_at;
    }
    ids.push(dep.id);
  }
  return { commits: commits.size, deployments: ids };
}

// Which permission an operation needs, from its x-github category (the grouping of
// permissions-required-for-github-apps), and the access: write for writes.
const CATEGORY_PERMISSION = {
  deployments: 'deployments',
  checks: 'checks',
  actions: 'actions',
  pulls: 'pull_requests',
  issues: 'issues',
};
function requiredPermission(route) {
  const x = route.op['x-github'] || {};
  if (x.category === 'commits' && x.subcategory === 'statuses') return 'statuses'; // deployments/statuses: deployments
  // The older compare operation is filed under repos/commits, the newer under commits/commits.
  if (x.category === 'commits' || x.subcategory === 'commits') return 'contents';
  if (x.category === 'repos' && x.subcategory === 'repos') return 'metadata';
  return CATEGORY_PERMISSION[x.category] || null;
}

// A token seeded with `permissions` ({deployments: 'read', contents: 'none', ...}; absent ones
// are none, metadata is always read): the 403 GitHub gives, or null when allowed.
function permissionDenied(token, route, isWrite) {
  if (!token || !token.permissions) return null;
  const needed = requiredPermission(route);
  if (!needed) return null;
  // Issue comments on pull requests take either permission (permissions-required-for-github-apps).
  const accepted = needed === 'issues' ? ['issues', 'pull_requests'] : [needed];
  const level = (name) => (name === 'metadata' ? 'read' : (token.permissions[name] || token.permissions[name.replace(/_/g, '-')] || 'none'));
  if (accepted.some((name) => level(name) === 'write' || (level(name) === 'read' && !isWrite))) return null;
  return 'Resource not accessible by integration';
}

module.exports = { makeHandlers, seedHistory, permissionDenied, HistoryError, COMPARE_UNPAGED_MAX };
