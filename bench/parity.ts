// Before anything is measured: the baseline and the service must answer the benchmarked
// requests alike (same status, byte-identical JSON for reads and lists, the same shape for a
// create), or the ratios would compare different work.
import { isDeepStrictEqual } from 'node:util';
import { seededUserId } from './dataset';
import { deepOffset } from './scenarios';
import type { RunningServer } from './servers';
import { CREATE_PATH, createBody, listPath, readPath, trpcReadPath } from './workload';

interface Answer {
  status: number;
  body: string;
}

async function call(server: RunningServer, path: string, token: string | null, body?: string): Promise<Answer> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, body: await response.text() };
}

function firstDifference(a: string, b: string): string {
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  const from = Math.max(0, at - 60);
  return `at character ${at}:\n  baseline: …${a.slice(from, at + 60)}\n  service:  …${b.slice(from, at + 60)}`;
}

/** A created user with what the server chooses (ids, timestamps) and the address blanked out. */
function createdShape(text: string): unknown {
  const user = JSON.parse(text) as Record<string, unknown> & { email: Record<string, unknown> };
  const blank = { id: typeof user.id, createdAt: typeof user.createdAt, updatedAt: typeof user.updatedAt };
  const email = { ...user.email, id: typeof user.email.id, email: typeof user.email.email };
  return { ...user, ...blank, email: { ...email, createdAt: 'number', updatedAt: 'number' } };
}

/** Throws, naming the request and the difference, at the first request the two answer differently. */
export async function checkParity(
  baseline: RunningServer,
  service: RunningServer,
  token: string,
  users: number,
): Promise<string[]> {
  const checked: string[] = [];
  const same = async (label: string, path: string, auth: string | null = token) => {
    const [a, b] = await Promise.all([call(baseline, path, auth), call(service, path, auth)]);
    if (a.status !== b.status)
      throw new Error(`${label}: baseline ${a.status}, service ${b.status}\n${a.body}\n${b.body}`);
    if (a.status === 200 && a.body !== b.body)
      throw new Error(`${label}: bodies differ ${firstDifference(a.body, b.body)}`);
    checked.push(label);
  };
  await same('GET /api/v2/users/:id (first user)', readPath(seededUserId(0)));
  await same('GET /api/v2/users/:id (last user)', readPath(seededUserId(users - 1)));
  await same('GET /trpc/users.read', trpcReadPath(seededUserId(Math.floor(users / 2))));
  await same('GET /api/v2/users?offset=0&limit=10', listPath(0, 10));
  await same('GET /api/v2/users?offset=90%&limit=10', listPath(deepOffset(users), 10));
  await same('GET /api/v2/users/:id (unknown id: 404)', readPath('no-such-user'));
  await same('GET /api/v2/users/:id (no token: 401)', readPath(seededUserId(0)), null);

  const [a, b] = await Promise.all([
    call(baseline, CREATE_PATH, token, createBody('parity-baseline', 1)),
    call(service, CREATE_PATH, token, createBody('parity-service', 1)),
  ]);
  if (a.status !== 200 || b.status !== 200) throw new Error(`POST create: baseline ${a.status}, service ${b.status}`);
  if (!isDeepStrictEqual(createdShape(a.body), createdShape(b.body))) {
    throw new Error(`POST create: shapes differ\n  baseline: ${a.body}\n  service:  ${b.body}`);
  }
  checked.push('POST /api/v2/users (same shape)');
  return checked;
}
