'use strict';
// Pull requests: list (with the `head` filter), get, files (with patches), and the pull requests
// of a commit. Seeded through POST /_emulator/pulls; handlers keyed by operationId like
// lib/github.js. GitHub's documented behaviour modelled here, each with its source:
//   - GET /repos/{o}/{r}/pulls `head` is "user:ref-name" or "organization:ref-name"; state
//     defaults to open; newest first (sort=created, direction=desc by default)
//     https://docs.github.com/en/rest/pulls/pulls#list-pull-requests
//   - GET /pulls/{n}/files lists at most 3000 files, 30 a page by default (per_page ≤ 100);
//     `patch` is absent for binary files and for diffs too large to show
//     https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files
//   - GET /commits/{sha}/pulls: for a commit not on the default branch, the open pull requests
//     whose head it is https://docs.github.com/en/rest/commits/commits#list-pull-requests-associated-with-a-commit

const S = require('./shapes');

const MAX_FILES_LISTED = 3000;

class PullsError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function pullsOf(repo) {
  if (!repo.pulls) repo.pulls = [];
  return repo.pulls;
}

function page(ctx, items, paginate) {
  return paginate(ctx, items);
}

function branchShape(ctx, store, side, p) {
  const [owner, name] = side.repo.split('/');
  const repo = store.repo(owner, name);
  return {
    label: `${owner}:${side.ref}`,
    ref: side.ref,
    sha: side.sha,
    user: S.user(ctx.base, owner, repo.owner_id),
    repo: S.fullRepository(ctx.base, repo),
  };
}

