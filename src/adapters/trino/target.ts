/**
 * The configuration of a `type: trino` target (project.yaml `targets:`), validated by the registry.
 */
import { z } from '../../vendor/zod.js';

const authSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('basic'),
    /** Read it from the environment: `password: '{{env "TRINO_PASSWORD"}}'` (redacted from logs and artifacts). */
    password: z.string(),
  }).strict(),
  z.object({
    type: z.literal('jwt'),
    /** A bearer token, sent as `Authorization: Bearer <token>`; read it from the environment. */
    token: z.string().min(1),
  }).strict(),
]);

/** Target configuration for `type: trino`. */
export const trinoTargetSchema = z
  .object({
    type: z.literal('trino'),
    /** Coordinator URL, e.g. `https://trino.example.com:8443`. */
    server: z.string().url(),
    user: z.string().min(1),
    catalog: z.string().min(1),
    schema: z.string().min(1),
    auth: authSchema.optional(),
    /** TLS for `https://` servers: a CA bundle file (project-relative) and whether to verify the certificate. */
    tls: z.object({
      ca_file: z.string().min(1).optional(),
      verify: z.boolean().default(true),
    }).strict().optional(),
    /** Trino session properties sent with every statement, e.g. `{query_max_run_time: '1h'}`. */
    session_properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    threads: z.number().int().min(1).max(64).default(4),
    /** Seconds a statement may take (queueing, running and paging) before it is cancelled. */
    query_timeout_seconds: z.number().positive().default(3600),
    /** Seconds the connection check at open may take (an unreachable host fails after this). */
    connect_timeout_seconds: z.number().positive().default(15),
    /** Rows per `INSERT ... VALUES` statement when loading seeds. */
    seed_batch_rows: z.number().int().min(1).max(100_000).default(1000),
  })
  .strict();

/** Validated Trino target. */
export type TrinoTarget = z.output<typeof trinoTargetSchema>;
