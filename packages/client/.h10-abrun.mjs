const A = await import('./ab-old.mjs'), B = await import('./ab-new.mjs');
const BODY = JSON.stringify({ response: { uid: 'x', name: 'bench' } });
const stub = async () => new Response(BODY, { status: 200, headers: { 'Content-Type': 'application/json' } });
const mk = (M) => M.createCloud66Client({ token: 'fake-bench-token', fetch: stub });
const a = mk(A), b = mk(B);
const params = { params: { path: { stack_id: 'x' } } };
const block = async (c) => { globalThis.gc?.(); const s = process.hrtime.bigint(); for (let i = 0; i < 1000; i++) await c.GET('/stacks/{stack_id}', params); return 1000 / (Number(process.hrtime.bigint() - s) / 1e9); };
await block(a); await block(b);
const ratios = [];
for (let r = 0; r < 61; r++) { const [x, y] = r % 2 ? [await block(b), await block(a)].reverse() : [await block(a), await block(b)]; ratios.push(y / x); }
ratios.sort((p, q) => p - q);
console.log('B/A median of 61', ratios[30].toFixed(3), 'quartiles', ratios[15].toFixed(2), ratios[45].toFixed(2));
