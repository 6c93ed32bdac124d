// Compile-time checks: run by `vitest --typecheck`; a line marked @ts-expect-error that compiles fails the run.
import { describe, expectTypeOf, test } from 'vitest';
import {
  createCloud66,
  createCloud66Client,
  type AsyncAction,
  type Cloud66ApiError,
  type Cloud66Error,
  type Cloud66ForbiddenError,
  type Cloud66ThrottledError,
  type Deployment,
  type DeploymentEnvelope,
  type DeploymentsResource,
  type ListItem,
  type RateLimit,
  type RedeployResult,
  type Result,
  type RunStackActionRequest,
  type Schemas,
  type Server,
  type ServerPage,
  type ServersResource,
  type Stack,
  type StackEnvelope,
  type StacksResource,
  type Waited,
} from '../src/index.js';

const c66 = createCloud66({ token: 'fake-token' });

describe('typed calls', () => {
  test('responses are typed by the operation', async () => {
    const { data, error, rateLimit } = await c66.GET('/stacks');
    if (data) expectTypeOf(data.response).toEqualTypeOf<Schemas['Stack'][]>();
    if (data) expectTypeOf(data.pagination).toEqualTypeOf<Schemas['Pagination']>();
    if (error) expectTypeOf(error).toEqualTypeOf<Cloud66ApiError>();
    expectTypeOf(rateLimit).toEqualTypeOf<RateLimit | undefined>();

    const stack = await c66.GET('/stacks/{stack_id}', { params: { path: { stack_id: 'abc' } } });
    if (stack.data) expectTypeOf(stack.data.response.status).toEqualTypeOf<Schemas['StackStatus']>();
  });

  test('checking error narrows data, as the README shows', async () => {
    const { data, error } = await c66.GET('/stacks/{stack_id}/servers', { params: { path: { stack_id: 'abc' }, query: { page: 2 } } });
    if (error) throw error;
    expectTypeOf(data.response).toEqualTypeOf<Schemas['Server'][]>();
  });

  test('path parameters are required and typed', () => {
    // @ts-expect-error stack_id is missing
    void c66.GET('/stacks/{stack_id}', { params: { path: {} } });
    // @ts-expect-error the init with the path parameters is missing altogether
    void c66.GET('/stacks/{stack_id}');
    // @ts-expect-error id of an action is an integer
    void c66.GET('/stacks/{stack_id}/actions/{action_id}', { params: { path: { stack_id: 'abc', action_id: 'one' } } });
  });

  test('query parameters are typed', () => {
    void c66.GET('/stacks/{stack_id}/containers', { params: { path: { stack_id: 'abc' }, query: { server_uid: 'srv', page: 2 } } });
    // @ts-expect-error page is a number
    void c66.GET('/stacks', { params: { query: { page: 'two' } } });
  });

  test('request bodies are typed', () => {
    void c66.POST('/stacks/{stack_id}/actions', { params: { path: { stack_id: 'abc' } }, body: { command: 'restart' } });
    // @ts-expect-error not a stack command
    void c66.POST('/stacks/{stack_id}/actions', { params: { path: { stack_id: 'abc' } }, body: { command: 'reboot' } });
    // @ts-expect-error the body is required
    void c66.POST('/stacks/{stack_id}/actions', { params: { path: { stack_id: 'abc' } } });
    // @ts-expect-error service_yaml is required by createStack
    void c66.POST('/stacks', { body: { name: 'n', environment: 'production' } });
  });

  test('unknown paths and methods do not compile', () => {
    // @ts-expect-error no such path
    void c66.GET('/stackz');
    // @ts-expect-error /clouds has no POST
    void c66.POST('/clouds', { body: {} });
  });
});

