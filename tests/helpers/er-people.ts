/**
 * Comparison levels for person records shaped like Splink's fake_1000 (first_name, surname, dob, city,
 * email), used by the entity-resolution tests and benchmark: SQL over `candidate_pairs` (id_l, id_r) and
 * `people`, giving one gamma column per field (-1 missing, 0 disagree … max exact), and for first name and
 * surname the relative frequency of the shared value when they agree exactly (`first_name_tf`,
 * `surname_tf`, for er_fellegi_sunter's term-frequency adjustment). Uses DuckDB's
 * builtin jaro_winkler_similarity / levenshtein (the fake_1000 data is ASCII).
 */
export const PEOPLE_LEVELS = `
select p.id_l, p.id_r,
  case when l.first_name is null or r.first_name is null then -1 when l.first_name = r.first_name then 3
       when jaro_winkler_similarity(l.first_name, r.first_name) >= 0.9 then 2
       when jaro_winkler_similarity(l.first_name, r.first_name) >= 0.7 then 1 else 0 end as gamma_first_name,
  case when l.surname is null or r.surname is null then -1 when l.surname = r.surname then 3
       when jaro_winkler_similarity(l.surname, r.surname) >= 0.9 then 2
       when jaro_winkler_similarity(l.surname, r.surname) >= 0.7 then 1 else 0 end as gamma_surname,
  case when l.dob is null or r.dob is null then -1 when l.dob = r.dob then 2
       when levenshtein(cast(l.dob as varchar), cast(r.dob as varchar)) <= 1 then 1 else 0 end as gamma_dob,
  case when l.city is null or r.city is null then -1 when l.city = r.city then 1 else 0 end as gamma_city,
  case when l.email is null or r.email is null then -1 when l.email = r.email then 2
       when levenshtein(l.email, r.email) <= 2 then 1 else 0 end as gamma_email,
  case when l.first_name = r.first_name then ff.tf end as first_name_tf,
  case when l.surname = r.surname then sf.tf end as surname_tf
from candidate_pairs as p
join people as l on l.unique_id = p.id_l
join people as r on r.unique_id = p.id_r
left join (select first_name, count(*) / sum(count(*)) over () as tf from people where first_name is not null group by first_name) as ff
  on ff.first_name = l.first_name
left join (select surname, count(*) / sum(count(*)) over () as tf from people where surname is not null group by surname) as sf
  on sf.surname = l.surname`;


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
