/**
 * A Kysely dialect for Trino over Weir's Trino adapter (trino-client, with the target's auth, TLS, session
 * properties and timeouts): Kysely's default query compiler with `?` parameters ( which the adapter inlines as
 * literals through the dialect's `literal`, since Trino's REST protocol has no binds outside
 * PREPARE/EXECUTE; double-quoted identifiers), no `RETURNING`, no transactional DDL, an
 * `information_schema` introspector, and one connection per Kysely instance.
 */
import { type DatabaseIntrospector, type Dialect, type DialectAdapter, type Driver, type Kysely, type QueryCompiler } from 'kysely';
import type { Adapter } from '../adapter.js';
import { AdapterKyselyDriver, InformationSchemaIntrospector, NoReturningAdapter, QuestionMarkQueryCompiler } from '../kysely-shared.js';

/** The Trino Kysely dialect. @param open creates and opens the Weir adapter for the target */
export class TrinoKyselyDialect implements Dialect {
  constructor(private readonly open: () => Promise<Adapter>) {}
  createDriver(): Driver {
    return new AdapterKyselyDriver({ open: this.open, transactions: false, engine: 'Trino' });
  }
  createQueryCompiler(): QueryCompiler {
    return new QuestionMarkQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new NoReturningAdapter();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new InformationSchemaIntrospector(db);
  }
}
