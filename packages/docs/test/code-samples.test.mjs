// Every code sample of the site: curl, TypeScript, Go and Ruby for each request example. The
// TypeScript ones type-check against the client (and a broken one would not): they are compiled as
// modules importing `cloud66-client` from packages/client/src. The Go and Ruby ones parse without a
// syntax error (tree-sitter), and every Go client function a Go sample calls exists in the official
// client with that many parameters (test/fixtures/go-client-methods.json, from its source).
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../../../scripts/lib/spec-index.mjs';
import { loadBundle, operations } from '../../../test/support/openapi.mjs';
import { bodyVariants, codeSamplesFor, withCodeSamples } from '../src/code-samples.mjs';
import { goFunctionFor, GO_CLIENT } from '../src/go-samples.mjs';
import { goClientProblems, loadParsers, readGuides, syntaxErrors, typecheck } from './support/samples.mjs';

const doc = loadBundle();
const site = withCodeSamples(doc);
const dir = join(repoRoot, 'test-output/code-samples');
const LANGS = ['Shell', 'TypeScript', 'Go', 'Ruby'];
const samplesOf = (lang) => operations(site).flatMap((op) => op.operation['x-codeSamples'].filter((s) => s.lang === lang).map((s) => ({ name: `${op.operation.operationId} ${s.label}`, op, source: s.source })));

let parsers;
beforeAll(async () => {
  parsers = await loadParsers();
});

