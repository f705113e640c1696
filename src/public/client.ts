/**
 * `weir-sql/client`: typed queries over a project's built relations from applications (Kysely), without
 * the CLI. See README "Querying the output from applications".
 * @packageDocumentation
 */
export { createClient } from '../client/create-client.js';
export type { CreateClientOptions } from '../client/create-client.js';
