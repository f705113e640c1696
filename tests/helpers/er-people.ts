/**
 * Comparison levels for person records shaped like Splink's fake_1000 (first_name, surname, dob, city,
 * email), used by the entity-resolution tests and benchmark: SQL over `candidate_pairs` (id_l, id_r) and
 * `people`, giving one gamma column per field (-1 missing, 0 disagree … max exact). Uses DuckDB's
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
       when levenshtein(l.email, r.email) <= 2 then 1 else 0 end as gamma_email
from candidate_pairs as p
join people as l on l.unique_id = p.id_l
join people as r on r.unique_id = p.id_r`;

