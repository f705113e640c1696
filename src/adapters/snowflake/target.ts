/**
 * The configuration of a `type: snowflake` target (project.yaml `targets:`), validated by the registry.
 */
import { z } from '../../vendor/zod.js';

/** Target configuration for `type: snowflake`. */
export const snowflakeTargetSchema = z
  .object({
    type: z.literal('snowflake'),
    /** Account identifier, e.g. `myorg-myaccount` (or the legacy `xy12345.eu-central-1`). */
    account: z.string().min(1),
    user: z.string().min(1),
    role: z.string().min(1).optional(),
    warehouse: z.string().min(1).optional(),
    database: z.string().min(1),
    schema: z.string().min(1).default('public'),
    /** `snowflake` (password, default), `snowflake_jwt` (key pair) or `oauth` (token). */
    authenticator: z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['snowflake', 'snowflake_jwt', 'oauth'])).default('snowflake'),
    password: z.string().optional(),
    /**
     * PEM private key text (key-pair auth), usually `{{env "SNOWFLAKE_PRIVATE_KEY"}}`. Newlines written as
     * `\n` (as CI secret stores keep them) are accepted: see private-key.ts.
     */
    private_key: z.string().min(1).optional(),
    /** PEM private key file, relative to the project root (key-pair auth). */
    private_key_path: z.string().min(1).optional(),
    private_key_passphrase: z.string().optional(),
    /** OAuth access token (`authenticator: oauth`). */
    token: z.string().min(1).optional(),
    /** Overrides the URL built from the account: private links, or a local test server (`http://127.0.0.1:port`). */
    access_url: z.string().url().optional(),
    threads: z.number().int().min(1).max(64).default(4),
    /** Create tables as TRANSIENT (no Fail-safe). */
    transient: z.boolean().default(false),
    /** Added to every statement's QUERY_TAG next to the node id. */
    query_tag: z.string().max(1000).optional(),
    /** HTTP request timeout for login and each request, in seconds. */
    connect_timeout_seconds: z.number().positive().default(60),
    /** Login retries on network errors (the sdk's default is 7, with growing sleeps). */
    connect_retries: z.number().int().min(0).max(10).default(1),
    /** A statement running longer is cancelled and fails with a timeout error. */
    query_timeout_seconds: z.number().positive().default(3600),
    /** Rows per `INSERT ... VALUES` batch when loading seeds (Snowflake accepts at most 16,384). */
    seed_batch_rows: z.number().int().min(1).max(16_384).default(1000),
    /**
     * A seed with at least this many rows, or a file of at least {@link seed_stage_bytes} bytes, is loaded
     * through a temporary stage (`PUT` + `COPY INTO`) instead of batched INSERTs (0: every seed).
     */
    seed_stage_rows: z.number().int().min(0).default(50_000),
    /** See {@link seed_stage_rows}: the file-size threshold in bytes (default 8 MiB). */
    seed_stage_bytes: z.number().int().min(0).default(8 * 1024 * 1024),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.authenticator === 'snowflake' && t.password === undefined) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'password is required with authenticator snowflake (use {{env "SNOWFLAKE_PASSWORD"}})' });
    }
    if (t.authenticator === 'snowflake_jwt' && !t.private_key && !t.private_key_path) {
      ctx.addIssue({ code: 'custom', path: ['private_key_path'], message: 'private_key or private_key_path is required with authenticator snowflake_jwt' });
    }
    if (t.authenticator === 'oauth' && !t.token) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'token is required with authenticator oauth (use {{env "SNOWFLAKE_TOKEN"}})' });
    }
  });

/** Validated Snowflake target. */
export type SnowflakeTarget = z.output<typeof snowflakeTargetSchema>;
