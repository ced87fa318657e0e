// Opens the database: MikroORM on the given PostgreSQL, with the committed migrations applied.
import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../mikro-orm.config';

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
}

export async function openDatabase({ url, poolSize = 10 }: DatabaseOptions): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(url, { pool: { min: 0, max: poolSize } }));
  try {
    await orm.getMigrator().up();
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  return orm;
}
