// Every JSON example of Cloud 66's three docs repositories (api-content, developers.cloud66.com,
// help-api, at their newest commits), written down verbatim with its file and line in
// test/fixtures/docs-examples/, validates against the operation it documents; none documents an
// endpoint the description lacks. A repaired example says which punctuation was repaired.
import { describe, expect, test } from 'vitest';
import { DOCS_REPOS } from '../scripts/lib/census.mjs';
import { checkDocsExamples, loadDocsExamples } from './support/docs-examples.mjs';
import { loadBundle } from './support/openapi.mjs';

const doc = loadBundle();
const entries = loadDocsExamples();

describe('Cloud 66 docs examples', () => {
  test('each is cited: a docs repository, a file, a commit and a line', () => {
    expect(entries.length).toBeGreaterThan(100);
    for (const e of entries) {
      expect(DOCS_REPOS, `${e.fixture}: ${e.repo}`).toContain(e.repo);
      expect(e.commit, e.file).toMatch(/^[0-9a-f]{40}$/);
      expect(Number.isInteger(e.line) && e.line > 0, `${e.file}: line ${e.line}`).toBe(true);
      expect(['request', 'response'], e.file).toContain(e.kind);
      expect(e, `${e.file}:${e.line} is set aside instead of validated`).not.toHaveProperty('misfiled');
      expect(e.repair === null || (typeof e.repair === 'string' && e.repair.length > 10), `${e.file}:${e.line} repair`).toBe(true);
    }
  });

  test('every one validates against its operation (0 failures, 0 for an undescribed endpoint)', () => {
    const problems = checkDocsExamples(doc, entries).map((p) => p.problem);
    expect(problems).toEqual([]);
  });

  test('the check fails on a wrong example (it is not vacuous)', () => {
    const wrong = { repo: 'cloud66/api-content', file: 'x.mdx', commit: '0'.repeat(40), line: 1, method: 'GET', path: '/stacks', kind: 'response', status: 200, repair: null, example: { response: 'not a list' } };
    const nowhere = { ...wrong, path: '/no/such/endpoint', example: {} };
    expect(checkDocsExamples(doc, [wrong, nowhere])).toHaveLength(2);
  });
});
