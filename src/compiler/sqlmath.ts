/**
 * Portable SQL (and matching TypeScript) for the standard normal distribution.
 *
 * DuckDB has no `erf`, and neither Snowflake nor Trino share a common name for one, so
 * Weir renders the normal CDF as plain arithmetic. The algorithm is W. J. Cody's rational
 * Chebyshev approximation of the normal integral:
 *
 *   W. J. Cody (1969), "Rational Chebyshev approximations for the error function",
 *   Mathematics of Computation 23(107):631-637; coefficients for the normal CDF as published
 *   in W. J. Cody (1993), "Algorithm 715: SPECFUN - a portable FORTRAN package of special
 *   function routines and test drivers", ACM TOMS 19(1):22-32 (routine ANORM), which is also
 *   the algorithm of R's `pnorm()` (nmath/pnorm.c).
 *
 * Three ranges of y = |x|:
 *   - y <= 0.67448975:        Φ(x) = 1/2 + x·A(x²)/B(x²)
 *   - 0.67448975 < y <= √32:  Φ(−y) = exp(−y²/2)·C(y)/D(y)
 *   - √32 < y:                Φ(−y) = exp(−y²/2)·(1/√(2π) − P(1/y²)/Q(1/y²)/y²)/y
 * and Φ(y) = 1 − Φ(−y). The rational parts are accurate to about 1e-18 relative; the upper
 * (or lower) tail is computed directly, never as 1 − Φ, so tiny tail probabilities keep their
 * relative accuracy.
 *
 * Difference to R: R evaluates exp(−y²/2) as exp(−t²/2)·exp(−(y−t)(y+t)/2) with t = trunc(16y)/16
 * to make the argument of exp exact; truncation is not in the portable function set allowed
 * here, so the SQL (and, to stay bit-compatible, the TypeScript) evaluates exp(−0.5·x·x)
 * directly. The one rounding of x·x costs at most |x²/2|·2⁻⁵³ relative error, i.e. < 8e-14 at
 * |x| = 37.5 and < 2e-15 for |x| < 6; measured against mpmath (50 digits) the maximum relative error is
 * 5.4e-14 over [−37.5, 37.5] and 3.3e-15 over [−10, 10] (see tests/unit/sqlmath.test.ts).
 *
 * The SQL uses only `+ - * /`, `exp`, `abs`, `CASE WHEN` and `CAST(... AS DOUBLE)`, with all
 * constants written as approximate-numeric literals (`1.5e0`) so that every engine (DuckDB,
 * Snowflake, Trino) types them as DOUBLE rather than DECIMAL/NUMBER.
 */

/** Cody (1993) ANORM coefficients, small range |x| <= 0.67448975 (numerator). */
const A = [
  2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249,
  0.065682337918207449113,
] as const;
/** Small range, denominator. */
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956] as const;
/** Middle range 0.67448975 < |x| <= sqrt(32), numerator. */
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
  2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
  1.0765576773720192317e-8,
] as const;
/** Middle range, denominator. */
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
  18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
] as const;
/** Tail range |x| > sqrt(32), numerator (in 1/x²). */
const P = [
  0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466,
  2.9112874951168792e-5, 0.02307344176494017303,
] as const;
/** Tail range, denominator. */
const Q = [
  1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244,
  7.29751555083966205e-5,
] as const;

/** Boundary of the small range (Cody; ≈ the 75% quantile). */
const SPLIT_SMALL = 0.67448975;
/** Boundary between the middle and the tail range, √32. */
const SPLIT_TAIL = 5.656854249492381;
/** 1/√(2π). */
const M_1_SQRT_2PI = 0.3989422804014327;
/** Above this x, Φ(x) rounds to exactly 1 in double precision (Φ(−8.3) < 2⁻⁵⁴). */
const UPPER_ONE = 8.3;
/** Beyond this |x|, Φ(−|x|) underflows to 0 even as a subnormal double (Φ(−38.5) < 2⁻¹⁰⁷⁵). */
const LOWER_ZERO = 38.5;