describe('helpers', () => {
  test('paginate and listAll yield the list item type, and only take list paths', async () => {
    for await (const server of c66.paginate('/stacks/{stack_id}/servers', { params: { path: { stack_id: 'abc' } } })) {
      expectTypeOf(server).toEqualTypeOf<Schemas['Server']>();
    }
    expectTypeOf(c66.listAll('/stacks')).resolves.toEqualTypeOf<Schemas['Stack'][]>();
    expectTypeOf<ListItem<'/stacks/{stack_id}/deployments'>>().toEqualTypeOf<Schemas['Deployment']>();
    // @ts-expect-error a single stack is not a list
    void c66.listAll('/stacks/{stack_id}', { params: { path: { stack_id: 'abc' } } });
  });

  test('waitForAction resolves with the action', () => {
    expectTypeOf(c66.waitForAction('abc', 1)).resolves.toEqualTypeOf<Schemas['AsyncAction']>();
    // @ts-expect-error action ids are numbers
    void c66.waitForAction('abc', '1');
  });
});

describe('operation methods', () => {
  test('results are exactly what the path call gives as data', async () => {
    const path = { params: { path: { stack_id: 'abc' } } };
    expectTypeOf(await c66.stacks.get('abc')).toEqualTypeOf((await c66.GET('/stacks/{stack_id}', path)).data!);
    expectTypeOf(await c66.stacks.list()).toEqualTypeOf((await c66.GET('/stacks')).data!);
    expectTypeOf(await c66.servers.get('abc', 'srv')).toEqualTypeOf((await c66.GET('/stacks/{stack_id}/servers/{server_uid}', { params: { path: { stack_id: 'abc', server_uid: 'srv' } } })).data!);
    expectTypeOf(await c66.containers.get('abc', 'c1')).toEqualTypeOf((await c66.GET('/stacks/{stack_id}/containers/{container_uid}', { params: { path: { stack_id: 'abc', container_uid: 'c1' } } })).data!);
    const created = await c66.environmentVariables.create('abc', { key: 'A', value: 'b' });
    expectTypeOf(created).toEqualTypeOf((await c66.POST('/stacks/{stack_id}/environments', { ...path, body: { key: 'A', value: 'b' } })).data!);
    // A redeploy's answer, plus what `{ wait }` adds (the action or the deployment it waited for).
    expectTypeOf(await c66.deployments.redeploy('abc')).toEqualTypeOf<NonNullable<(Awaited<ReturnType<typeof c66.POST<'/stacks/{stack_id}/deployments', typeof path>>>)['data']> & Waited>();
    // and they are the description's schemas
    // AsyncAction is a union (running | finished), which toEqualTypeOf's deep brand cannot compare: assignable both ways.
    // (A variable write answers an action or, in an older documented shape, the variable: a union.)
    const ran = await c66.stacks.runAction('abc', { command: 'restart' });
    const asSchema: Schemas['AsyncAction'] = ran.response;
    const fromSchema: typeof ran.response = asSchema;
    void fromSchema;
    expectTypeOf((await c66.stacks.list()).response).toEqualTypeOf<Schemas['Stack'][]>();
  });

  test('path parameters are positional, typed and required', () => {
    expectTypeOf(c66.stacks.getAction).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(c66.stacks.getAction).parameter(1).toEqualTypeOf<number>();
    // @ts-expect-error the action id is an integer
    void c66.stacks.getAction('abc', 'one');
    // @ts-expect-error the stack id is required
    void c66.stacks.get();
  });

  test('bodies are typed, required where the description requires them', () => {
    expectTypeOf(c66.stacks.runAction).parameter(1).toEqualTypeOf<Schemas['RunStackActionRequest']>();
    // @ts-expect-error the environment variable body is required
    void c66.environmentVariables.create('abc');
    // @ts-expect-error unknown body fields do not compile
    void c66.environmentVariables.create('abc', { key: 'A', value: 'b', colour: 'red' });
    void c66.deployments.redeploy('abc'); // optional body
  });

  test('query parameters are typed in the options', () => {
    void c66.services.list('abc', { query: { server_uid: 'srv', page: 2 } });
    // @ts-expect-error page is an integer
    void c66.services.list('abc', { query: { page: 'two' } });
    // @ts-expect-error getStack has no query parameters
    void c66.stacks.get('abc', { query: { page: 1 } });
  });

  test('list methods iterate every item with .all(); only action methods take wait', async () => {
    for await (const server of c66.servers.list.all('abc')) expectTypeOf(server).toEqualTypeOf<Schemas['Server']>();
    expectTypeOf(c66.stacks.list.all()).toEqualTypeOf<AsyncGenerator<Schemas['Stack'], void, undefined>>();
    void c66.stacks.runAction('abc', { command: 'restart' }, { wait: { intervalMs: 1000 } });
    // @ts-expect-error a read does not start an action
    void c66.stacks.get('abc', { wait: true });
  });

  test('operations with an empty answer resolve to undefined', () => {
    expectTypeOf(c66.users.deleteDevice(1, 'tok')).resolves.toEqualTypeOf<undefined>();
  });

  test('the core client has no methods or helpers: they come with createCloud66', () => {
    const core = createCloud66Client({ token: 'fake-token' });
    // @ts-expect-error operation methods are not on the core
    void core.stacks;
    // @ts-expect-error helpers are not on the core
    void core.paginate;
  });
});

