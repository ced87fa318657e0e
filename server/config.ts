// Every setting of the service, read from the environment once at start-up and checked by one
// schema. A bad value stops start-up with a message naming the variable and what it expects.
import { z } from 'zod';
import { MIN_SECRET_BYTES } from '../router/tokens';

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** PostgreSQL to use; without it the service runs an embedded PostgreSQL of its own. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  /** Where the embedded PostgreSQL keeps its data. */
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  JWT_SECRET: z
    .string()
    .refine((value) => Buffer.byteLength(value) >= MIN_SECRET_BYTES, `must be at least ${MIN_SECRET_BYTES} bytes`)
    .optional(),
  JWT_ISSUER: z.string().min(1).default('users-service'),
  JWT_AUDIENCE: z.string().min(1).default('users-api'),
  TOKEN_TTL_SECONDS: integer(60, 86_400).default(3600),
  TOKEN_CLOCK_TOLERANCE_SECONDS: integer(0, 300).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HASH_LOG_N: integer(10, 22).default(15),
  HASH_R: integer(1, 32).default(8),
  HASH_P: integer(1, 16).default(1),
  /** Hashes computed at once (each takes 128 * r * 2^logN bytes: 32 MiB at the defaults). */
  HASH_CONCURRENCY: integer(1, 64).default(2),
  /** Scheduling priority of the hashing threads (Linux nice, 0 = same as the API's threads). */
  HASH_THREAD_NICE: integer(0, 19).default(10),
  /** Browser origins allowed to call the API (comma-separated, e.g. https://app.example.com). */
  CORS_ORIGINS: list.default([]),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  TRUST_PROXY: z.stringbool().default(false),
  LOGIN_LIMIT_PER_ADDRESS: integer(1, 100_000).default(20),
  LOGIN_LIMIT_PER_EMAIL: integer(1, 100_000).default(5),
  LOGIN_LIMIT_WINDOW_SECONDS: integer(1, 86_400).default(60),
  DB_POOL_SIZE: integer(1, 100).default(10),
  /** Longest wait for a database connection: requests fail fast (503) while PostgreSQL is away. */
  DB_CONNECT_TIMEOUT_MS: integer(100, 60_000).default(2000),
  /** Longest a request may take; also PostgreSQL's statement timeout. */
  REQUEST_TIMEOUT_MS: integer(100, 600_000).default(10_000),
  /** On SIGTERM/SIGINT, how long in-flight requests may take to finish. */
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  BODY_LIMIT_BYTES: integer(1024, 10 * 1024 * 1024).default(100 * 1024),
});

export type Config = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // an empty variable means "not set", as in most shells' `VAR= cmd`
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET) {
    throw new ConfigError('invalid configuration:\n  JWT_SECRET: is required when NODE_ENV is production');
  }
  return config;
}
