{{!-- Every person record of the CRM and of the email-marketing system, in one shape for entity resolution. --}}
{{config materialized="table"}}
select
    'crm:' || customer_id as record_id,
    'crm' as source_system,
    customer_id as source_id,
    normalize_name({{> korean_name_order expr="full_name"}}, true) as name_norm,
    double_metaphone(normalize_name({{> korean_name_order expr="full_name"}}, true)) as name_key,
    nullif(regexp_replace(email, '\+[^@]*@', '@'), '') as email,
    phone_e164
from {{ref "stg_crm_customers"}}
union all
select
    'email:' || contact_id,
    'email',
    contact_id,
    normalize_name({{> korean_name_order expr="full_name"}}, true),
    double_metaphone(normalize_name({{> korean_name_order expr="full_name"}}, true)),
    nullif(regexp_replace(email, '\+[^@]*@', '@'), ''),
    phone_e164
from {{ref "stg_email_contacts"}}
