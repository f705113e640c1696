/**
 * Simple comparison levels for person records shaped like Splink's fake_1000 (first_name, surname, dob, city,
 * email), used by the legacy-estimator test and BENCHMARKS.md (e): SQL over `candidate_pairs` (id_l, id_r) and
 * `people`, giving one gamma column per field (-1 missing, 0 disagree … max exact; first name and surname
 * swapped between the records count as exact on both), and for first name and surname the relative frequency
 * of the shared value when they agree exactly (`first_name_tf`, `surname_tf`, for er_fellegi_sunter's
 * term-frequency adjustment). Uses DuckDB's builtin jaro_winkler_similarity / levenshtein (fake_1000 is ASCII).
 * Section (r) and the trained estimator's tests use the richer {@link peopleLevels}.
 */
export const PEOPLE_LEVELS = simplePeopleLevels('candidate_pairs');

/** {@link PEOPLE_LEVELS} over another pairs relation; keeps its rule_* columns. */
export function simplePeopleLevels(pairs: string, people = 'people'): string {
  return `
select p.*,
  case when l.first_name is null or r.first_name is null then -1 when l.first_name = r.first_name then 3
       when l.first_name = r.surname and l.surname = r.first_name then 3
       when jaro_winkler_similarity(l.first_name, r.first_name) >= 0.9 then 2
       when jaro_winkler_similarity(l.first_name, r.first_name) >= 0.7 then 1 else 0 end as gamma_first_name,
  case when l.surname is null or r.surname is null then -1 when l.surname = r.surname then 3
       when l.first_name = r.surname and l.surname = r.first_name then 3
       when jaro_winkler_similarity(l.surname, r.surname) >= 0.9 then 2
       when jaro_winkler_similarity(l.surname, r.surname) >= 0.7 then 1 else 0 end as gamma_surname,
  case when l.dob is null or r.dob is null then -1 when l.dob = r.dob then 2
       when levenshtein(cast(l.dob as varchar), cast(r.dob as varchar)) <= 2 then 1 else 0 end as gamma_dob,
  case when l.city is null or r.city is null then -1 when l.city = r.city then 1 else 0 end as gamma_city,
  case when l.email is null or r.email is null then -1 when l.email = r.email then 2
       when levenshtein(l.email, r.email) <= 2 then 1 else 0 end as gamma_email,
  case when l.first_name = r.first_name then ff.tf end as first_name_tf,
  case when l.surname = r.surname then sf.tf end as surname_tf
from ${pairs} as p
join ${people} as l on l.unique_id = p.id_l
join ${people} as r on r.unique_id = p.id_r
left join (select first_name, count(*) / sum(count(*)) over () as tf from ${people} where first_name is not null group by first_name) as ff
  on ff.first_name = l.first_name
left join (select surname, count(*) / sum(count(*)) over () as tf from ${people} where surname is not null group by surname) as sf
  on sf.surname = l.surname`;
}

/** The comparison levels of {@link peopleLevels}: the top level of each gamma column (exact agreement). */
export const PEOPLE_TOP_LEVELS = { gamma_first_name: 4, gamma_surname: 4, gamma_dob: 5, gamma_city: 2, gamma_email: 3 } as const;