/**
 * The two-sided 95% critical value z* = Φ⁻¹(0.975) = 1.959963984540054 (to double precision;
 * mpmath: 1.95996398454005423552...). Used by Weir's A/B macro for Wald intervals.
 */
export const NORMAL_QUANTILE_975 = 1.959963984540054;

// ---------------------------------------------------------------------------------------------
// TypeScript reference implementation (same operations, same order as the SQL below).

function smallRatio(s: number): number {
  // (((a4 s + a0) s + a1) s + a2) s + a3  /  (((s + b0) s + b1) s + b2) s + b3
  let num = A[4] * s;
  let den = s;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]) * s;
    den = (den + B[i]) * s;
  }
  return (num + A[3]) / (den + B[3]);
}

function middleRatio(y: number): number {
  let num = C[8] * y;
  let den = y;
  for (let i = 0; i < 7; i++) {
    num = (num + C[i]) * y;
    den = (den + D[i]) * y;
  }
  return (num + C[7]) / (den + D[7]);
}

function tailFactor(x: number, y: number): number {
  const t = 1 / (x * x);
  let num = P[5] * t;
  let den = t;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * t;
    den = (den + Q[i]) * t;
  }
  return (M_1_SQRT_2PI - (t * (num + P[4])) / (den + Q[4])) / y;
}

/** Φ(−|x|) for |x| > 0.67448975 (the shared tail term of both functions). */
function lowerTail(x: number, y: number): number {
  return Math.exp(-0.5 * x * x) * (y <= SPLIT_TAIL ? middleRatio(y) : tailFactor(x, y));
}

/**
 * Standard normal cumulative distribution function Φ(x) = P(Z ≤ x), Z ~ N(0, 1).
 *
 * Algorithm: W. J. Cody (1969) rational Chebyshev approximations, Math. Comp. 23(107):631-637,
 * with the normal-CDF coefficients of Cody (1993) ACM TOMS Algorithm 715 (ANORM; as in R's
 * `pnorm`). It performs exactly the operations of the SQL produced by {@link normalCdfSql}, so
 * both agree to within the last-bit differences of the platforms' `exp`.
 *
 * @param x - any double; NaN gives NaN, ±Infinity gives 1 / 0.
 * @returns Φ(x) in [0, 1]; relative error ≲ 1e-13 wherever Φ(x) is a normal (non-subnormal)
 *   double, i.e. for x ≥ −37.5; returns exactly 0 for x < −38.5 and exactly 1 for x > 8.3.
 */
export function normalCdf(x: number): number {
  const y = Math.abs(x);
  if (y <= SPLIT_SMALL) return 0.5 + x * smallRatio(x * x);
  if (x > UPPER_ONE) return 1;
  if (x < -LOWER_ZERO) return 0;
  const s = x / y; // ±1, exact
  return 0.5 + (0.5 * x) / y - s * lowerTail(x, y);
}

/**
 * Two-sided p-value of a standard-normal test statistic: p = 2·(1 − Φ(|z|)) = 2·Φ(−|z|).
 *
 * Computed from the upper tail directly (erfc-style, never as 1 − Φ), so small p-values keep
 * full relative accuracy (e.g. z = 7 → 2.56e-12 to ~1e-15 relative). Same algorithm as
 * {@link normalCdf} (Cody 1969/1993) and the same operations as {@link normalTwoSidedPSql}.
 *
 * @param z - the z statistic (any double). NaN gives NaN; ±Infinity gives 0.
 * @returns p in [0, 1]; exactly 0 for |z| > 38.5 (below the smallest subnormal double).
 */
export function normalTwoSidedP(z: number): number {
  const y = Math.abs(z);
  if (y <= SPLIT_SMALL) return 1 - (2 * y * smallRatio(z * z));
  if (y > LOWER_ZERO) return 0;
  return 2 * lowerTail(z, y);
}

// Acklam's rational approximation coefficients (initial guess for normalPpf).
const AK_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
] as const;
const AK_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155211027e1] as const;
const AK_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
] as const;
const AK_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const SQRT_2PI = 2.5066282746310002;

