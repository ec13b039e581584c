'use strict';
// Release evidence (`tollgate release`): git history seeded with authors and branch moves, the
// pull requests a commit came from, and the permission that endpoint needs beyond its category.
// The compare endpoints themselves are lib/history.js's, over the same `repo.commits` store.
// Seeded through POST /_emulator/commits; handlers keyed by operationId like lib/github.js.
// GitHub's documented behaviour modelled here, each with its source:
//   - GET /commits/{sha}/pulls: for a commit on the default branch, the merged pull request that
//     introduced it; otherwise the merged and open pull requests associated with the commit
//     https://docs.github.com/en/rest/commits/commits#list-pull-requests-associated-with-a-commit
//   - a token without a permission an endpoint needs answers 403 "Resource not accessible by
//     integration" (lib/history.js applies each operation's category permission); the pull requests
//     of a commit also need pull requests: read
//     https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps

const S = require('./shapes');

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
// What an operation needs besides lib/history.js's category permission (all of them, read at least).
const EXTRA_PERMISSIONS = {
  'repos/list-pull-requests-associated-with-commit': ['pull_requests'],
};

// null when a token scoped like a job's `permissions:` ("pull-requests: read") may call the
// operation as far as EXTRA_PERMISSIONS goes; else what it lacks.
function permissionRefusal(operationId, permissions) {
  if (!permissions || typeof permissions !== 'object') return null;
  const level = (name) => permissions[name] || permissions[name.replace(/_/g, '-')] || 'none';
  const missing = (EXTRA_PERMISSIONS[operationId] || []).filter((n) => level(n) !== 'read' && level(n) !== 'write');
  return missing.length ? `needs ${missing.map((n) => `${n.replace(/_/g, '-')}: read`).join(', ')}` : null;
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

module.exports = { makeHandlers, seedCommits, CompareError, permissionRefusal };
