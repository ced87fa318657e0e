// Password hashes made elsewhere, kept for users imported with the password they had there
// (POST /api/v2/users/import): bcrypt (`$2a$`, `$2b$`, `$2y$`: Rails' Devise, Laravel, Auth0's and
// Supabase's exports) and Argon2 (PHC strings, `$argon2id$`, `$argon2i$`, `$argon2d$`), besides
// this service's own scrypt keys (an export of another instance). bcrypt and Argon2 are verified by
// @node-rs/bcrypt and @node-rs/argon2 on libuv's threads, as scrypt is, never on the event loop.
// The first sign-in re-hashes such a password with this service's scrypt (password-hasher's
// needsRehash), so the imported hash is used until then only.
//
// Its cost is paid at every sign-in until then, so an import refuses costs past these caps:
// without them, one hash of absurd cost (bcrypt 31, Argon2 with 4 GiB) would make each sign-in
// against it a denial of service.
import * as argon2 from '@node-rs/argon2';
import * as bcrypt from '@node-rs/bcrypt';
import Scrypt from 'scrypt-kdf';

const IMPORT_CAPS = {
  /** bcrypt's cost (2^cost rounds): 14 takes about a second here; exports are 10 to 12. */
  bcryptCost: 14,
  /** Argon2's memory (KiB), passes and lanes: OWASP's settings use 19 to 46 MiB. */
  argon2MemoryKiB: 128 * 1024,
  argon2TimeCost: 10,
  argon2Parallelism: 8,
  /** scrypt's memory, 128 · r · 2^logN bytes, and its parallelism. */
  scryptMemoryBytes: 256 * 1024 * 1024,
  scryptParallelism: 4,
} as const;

type HashFormat = 'scrypt' | 'bcrypt' | 'argon2';

const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;
/** 96 bytes (scrypt-kdf's key: parameters, salt, checksum, MAC) in base64, as this service stores them. */
const SCRYPT = /^[A-Za-z0-9+/]{128}$/;
const ARGON2 = /^\$argon2(?:id|i|d)\$(?:v=\d+\$)?m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** What made a stored hash: bcrypt and Argon2 name themselves; anything else is read as scrypt. */
export function hashFormat(hash: string): HashFormat {
  if (hash.startsWith('$2')) return 'bcrypt';
  if (hash.startsWith('$argon2')) return 'argon2';
  return 'scrypt';
}

/** Why `hash` cannot be imported (not a hash of a kind this service verifies, or past a cap), or undefined. */
export function importProblem(hash: string): string | undefined {
  const formats = 'must be a bcrypt hash ($2a$, $2b$, $2y$), an Argon2 PHC string ($argon2id$…) or a scrypt key';
  switch (hashFormat(hash)) {
    case 'bcrypt': {
      if (!BCRYPT.test(hash)) return formats;
      // `$2b$12$…`: the cost is the two digits after the prefix
      const cost = Number(hash.slice(4, 6));
      return cost < 4
        ? formats
        : cost > IMPORT_CAPS.bcryptCost
          ? `a bcrypt cost above ${IMPORT_CAPS.bcryptCost} is refused`
          : undefined;
    }
    case 'argon2': {
      if (!ARGON2.test(hash)) return formats;
      let options: argon2.ParsedHashOptions;
      try {
        options = argon2.parseOptions(hash);
      } catch {
        return formats;
      }
      if (options.memoryCost > IMPORT_CAPS.argon2MemoryKiB)
        return `Argon2 memory above ${IMPORT_CAPS.argon2MemoryKiB} KiB is refused`;
      if (options.timeCost > IMPORT_CAPS.argon2TimeCost)
        return `Argon2 passes above ${IMPORT_CAPS.argon2TimeCost} are refused`;
      if (options.parallelism > IMPORT_CAPS.argon2Parallelism)
        return `Argon2 parallelism above ${IMPORT_CAPS.argon2Parallelism} is refused`;
      return undefined;
    }
    case 'scrypt': {
      if (!SCRYPT.test(hash)) return formats;
      let params: { logN: number; r: number; p: number };
      try {
        params = Scrypt.viewParams(Buffer.from(hash, 'base64'));
      } catch {
        return formats;
      }
      if (128 * params.r * 2 ** params.logN > IMPORT_CAPS.scryptMemoryBytes || params.p > IMPORT_CAPS.scryptParallelism)
        return 'a scrypt key of more than 256 MiB or parallelism 4 is refused';
      return undefined;
    }
  }
}

/** Whether `password` opens a bcrypt or Argon2 `hash`; a malformed one opens nothing. */
export async function verifyImported(hash: string, password: string): Promise<boolean> {
  try {
    return hashFormat(hash) === 'bcrypt' ? await bcrypt.verify(password, hash) : await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
