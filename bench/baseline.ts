// The raw baselines the service is measured against: `node:http` and a `pg` Pool with named
// prepared statements (all but the naive list page, see SQL.page), answering the benchmarked
// routes with exactly the service's JSON, after the same Bearer token check and with scrypt at
// the same cost. The token check is the same work as the service's: the signature, claims and
// `typ` of RFC 8725, then one prepared statement asking PostgreSQL whether the token was revoked,
// its user's credential epoch and whether its session still lives (the service's session check,
// router/trpc/session-check.ts: revocations hold on every instance, so nothing about them is
// cached). With BASELINE_SESSION_CHECK=off that statement is left out: the signature and claims
// are still checked, and a read is one statement, one round trip (issue 23's raw server: what a
// read costs a server that promises no revocation). It imports nothing from the service, so
// making the service faster never moves the baseline. Its own process:
//   PORT=… DATABASE_URL=… JWT_SECRET=… [BASELINE_SESSION_CHECK=off] node --require tsx/cjs bench/baseline.ts
// Routes: GET /api/v2/users/:id, GET /api/v2/users?offset&limit (counting on every request: the
// naive baseline of the list targets), POST /api/v2/users, GET /trpc/users.read?input=….
import { createSecretKey, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import Scrypt from 'scrypt-kdf';

const env = process.env;
const settings = {
  port: Number(env.PORT ?? 3001),
  host: env.HOST ?? '127.0.0.1',
  secret: required('JWT_SECRET'),
  issuer: env.JWT_ISSUER ?? 'users-service',
  audience: env.JWT_AUDIENCE ?? 'users-api',
  clockTolerance: Number(env.TOKEN_CLOCK_TOLERANCE_SECONDS ?? 30),
  hashCost: { logN: Number(env.HASH_LOG_N ?? 15), r: Number(env.HASH_R ?? 8), p: Number(env.HASH_P ?? 1) },
  sessionCheck: env.BASELINE_SESSION_CHECK !== 'off',
};
// Handed the secret as a string, jsonwebtoken 9 first tries it as a public key
// (crypto.createPublicKey, a failing OpenSSL decode) on every verify: ~0.6 ms of CPU each here,
// against ~10 µs with a KeyObject made once. A raw server does it the cheap way.
const verifyKey = createSecretKey(Buffer.from(settings.secret));
const pool = new pg.Pool({ connectionString: required('DATABASE_URL'), max: Number(env.DB_POOL_SIZE ?? 10) });

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const COLUMNS = `u.id, u.name, u.age, u.gender, u.created_at, u.updated_at,
  e.id as email_id, e.address, e.auth_method, e.created_at as email_created_at, e.updated_at as email_updated_at`;
const SQL = {
  read: {
    name: 'read_user',
    text: `select ${COLUMNS} from users u join emails e on e.id = u.email_id where u.id = $1`,
  },
  // the service's separate session check (router/trpc/session-check.ts), word for word
  session: {
    name: 'session_check',
    text: `with caller as (
    select facts.*, not facts.caller_revoked and facts.caller_live
             and facts.caller_epoch is not distinct from $4::uuid as caller_valid
    from (select exists(select 1 from revoked_tokens where jti = $1::uuid) as caller_revoked,
                 coalesce((select token_epoch from users where id = $2::varchar),
                          (select epoch from api_clients where subject = $2::varchar)) as caller_epoch,
                 ($3::uuid is null or exists(select 1 from sessions where id = $3::uuid)) as caller_live
         ) as facts
  ) select * from caller`,
  },
  count: { name: 'count_users', text: 'select count(*)::int as total from users' },
  // The naive list of the list targets: OFFSET over the joined rows, and a count on every
  // request, as a first version is written (no deferred join, no kept count). Unnamed, so it is
  // planned for the actual offset and limit each time (a named statement switches to a generic
  // plan after five runs, which hash-joins every email even for the first page).
  // LIMIT NULL is no limit, which is what limit=0 asks for.
  page: {
    text: `select ${COLUMNS}
           from users u join emails e on e.id = u.email_id
           order by u.created_at, u.id
           offset $1 limit $2`,
  },
  insertEmail: {
    name: 'insert_email',
    text: `insert into emails (address, auth_method, password_hash) values ($1, $2, $3)
           returning id, created_at, updated_at`,
  },
  insertUser: {
    name: 'insert_user',
    text: `insert into users (id, name, age, gender, email_id) values ($1, $2, $3, $4, $5)
           returning created_at, updated_at`,
  },
};

interface Row {
  id: string;
  name: string;
  age: number;
  gender: number;
  created_at: Date;
  updated_at: Date;
  email_id: number;
  address: string;
  auth_method: number;
  email_created_at: Date;
  email_updated_at: Date;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** The service's `User` shape, fields in the same order. */
function toUser(row: Row) {
  return {
    id: row.id,
    name: row.name,
    age: row.age,
    gender: row.gender,
    email: {
      id: row.email_id,
      email: row.address,
      authMethod: row.auth_method,
      token: '',
      createdAt: seconds(row.email_created_at),
      updatedAt: seconds(row.email_updated_at),
    },
    createdAt: seconds(row.created_at),
    updatedAt: seconds(row.updated_at),
  };
}

async function authenticate(req: IncomingMessage): Promise<void> {
  const match = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1]) throw new HttpError(401, 'missing bearer token');
  let verified: jwt.Jwt;
  try {
    verified = jwt.verify(match[1], verifyKey, {
      algorithms: ['HS256'],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: settings.clockTolerance,
      complete: true,
    });
  } catch {
    throw new HttpError(401, 'token is invalid');
  }
  const { header, payload } = verified;
  if (header.typ !== 'at+jwt' || typeof payload !== 'object' || !payload.sub || !payload.exp || !payload.jti) {
    throw new HttpError(401, 'token is invalid');
  }
  if (!settings.sessionCheck) return;
  const { epoch = null, sid = null } = payload as { epoch?: string; sid?: string };
  const { rows } = await pool.query<{ caller_valid: boolean }>({
    ...SQL.session,
    values: [payload.jti, payload.sub, sid, epoch],
  });
  if (!rows[0]?.caller_valid) throw new HttpError(401, 'token is no longer valid');
}