/** Lower-tail quantile for p in (0, 0.5]; Acklam initial value + Halley steps on Cody's Φ. */
function lowerQuantile(p: number): number {
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((AK_C[0] * q + AK_C[1]) * q + AK_C[2]) * q + AK_C[3]) * q + AK_C[4]) * q + AK_C[5]) /
      ((((AK_D[0] * q + AK_D[1]) * q + AK_D[2]) * q + AK_D[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((AK_A[0] * r + AK_A[1]) * r + AK_A[2]) * r + AK_A[3]) * r + AK_A[4]) * r + AK_A[5]) * q) /
      (((((AK_B[0] * r + AK_B[1]) * r + AK_B[2]) * r + AK_B[3]) * r + AK_B[4]) * r + 1);
  }
  // Halley refinement (Acklam): e = Φ(x) − p, u = e·√(2π)·exp(x²/2), x ← x − u/(1 + x·u/2).
  // Φ is evaluated in the lower tail, where it has full relative accuracy.
  for (let i = 0; i < 2; i++) {
    const e = normalCdf(x) - p;
    const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}

/**
 * Standard normal quantile (inverse CDF) Φ⁻¹(p), TypeScript only (e.g. for z* of a confidence
 * interval other than 95%: z* = normalPpf(1 − α/2)).
 *
 * Algorithm: P. J. Acklam (2003), "An algorithm for computing the inverse normal cumulative
 * distribution function" (rational approximation, relative error 1.15e-9), refined by two
 * Halley steps on {@link normalCdf} (as Acklam recommends), giving ~1e-15 relative accuracy.
 * The upper half is computed by symmetry from 1 − p (exact for p ≥ 0.5).
 *
 * @param p - probability; must satisfy 0 ≤ p ≤ 1.
 * @returns x with Φ(x) = p; −Infinity for p = 0, +Infinity for p = 1.
 * @throws RangeError when p is NaN or outside [0, 1].
 */
export function normalPpf(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalPpf: probability must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  return p < 0.5 ? lowerQuantile(p) : -lowerQuantile(1 - p);
}

// ---------------------------------------------------------------------------------------------
// SQL renderers.

/** Render a JS number as an approximate-numeric SQL literal (DOUBLE on all engines). */
function dbl(v: number): string {
  // toExponential() without digits gives the shortest round-trip representation.
  return v.toExponential();
}

/** Horner form `((c_k·v + c_0)·v + …)·v + c_last` with explicit leading coefficient. */
function hornerSql(v: string, lead: string, coeffs: readonly number[], last: number): string {
  let s = lead;
  for (const c of coeffs) s = `(${s} + ${dbl(c)}) * ${v}`;
  return `(${s} + ${dbl(last)})`;
}

/** The shared SQL pieces for an expression already cast to DOUBLE. */
function sqlPieces(xd: string) {
  const y = `abs(${xd})`;
  const sq = `(${xd} * ${xd})`;
  const small = `(${hornerSql(sq, `${dbl(A[4])} * ${sq}`, A.slice(0, 3), A[3])} / ${hornerSql(sq, sq, B.slice(0, 3), B[3])})`;
  const middle = `${hornerSql(y, `${dbl(C[8])} * ${y}`, C.slice(0, 7), C[7])} / ${hornerSql(y, y, D.slice(0, 7), D[7])}`;
  const t = `(${dbl(1)} / ${sq})`;
  const tail =
    `(${dbl(M_1_SQRT_2PI)} - ${t} * ${hornerSql(t, `${dbl(P[5])} * ${t}`, P.slice(0, 4), P[4])}` +
    ` / ${hornerSql(t, t, Q.slice(0, 4), Q[4])}) / ${y}`;
  const lower =
    `exp(${dbl(-0.5)} * ${xd} * ${xd}) * CASE WHEN ${y} <= ${dbl(SPLIT_TAIL)} THEN ${middle} ELSE ${tail} END`;
  return { y, small, lower };
}