function pullShape(ctx, store, repo, p) {
  const r = `${ctx.base}/repos/${repo.owner}/${repo.name}`;
  const html = `${S.HTML}/${repo.owner}/${repo.name}/pull/${p.number}`;
  return {
    url: `${r}/pulls/${p.number}`,
    id: p.id,
    node_id: S.nodeId('PullRequest', p.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${r}/issues/${p.number}`,
    commits_url: `${r}/pulls/${p.number}/commits`,
    review_comments_url: `${r}/pulls/${p.number}/comments`,
    review_comment_url: `${r}/pulls/comments{/number}`,
    comments_url: `${r}/issues/${p.number}/comments`,
    statuses_url: `${r}/statuses/${p.head.sha}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: S.user(ctx.base, p.user || p.head.repo.split('/')[0], 1),
    body: null,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: p.created_at,
    updated_at: p.created_at,
    closed_at: p.merged_at || null,
    merged_at: p.merged_at || null,
    merge_commit_sha: p.merge_commit_sha || null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branchShape(ctx, store, p.head, p),
    base: branchShape(ctx, store, p.base, p),
    _links: {
      self: { href: `${r}/pulls/${p.number}` },
      html: { href: html },
      issue: { href: `${r}/issues/${p.number}` },
      comments: { href: `${r}/issues/${p.number}/comments` },
      review_comments: { href: `${r}/pulls/${p.number}/comments` },
      review_comment: { href: `${r}/pulls/comments{/number}` },
      commits: { href: `${r}/pulls/${p.number}/commits` },
      statuses: { href: `${r}/statuses/${p.head.sha}` },
    },
    author_association: p.head.repo.toLowerCase() === repo.full_name.toLowerCase() ? 'MEMBER' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: false,
  };
}

function fullPullShape(ctx, store, repo, p) {
  return Object.assign(pullShape(ctx, store, repo, p), {
    merged: !!p.merged_at,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: p.files.reduce((n, f) => n + (f.additions || 0), 0),
    deletions: p.files.reduce((n, f) => n + (f.deletions || 0), 0),
    changed_files: p.files.length,
  });
}

function fileShape(ctx, repo, p, f) {
  const out = {
    sha: S.fakeSha('blob', p.number, f.filename),
    filename: f.filename,
    status: f.status || 'modified',
    additions: f.additions || 0,
    deletions: f.deletions || 0,
    changes: (f.additions || 0) + (f.deletions || 0),
    blob_url: `${S.HTML}/${repo.owner}/${repo.name}/blob/${p.head.sha}/${encodeURIComponent(f.filename)}`,
    raw_url: `${S.HTML}/${repo.owner}/${repo.name}/raw/${p.head.sha}/${encodeURIComponent(f.filename)}`,
    contents_url: `${ctx.base}/repos/${repo.owner}/${repo.name}/contents/${encodeURIComponent(f.filename)}?ref=${p.head.sha}`,
  };
  // Binary files and diffs too large to show have no patch.
  if (typeof f.patch === 'string' && !f.binary) out.patch = f.patch;
  if (f.previous_filename) out.previous_filename = f.previous_filename;
  return out;
}

function findPull(ctx, repo) {
  const n = Number(ctx.params.pull_number);
  const p = pullsOf(repo).find((x) => x.number === n);
  if (!p) throw new PullsError(404, 'Not Found');
  return p;
}

function makeHandlers(G) {
  const repoOf = (ctx) => ctx.store.repo(ctx.params.owner, ctx.params.repo);
  const wrap = (fn) => (ctx) => {
    try {
      return fn(ctx);
    } catch (e) {
      if (e instanceof PullsError) throw new G.HttpError(e.status, e.message);
      throw e;
    }
  };
  return {
    'pulls/list': wrap((ctx) => {
      const repo = repoOf(ctx);
      const state = ctx.query.state || 'open';
      let list = pullsOf(repo).filter((p) => state === 'all' || p.state === state);
      if (ctx.query.head) {
        // "user:ref-name"; GitHub matches the owner of the head repository and the branch.
        const [owner, ...rest] = String(ctx.query.head).split(':');
        const ref = rest.join(':');
        list = list.filter((p) => p.head.repo.split('/')[0].toLowerCase() === owner.toLowerCase()
          && (!ref || p.head.ref === ref));
      }
      if (ctx.query.base) list = list.filter((p) => p.base.ref === ctx.query.base);
      list = list.slice().sort((a, b) => b.number - a.number);
      if (ctx.query.direction === 'asc') list.reverse();
      const pg = page(ctx, list.map((p) => pullShape(ctx, ctx.store, repo, p)), G.paginate);
      return { status: 200, body: pg.items, headers: pg.headers };
    }),
    'pulls/get': wrap((ctx) => {
      const repo = repoOf(ctx);
      return { status: 200, body: fullPullShape(ctx, ctx.store, repo, findPull(ctx, repo)), headers: {} };
    }),
    'pulls/list-files': wrap((ctx) => {
      const repo = repoOf(ctx);
      const p = findPull(ctx, repo);
      const files = p.files.slice(0, MAX_FILES_LISTED).map((f) => fileShape(ctx, repo, p, f));
      const pg = page(ctx, files, G.paginate);
      return { status: 200, body: pg.items, headers: pg.headers };
    }),
    'repos/list-pull-requests-associated-with-commit': wrap((ctx) => {
      const repo = repoOf(ctx);
      const sha = String(ctx.params.commit_sha).toLowerCase();
      const list = pullsOf(repo).filter((p) => p.state === 'open' && p.head.sha === sha)
        .sort((a, b) => b.number - a.number);
      const pg = page(ctx, list.map((p) => pullShape(ctx, ctx.store, repo, p)), G.paginate);
      return { status: 200, body: pg.items, headers: pg.headers };
    }),
  };
}

// Pull request ids (GitHub's are above 2^31 today); a counter of our own, reset with the store.
function nextPullId(store) {
  if (store.counters.pull === undefined) store.counters.pull = 2200000000;
  store.counters.pull += 1;
  return store.counters.pull;
}

// POST /_emulator/pulls {repo, number?, title?, state?, head: {repo?, ref, sha}, base: {ref, sha},
// merge_commit_sha?, files: [{filename, status?, additions?, deletions?, patch?, binary?}]}
function seedPull(store, repo, b) {
  const sha = (x) => /^[0-9a-f]{40}$/i.test(String(x || ''));
  if (!b.head || !b.base || !sha(b.head.sha) || !sha(b.base.sha) || !b.head.ref || !b.base.ref) {
    throw new PullsError(400, 'need head {ref, sha} and base {ref, sha} with 40-hex SHAs');
  }
  const list = pullsOf(repo);
  const number = b.number !== undefined ? Number(b.number) : list.reduce((n, p) => Math.max(n, p.number), 0) + 1;
  const existing = list.find((p) => p.number === number);
  const p = {
    id: existing ? existing.id : nextPullId(store),
    number,
    title: b.title || `Pull request ${number}`,
    state: b.state || 'open',
    created_at: existing ? existing.created_at : S.iso(),
    head: { repo: b.head.repo || repo.full_name, ref: b.head.ref, sha: b.head.sha.toLowerCase() },
    base: { repo: repo.full_name, ref: b.base.ref, sha: b.base.sha.toLowerCase() },
    merge_commit_sha: b.merge_commit_sha || null,
    files: Array.isArray(b.files) ? b.files : [],
    // Merged pull requests (lib/compare.js): author login, merge time, the commits it brought.
    user: b.user || null,
    merged_at: b.merged_at || null,
    commits: Array.isArray(b.commits) ? b.commits.map((c) => String(c).toLowerCase()) : [],
  };
  if (existing) Object.assign(existing, p);
  else list.push(p);
  return { number: p.number, head: p.head, base: p.base, files: p.files.length };
}

module.exports = { makeHandlers, seedPull, pullShape, PullsError, MAX_FILES_LISTED };
