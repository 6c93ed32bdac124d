// The guide sections of the site: the description's short introduction, then spec/guides.md (its ##
// sections become top-level menu entries, the last one the differences from Cloud 66's own docs, for
// API users; the evidence stays in the repository's ERRATA.md) and a client quick start. The
// description keeps its own info.description short (generators copy it into every file they write).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// spec/guides.md is the repository's, not the description's: the docs site is built in the repository.
const GUIDES = fileURLToPath(new URL('../../../spec/guides.md', import.meta.url));

const promote = (markdown) => markdown.replace(/^(#{2,4}) /gm, (_, hashes) => `${hashes.slice(1)} `);

const CLIENT_QUICK_START = `# Client quick start

The TypeScript client \`cloud66-client\` (in this repository's \`packages/client\`) is typed by this description:
every path, parameter, body and response. Every operation below has a TypeScript sample next to its curl command.

\`\`\`ts
import { createCloud66, unwrap } from 'cloud66-client';

const c66 = createCloud66({ token: process.env.CLOUD66_TOKEN! });

// A typed call: { data, error, response, rateLimit }
const { data, error, rateLimit } = await c66.GET('/stacks');
if (error) throw error; // Cloud66ApiError with status, error, error_description, details

// Every page of a list (follows pagination.next)
for await (const stack of c66.paginate('/stacks')) console.log(stack.uid, stack.name);

// Start an asynchronous action, then wait for it (polls every 15 s for up to 10 minutes)
const started = await unwrap(c66.POST('/stacks/{stack_id}/actions', {
  params: { path: { stack_id: '5999b763474b0eafa5fafb64bff0ba80' } },
  body: { command: 'restart' },
}));
const finished = await c66.waitForAction('5999b763474b0eafa5fafb64bff0ba80', started.response.id);
\`\`\`

Throttled (\`503 throttled\`) and timed-out reads are retried with backoff; a \`POST\` that may have reached the server is
never repeated. Try it without an account against the mock: \`pnpm mock\`, then
\`createCloud66({ token: 'any-token', baseUrl: 'http://127.0.0.1:4010' })\`, or the *Try it* button of any operation
on this page.
`;

const ERRATA_URL = 'https://github.com/cloud66-openapi/cloud66-openapi/blob/main/spec/ERRATA.md';
/** Repository paths mean nothing to a reader of the site: link the errata, point at the guides below. */
const forReaders = (markdown) => markdown.replace(/`spec\/ERRATA\.md`/g, `the [errata](${ERRATA_URL})`).replace(/The guides \(`spec\/guides\.md`\) explain/g, 'The guides below explain');

export function guides(introduction) {
  const guide = readFileSync(GUIDES, 'utf8').replace(/^# .*\n+[\s\S]*?(?=^## )/m, '');
  return [forReaders(introduction.trim()), promote(forReaders(guide)), CLIENT_QUICK_START].join('\n\n');
}
