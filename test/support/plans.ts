// What the planner makes of a statement, for tests that a sweep or a search reads an index: the
// table's statistics made fresh (as autovacuum would), then the plan of the statement as given.
import assert from 'node:assert/strict';
import type { TestService } from './service';

/** Asserts that `statement`, planned over `table` as it is now, reads `index` and never the whole table. */
export async function assertReadsIndex(
  service: Pick<TestService, 'sql'>,
  table: string,
  statement: string,
  index: string,
): Promise<void> {
  await service.sql(`analyze ${table}`);
  const [plan] = await service.sql<{ 'QUERY PLAN': unknown }>(`explain (format json) ${statement}`);
  const text = JSON.stringify(plan);
  assert.ok(text.includes(`"Index Name":"${index}"`), `reads the whole table, not ${index}: ${text}`);
  assert.doesNotMatch(text, /Seq Scan/, text);
}