/**
 * Comparison levels for person records (first_name, surname, dob, city, email) after Splink's comparison library
 * defaults (https://moj-analytical-services.github.io/splink/api_docs/comparison_library.html, and the topic guide
 * "Defining and customising comparisons"), chosen without looking at any labels:
 * - first_name, surname (Splink's NameComparison): missing -1; exact 4; Jaro-Winkler ≥ 0.92 → 3, ≥ 0.88 → 2,
 *   ≥ 0.7 → 1; else 0. The right record's two name columns are first aligned with the left's: when the crossed
 *   pairing (first name against surname and surname against first name) is more similar by Jaro-Winkler than the
 *   straight one, the crossed values are compared — the fuzzy form of Splink's "columns reversed" level
 *   (ForenameSurnameComparison), since a swapped name often also carries a typo. The same SQL runs on the random
 *   pairs, so u measures how often the alignment makes strangers agree.
 * - dob (Splink's DateOfBirthComparison): exact 5; Damerau-Levenshtein ≤ 1 on the text 4; within 1 month 3,
 *   1 year 2, 10 years 1; else 0. (Damerau-Levenshtein is slow in DuckDB: it is computed only for dates that share
 *   the year, the month or the day, which for dates written YYYY-MM-DD loses no pair at distance 1.)
 * - city: exact 2 (with a term-frequency adjustment, as Splink's demos use ExactMatch("city") with
 *   term_frequency_adjustments); Jaro-Winkler ≥ 0.88 1 (a misspelt city: the profile of the values shows them);
 *   else 0.
 * - email (Splink's EmailComparison without its Jaro-Winkler levels): exact 3; same user name (before @, the domain
 *   differs) 2; Levenshtein ≤ 2 on the address (a typo; computed only when the lengths differ by ≤ 2) 1; else 0.
 *   Jaro-Winkler rewards a shared prefix,
 *   and an address's prefix is mostly the person's name, which the name comparisons already count: Fellegi–Sunter
 *   multiplies comparisons as if independent given match status, so a level that re-measures the name double-counts
 *   it (strangers with one first name then look like matches). An edit distance measures a typo instead.
 * A missing value on either side gives -1, which er_fellegi_sunter leaves out of the product (Bayes factor 1).
 * Also the relative frequency (among the records) of the shared first name, surname and city when they agree
 * exactly (`first_name_tf`, `surname_tf`, `city_tf`; Splink's term-frequency adjustments, u = that frequency).
 * Over `pairs` (id_l, id_r, kept columns such as rule_*) and `people` (unique_id and the fields).
 */
export function peopleLevels(pairs: string, people = 'people'): string {
  const name = (c: string) => `case when e.l_${c} is null or e.a_${c} is null then -1 when e.l_${c} = e.a_${c} then 4
       when e.sim_${c} >= 0.92 then 3 when e.sim_${c} >= 0.88 then 2 when e.sim_${c} >= 0.7 then 1 else 0 end as gamma_${c}`;
  const tf = (c: string, side: string) => `left join (select ${c}, count(*) / sum(count(*)) over () as tf from ${people} where ${c} is not null group by ${c}) as ${c}_tf
  on ${c}_tf.${c} = e.${side}_${c}`;
  const fields = ['first_name', 'surname', 'dob', 'city', 'email'];
  const helpers = [...fields.flatMap((f) => [`l_${f}`, `r_${f}`]), 'ff', 'ss', 'fs', 'sf', 'days', 'crossed', 'a_first_name', 'a_surname', 'sim_first_name', 'sim_surname'];
  // Stage 1 computes each Jaro-Winkler similarity once per pair (ff: first names, ss: surnames, fs / sf: crossed) and
  // the days between the birth dates (dob as text YYYY-MM-DD or a DATE); stage 2 aligns the right record's name columns; stage 3 gives the levels.
  return `
select e.* exclude (${helpers.join(', ')}),
  ${name('first_name')},
  ${name('surname')},
  case when e.l_dob is null or e.r_dob is null then -1 when e.l_dob = e.r_dob then 5
       when (left(e.l_dob, 4) = left(e.r_dob, 4) or substr(e.l_dob, 6, 2) = substr(e.r_dob, 6, 2) or substr(e.l_dob, 9, 2) = substr(e.r_dob, 9, 2))
            and damerau_levenshtein(e.l_dob, e.r_dob) <= 1 then 4
       when e.days <= 31 then 3 when e.days <= 366 then 2 when e.days <= 3660 then 1 else 0 end as gamma_dob,
  case when e.l_city is null or e.r_city is null then -1 when e.l_city = e.r_city then 2
       when jaro_winkler_similarity(e.l_city, e.r_city) >= 0.88 then 1 else 0 end as gamma_city,
  case when e.l_email is null or e.r_email is null then -1 when e.l_email = e.r_email then 3
       when split_part(e.l_email, '@', 1) = split_part(e.r_email, '@', 1) then 2
       when abs(length(e.l_email) - length(e.r_email)) <= 2 and levenshtein(e.l_email, e.r_email) <= 2 then 1 else 0 end as gamma_email,
  case when e.l_first_name = e.a_first_name then first_name_tf.tf end as first_name_tf,
  case when e.l_surname = e.a_surname then surname_tf.tf end as surname_tf,
  case when e.l_city = e.r_city then city_tf.tf end as city_tf
from (
  select d.*,
    case when d.crossed then d.r_surname else d.r_first_name end as a_first_name, case when d.crossed then d.r_first_name else d.r_surname end as a_surname,
    case when d.crossed then d.fs else d.ff end as sim_first_name, case when d.crossed then d.sf else d.ss end as sim_surname
  from (
    select j.*, coalesce(j.fs, 0) + coalesce(j.sf, 0) > coalesce(j.ff, 0) + coalesce(j.ss, 0) as crossed
    from (
      select p.*, ${fields.map((f) => (f === 'dob' ? 'cast(l.dob as varchar) as l_dob, cast(r.dob as varchar) as r_dob' : `l.${f} as l_${f}, r.${f} as r_${f}`)).join(', ')},
        jaro_winkler_similarity(l.first_name, r.first_name) as ff, jaro_winkler_similarity(l.surname, r.surname) as ss,
        jaro_winkler_similarity(l.first_name, r.surname) as fs, jaro_winkler_similarity(l.surname, r.first_name) as sf,
        abs(date_diff('day', try_cast(l.dob as date), try_cast(r.dob as date))) as days
      from ${pairs} as p
      join ${people} as l on l.unique_id = p.id_l
      join ${people} as r on r.unique_id = p.id_r
    ) as j
  ) as d
) as e
${tf('first_name', 'l')}
${tf('surname', 'l')}
${tf('city', 'l')}`;
}