async function readUser(id: string) {
  if (!USER_ID.test(id)) throw new HttpError(404, 'user not found');
  const { rows } = await pool.query<Row>({ ...SQL.read, values: [id] });
  if (!rows[0]) throw new HttpError(404, 'user not found');
  return toUser(rows[0]);
}

function listBound(value: string | null, fallback: number): number {
  if (value === null) return fallback;
  if (!/^\d{1,10}$/.test(value) || Number(value) > 0xffffffff) throw new HttpError(400, 'must be an integer');
  return Number(value);
}

async function listUsers(query: URLSearchParams) {
  const offset = listBound(query.get('offset'), 0);
  const limit = listBound(query.get('limit'), 10);
  const [count, page] = await Promise.all([
    pool.query<{ total: number }>(SQL.count),
    pool.query<Row>({ ...SQL.page, values: [offset, limit === 0 ? null : limit] }),
  ]);
  return { items: page.rows.map(toUser), total: count.rows[0]?.total ?? 0, offset, limit };
}

interface CreateBody {
  id?: string;
  name: string;
  age: number;
  gender: number;
  email: { email: string; authMethod: number; password?: string };
}

function checkCreate(body: unknown): CreateBody {
  const b = body as Partial<CreateBody> | null;
  const ok =
    typeof b === 'object' &&
    b !== null &&
    typeof b.name === 'string' &&
    Number.isInteger(b.age) &&
    Number.isInteger(b.gender) &&
    typeof b.email?.email === 'string' &&
    Number.isInteger(b.email.authMethod) &&
    (b.id === undefined || (typeof b.id === 'string' && USER_ID.test(b.id)));
  if (!ok) throw new HttpError(400, 'invalid user');
  return b as CreateBody;
}

async function createUser(body: unknown) {
  const input = checkCreate(body);
  const { password } = input.email;
  if ((input.email.authMethod === 0) !== (password !== undefined)) throw new HttpError(400, 'email.password');
  // scrypt-kdf runs on the libuv pool, as the service's PasswordHasher does, before any connection is taken
  const hash =
    password === undefined ? null : Buffer.from(await Scrypt.kdf(password, settings.hashCost)).toString('base64');
  const id = input.id ?? randomUUID();
  const client = await pool.connect();
  try {
    await client.query('begin');
    const email = await client.query<{ id: number; created_at: Date; updated_at: Date }>({
      ...SQL.insertEmail,
      values: [input.email.email, input.email.authMethod, hash],
    });
    const emailRow = email.rows[0]!;
    const user = await client.query<{ created_at: Date; updated_at: Date }>({
      ...SQL.insertUser,
      values: [id, input.name, input.age, input.gender, emailRow.id],
    });
    await client.query('commit');
    const userRow = user.rows[0]!;
    return toUser({
      id,
      name: input.name,
      age: input.age,
      gender: input.gender,
      created_at: userRow.created_at,
      updated_at: userRow.updated_at,
      email_id: emailRow.id,
      address: input.email.email,
      auth_method: input.email.authMethod,
      email_created_at: emailRow.created_at,
      email_updated_at: emailRow.updated_at,
    });
  } catch (error) {
    await client.query('rollback').catch(() => {});
    if ((error as { code?: string }).code === '23505') throw new HttpError(409, 'already exists');
    throw error;
  } finally {
    client.release();
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'the request body is not valid JSON');
  }
}

async function route(req: IncomingMessage): Promise<unknown> {
  const url = new URL(req.url ?? '/', 'http://baseline');
  const path = url.pathname;
  if (path === '/trpc/users.read' && req.method === 'GET') {
    await authenticate(req);
    const input = JSON.parse(url.searchParams.get('input') ?? '{}') as { id?: unknown };
    return { result: { data: await readUser(String(input.id)) } };
  }
  if (path === '/api/v2/users') {
    await authenticate(req);
    if (req.method === 'GET') return listUsers(url.searchParams);
    if (req.method === 'POST') return createUser(await readBody(req));
  } else if (path.startsWith('/api/v2/users/') && req.method === 'GET') {
    await authenticate(req);
    return readUser(decodeURIComponent(path.slice('/api/v2/users/'.length)));
  }
  throw new HttpError(404, `no such endpoint: ${req.method} ${path}`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
  });
  res.end(text);
}

const server = createServer((req, res) => {
  route(req).then(
    (body) => send(res, 200, body),
    (error: unknown) => {
      if (error instanceof HttpError) return send(res, error.status, { code: 100001, msg: error.message });
      process.stderr.write(`baseline: ${error instanceof Error ? error.message : String(error)}\n`);
      send(res, 500, { code: 100001, msg: 'internal server error' });
    },
  );
});

server.listen(settings.port, settings.host, () => {
  process.stdout.write(
    `baseline listening on http://${settings.host}:${settings.port}${settings.sessionCheck ? '' : ' (no session check)'}\n`,
  );
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void pool.end().then(() => process.exit(0));
  });
}

function required(name: string): string {
  const value = env[name];
  if (!value) {
    process.stderr.write(`baseline: ${name} is required\n`);
    process.exit(2);
  }
  return value;
}
