// The baseline of the outbox through the service (issue 21, bench/service-writes.ts): the service
// exactly as it is, except that it records no events. Preloaded after tsx, and only by the bench
// (`node --require tsx/cjs --require bench/without-events.ts server/start/main.ts`): the service
// itself has no switch to stop its audit trail, and must not have one.
//
// The seam is Node's documented module cache (`require.cache`, "adding or replacing entries is
// also possible"): the events store is loaded first, and its cache entry's exports replaced by the
// same functions with a `recordEvent` that does nothing, so every module that requires it later
// gets those. test/bench/service-writes.test.ts names this seam: a service started so records no
// event of a create, the same service without it does.
import * as store from '../router/events/events-store';

const storePath = require.resolve('../router/events/events-store');
const cached = require.cache[storePath];
if (!cached) throw new Error(`bench/without-events: ${storePath} is not in the module cache`);

const noEvents: typeof store = { ...store, recordEvent: () => Promise.resolve() };
cached.exports = noEvents;
