{{!-- Contacts of the email-marketing system, cleaned; one row per contact_id. --}}
{{!-- Deduplicated with a row_number() subquery, not QUALIFY (Trino has none). --}}
with ranked as (
    select *, row_number() over (partition by trim(contact_id) order by updated_at desc nulls last) as dedup_rank
    from {{ref "raw_email_contacts"}}
)

select
    trim(contact_id) as contact_id,
    nullif(lower(trim(email_address)), '') as email,
    nullif(trim({{regexp_replace "full_name" (literal "\s+") "' '"}}), '') as full_name,
    nullif(trim(phone), '') as phone_raw,
    {{> normalize_phone expr="phone"}} as phone_e164,
    lower(trim(language)) as language,
    lower(trim(subscription_status)) as subscription_status,
    lower(trim(source)) as signup_source,
    created_at,
    updated_at,
    {{> is_valid_email expr="lower(trim(email_address))"}} as is_valid_email
from ranked
where contact_id is not null and dedup_rank = 1
