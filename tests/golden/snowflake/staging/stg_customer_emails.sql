select
  trim(email_id) as email_id,
  lower(
    trim(
      coalesce(
        nullif(
          regexp_substr(from_address, '<([^>]+)>', 1, 1, 'e', 1),
          ''
        ),
        from_address
      )
    )
  ) as from_email,
  from_address as from_address_raw,
  nullif(
    trim(
      coalesce(
        from_name,
        nullif(
          trim(
            regexp_substr(
              from_address,
              '^\\s*"?([^"<]+?)"?\\s*<',
              1,
              1,
              'e',
              1
            )
          ),
          ''
        )
      )
    ),
    ''
  ) as from_name,
  lower(trim(to_address)) as to_address,
  subject,
  body,
  received_at,
  lower(trim(language)) as language
from
  "ANALYTICS"."MAIN_RAW"."RAW_CUSTOMER_EMAILS"
where
  email_id is not null
