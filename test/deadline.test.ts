// The deadline every procedure call runs under (router/trpc/deadline.ts): calls with the same timeout
// share one timer, and each still times out on its own time: a call that makes progress keeps
// going, one that stalls is answered 503 at its own deadline, one that ended never is, and nothing
// keeps the process up once no call is timed.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { TRPCError } from '@trpc/server';
import { withDeadline, type Deadline } from '../router/trpc/deadline';

const MS = 150;

/** A call that finishes when told to, and its deadline. */
function call(ms = MS) {
  let finish!: (value: string) => void;
  let deadline!: Deadline;
  const answer = withDeadline(
    ms,
    (given) => {
      deadline = given;
      return new Promise<string>((resolve) => (finish = resolve));
    },
    undefined,
  );
  const outcome: Promise<{ value?: string; error?: unknown; at: number }> = answer.then(
    (value) => ({ value, at: performance.now() }),
    (error: unknown) => ({ error, at: performance.now() }),
  );
  return { finish: (value: string) => finish(value), deadline, outcome };
}

const timedOut = (outcome: { error?: unknown }) =>
  outcome.error instanceof TRPCError && outcome.error.code === 'SERVICE_UNAVAILABLE';

describe('call deadlines', () => {
  it('times each call out at its own deadline, whatever the others do', async () => {
    const started = performance.now();
    const stalled = call();
    await sleep(50);
    const later = call();
    const progressing = call();
    const finished = call();
    finished.finish('done');
    const moving = setInterval(() => progressing.deadline.progressed(), 40);
    try {
      const first = await stalled.outcome;
      assert.ok(timedOut(first), 'the stalled call is answered 503');
      assert.ok(first.at - started >= MS - 5, `not before its time (${first.at - started} ms)`);
      assert.equal(stalled.deadline.expired, true, 'and its work sees that it expired');
      const second = await later.outcome;
      assert.ok(timedOut(second));
      assert.ok(second.at - started >= 50 + MS - 5, `the later call at its own time (${second.at - started} ms)`);
      assert.deepEqual(Object.keys(await finished.outcome), ['value', 'at'], 'a finished call is never cut');
      await sleep(MS);
      assert.equal(progressing.deadline.expired, false, 'a call that makes progress keeps going');
    } finally {
      clearInterval(moving);
    }
    progressing.finish('late but fine');
    assert.equal((await progressing.outcome).value, 'late but fine');
  });

  it('calls with another timeout keep theirs', async () => {
    const short = call(60);
    const long = call(MS * 2);
    assert.ok(timedOut(await short.outcome));
    assert.equal(long.deadline.expired, false);
    long.finish('ok');
    assert.equal((await long.outcome).value, 'ok');
  });

  it('keeps no timer once no call is timed', async () => {
    const active = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    // (after a turn: mocha times an async test with a timer of its own, set once the test returns)
    await Promise.resolve();
    const before = active();
    const pending = call(60_000);
    assert.equal(active(), before + 1, 'one timer while a call runs');
    const others = [call(60_000), call(60_000)];
    assert.equal(active(), before + 1, 'and the same one for more calls with that timeout');
    pending.finish('a');
    for (const other of others) other.finish('b');
    await Promise.all([pending.outcome, ...others.map((other) => other.outcome)]);
    assert.equal(active(), before, 'none once they all ended');
  });
});
