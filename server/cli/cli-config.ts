// The settings a command-line tool runs with: the environment over `.env` (when the folder has
// one), checked by the service's own schema, so a tool and the service it works beside read the
// same values the same way. A bad value ends the command with the schema's message.
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../config/config';

/** The checked settings; `fail` (which prints and exits) gets the message of a bad one. */
export function cliConfig(fail: (message: string) => never): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}