describe('code samples', () => {
  test('every operation has a curl, TypeScript, Go and Ruby sample per request example, each sending that example', () => {
    for (const op of operations(site)) {
      const samples = op.operation['x-codeSamples'];
      const variants = bodyVariants(doc, op);
      expect(samples.map((s) => s.lang), op.operation.operationId).toEqual(variants.flatMap(() => LANGS));
      // A body is the operation's own example, never an empty object where the description has examples.
      for (const [i, { body }] of variants.entries()) {
        if (body === undefined) continue;
        expect(body, op.operation.operationId).not.toEqual({});
        expect(samples[LANGS.length * i].source, op.operation.operationId).toContain(`-d '${JSON.stringify(body).replace(/'/g, `'\\''`)}'`);
      }
    }
    // createBackup: one set per oneOf variant, labelled.
    const backup = operations(site).find((o) => o.operation.operationId === 'createBackup').operation['x-codeSamples'];
    expect(backup.map((s) => s.label)).toEqual(
      ['A new backup task (New Backup)', 'Import an external backup (Import Backup)'].flatMap((variant) => ['curl', 'TypeScript (cloud66-client)', 'Go (cloud66-oss/cloud66)', 'Ruby (oauth2)'].map((lang) => `${lang} — ${variant}`)),
    );
  });

  test("every TypeScript sample, and every guide's TypeScript block, type-checks against cloud66-client", () => {
    const files = Object.fromEntries(operations(doc).flatMap((op) => codeSamplesFor(doc, op).filter((s) => s.lang === 'TypeScript').map((s, i) => [`${op.operation.operationId}${i ? `-${i}` : ''}`, s.source])));
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(175);
    // One program for both: type-checking the client's source is most of the cost.
    const guideBlocks = readGuides().flatMap((g) => g.blocks.filter((b) => b.lang === 'ts').map((b) => [`guide-${g.slug}-${b.line}`, b.code]));
    expect(guideBlocks.length).toBeGreaterThanOrEqual(5);
    Object.assign(files, Object.fromEntries(guideBlocks));
    expect(typecheck(files, dir)).toEqual([]);
  }, 120_000);

  test('the check catches a sample that does not fit the client', () => {
    const op = operations(doc).find((o) => o.operation.operationId === 'runStackAction');
    const broken = codeSamplesFor(doc, op)
      .find((s) => s.lang === 'TypeScript')
      .source.replace(/command: '[a-z_]+'/, "command: 'reboot'");
    const errors = typecheck({ broken }, dir);
    expect(errors.join('\n')).toMatch(/reboot/);
  }, 120_000);
});

describe('Go samples (github.com/cloud66-oss/cloud66)', () => {
  test('every Go sample parses, and calls only functions the Go client has, with their arity', () => {
    const samples = samplesOf('Go');
    expect(samples.length).toBeGreaterThanOrEqual(175);
    const problems = samples.flatMap(({ name, source }) => [...syntaxErrors(parsers.go, source), ...goClientProblems(parsers.go, source)].map((p) => `${name}: ${p}`));
    expect(problems).toEqual([]);
  });

  test("an operation the Go client has a function for calls that function; any other says it has none and uses APIReq", () => {
    let withFunction = 0;
    for (const { op, source } of samplesOf('Go')) {
      const fn = goFunctionFor(op.operation.operationId);
      if (fn) {
        withFunction++;
        expect(fn.calls, fn.name).toContain(op.operation.operationId);
        expect(source, op.operation.operationId).toContain(`client.${fn.name}(`);
        expect(source).toContain(`${fn.name}: cloud66-oss/cloud66 ${fn.cite}`);
      } else {
        expect(source, op.operation.operationId).toContain(`The Go client has no function for ${op.method.toUpperCase()} ${op.path}`);
        expect(source).toContain('client.APIReq(&result, ');
      }
    }
    // At HEAD the client requests 114 described operations; the samples use a function for each.
    expect(withFunction).toBeGreaterThanOrEqual(130);
    const redeploy = samplesOf('Go').find((s) => s.op.operation.operationId === 'redeployStack').source;
    expect(redeploy).toContain('client.RedeployStack("5999b763474b0eafa5fafb64bff0ba80", "a_git_tag_or_hash", "", "", nil, nil, nil)');
  });

  test('the checks catch a syntax error, an unknown function and a wrong arity', () => {
    const sample = samplesOf('Go').find((s) => s.op.operation.operationId === 'getStack').source;
    expect(syntaxErrors(parsers.go, sample.replace('if err != nil {', 'if err != nil'))).not.toEqual([]);
    expect(goClientProblems(parsers.go, sample.replace('client.FindStackByUid(', 'client.FindStack('))).toEqual(['client.FindStack: the Go client has no such method']);
    expect(goClientProblems(parsers.go, sample.replace('FindStackByUid("5999b763474b0eafa5fafb64bff0ba80")', 'FindStackByUid("a", "b")'))[0]).toMatch(/2 arguments, the Go client's takes 1 \(stack\.go:\d+\)/);
    expect(goClientProblems(parsers.go, sample.replace('cloud66.Client{', 'cloud66.Klient{'))).toEqual(['cloud66.Klient: not exported by the Go client']);
  });

  test('the fixture names the Go client commit it was read at, and a source line for every method', () => {
    expect(GO_CLIENT.source).toEqual(expect.objectContaining({ repo: 'cloud66-oss/cloud66', commit: expect.stringMatching(/^[0-9a-f]{40}$/) }));
    for (const [name, method] of Object.entries(GO_CLIENT.methods)) expect(method.cite, name).toMatch(/^[\w-]+\.go:\d+$/);
    expect(GO_CLIENT.methods.RedeployStack.params.map((p) => p.type)).toEqual(['string', 'string', 'string', 'string', '*string', '*int', '[]string']);
  });
});

describe('Ruby samples (oauth2 gem)', () => {
  test('every Ruby sample parses and calls the API with an OAuth2::AccessToken', () => {
    const samples = samplesOf('Ruby');
    expect(samples.length).toBeGreaterThanOrEqual(175);
    const problems = samples.flatMap(({ name, source }) => syntaxErrors(parsers.ruby, source).map((p) => `${name}: ${p}`));
    expect(problems).toEqual([]);
    for (const { op, source } of samples) {
      expect(source).toContain("token = OAuth2::AccessToken.new(client, ENV['CLOUD66_TOKEN'])");
      expect(source, op.operation.operationId).toMatch(new RegExp(`token\\.${op.method}\\(\\s*'https://app\\.cloud66\\.com/api/3/`));
    }
  });

  test('the check catches a Ruby syntax error', () => {
    const sample = samplesOf('Ruby').find((s) => s.op.operation.operationId === 'runStackAction').source;
    expect(syntaxErrors(parsers.ruby, sample.replace('}.to_json', '.to_json'))).not.toEqual([]);
  });
});