describe('named models and plain signatures (3.0)', () => {
  test('every schema is exported by name, as the description has it', () => {
    expectTypeOf<Stack>().toEqualTypeOf<Schemas['Stack']>();
    expectTypeOf<Server>().toEqualTypeOf<Schemas['Server']>();
    expectTypeOf<Deployment>().toEqualTypeOf<Schemas['Deployment']>();
    expectTypeOf<AsyncAction>().toEqualTypeOf<Schemas['AsyncAction']>();
    expectTypeOf<RedeployResult>().toEqualTypeOf<Schemas['RedeployResult']>();
  });

  test('methods take plain parameters and answer named models (what a hover shows)', () => {
    // The parameters are `string` / `number`, and the answers named envelopes, not PathParam<...> / Result<...>.
    expectTypeOf<Parameters<StacksResource['get']>[0]>().toEqualTypeOf<string>();
    expectTypeOf<ReturnType<StacksResource['get']>>().toEqualTypeOf<Promise<StackEnvelope>>();
    expectTypeOf<ReturnType<DeploymentsResource['get']>>().toEqualTypeOf<Promise<DeploymentEnvelope>>();
    expectTypeOf<ReturnType<ServersResource['list']>>().toEqualTypeOf<Promise<ServerPage>>();
    expectTypeOf<Parameters<StacksResource['runAction']>[1]>().toEqualTypeOf<RunStackActionRequest>();
    // and they are what the type functions give
    expectTypeOf<StackEnvelope>().toEqualTypeOf<Result<'/stacks/{stack_id}', 'get'>>();
    expectTypeOf<ServerPage>().toEqualTypeOf<Result<'/stacks/{stack_id}/servers', 'get'>>();
  });

  test('a redeploy takes { wait } and answers its action or deployment too', async () => {
    const done = await c66.deployments.redeploy('abc', {}, { wait: { intervalMs: 2_000, onProgress: (state) => void state } });
    expectTypeOf(done.action).toEqualTypeOf<AsyncAction | undefined>();
    expectTypeOf(done.deployment).toEqualTypeOf<Deployment | undefined>();
    expectTypeOf(done.response.async_action_id).toEqualTypeOf<number | null | undefined>();
  });

  test('per-call options: timeoutMs, retries, signal, headers', () => {
    void c66.stacks.get('abc', { timeoutMs: 5_000, retries: 0, signal: AbortSignal.timeout(1), headers: { 'X-Account': '1' } });
    void c66.GET('/stacks', { timeoutMs: 5_000, retries: 1 });
    // @ts-expect-error retries is a number
    void c66.stacks.get('abc', { retries: 'many' });
  });

  test('the error tree', () => {
    expectTypeOf<Cloud66ForbiddenError>().toMatchTypeOf<Cloud66ApiError>();
    expectTypeOf<Cloud66ApiError>().toMatchTypeOf<Cloud66Error>();
    expectTypeOf<Cloud66ForbiddenError['requiredScope']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Cloud66ThrottledError['retryAfterMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Cloud66ApiError['requestId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Cloud66Error['attempts']>().toEqualTypeOf<number | undefined>();
  });
});
