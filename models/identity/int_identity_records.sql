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

repaired as (
    select
        r.* exclude (email),
        case when r.email like '%@%' then r.email
             else (select left(r.email, length(r.email) - length(d.domain)) || '@' || d.domain
                   from known_domains as d
                   where length(r.email) > length(d.domain) and r.email like '%' || d.domain
                   order by length(d.domain) desc
                   limit 1) end as email
    from records as r
),

keyed as (
    select
        * exclude (email),
        case when email like '%@gmail.com'
             then replace(split_part({{regexp_replace "email" (literal "\+[^@]*@") "'@'"}}, '@', 1), '.', '') || '@gmail.com'
             else {{regexp_replace "email" (literal "\+[^@]*@") "'@'"}} end as email,
        string_split(nullif(name_keys(full_name), ''), '|') as keys
    from repaired
)

select
    record_id,
    source_system,
    source_id,
    normalize_name({{> korean_name_order expr="full_name"}}, true) as name_norm,
    keys[1] as name_key1,
    keys[2] as name_key2,
    split_part(keys[1], ' ', 1) as family,
    split_part(keys[1], ' ', 2) as given,
    double_metaphone(split_part(keys[1], ' ', 1)) as family_dm,
    double_metaphone(split_part(keys[1], ' ', 2)) as given_dm,
    nullif(email, '') as email,
    nullif(replace(split_part(email, '@', 1), '.', ''), '') as email_local,
    nullif({{regexp_replace "split_part(email, '@', 1)" (literal "[^a-z]") "''"}}, '') as email_stem,
    nullif({{regexp_extract "split_part(email, '@', 1)" (literal "[^0-9]([0-9]{2})$") 1}}, '') as email_yy,
    -- the local part is only the name (jihu.kim, jkim83): namesakes have it too
    coalesce(email_is_name(split_part(email, '@', 1), keys[1]), false)
        or coalesce(email_is_name(split_part(email, '@', 1), keys[2]), false) as email_is_name,
    phone_e164,
    right(phone_e164, 8) as phone_subscriber,
    birth_date,
    created_at
from keyed
