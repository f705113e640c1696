{{!-- Candidate pairs of identity records (blocked on email, phone, normalized name or its Double
      Metaphone key), their comparison levels and Fellegi–Sunter match probabilities (EM-estimated m/u). --}}
{{config materialized="table"}}
with pairs as (
    {{> er_blocked_pairs relation=(ref "int_identity_records") id_col="record_id"
        rules=(array "l.email = r.email" "l.phone_e164 = r.phone_e164" "l.name_norm = r.name_norm and l.name_norm <> ''"
                     "l.name_key = r.name_key and l.name_key <> ''")}}
),

levels as (
    select
        p.id_l,
        p.id_r,
        case when l.name_norm is null or r.name_norm is null or l.name_norm = '' or r.name_norm = '' then -1
             when l.name_norm = r.name_norm then 3
             when fuzz_token_set_ratio(l.name_norm, r.name_norm) >= 90 then 2
             when fuzz_token_set_ratio(l.name_norm, r.name_norm) >= 75 then 1
             else 0 end as gamma_name,
        case when l.email is null or r.email is null then -1
             when l.email = r.email then 2
             when jaro_winkler_similarity(split_part(l.email, '@', 1), split_part(r.email, '@', 1)) >= 0.9 then 1
             else 0 end as gamma_email,
        case when l.phone_e164 is null or r.phone_e164 is null then -1
             when l.phone_e164 = r.phone_e164 then 1
             else 0 end as gamma_phone
    from pairs as p
    join {{ref "int_identity_records"}} as l on l.record_id = p.id_l
    join {{ref "int_identity_records"}} as r on r.record_id = p.id_r
)

select * from (
    {{> er_fellegi_sunter pairs="levels" gamma_cols=(array "gamma_name" "gamma_email" "gamma_phone") iterations=10}}
) as scored
