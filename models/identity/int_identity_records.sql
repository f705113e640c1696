{{!-- Every person record of the CRM and of the email-marketing system, in one shape for entity resolution:
      name keys that agree across Korean/English spellings and name orders (name_keys: 'family given'),
      the email repaired and canonicalized (below), its local part without dots, its letters-only stem, a
      two-digit number ending it (jkim83: often a birth year) and whether it is only the name (email_is_name), the E.164 phone and its last 8 digits (the
      subscriber number, which survives a wrong country code), (CRM only) the birth date, and when the
      record was created.
      Email repair: spaces removed (jane @gmail.com), runs of dots collapsed (gmail..com), and a missing @
      put back before the longest domain that at least 5 well-formed addresses of the data use
      (kimnaver.com → kim@naver.com). Canonical form: without +tag, and without dots in a Gmail local part,
      which Gmail ignores. --}}
{{config materialized="table"}}
with records as (
    select
        'crm:' || customer_id as record_id,
        'crm' as source_system,
        customer_id as source_id,
        full_name,
        {{regexp_replace (regexp_replace "email" (literal "\s+") "''") (literal "\.\.+") "'.'"}} as email,
        phone_e164,
        case when is_valid_birth_date then birth_date end as birth_date,
        created_at
    from {{ref "stg_crm_customers"}}
    union all
    select
        'email:' || contact_id,
        'email',
        contact_id,
        full_name,
        {{regexp_replace (regexp_replace "email" (literal "\s+") "''") (literal "\.\.+") "'.'"}},
        phone_e164,
        cast(null as date),
        created_at
    from {{ref "stg_email_contacts"}}
),

known_domains as (
    select split_part(email, '@', 2) as domain
    from records
    where email like '%_@_%._%'
    group by split_part(email, '@', 2)
    having count(*) >= 5
),

-- the longest known domain an address without @ ends with (two domains of one length can't both end it)
domain_fixes as (
    select record_id, domain
    from (
        select r.record_id, d.domain, row_number() over (partition by r.record_id order by length(d.domain) desc) as rn
        from records as r
        join known_domains as d
            on r.email not like '%@%' and length(r.email) > length(d.domain) and r.email like '%' || d.domain
    ) as c
    where rn = 1
),

repaired as (
    select
        r.record_id, r.source_system, r.source_id, r.full_name, r.phone_e164, r.birth_date, r.created_at,
        case when r.email like '%@%' then r.email
             else {{left "r.email" "length(r.email) - length(f.domain)"}} || '@' || f.domain end as email
    from records as r
    left join domain_fixes as f on f.record_id = r.record_id
),

keyed as (
    select
        record_id, source_system, source_id, full_name, phone_e164, birth_date, created_at,
        case when email like '%@gmail.com'
             then replace(split_part({{regexp_replace "email" (literal "\+[^@]*@") "'@'"}}, '@', 1), '.', '') || '@gmail.com'
             else {{regexp_replace "email" (literal "\+[^@]*@") "'@'"}} end as email,
        nullif(name_keys(full_name), '') as keys
    from repaired
),

-- the first two name keys ('family given'; name_keys separates them with |)
split_keys as (
    select k.*, nullif(split_part(keys, '|', 1), '') as key1, nullif(split_part(keys, '|', 2), '') as key2
    from keyed as k
)

select
    record_id,
    source_system,
    source_id,
    normalize_name({{> korean_name_order expr="full_name"}}, true) as name_norm,
    key1 as name_key1,
    key2 as name_key2,
    split_part(key1, ' ', 1) as family,
    split_part(key1, ' ', 2) as given,
    double_metaphone(split_part(key1, ' ', 1)) as family_dm,
    double_metaphone(split_part(key1, ' ', 2)) as given_dm,
    nullif(email, '') as email,
    nullif(replace(split_part(email, '@', 1), '.', ''), '') as email_local,
    nullif({{regexp_replace "split_part(email, '@', 1)" (literal "[^a-z]") "''"}}, '') as email_stem,
    nullif({{regexp_extract "split_part(email, '@', 1)" (literal "[^0-9]([0-9]{2})$") 1}}, '') as email_yy,
    -- the local part is only the name (jihu.kim, jkim83): namesakes have it too
    coalesce(email_is_name(split_part(email, '@', 1), key1), false)
        or coalesce(email_is_name(split_part(email, '@', 1), key2), false) as email_is_name,
    phone_e164,
    {{right "phone_e164" 8}} as phone_subscriber,
    birth_date,
    created_at
from split_keys
