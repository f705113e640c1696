{{!-- Inbound customer emails; the sender address is extracted from `"Name" <addr>` forms and lower-cased. --}}
select
    trim(email_id) as email_id,
    lower(trim(coalesce(
        nullif({{regexp_extract "from_address" (literal '<([^>]+)>') "1"}}, ''),
        from_address
    ))) as from_email,
    from_address as from_address_raw,
    nullif(trim(coalesce(from_name, nullif(trim({{regexp_extract "from_address" (literal '^\s*"?([^"<]+?)"?\s*<') "1"}}), ''))), '') as from_name,
    lower(trim(to_address)) as to_address,
    subject,
    body,
    received_at,
    lower(trim(language)) as language
from {{ref "raw_customer_emails"}}
where email_id is not null
