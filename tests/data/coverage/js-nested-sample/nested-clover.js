// Writes clover.xml with istanbul-lib-report's 'nested' summarizer (packages inside packages).
const libCoverage = require('istanbul-lib-coverage');
const libReport = require('istanbul-lib-report');
const reports = require('istanbul-reports');
const fs = require('fs');
const path = require('path');
const tmp = process.argv[2];
const map = libCoverage.createCoverageMap({});
for (const f of fs.readdirSync(tmp).filter(n => n.endsWith('.json'))) map.merge(JSON.parse(fs.readFileSync(path.join(tmp, f), 'utf8')));
const context = libReport.createContext({ dir: process.argv[3], coverageMap: map, defaultSummarizer: 'nested' });
reports.create('clover').execute(context);
