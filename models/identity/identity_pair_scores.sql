{{!-- Candidate pairs of identity records, their comparison levels and Fellegi–Sunter match probabilities
      (m/u estimated by EM).
      Blocking: same email, phone subscriber number, email local part, name key (either of a record's two
      readings), or the same given name with a phonetically equal family name (typos) and vice versa.
      Levels (-1 = a value missing, or no evidence beyond another comparison):
        gamma_name  8/7 = a shared name key expected on ≤ 0.05 records by chance (term frequency:
                    N·P(family)·P(given)) that only these two records carry / more carry; 6/5 = the same for
                    keys expected on ≤ 0.5 records; 4 = a shared common key; 3 = same family name and
                    compatible given name (initial, Jaro-Winkler ≥ 0.88) or same given name and family name
                    JW ≥ 0.88; 2/1 = token-set ratio ≥ 90/75; 0 = different.
        gamma_email 5 = same address; 4 = same local part (≥ 4 characters) at a domain one keystroke away
                    (Damerau-Levenshtein 1: gmial.com) or one holding digits; 3 = same letters-only local
                    part that says more than the name (bluecharles); 2 = same letters with other digits;
                    1 = local parts JW ≥ 0.88; 0 = different. Two local parts that are only the name
                    (jihu.kim, email_is_name) and agree repeat the name comparison: -1 when the names agree
                    at all, else 2.
        gamma_phone 2 = same E.164 number; 1 = same subscriber number (last 8 digits) under another country
                    code; 0 = different.
        gamma_dob   1 = same birth date; 0 = different.
        gamma_birth_year  1 = a two-digit number ending one record's email local part is the other's birth
                    year (jkim83, born 1983); 0 = it is not. --}}
{{config materialized="table"}}
with pairs as (
    {{> er_blocked_pairs relation=(ref "int_identity_records") id_col="record_id"
        rules=(array "l.email = r.email" "l.phone_subscriber = r.phone_subscriber"
                     "l.email_local = r.email_local and length(l.email_local) >= 4"
                     "l.name_key1 = r.name_key1" "l.name_key1 = r.name_key2" "l.name_key2 = r.name_key1"
                     "l.given = r.given and l.family_dm = r.family_dm and l.given <> ''"
                     "l.family = r.family and l.given_dm = r.given_dm and l.family <> ''"
                     "l.name_norm = r.name_norm and l.name_norm <> ''")}}
),

key_parts as (
    select k, split_part(k, ' ', 1) as family, split_part(k, ' ', 2) as given
    from (
        select name_key1 as k from {{ref "int_identity_records"}} where name_key1 is not null
        union all
        select name_key2 from {{ref "int_identity_records"}} where name_key2 is not null
    ) as keys
),

-- expected number of records carrying a key by chance: N · P(family) · P(given), with P estimated from
-- the name parts' frequencies (a term-frequency u probability; common Korean given names and surnames
-- make 김지후 far less telling than Vaughn Hamill)
key_frequency as (
    select k.k, cast(max(f.n * g.n) as double) / (select count(*) from key_parts) as expected
    from (select distinct k, family, given from key_parts) as k
    join (select family, count(*) as n from key_parts group by family) as f on f.family = k.family
    join (select given, count(*) as n from key_parts group by given) as g on g.given = k.given
    group by k.k
),

key_carriers as (
    select k, count(distinct record_id) as carriers
    from (
        select record_id, name_key1 as k from {{ref "int_identity_records"}}
        union all
        select record_id, name_key2 from {{ref "int_identity_records"}}
    ) as keys
    where k is not null
    group by k
),

