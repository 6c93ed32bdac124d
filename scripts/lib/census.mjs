// The census of the API v3 as public sources show it (../shared/evidence/api-v3-endpoints.json: every
// endpoint with its citations), and the dates of the commits it cites (read with `git show -s
// --format=%cs <commit>` in each repository), so evidence can say how old a shape is.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './spec-index.mjs';

export const CENSUS_PATH = join(repoRoot, '../shared/evidence/api-v3-endpoints.json');

export const COMMIT_DATES = {
  '552c0163923908732a16956ead9dd8df21ef86bc': '2014-08-15',
  '3601e7a2bef2e580a31f876f2625de7febfe8c68': '2014-12-12',
  '6dd75dafcfe83a446e7b42f8d48b11e7bb486bcd': '2015-03-12',
  'c24f0c2e01a76c27819445bb62d604be67a45fcb': '2016-01-05',
  '5aba7412fb679125f8c59e31c2745c8fdd247a1d': '2016-01-08',
  'a6cb40d9830a657f2d3338f88f9ebc9e28527822': '2016-01-29',
  'd378ceb53dce3979fd335f646b895b17e6ead0ef': '2018-11-15',
  '1ce453fd4964e3be7cfb4781f6b4640c01f83051': '2019-05-17',
  '8edc4b97aedb99c3bccd85864c691366574f853c': '2019-12-12',
  'd7fbf3151a3a9ab1cfcc4cb805d8f4314cfd6c6f': '2020-02-17',
  'b639c9e822f777779bab80f52b7e52fbc033bd0f': '2020-03-16',
  'aa2d78dfd009b4140ea1cb0b0f9f97d5f83ed64a': '2020-04-28',
  '85f0a605168b9b66d1f549417ea7c0d88fab844c': '2020-06-23',
  '976a627d15cc7fe60f0f21bb4ea17d7da9ee15f5': '2020-06-24',
  'f8579f5354816956334007d3857cf0ca399ee240': '2020-07-14',
  '30705eb3b17a236d9ceb7206355c4a7def924e1f': '2021-11-26',
  'c0f8c9011f77fcac44abc012be72cd99026a6349': '2021-12-03',
  'dde882ddd94845810a0a703f3d5b348b895c85e5': '2021-12-08',
  '29229c1df7689db55362016190b8bd6174c9e9bb': '2021-12-13',
  'e82209c3014772a6b609ee2411ab71af07332d89': '2021-12-15',
  'b4d924a8fe4fae4998546c4ac4f3ffaea6bfbc1d': '2022-02-26',
  '7553d3fe22045d0a7f47c7986e17b193872dcd2b': '2022-03-05',
  'ef518c5b604513fa988047ed6dfd5434cff0f723': '2023-01-24',
  '61ff4b54c67563bb6f9932de8d5c15ab0e05ade5': '2023-07-05',
  '8ff42bf62d79e1394c6149cbc8f929ee8e1fbba6': '2023-09-16',
  '9da79d2b0e274eff5d2c86da8cea29c8b9d80234': '2024-03-07',
  'ac4ab367b8777363fcfef27fb812a71d59ce947b': '2025-09-03',
  'f76f3f542c658eb1a602f98b6de7773252caab4c': '2025-09-03',
  'd6e176c5b4a7af1bf9b6481f5894bd8785ab9599': '2025-09-04',
  '7754813ac435e39396d851ab742aa97f0573ffdf': '2026-05-21',
};

/** Every endpoint of the census: { method, path, sources[], evidence_status, group, ... }. */
export function loadCensus(file = CENSUS_PATH) {
  if (!existsSync(file)) throw new Error(`${file}: the census is missing (a checkout of the shared evidence beside the repository)`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** One key per endpoint whatever its parameters are called: `GET /stacks/{}/jobs/{}`. */
export const censusKey = (method, path) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`;

/** The repositories whose newest version is documentation by Cloud 66 (the rest is client code). */
export const DOCS_REPOS = ['cloud66/api-content', 'cloud-66-internal/developers.cloud66.com', 'cloud66/help-api'];
