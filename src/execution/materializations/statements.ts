/**
 * One statement per model: a model's compiled SQL must be one query. A second statement in it (`select 1;
 * drop table t`, typically smuggled in through a value) is refused before anything runs, unless the model
 * opts in with `allow_multiple_statements: "<reason>"` (table and view models only), in which case the
 * statements before the last run first, in order, and the last one is the model's query.
 * Statements are found by the SQL tokenizer (src/sql/; strings, quoted names, comments and dollar-quoting respected);
 * engines that can split SQL themselves (DuckDB's statement extraction) are asked too, and the larger
 * count wins.
 */
import type { Adapter, Connection } from '../../adapters/adapter.js';
import { WeirError } from '../../errors/weir-error.js';
import type { GraphNode } from '../../manifest/types.js';
import { splitStatements, type SqlStatement } from '../../sql/statements.js';
import { tokenizeOptionsFor } from '../../sql/tokenize.js';

/** The compiled SQL of a node split for running: statements to run first, then the node's query. */
export interface CheckedSql {
  readonly before: readonly string[];
  readonly query: string;
}

/**
 * Checks that a node's compiled SQL is one statement (see the module comment) and returns it without a
 * trailing `;`.
 * @param compiledPath project-relative path of the compiled SQL file, for the message
 * @param split `sql` already split by `splitStatements(sql, tokenizeOptionsFor(adapter.dialect))` (e.g. while the
 *   engine ran an earlier statement); split here when absent
 * @throws WeirError `WEIR_MULTIPLE_STATEMENTS` naming the node's file and line (the template line holding
 *   the second statement's start when it is written there, else the compiled SQL's line); `WEIR_CONFIG_INVALID`
 *   for an `allow_multiple_statements` that is not a reason, or on a kind of node that cannot take it
 */
export async function checkSingleStatement(adapter: Adapter, conn: Connection, node: GraphNode, sql: string, compiledPath?: string, split?: readonly SqlStatement[]): Promise<CheckedSql> {
  const parts = split ?? splitStatements(sql, tokenizeOptionsFor(adapter.dialect));
  let engineCount = parts.length;
  if (conn.countStatements) {
    // The engine's own parser is the authority; a syntax error is left for the real run to report.
    engineCount = await conn.countStatements(sql).catch(() => parts.length);
  }
  const allow = node.config.allow_multiple_statements;
  if (allow !== undefined && (typeof allow !== 'string' || allow.trim() === '')) {
    throw new WeirError('WEIR_CONFIG_INVALID', `allow_multiple_statements must be the reason the model needs several statements, e.g. allow_multiple_statements="sets a session option first"`, {
      location: { file: node.path, nodeId: node.unique_id },
    });
  }
  if (parts.length <= 1 && engineCount <= 1) return { before: [], query: parts[0]?.text.trim() ?? sql };
  if (allow !== undefined) {
    const m = node.resource_type === 'model' ? node.config.materialized : node.resource_type;
    if (m !== 'table' && m !== 'view') {
      throw new WeirError('WEIR_CONFIG_INVALID', `allow_multiple_statements is supported on table and view models only (this one is ${m})`, {
        location: { file: node.path, nodeId: node.unique_id },
      });
    }
    if (parts.length === engineCount) return { before: parts.slice(0, -1).map((p) => p.text.trim()), query: parts[parts.length - 1].text.trim() };
  }
  throw multipleStatements(node, parts, engineCount, compiledPath);
}

/**
 * {@link checkSingleStatement} with the tokenizer only (for SQL rendered again inside a materialization,
 * e.g. an incremental run's query). Returns the query without a trailing `;`.
 * @throws WeirError `WEIR_MULTIPLE_STATEMENTS`
 */
export function singleStatementSync(adapter: Adapter, node: GraphNode, sql: string, compiledPath?: string): string {
  const parts = splitStatements(sql, tokenizeOptionsFor(adapter.dialect));
  if (parts.length <= 1) return parts[0]?.text.trim() ?? sql;
  throw multipleStatements(node, parts, parts.length, compiledPath);
}

function multipleStatements(node: GraphNode, parts: readonly SqlStatement[], engineCount: number, compiledPath?: string): WeirError {
  const second = parts[1] ?? parts[0];
  const raw = 'raw_code' in node ? (node as { raw_code: string }).raw_code : '';
  const head = second.text.trim().split('\n')[0].slice(0, 40);
  const at = head && raw ? raw.indexOf(head) : -1;
  const line = at >= 0 ? raw.slice(0, at).split('\n').length : undefined;
  return new WeirError('WEIR_MULTIPLE_STATEMENTS',
    `the compiled SQL holds ${Math.max(parts.length, engineCount)} statements; a model must be one query. ` +
    `The second starts at line ${second.line} of ${compiledPath ? `target/${compiledPath}` : 'the compiled SQL'}: ${JSON.stringify(head)}`, {
      location: { file: node.path, line, nodeId: node.unique_id },
      hint: 'Remove the `;` and what follows (a value from vars/env must go through {{literal ...}}). Statements that must run first belong in pre_hook; ' +
        'if the model really needs them in its body, set allow_multiple_statements="<why>" in its config (table and view models).',
    });
}
