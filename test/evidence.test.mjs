// The description against everything public that shows the API v3 today (the census in
// ../shared/evidence): every current endpoint Cloud 66's docs show is described; every one only the
// official Go client shows is described or left out in spec/ERRATA.md with its reason; every
// operation names its sources (x-evidence), exactly as the census cites them.
import { describe, expect, test } from 'vitest';
import { censusKey, loadCensus } from '../scripts/lib/census.mjs';
import { coverage, leftOutEndpoints } from '../scripts/lib/coverage.mjs';
import { writeEvidence } from '../scripts/evidence.mjs';
import { loadBundle, operations } from './support/openapi.mjs';

const doc = loadBundle();
const census = loadCensus();
const cover = coverage(doc, census);
const name = (e) => `${e.method} ${e.path}`;

describe('coverage of the census', () => {
  test('every current endpoint that Cloud 66\'s docs show is described', () => {
    expect(cover.docs.length).toBe(138);
    expect(cover.docs.filter((e) => !e.described).map(name)).toEqual([]);
  });

  test('every current endpoint only the official Go client shows is described, or left out with its reason', () => {
    expect(cover.goOnly.length).toBe(37);
    expect(cover.goOnly.filter((e) => !e.described && !e.leftOut).map(name)).toEqual([]);
  });

  test('an endpoint left out is not also described, and names a census endpoint', () => {
    const keys = new Set(census.map((e) => censusKey(e.method, e.path)));
    const described = new Set(operations(doc).map((op) => censusKey(op.method, op.path)));
    for (const [key, id] of leftOutEndpoints()) {
      expect(keys.has(key), `${id}: ${key} is not in the census`).toBe(true);
      expect(described.has(key), `${id}: ${key} is left out but described`).toBe(false);
    }
  });
});

describe('x-evidence', () => {
  test('every operation names its sources: repo, file, commit, date and line', () => {
    const missing = operations(doc).filter((op) => !op.operation['x-evidence']?.length).map((op) => op.operation.operationId);
    expect(missing).toEqual([]);
    for (const op of operations(doc)) {
      for (const source of op.operation['x-evidence']) {
        expect(source, op.operation.operationId).toMatchObject({ repo: expect.stringMatching(/^[\w.-]+\/[\w.-]+$|^seeds$/), file: expect.any(String), line: expect.any(String) });
        if (source.repo !== 'seeds') expect(source.commit, op.operation.operationId).toMatch(/^[0-9a-f]{40}$/);
      }
    }
  });

  test('the x-evidence in spec/ matches the census (node scripts/evidence.mjs writes it)', () => {
    const { changed, unlisted } = writeEvidence({ check: true });
    expect(changed).toEqual([]);
    expect(unlisted).toEqual([]);
  });
});

test('every path accepts the X-Account header the official client sends to choose an account (cloud66.go:154-156)', () => {
  const missing = Object.entries(doc.paths).filter(([, item]) => !(item.parameters ?? []).some((p) => p.$ref === '#/components/parameters/XAccount')).map(([path]) => path);
  expect(missing).toEqual([]);
  expect(doc.components.parameters.XAccount).toMatchObject({ name: 'X-Account', in: 'header', required: false });
});
