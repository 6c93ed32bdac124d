// Compile-time checks: run by `vitest --typecheck`; a line marked @ts-expect-error that compiles fails the run.
import { describe, expectTypeOf, test } from 'vitest';
import { createCloud66, createCloud66Client, type Cloud66ApiError, type ListItem, type RateLimit, type Schemas } from '../src/index.js';

const c66 = createCloud66({ token: 'fake-token' });

describe('typed calls', () => {
  test('responses are typed by the operation', async () => {
    const { data, error, rateLimit } = await c66.GET('/stacks');
    if (data) expectTypeOf(data.response).toEqualTypeOf<Schemas['Stack'][]>();
    if (data) expectTypeOf(data.pagination).toEqualTypeOf<Schemas['Pagination']>();
    if (error) expectTypeOf(error).toEqualTypeOf<Cloud66ApiError>();
    expectTypeOf(rateLimit).toEqualTypeOf<RateLimit | undefined>();

    const stack = await c66.GET('/stacks/{stack_id}', { params: { path: { stack_id: 'abc' } } });
    if (stack.data) expectTypeOf(stack.data.response.status).toEqualTypeOf<Schemas['StackStatus'] | undefined>();
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
    void c66.GET('/stacks/{stack_id}/actions/{id}', { params: { path: { stack_id: 'abc', id: 'one' } } });
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