compared as (
    select
        p.id_l,
        p.id_r,
        l.name_key1 is null or r.name_key1 is null as name_missing,
        -- the rarest key the two records share (NULL when none)
        (select min(f.expected) from key_frequency as f
         where f.k in (l.name_key1, l.name_key2) and f.k in (r.name_key1, r.name_key2)) as shared_key_n,
        -- how many records actually carry it (2: only these two)
        (select min(c.carriers) from key_carriers as c
         where c.k in (l.name_key1, l.name_key2) and c.k in (r.name_key1, r.name_key2)) as shared_key_carriers,
        l.family = r.family and (
            (length(l.given) = 1 and {{starts_with "r.given" "l.given"}})
            or (length(r.given) = 1 and {{starts_with "l.given" "r.given"}})
            or jw_similarity(l.given, r.given) >= 0.88
        ) or (l.given = r.given and jw_similarity(l.family, r.family) >= 0.88) as name_close,
        fuzz_token_set_ratio(l.name_norm, r.name_norm) as name_ratio,
        l.email, r.email as email_r, l.email_local, r.email_local as email_local_r,
        l.email_stem, r.email_stem as email_stem_r, l.email_is_name, r.email_is_name as email_is_name_r, l.email_yy, r.email_yy as email_yy_r,
        l.phone_e164, r.phone_e164 as phone_r, l.phone_subscriber, r.phone_subscriber as phone_subscriber_r,
        l.birth_date, r.birth_date as birth_r
    from pairs as p
    join {{ref "int_identity_records"}} as l on l.record_id = p.id_l
    join {{ref "int_identity_records"}} as r on r.record_id = p.id_r
),

raw_levels as (
    select
        id_l,
        id_r,
        case when name_missing then -1
             when shared_key_n <= 0.05 and shared_key_carriers <= 2 then 8
             when shared_key_n <= 0.05 then 7
             when shared_key_n <= 0.5 and shared_key_carriers <= 2 then 6
             when shared_key_n <= 0.5 then 5
             when shared_key_n is not null then 4
             when name_close then 3
             when name_ratio >= 90 then 2
             when name_ratio >= 75 then 1
             else 0 end as gamma_name,
        case when email is null or email_r is null then -1
             when email = email_r then 5
             -- the same local part at a mistyped domain (gmial.com, navr.com), or one with digits (jkim83):
             -- a namesake rarely has it
             when email_local = email_local_r and length(email_local) >= 4
                  and (dl_distance(split_part(email, '@', 2), split_part(email_r, '@', 2)) = 1
                       or {{regexp_like "email_local" (literal "[0-9]")}}) then 4
             -- both local parts only the name (jihu.kim, jkim83 vs jkim91): marked -2, see gamma_email below
             when email_is_name and email_is_name_r and length(email_stem) >= 4
                  and (email_local = email_local_r or email_stem = email_stem_r) then -2
             -- the same letters-only local part that says more than the name (bluecharles)
             when email_local = email_local_r and length(email_local) >= 4 then 3
             -- the same letters with other digits (bluecharles73, bluecharles12)
             when email_stem = email_stem_r and length(email_stem) >= 4 then 2
             when jw_similarity(email_local, email_local_r) >= 0.88 then 1
             else 0 end as email_level,
        case when phone_e164 is null or phone_r is null then -1
             when phone_e164 = phone_r then 2
             -- the same subscriber number under another country code (a national number read as Korean)
             when phone_subscriber = phone_subscriber_r then 1
             else 0 end as gamma_phone,
        case when birth_date is null or birth_r is null then -1
             when birth_date = birth_r then 1
             else 0 end as gamma_dob,
        -- a two-digit number ending one record's email local part against the other's birth year
        case when birth_date is not null and birth_r is null and email_yy_r is not null
                  then case when email_yy_r = {{right "cast(extract(year from birth_date) as varchar)" 2}} then 1 else 0 end
             when birth_r is not null and birth_date is null and email_yy is not null
                  then case when email_yy = {{right "cast(extract(year from birth_r) as varchar)" 2}} then 1 else 0 end
             else -1 end as gamma_birth_year
    from compared
),

-- an agreement of name-only local parts repeats the name comparison (namesakes write jihu.kim too):
-- counted again it would break the conditional independence Fellegi–Sunter assumes, so it is left out
-- (-1) when the names agree at all, and is weak evidence (2) when a name is missing or disagrees
levels as (
    select
        id_l, id_r, gamma_name, gamma_phone, gamma_dob, gamma_birth_year,
        case when email_level = -2 then case when gamma_name >= 1 then -1 else 2 end
             else email_level end as gamma_email
    from raw_levels
)

select * from (
    {{> er_fellegi_sunter pairs="levels" gamma_cols=(array "gamma_name" "gamma_email" "gamma_phone" "gamma_dob" "gamma_birth_year") iterations=10}}
) as scored