/**
 * Blocking rules for Splink's fake_1000 (1,000 records): any single field equal, or 2-letter prefixes of
 * both names, or city with the first initial. Loose — 4,628 candidate pairs, ~1 % of all pairs — which a
 * small data set affords and which keeps ~90 % of the true pairs reachable. Handlebars `array` arguments.
 */
export const FAKE_1000_BLOCKING =
  '"l.first_name = r.first_name" "l.surname = r.surname" "l.dob = r.dob" "l.email = r.email" ' +
  '"left(l.first_name, 2) = left(r.first_name, 2) and left(l.surname, 2) = left(r.surname, 2)" ' +
  '"l.city = r.city and left(l.first_name, 1) = left(r.first_name, 1)"';

/**
 * Blocking rules that stay near-linear at 100,000 records (no rule on one common value alone): full name,
 * birth date with surname initial, email, name prefixes within a city. Handlebars `array` arguments.
 */
export const SCALED_BLOCKING =
  '"l.first_name = r.first_name and l.surname = r.surname" "l.dob = r.dob and left(l.surname, 1) = left(r.surname, 1)" ' +
  '"l.email = r.email" "left(l.first_name, 2) = left(r.first_name, 2) and left(l.surname, 2) = left(r.surname, 2) and l.city = r.city"';

/**
 * er_fellegi_sunter rule_gammas of {@link FAKE_1000_BLOCKING}: per rule, the comparisons of the columns the rule uses
 * (as Splink deactivates the comparisons of a training blocking rule's columns, even when the rule only constrains them).
 */
export const FAKE_1000_RULE_GAMMAS =
  '(array (array "gamma_first_name") (array "gamma_surname") (array "gamma_dob") (array "gamma_email") (array "gamma_first_name" "gamma_surname") (array "gamma_city" "gamma_first_name"))';

/**
 * Deliberately loose blocking for fake_1000 in the shape of Splink's single-field demo rules plus initials and birth
 * year: ~64,000 candidate pairs of which ~3 % match (the shape in which EM on the blocked pairs alone fails).
 */
export const LOOSE_FAKE_1000_BLOCKING =
  '"l.first_name = r.first_name" "l.surname = r.surname" "l.city = r.city" "left(l.dob, 4) = left(r.dob, 4)" "l.email = r.email" ' +
  '"left(l.surname, 1) = left(r.surname, 1)" "left(l.first_name, 1) = left(r.first_name, 1)"';
/** rule_gammas of {@link LOOSE_FAKE_1000_BLOCKING} (the columns each rule uses). */
export const LOOSE_FAKE_1000_RULE_GAMMAS =
  '(array (array "gamma_first_name") (array "gamma_surname") (array "gamma_city") (array "gamma_dob") (array "gamma_email") (array "gamma_surname") (array "gamma_first_name"))';
/** rule_gammas of {@link SCALED_BLOCKING} (the columns each rule uses). */
export const SCALED_RULE_GAMMAS =
  '(array (array "gamma_first_name" "gamma_surname") (array "gamma_dob" "gamma_surname") (array "gamma_email") (array "gamma_first_name" "gamma_surname" "gamma_city"))';

/**
 * Loose blocking for generated records (single fields, and city with the first initial): ~1.5 % of the candidate
 * pairs match at 10,000 records — the shape in which EM on the candidate pairs alone takes agreement for a match.
 */
