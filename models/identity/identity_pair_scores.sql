{{!-- Candidate pairs of identity records, their comparison levels and Fellegi–Sunter match probabilities
      (m/u estimated by EM).
      Blocking: same email, phone, email local part, name key (either of a record's two readings), or the
      same given name with a phonetically equal family name (typos) and vice versa.
      Levels: gamma_name 6/5 = a shared name key that at most 2/5 records carry (term frequency), 4 = a
      shared common key, 3 = same family name and compatible given name (initial, Jaro-Winkler ≥ 0.88) or same
      given name and family name JW ≥ 0.88, 2/1 = token-set ratio ≥ 90/75, 0 = different;
      gamma_email 4 = same address, 3 = same local part (≥ 4 characters) at a domain one keystroke away
      (Damerau-Levenshtein 1: gmial.com) or one
      holding digits, 2 = same letters-only local part at another domain, 1 = local part JW ≥ 0.88; gamma_phone 1 = same E.164 number; gamma_dob 1 = same birth date. -1 = a value missing. --}}
{{config materialized="table"}}
with pairs as (
    {{> er_blocked_pairs relation=(ref "int_identity_records") id_col="record_id"
        rules=(array "l.email = r.email" "l.phone_e164 = r.phone_e164"
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
    select k.k, max(f.n * g.n) / (select count(*) from key_parts) as expected
    from (select distinct k, family, given from key_parts) as k
    join (select family, count(*) as n from key_parts group by family) as f on f.family = k.family
    join (select given, count(*) as n from key_parts group by given) as g on g.given = k.given
    group by k.k
),

compared as (
    select
        p.id_l,
        p.id_r,
        l.name_key1 is null or r.name_key1 is null as name_missing,
        -- the rarest key the two records share (NULL when none)
        (select min(f.expected) from key_frequency as f
         where f.k in (l.name_key1, l.name_key2) and f.k in (r.name_key1, r.name_key2)) as shared_key_n,
        l.family = r.family and (
            (length(l.given) = 1 and starts_with(r.given, l.given))
            or (length(r.given) = 1 and starts_with(l.given, r.given))
            or jw_similarity(l.given, r.given) >= 0.88
        ) or (l.given = r.given and jw_similarity(l.family, r.family) >= 0.88) as name_close,
        fuzz_token_set_ratio(l.name_norm, r.name_norm) as name_ratio,
        l.email, r.email as email_r, l.email_local, r.email_local as email_local_r,
        l.phone_e164, r.phone_e164 as phone_r,
        l.birth_date, r.birth_date as birth_r
    from pairs as p
    join {{ref "int_identity_records"}} as l on l.record_id = p.id_l
    join {{ref "int_identity_records"}} as r on r.record_id = p.id_r
),

levels as (
    select
        id_l,
        id_r,
        case when name_missing then -1
             when shared_key_n <= 0.05 then 6
             when shared_key_n <= 0.5 then 5
             when shared_key_n is not null then 4
             when name_close then 3
             when name_ratio >= 90 then 2
             when name_ratio >= 75 then 1
             else 0 end as gamma_name,
        case when email is null or email_r is null then -1
             when email = email_r then 4
             -- the same local part at a mistyped domain (gmial.com, navr.com), or one with digits (jkim83):
             -- a namesake rarely has it
             when email_local = email_local_r and length(email_local) >= 4
                  and (dl_distance(split_part(email, '@', 2), split_part(email_r, '@', 2)) = 1
                       or {{regexp_like "email_local" (literal "[0-9]")}}) then 3
             -- a letters-only local part (jihu.kim) is often just the name, which namesakes share
             when email_local = email_local_r and length(email_local) >= 4 then 2
             when jw_similarity(email_local, email_local_r) >= 0.88 then 1
             else 0 end as gamma_email,
        case when phone_e164 is null or phone_r is null then -1
             when phone_e164 = phone_r then 1
             else 0 end as gamma_phone,
        case when birth_date is null or birth_r is null then -1
             when birth_date = birth_r then 1
             else 0 end as gamma_dob
    from compared
)

select * from (
    {{> er_fellegi_sunter pairs="levels" gamma_cols=(array "gamma_name" "gamma_email" "gamma_phone" "gamma_dob") iterations=10}}
) as scored