function asDouble(x: string): string {
  return `CAST((${x}) AS DOUBLE)`;
}

/**
 * SQL expression text for the standard normal CDF Φ(x).
 *
 * Algorithm: W. J. Cody (1969), "Rational Chebyshev approximations for the error function",
 * Math. Comp. 23(107):631-637, normal-CDF coefficients from Cody (1993) ACM TOMS Algorithm 715
 * (ANORM, as used by R's `pnorm`); see the module comment for the ranges and error analysis.
 * Maximum relative error measured against mpmath on DuckDB: 5.4e-14 for x ≥ −37.5, 3.3e-15 for |x| ≤ 10.
 *
 * Portability: uses only `+ - * /`, `exp`, `abs`, `CASE WHEN` and `CAST(... AS DOUBLE)`, with
 * DOUBLE literals (`1e0` notation) — valid on DuckDB, Snowflake and Trino. Division by zero
 * cannot occur in a branch that is taken (the `1/x²` term is only used for |x| > √32).
 *
 * SQL cannot bind a variable inside an expression, so `x` is repeated textually (about 70
 * times, each time as `CAST((x) AS DOUBLE)`); pass a column reference or a short expression
 * (compute a complex statistic in a CTE first). `x` may be any numeric SQL expression; it is
 * always parenthesised, so operator precedence in `x` is safe.
 *
 * @param x - SQL expression text of a numeric value (INTEGER, DECIMAL or DOUBLE).
 * @returns SQL expression text of a DOUBLE in [0, 1] (parenthesised); NULL when x is NULL.
 * @throws TypeError if `x` is empty or only whitespace.
 */
export function normalCdfSql(x: string): string {
  if (typeof x !== 'string' || x.trim() === '') throw new TypeError('normalCdfSql: expected a non-empty SQL expression');
  const xd = asDouble(x);
  const { y, small, lower } = sqlPieces(xd);
  return (
    `(CASE WHEN ${y} <= ${dbl(SPLIT_SMALL)} THEN ${dbl(0.5)} + ${xd} * ${small}` +
    ` WHEN ${xd} > ${dbl(UPPER_ONE)} THEN ${dbl(1)}` +
    ` WHEN ${xd} < ${dbl(-LOWER_ZERO)} THEN ${dbl(0)}` +
    ` ELSE ${dbl(0.5)} + ${dbl(0.5)} * ${xd} / ${y} - ${xd} / ${y} * ${lower} END)`
  );
}

/**
 * SQL expression text for the two-sided normal p-value p = 2·(1 − Φ(|z|)) = 2·Φ(−|z|).
 *
 * The upper tail is computed directly (erfc-style), never as 1 − Φ(|z|), so p-values such as
 * 1e-10 keep ~1e-14 relative accuracy. Same algorithm, citation and portability notes as
 * {@link normalCdfSql} (Cody 1969, Math. Comp. 23(107):631-637; Cody 1993 TOMS 715).
 *
 * @param z - SQL expression text of the numeric z statistic; repeated textually (~60 times),
 *   so prefer a column reference.
 * @returns SQL expression text of a DOUBLE in [0, 1] (parenthesised); NULL when z is NULL;
 *   exactly 0 for |z| > 38.5.
 * @throws TypeError if `z` is empty or only whitespace.
 */
export function normalTwoSidedPSql(z: string): string {
  if (typeof z !== 'string' || z.trim() === '') {
    throw new TypeError('normalTwoSidedPSql: expected a non-empty SQL expression');
  }
  const zd = asDouble(z);
  const { y, small, lower } = sqlPieces(zd);
  return (
    `(CASE WHEN ${y} <= ${dbl(SPLIT_SMALL)} THEN ${dbl(1)} - ${dbl(2)} * ${y} * ${small}` +
    ` WHEN ${y} > ${dbl(LOWER_ZERO)} THEN ${dbl(0)}` +
    ` ELSE ${dbl(2)} * ${lower} END)`
  );
}
