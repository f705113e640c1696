{{!-- Every person record of the CRM and of the email-marketing system, in one shape for entity resolution:
      name keys that agree across Korean/English spellings and name orders (name_keys: 'family given'),
      the email without +tag (and without dots in a Gmail local part, which Gmail ignores), its local part,
      without dots, the E.164 phone and (CRM only) the birth date. --}}
{{config materialized="table"}}
with records as (
    select
        'crm:' || customer_id as record_id,
        'crm' as source_system,
        customer_id as source_id,
        full_name,
        regexp_replace(email, {{literal '\+[^@]*@'}}, '@') as email,
        phone_e164,
        case when is_valid_birth_date then birth_date end as birth_date
    from {{ref "stg_crm_customers"}}
    union all
    select
        'email:' || contact_id,
        'email',
        contact_id,
        full_name,
        regexp_replace(email, {{literal '\+[^@]*@'}}, '@'),
        phone_e164,
        cast(null as date)
    from {{ref "stg_email_contacts"}}
),

keyed as (
    select
        * exclude (email),
        case when email like '%@gmail.com' then replace(split_part(email, '@', 1), '.', '') || '@gmail.com' else email end as email,
        string_split(nullif(name_keys(full_name), ''), '|') as keys
    from records
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
    phone_e164,
    birth_date
from keyed
