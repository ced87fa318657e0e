// `npm run token -- --sub <id> --role admin|user [--ttl SECONDS]`: prints a Bearer token signed
// with JWT_SECRET, for operators (who hold the secret) and for trying the API.
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../crypto/token-service';
import { ConfigError, loadConfig } from '../config/config';
import { tokenService } from '../start/services';

function fail(message: string): never {
  process.stderr.write(`${message}\nusage: npm run token -- --sub <user id> --role admin|user [--ttl seconds]\n`);
  process.exit(2);
}

try {
  const { values } = parseArgs({
    options: { sub: { type: 'string' }, role: { type: 'string', default: 'user' }, ttl: { type: 'string' } },
  });
  if (!values.sub) fail('--sub is required');
  if (!ROLES.includes(values.role as Role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  const config = loadConfig();
  if (!config.JWT_SECRET) fail('JWT_SECRET must be set to the secret the service verifies tokens with');
  const ttl = values.ttl === undefined ? config.TOKEN_TTL_SECONDS : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) fail('--ttl must be a positive number of seconds');
  const tokens = tokenService({ ...config, JWT_SECRET: config.JWT_SECRET }, ttl);
  process.stdout.write(`${tokens.issue({ id: values.sub, role: values.role as Role }).token}\n`);
} catch (error) {
  if (error instanceof ConfigError || error instanceof TypeError) fail(error.message);
  throw error;
}
