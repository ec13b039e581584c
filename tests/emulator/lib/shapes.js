'use strict';
// Builders for schema-shaped GitHub objects (users, repositories, apps, ...).

const crypto = require('crypto');

const HTML = 'http://github.example';

function iso(ms) {
  return new Date(ms === undefined ? Date.now() : ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function nodeId(type, id) {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64').replace(/=+$/, '');
}

function fakeSha(...parts) {
  return crypto.createHash('sha1').update(parts.join('\0')).digest('hex');
}

function user(base, login, id, type = 'User') {
  const u = `${base}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: nodeId(type === 'Bot' ? 'Bot' : 'User', id),
    avatar_url: `${HTML}/avatars/u/${id}?v=4`,
    gravatar_id: '',
    url: u,
    html_url: `${HTML}/${encodeURIComponent(login)}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

function botUser(base) {
  return user(base, 'github-actions[bot]', 41898282, 'Bot');
}

function app(base) {
  return {
    id: 15368,
    slug: 'github-actions',
    node_id: 'MDM6QXBwMTUzNjg=',
    client_id: 'Iv1.05c79e9ad1f6bdfa',
    owner: user(base, 'github', 9919, 'Organization'),
    name: 'GitHub Actions',
    description: 'Automate your workflow from idea to production',
    external_url: `${HTML}/features/actions`,
    html_url: `${HTML}/apps/github-actions`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2024-04-10T20:33:16Z',
    permissions: {
      actions: 'write', checks: 'write', contents: 'write', deployments: 'write',
      issues: 'write', metadata: 'read', pull_requests: 'write', statuses: 'write',
    },
    events: ['check_run', 'check_suite', 'workflow_dispatch'],
  };
}

function minimalRepository(base, repo) {
  const r = `${base}/repos/${repo.owner}/${repo.name}`;
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: user(base, repo.owner, repo.owner_id, 'Organization'),
    private: false,
    html_url: `${HTML}/${repo.owner}/${repo.name}`,
    description: null,
    fork: false,
    url: r,
    archive_url: `${r}/{archive_format}{/ref}`,
    assignees_url: `${r}/assignees{/user}`,
    blobs_url: `${r}/git/blobs{/sha}`,
    branches_url: `${r}/branches{/branch}`,
    collaborators_url: `${r}/collaborators{/collaborator}`,
    comments_url: `${r}/comments{/number}`,
    commits_url: `${r}/commits{/sha}`,
    compare_url: `${r}/compare/{base}...{head}`,
    contents_url: `${r}/contents/{+path}`,
    contributors_url: `${r}/contributors`,
    deployments_url: `${r}/deployments`,
    downloads_url: `${r}/downloads`,
    events_url: `${r}/events`,
    forks_url: `${r}/forks`,
    git_commits_url: `${r}/git/commits{/sha}`,
    git_refs_url: `${r}/git/refs{/sha}`,
    git_tags_url: `${r}/git/tags{/sha}`,
    hooks_url: `${r}/hooks`,
    issue_comment_url: `${r}/issues/comments{/number}`,
    issue_events_url: `${r}/issues/events{/number}`,
    issues_url: `${r}/issues{/number}`,
    keys_url: `${r}/keys{/key_id}`,
    labels_url: `${r}/labels{/name}`,
    languages_url: `${r}/languages`,
    merges_url: `${r}/merges`,
    milestones_url: `${r}/milestones{/number}`,
    notifications_url: `${r}/notifications{?since,all,participating}`,
    pulls_url: `${r}/pulls{/number}`,
    releases_url: `${r}/releases{/id}`,
    stargazers_url: `${r}/stargazers`,
    statuses_url: `${r}/statuses/{sha}`,
    subscribers_url: `${r}/subscribers`,
    subscription_url: `${r}/subscription`,
    tags_url: `${r}/tags`,
    teams_url: `${r}/teams`,
    trees_url: `${r}/git/trees{/sha}`,
  };
}

function fullRepository(base, repo) {
  const m = minimalRepository(base, repo);
  return Object.assign(m, {
    git_url: `git://github.example/${repo.owner}/${repo.name}.git`,
    ssh_url: `git@github.example:${repo.owner}/${repo.name}.git`,
    clone_url: `${HTML}/${repo.owner}/${repo.name}.git`,
    svn_url: `${HTML}/${repo.owner}/${repo.name}`,
    mirror_url: null,
    homepage: null,
    language: 'C++',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: repo.default_branch,
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'public',
    pushed_at: repo.created_at,
    created_at: repo.created_at,
    updated_at: repo.created_at,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    network_count: 0,
    subscribers_count: 0,
  });
}

module.exports = { HTML, iso, nodeId, fakeSha, user, botUser, app, minimalRepository, fullRepository };
