/**
 * Fellegi–Sunter parameter tables in the docs site: a built model whose columns are those of
 * `er_fellegi_sunter`'s `output="parameters"` (comparison, level, m, u, bayes_factor, match_weight, …) is read
 * by `weir docs generate` and shown on its page as a match-weights chart — one horizontal bar per comparison
 * level, its length the level's match weight log2(m/u), plus the prior log2(λ/(1−λ)) — as Splink's
 * `match_weights_chart` does (R. Linacre et al., Splink,
 * https://moj-analytical-services.github.io/splink/charts/match_weights_chart.html; the weights are those of
 * I. P. Fellegi & A. B. Sunter 1969, "A Theory for Record Linkage", JASA 64(328):1183–1210).
 * Pure functions (no engine access): the docs app bundles this module's types.
 */

/** Columns a relation must have to be taken for a parameter table (lower case). */
export const MATCH_WEIGHT_COLUMNS = ['comparison', 'level', 'm', 'u', 'bayes_factor', 'match_weight'] as const;

/** Most rows read from one parameter table (a model has a few comparisons of a few levels each). */
export const MATCH_WEIGHT_MAX_ROWS = 1000;

/** One comparison level: m = P(level | match), u = P(level | non-match), match_weight = log2(m/u). */
export interface MatchWeightLevel {
  readonly comparison: string;
  /** The gamma value (0 = disagree … highest = exact agreement). */
  readonly level: number;
  readonly m: number;
  readonly u: number;
  readonly bayes_factor: number;
  /** log2 of the Bayes factor, in bits. */
  readonly match_weight: number;
}

/** A parameter table as the site shows it. */
export interface MatchWeights {
  /** The prior: λ = P(two random records match), its weight log2(λ/(1−λ)), and where λ came from. */
  readonly prior?: { readonly lambda: number; readonly match_weight: number; readonly source?: string };
  /** Levels grouped by comparison (in the table's order), highest level first within each, as Splink draws them. */
  readonly comparisons: readonly { readonly name: string; readonly levels: readonly MatchWeightLevel[] }[];
  readonly lambda_em?: number;
  readonly lambda_deterministic?: number;
  readonly converged?: boolean;
  readonly iterations?: number;
  /** The macro's warning (EM's λ far from the deterministic one, or no convergence), when there is one. */
  readonly warning?: string;
}

/** Whether a relation with these column names holds an er_fellegi_sunter parameter table. */
export function isMatchWeightsTable(columnNames: readonly string[]): boolean {
  const have = new Set(columnNames.map((c) => c.toLowerCase()));
  return MATCH_WEIGHT_COLUMNS.every((c) => have.has(c));
}

const num = (v: unknown): number | undefined => {
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(String(v));
  return Number.isFinite(n) ? n : undefined;
};

/**
 * The chart's data from the rows of a parameter table (objects keyed by column name, any case; numbers may
 * come as numbers, bigints or numeric strings, as engines return them). The prior is the row without a level
 * (er_fellegi_sunter names it `prior (lambda)`); λ, its source, EM's and the deterministic λ, convergence and
 * the warning are read from the first row that has them.
 * @throws Error naming the row (1-based) and column when a level row lacks a finite m, u or match_weight, a
 *   level is not an integer, or no level row is present.
 */
export function matchWeightsFrom(rows: readonly Readonly<Record<string, unknown>>[]): MatchWeights {
  const lower = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v])));
  const groups = new Map<string, MatchWeightLevel[]>();
  let prior: MatchWeights['prior'];
  lower.forEach((r, i) => {
    const at = (col: string) => `row ${i + 1}, column ${col}`;
    const level = num(r.level);
    if (level === undefined) {
      const lambda = num(r.lambda);
      const weight = num(r.match_weight);
      if (lambda !== undefined && weight !== undefined) prior = { lambda, match_weight: weight, source: r.lambda_source == null ? undefined : String(r.lambda_source) };
      return;
    }
    if (!Number.isInteger(level)) throw new Error(`${at('level')}: ${String(r.level)} is not an integer comparison level`);
    const value = (col: 'm' | 'u' | 'bayes_factor' | 'match_weight') => {
      const v = num(r[col]);
      if (v === undefined) throw new Error(`${at(col)}: ${String(r[col])} is not a finite number`);
      return v;
    };
    const comparison = String(r.comparison ?? '');
    if (!comparison) throw new Error(`${at('comparison')}: empty comparison name`);
    const l: MatchWeightLevel = { comparison, level, m: value('m'), u: value('u'), bayes_factor: value('bayes_factor'), match_weight: value('match_weight') };
    (groups.get(comparison) ?? groups.set(comparison, []).get(comparison)!).push(l);
  });
  if (groups.size === 0) throw new Error('no comparison level rows (rows with a level)');
  const first = <T>(f: (r: Record<string, unknown>) => T | undefined): T | undefined => {
    for (const r of lower) {
      const v = f(r);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const warning = first((r) => (r.warning == null || r.warning === '' ? undefined : String(r.warning)));
  const converged = first((r) => (typeof r.converged === 'boolean' ? r.converged : undefined));
  return {
    prior,
    comparisons: [...groups].map(([name, levels]) => ({ name, levels: [...levels].sort((a, b) => b.level - a.level) })),
    lambda_em: first((r) => num(r.lambda_em)),
    lambda_deterministic: first((r) => num(r.lambda_deterministic)),
    converged,
    iterations: first((r) => num(r.iterations)),
    warning,
  };
}
