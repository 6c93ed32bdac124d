// `pnpm bench`: prints the performance figures each part of the toolchain has a goal for.
import { benchClient } from './bench/client.mjs';
import { benchDocs } from './bench/docs.mjs';
import { benchMock } from './bench/mock.mjs';
import { benchSandbox } from './bench/sandbox.mjs';

console.log(`cloud66-openapi benchmarks  (node ${process.version}, ${process.platform}/${process.arch})`);
await benchClient();
await benchMock();
await benchSandbox();
await benchDocs();
