// The native tRPC surface: the typed client over a real socket (batched), and procedures called
// directly through createCaller. Same router, same rules as REST.
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { createUsersClient, TRPCClientError, type UsersClient } from '../client';
import { newUserBody, uniqueSuffix } from './support/fixtures';
import { startTestService, type TestService } from './support/service';

describe('tRPC users procedures', () => {
  let service: TestService;
  let client: UsersClient;

  before(async () => {
    service = await startTestService();
    client = createUsersClient({ url: `${service.baseUrl}/trpc`, token: service.adminToken });
  });
  after(() => service.close());

  describe('through the typed client', () => {
    it('drives the whole CRUD cycle', async () => {
      const body = newUserBody({ gender: 2 });
      const created = await client.users.create.mutate(body);
      assert.equal(created.name, body.name);
      assert.equal(created.email.token, '');
      assert.deepEqual(Object.keys(created.email).sort(), [
        'authMethod',
        'createdAt',
        'email',
        'id',
        'token',
        'updatedAt',
      ]);

      assert.deepEqual(await client.users.read.query({ id: created.id }), created);

      const listed = await client.users.list.query({ limit: 0 });
      assert.ok(listed.items.some((user) => user.id === created.id));
      assert.equal(listed.total, listed.items.length);

      const updated = await client.users.update.mutate({
        id: created.id,
        name: 'renamed',
        age: 99,
        gender: 0,
        email: { email: `renamed.${uniqueSuffix()}@example.com`, authMethod: 0 },
      });
      assert.equal(updated.name, 'renamed');
      assert.equal(updated.age, 99);

      assert.equal(await client.users.delete.mutate({ id: created.id }), undefined);
      await assert.rejects(client.users.read.query({ id: created.id }), (error: unknown) => {
        assert.ok(error instanceof TRPCClientError);
        assert.equal(error.data?.code, 'NOT_FOUND');
        assert.equal(error.message, 'user not found');
        return true;
      });
    });

    it('tells a client which fields failed validation, and writes nothing', async () => {
      const body = { ...newUserBody(), age: 0, name: 'x' };
      await assert.rejects(client.users.create.mutate(body), (error: unknown) => {
        assert.ok(error instanceof TRPCClientError);
        assert.equal(error.data?.code, 'BAD_REQUEST');
        assert.equal(error.message, 'name: must be at least 3 characters; age: must be at least 1');
        return true;
      });
      const { items } = await client.users.list.query({ limit: 0 });
      assert.equal(
        items.some((user) => user.email.email === body.email.email),
        false,
      );
    });

    it('batches calls into one request', async () => {
      let requests = 0;
      const counting = createUsersClient({
        url: `${service.baseUrl}/trpc`,
        token: service.adminToken,
        fetch: (input, init) => {
          requests += 1;
          return fetch(input, init);
        },
      });
      const [first, second] = await Promise.all([
        counting.users.list.query({}),
        counting.users.list.query({ limit: 1 }),
      ]);
      assert.equal(requests, 1);
      assert.equal(first.limit, 10);
      assert.equal(second.limit, 1);
    });

    it('refuses calls without a valid token with UNAUTHORIZED', async () => {
      const anonymous = createUsersClient({ url: `${service.baseUrl}/trpc` });
      await assert.rejects(anonymous.users.list.query({}), (error: unknown) => {
        assert.ok(error instanceof TRPCClientError);
        assert.equal(error.data?.code, 'UNAUTHORIZED');
        assert.equal(error.message, 'missing bearer token');
        return true;
      });
    });

    it('answers CONFLICT for a duplicate, with tRPC’s error shape and no stack', async () => {
      const body = newUserBody();
      await client.users.create.mutate(body);
      await assert.rejects(client.users.create.mutate(body), (error: unknown) => {
        assert.ok(error instanceof TRPCClientError);
        assert.equal(error.data?.code, 'CONFLICT');
        assert.equal(error.data?.httpStatus, 409);
        assert.equal(error.data?.stack, undefined);
        return true;
      });
    });

    it('masks internal errors', async () => {
      await service.sql('alter table users rename to users_gone');
      try {
        await assert.rejects(client.users.list.query({}), (error: unknown) => {
          assert.ok(error instanceof TRPCClientError);
          assert.equal(error.data?.code, 'INTERNAL_SERVER_ERROR');
          assert.equal(error.message, 'internal server error');
          assert.equal(error.data?.stack, undefined);
          return true;
        });
      } finally {
        await service.sql('alter table users_gone rename to users');
      }
    });
  });

  describe('through createCaller', () => {
    it('creates and reads a user', async () => {
      const caller = service.caller();
      const created = await caller.users.create(newUserBody());
      assert.deepEqual(await caller.users.read({ id: created.id }), created);
    });

    it('refuses a call without a principal', async () => {
      await assert.rejects(service.caller(null).users.list({}), (error: unknown) => {
        assert.ok(error instanceof TRPCError);
        assert.equal(error.code, 'UNAUTHORIZED');
        return true;
      });
    });

    it('names the fields that fail validation', async () => {
      const body = { ...newUserBody(), age: 0, name: 'x' };
      await assert.rejects(service.caller().users.create(body), (error: unknown) => {
        assert.ok(error instanceof TRPCError);
        assert.equal(error.code, 'BAD_REQUEST');
        assert.ok(error.cause instanceof ZodError);
        assert.deepEqual(error.cause.issues.map((issue) => issue.path.join('.')).sort(), ['age', 'name']);
        return true;
      });
    });

    it('applies list defaults', async () => {
      const page = await service.caller().users.list({});
      assert.equal(page.offset, 0);
      assert.equal(page.limit, 10);
    });
  });
});
