/**
 * The configuration of a `type: duckdb` target (project.yaml `targets:`), validated by the registry.
 */
import { z } from '../../vendor/zod.js';

/** Target configuration for `type: duckdb`. */
export const duckdbTargetSchema = z
  .object({
    type: z.literal('duckdb'),
    /** Database file relative to the project root, or `:memory:`. */
    path: z.string().min(1).default('target/weir.duckdb'),
    schema: z.string().min(1).default('main'),
    threads: z.number().int().min(1).max(64).default(4),
    /** DuckDB settings passed at open, e.g. `{memory_limit: '4GB'}`. */
    settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** Open read-only (for readers while a run writes elsewhere). */
    read_only: z.boolean().default(false),
    /** After each run, publish a read copy (`<name>.read.duckdb`) for readers while the next run writes. */
    publish_read_copy: z.boolean().default(true),
    /**
     * When DuckDB finds the database file corrupt at open (a checksum error, e.g. after the process was
     * killed), restore the last published read copy, keeping the corrupt file aside, and warn.
     */
    recover_from_read_copy: z.boolean().default(true),
    /**
     * Seconds one statement may run before it is interrupted and fails (as on Snowflake); unset: no limit.
     * A UDF that blocks the JavaScript thread cannot be interrupted this way (see README).
     */
    query_timeout_seconds: z.number().positive().optional(),
  })
  .strict();

/** Validated DuckDB target. */
export type DuckDBTarget = z.output<typeof duckdbTargetSchema>;
