with
  ranked as (
    select
      *,
      row_number() over (
        partition by
          trim(contact_id)
        order by
          updated_at desc nulls last
      ) as dedup_rank
    from
      "main_raw"."raw_email_contacts"
  )
select
  trim(contact_id) as contact_id,
  nullif(lower(trim(email_address)), '') as email,
  nullif(
    trim(regexp_replace(full_name, '\s+', ' ', 'g')),
    ''
  ) as full_name,
  nullif(trim(phone), '') as phone_raw,
  (
    case
      when phone is null
      or regexp_replace(phone, '[^0-9]', '', 'g') = '' then null
      when length(regexp_replace(phone, '[^0-9]', '', 'g')) not between 8 and 15 then null
      when trim(phone) like '+%'
      or trim(phone) like '00%' then '+' || regexp_replace(
        regexp_replace(phone, '[^0-9]', '', 'g'),
        '^00',
        ''
      )
      when regexp_replace(phone, '[^0-9]', '', 'g') like '82%'
      and length(regexp_replace(phone, '[^0-9]', '', 'g')) between 11 and 12 then '+' || regexp_replace(phone, '[^0-9]', '', 'g')
      when regexp_replace(phone, '[^0-9]', '', 'g') like '0%'
      and length(regexp_replace(phone, '[^0-9]', '', 'g')) between 9 and 11 then '+82' || substr(regexp_replace(phone, '[^0-9]', '', 'g'), 2)
      when length(regexp_replace(phone, '[^0-9]', '', 'g')) = 10 then '+1' || regexp_replace(phone, '[^0-9]', '', 'g')
      when length(regexp_replace(phone, '[^0-9]', '', 'g')) = 11
      and regexp_replace(phone, '[^0-9]', '', 'g') like '1%' then '+' || regexp_replace(phone, '[^0-9]', '', 'g')
    end
  ) as phone_e164,
  lower(trim(language)) as language,
  lower(trim(subscription_status)) as subscription_status,
  lower(trim(source)) as signup_source,
  created_at,
  updated_at,
  (
    regexp_matches(
      lower(trim(email_address)),
      '^[a-z0-9._%+''-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$'
    )
    and lower(trim(email_address)) not like '%..%'
  ) as is_valid_email
from
  ranked
where
  contact_id is not null
  and dedup_rank = 1