export const LOOSE_SCALED_BLOCKING =
  '"l.first_name = r.first_name" "l.surname = r.surname" "l.dob = r.dob" "l.email = r.email" "l.city = r.city and left(l.first_name, 1) = left(r.first_name, 1)"';
/** rule_gammas of {@link LOOSE_SCALED_BLOCKING}. */
export const LOOSE_SCALED_RULE_GAMMAS =
  '(array (array "gamma_first_name") (array "gamma_surname") (array "gamma_dob") (array "gamma_email") (array "gamma_city" "gamma_first_name"))';

/**
 * er_fellegi_sunter arguments of the trained estimator over tables `<name>_levels`, `<name>_u_levels` and `<name>`
 * (as the ER tests and benchmark prepare them with {@link peopleLevels}): term-frequency adjustments on first name,
 * surname and city, the documented defaults otherwise.
 */
export function trainedArgs(name: string, ruleGammas: string): string {
  return `pairs="${name}_levels" u_pairs="${name}_u_levels" records="${name}" ` +
    'gamma_cols=(array "gamma_first_name" "gamma_surname" "gamma_dob" "gamma_city" "gamma_email") ' +
    `rule_gammas=${ruleGammas} tf_cols=(array "gamma_first_name" "gamma_surname" "gamma_city") tf_value_cols=(array "first_name_tf" "surname_tf" "city_tf")`;
}

/** Pairwise scores of `scored` (id_l, id_r, match_probability) at p ≥ 0.5 against `<people>.cluster`. */
export interface PairwiseScores {
  /** predicted matching pairs that are true / predicted pairs */
  precision: number;
  /** true pairs predicted / all true pairs of the data (pairs blocking missed count as misses) */
  recall: number;
  f1: number;
  /** true pairs predicted / true pairs among the candidate pairs (what the model could find) */
  candidateRecall: number;
  /** F1 with candidateRecall: the pairwise F1 over the scored candidate pairs */
  candidateF1: number;
  truePairs: number;
  candidatePairs: number;
  /** share of candidate pairs that are true matches */
  matchShare: number;
  /** the best candidate F1 over all thresholds (how good the ranking is, whatever the calibration) and its threshold */
  bestCandidateF1: number;
  bestThreshold: number;
}

/** Computes {@link PairwiseScores} in DuckDB. */
export async function pairwiseScores(conn: { runAndReadAll(sql: string): Promise<{ getRowObjectsJS(): Record<string, unknown>[] }> }, people: string, scored: string, threshold = 0.5): Promise<PairwiseScores> {
  const [r] = (await conn.runAndReadAll(`
    with truth as (select a.unique_id as l, b.unique_id as r from ${people} a join ${people} b on a.cluster = b.cluster and a.unique_id < b.unique_id),
    scored as (select s.id_l as l, s.id_r as r, s.match_probability as p, a.cluster = b.cluster as is_match
               from ${scored} s join ${people} a on a.unique_id = s.id_l join ${people} b on b.unique_id = s.id_r)
    select (select count(*) from truth) as t, count(*) as c, sum(case when is_match then 1 else 0 end) as cm,
           sum(case when p >= ${threshold} then 1 else 0 end) as pred, sum(case when p >= ${threshold} and is_match then 1 else 0 end) as tp
    from scored`)).getRowObjectsJS();
  const t = Number(r.t), c = Number(r.c), cm = Number(r.cm), pred = Number(r.pred), tp = Number(r.tp);
  const precision = pred ? tp / pred : 0, recall = tp / t, candidateRecall = cm ? tp / cm : 0;
  const f = (p: number, q: number) => (p + q ? (2 * p * q) / (p + q) : 0);
  const [b] = (await conn.runAndReadAll(`
    with s as (select s.match_probability as p, case when a.cluster = b.cluster then 1 else 0 end as m
               from ${scored} s join ${people} a on a.unique_id = s.id_l join ${people} b on b.unique_id = s.id_r),
    g as (select p, count(*) as n, sum(m) as m from s group by p),
    c as (select p, sum(n) over (order by p desc) as k, sum(m) over (order by p desc) as tp from g)
    select p, 2.0 * tp / (k + ${cm}) as f1 from c order by f1 desc, p desc limit 1`)).getRowObjectsJS();
  return { precision, recall, f1: f(precision, recall), candidateRecall, candidateF1: f(precision, candidateRecall), truePairs: t, candidatePairs: c, matchShare: cm / c,
    bestCandidateF1: Number(b.f1), bestThreshold: Number(b.p) };
}
