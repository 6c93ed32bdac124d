// What the docs' sample tests share: TypeScript type-checking against cloud66-client's source, Go
// and Ruby syntax checks with tree-sitter's WASM grammars (npm only, nothing to install from apt),
// and the official Go client's calls a Go sample makes, checked against the client's exported API
// (test/fixtures/go-client-methods.json, generated from its source).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { Language, Parser } from 'web-tree-sitter';
import { repoRoot } from '../../../../scripts/lib/spec-index.mjs';
import { GO_CLIENT } from '../../src/go-samples.mjs';

const require = createRequire(import.meta.url);

export const GUIDES_DIR = fileURLToPath(new URL('../../guides/', import.meta.url));

/** A guide: its front matter and its fenced blocks, each with the ```text block after it (its output). */
export function readGuide(name) {
  const source = readFileSync(join(GUIDES_DIR, name), 'utf8');
  const front = /^---\n([\s\S]*?)\n---\n/.exec(source);
  const offset = front ? front[0].split('\n').length - 1 : 0;
  const fences = new MarkdownIt().parse(front ? source.slice(front[0].length) : source, {}).filter((t) => t.type === 'fence');
  const blocks = fences.map((t, i) => ({ lang: t.info.trim().split(/\s+/)[0], code: t.content, line: t.map[0] + 1 + offset, output: fences[i + 1]?.info.trim() === 'text' ? fences[i + 1].content : undefined }));
  return { name, slug: name.replace(/\.md$/, ''), meta: front ? parseYaml(front[1]) : undefined, blocks };
}
export const readGuides = () => readdirSync(GUIDES_DIR).filter((f) => f.endsWith('.md')).sort().map(readGuide);

let previous; // the last program: a second check reuses its parsed files (the client's source)
/** Type-checks TypeScript sources (name -> source) as modules importing `cloud66-client`; the diagnostics. */
export function typecheck(files, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const paths = Object.entries(files).map(([name, source]) => {
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, source);
    return file;
  });
  const program = ts.createProgram(paths, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(repoRoot, 'packages/client/node_modules/@types')],
    baseUrl: repoRoot,
    paths: { 'cloud66-client': ['packages/client/src/index.ts'] },
  }, undefined, previous);
  previous = program;
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

let parsers;
/** Tree-sitter parsers for Go and Ruby, from tree-sitter-wasms' prebuilt grammars. */
export async function loadParsers() {
  if (parsers) return parsers;
  await Parser.init();
  const grammar = (name) => Language.load(require.resolve(`tree-sitter-wasms/out/tree-sitter-${name}.wasm`));
  const [go, ruby] = await Promise.all([grammar('go'), grammar('ruby')]);
  const parser = (language) => {
    const p = new Parser();
    p.setLanguage(language);
    return p;
  };
  parsers = { go: parser(go), ruby: parser(ruby) };
  return parsers;
}

/** The syntax errors of a source: each ERROR or MISSING node as "line:column what". */
export function syntaxErrors(parser, source) {
  const tree = parser.parse(source);
  const errors = [];
  const visit = (node) => {
    if (node.isError || node.isMissing) errors.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1} ${node.isMissing ? `missing ${node.type}` : `unexpected ${JSON.stringify(node.text.slice(0, 40))}`}`);
    else if (node.hasError) for (const child of node.children) visit(child);
  };
  visit(tree.rootNode);
  tree.delete();
  return errors;
}

/**
 * What a Go sample uses of the official client, checked against its exported API: each
 * `client.Name(args)` must be a method taking that many arguments, each `cloud66.Name` an exported
 * function or type. The problems, empty when all is well.
 */
export function goClientProblems(parser, source) {
  const tree = parser.parse(source);
  const problems = [];
  const visit = (node) => {
    if (node.type === 'call_expression') {
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments');
      if (fn?.type === 'selector_expression' && fn.childForFieldName('operand')?.text === 'client') {
        const name = fn.childForFieldName('field').text;
        const method = GO_CLIENT.methods[name];
        const count = args.namedChildren.filter((n) => n.type !== 'comment').length;
        if (!method) problems.push(`client.${name}: the Go client has no such method`);
        else if (method.params.length !== count) problems.push(`client.${name}: ${count} arguments, the Go client's takes ${method.params.length} (${method.cite})`);
      }
    }
    if ((node.type === 'qualified_type' || node.type === 'selector_expression') && node.text.startsWith('cloud66.')) {
      const name = node.text.slice('cloud66.'.length);
      if (!GO_CLIENT.types[name] && !GO_CLIENT.functions[name]) problems.push(`cloud66.${name}: not exported by the Go client`);
    }
    for (const child of node.namedChildren) visit(child);
  };
  visit(tree.rootNode);
  tree.delete();
  return problems;
}
