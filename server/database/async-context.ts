// Keeps MikroORM's AsyncLocalStorage from taxing every promise of the process (issue 23). On Node 20
// an AsyncLocalStorage, once `run`, turns on async hooks for promises and leaves them on for good:
// from then on every promise anywhere (a read's dozens) pays an init hook that stamps ids and
// copies every storage's value onto it, about 45 µs of CPU per read by id here, and more garbage.
// MikroORM runs three of them: the transaction context (every `em.transactional`: each write, and
// the webhook worker's fan-out five times a second from start-up on), "inside a flush" (every
// flush) and raw fragments (`findAndCount`). Their values matter only while such a scope runs.
//
// So the three entry points that open those scopes are wrapped: while any runs (counted until the
// promise it returns settles) nothing changes; when the last one has ended, the storages they
// turned on are turned off again (`disable()`), and with no storage left on, Node turns the
// promise hooks off. A scope that starts later turns its storage on again by itself (`run` does).
// Nothing of MikroORM's can be inside a scope then, so nothing can read a value a disable lost.
// A storage is noted only as the first one an entry point runs, synchronously as it starts (each
// of the three begins with its storage's `run`): another library's storage is never turned off here.
//
// It reaches into Node's AsyncLocalStorage (`_enable`, `enabled`: the Node 20 implementation with
// async hooks; a Node whose storages do not use them has no `_enable`, and this does nothing) and
// MikroORM 6.6.16's entry points (`TransactionContext.create`, `UnitOfWork.prototype.commit`,
// `RawQueryFragment.run`); test/async-context.test.ts names both and fails when either moves.
import { AsyncLocalStorage } from 'node:async_hooks';
import { RawQueryFragment, TransactionContext, UnitOfWork } from '@mikro-orm/postgresql';

interface NodeStorage {
  _enable?: () => void;
  enabled?: boolean;
  disable(): void;
}

/** The wrapped entry points, by where they live: object, method name. */
export const MIKRO_ORM_SCOPES: Array<[object, string]> = [
  [TransactionContext, 'create'],
  [UnitOfWork.prototype, 'commit'],
  [RawQueryFragment, 'run'],
];

let installed = false;
/** MikroORM scopes running now. */
let open = 0;
/** Set while an entry point starts, until its first storage `run`: that storage is MikroORM's. */
let entering = false;
/** The storages MikroORM's entry points have turned on. */
const storages = new Set<NodeStorage>();

/** Whether Node's storages here are the kind that turn promise hooks on (Node 20's). */
export function storagesUseHooks(): boolean {
  const proto = AsyncLocalStorage.prototype as unknown as NodeStorage;
  return typeof proto._enable === 'function' && 'enabled' in new AsyncLocalStorage();
}

/** Installs the wrappers, once per process (idempotent). */
export function quietMikroOrmStorages(): void {
  if (installed || !storagesUseHooks()) return;
  installed = true;
  const proto = AsyncLocalStorage.prototype as unknown as NodeStorage & { _enable: () => void };
  const enable = proto._enable;
  // `run` calls `_enable` every time (it returns at once when already on)
  proto._enable = function (this: NodeStorage) {
    if (entering) {
      entering = false;
      storages.add(this);
    }
    enable.call(this);
  };
  for (const [owner, name] of MIKRO_ORM_SCOPES) {
    const target = owner as Record<string, unknown>;
    const original = target[name];
    if (typeof original !== 'function') {
      throw new Error(`MikroORM has no ${name} where server/database/async-context.ts expects it (a new MikroORM?)`);
    }
    target[name] = function (this: unknown, ...args: unknown[]): unknown {
      open++;
      const outer = entering;
      entering = true;
      let result: unknown;
      try {
        result = (original as (...a: unknown[]) => unknown).apply(this, args);
      } catch (error) {
        closed();
        throw error;
      } finally {
        entering = outer;
      }
      if (result instanceof Promise) return result.finally(closed);
      closed();
      return result;
    };
  }
}

function closed(): void {
  if (--open > 0) return;
  for (const storage of storages) storage.disable();
}
