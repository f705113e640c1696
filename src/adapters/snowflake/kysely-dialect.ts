/**
 * A Kysely dialect for Snowflake over Weir's Snowflake adapter (snowflake-sdk, with the target's
 * authenticator, role, warehouse and timeouts). Weir creates every relation and column upper-cased (the
 * same objects as unquoted lower-case names), so this compiler upper-cases identifiers before quoting
 * them (`selectFrom('main_marts.customer_rfm')` → `"MAIN_MARTS"."CUSTOMER_RFM"`) and the driver reports
 * result columns lower-cased, matching the generated types. `?` parameters are bound by the sdk.
 * No `RETURNING`; transactions are `begin`/`commit`/`rollback` on the one connection a Kysely instance keeps.
 */
import { type DatabaseIntrospector, type Dialect, type DialectAdapter, type Driver, type Kysely, type QueryCompiler } from 'kysely';
import type { Adapter } from '../adapter.js';
import { AdapterKyselyDriver, InformationSchemaIntrospector, NoReturningAdapter, QuestionMarkQueryCompiler } from '../kysely-shared.js';

/** Kysely's default compiler (`?` binds) with identifiers upper-cased (Snowflake's unquoted-name folding). */
export class SnowflakeQueryCompiler extends QuestionMarkQueryCompiler {
  protected override sanitizeIdentifier(identifier: string): string {
    return super.sanitizeIdentifier(identifier.toUpperCase());
  }
}

/** The Snowflake Kysely dialect. @param open creates and opens the Weir adapter for the target */
export class SnowflakeKyselyDialect implements Dialect {
  constructor(private readonly open: () => Promise<Adapter>) {}
  createDriver(): Driver {
    return new AdapterKyselyDriver({ open: this.open, lowerCaseColumns: true, transactions: true, engine: 'Snowflake' });
  }
  createQueryCompiler(): QueryCompiler {
    return new SnowflakeQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new NoReturningAdapter();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new InformationSchemaIntrospector(db, true);
  }
}
