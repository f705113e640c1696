with
  source as (
    select
      *,
      (
        case
          when upper(trim(country)) in (
            'KR',
            'KOR',
            'KOREA',
            'SOUTH KOREA',
            'REPUBLIC OF KOREA',
            'KOREA, REPUBLIC OF'
          )
          or trim(country) in ('대한민국', '한국') then 'KR'
          when upper(trim(country)) in (
            'US',
            'USA',
            'U.S.',
            'U.S.A.',
            'UNITED STATES',
            'UNITED STATES OF AMERICA',
            'AMERICA'
          ) then 'US'
          when upper(trim(country)) in (
            'GB',
            'UK',
            'U.K.',
            'UNITED KINGDOM',
            'GREAT BRITAIN',
            'ENGLAND',
            'SCOTLAND',
            'WALES'
          ) then 'GB'
          when upper(trim(country)) in ('CA', 'CAN', 'CANADA') then 'CA'
          when upper(trim(country)) in ('AU', 'AUS', 'AUSTRALIA') then 'AU'
          when upper(trim(country)) in ('IE', 'IRL', 'IRELAND') then 'IE'
          when (regexp_instr(country, '^ *[A-Za-z]{2} *$') > 0) then upper(trim(country))
        end
      ) as country_code_raw,
      row_number() over (
        partition by
          trim(customer_id)
        order by
          updated_at desc nulls last
      ) as dedup_rank
    from
      "ANALYTICS"."MAIN_RAW"."RAW_CRM_CUSTOMERS"
  ),
  cleaned as (
    select
      trim(customer_id) as customer_id,
      nullif(trim(regexp_replace(first_name, '\\s+', ' ')), '') as first_name,
      nullif(trim(middle_name), '') as middle_name,
      nullif(trim(regexp_replace(last_name, '\\s+', ' ')), '') as last_name,
      nullif(lower(trim(email)), '') as email,
      nullif(trim(phone), '') as phone_raw,
      (
        case
          when phone is null
          or regexp_replace(phone, '[^0-9]', '') = '' then null
          when length(regexp_replace(phone, '[^0-9]', '')) not between 8 and 15 then null
          when trim(phone) like '+%'
          or trim(phone) like '00%' then '+' || regexp_replace(regexp_replace(phone, '[^0-9]', ''), '^00', '')
          when country_code_raw = 'GB'
          and regexp_replace(phone, '[^0-9]', '') like '0%' then '+44' || substr(regexp_replace(phone, '[^0-9]', ''), 2)
          when country_code_raw = 'IE'
          and regexp_replace(phone, '[^0-9]', '') like '0%' then '+353' || substr(regexp_replace(phone, '[^0-9]', ''), 2)
          when country_code_raw = 'AU'
          and regexp_replace(phone, '[^0-9]', '') like '0%' then '+61' || substr(regexp_replace(phone, '[^0-9]', ''), 2)
          when regexp_replace(phone, '[^0-9]', '') like '82%'
          and length(regexp_replace(phone, '[^0-9]', '')) between 11 and 12 then '+' || regexp_replace(phone, '[^0-9]', '')
          when regexp_replace(phone, '[^0-9]', '') like '0%'
          and length(regexp_replace(phone, '[^0-9]', '')) between 9 and 11 then '+82' || substr(regexp_replace(phone, '[^0-9]', ''), 2)
          when length(regexp_replace(phone, '[^0-9]', '')) = 10 then '+1' || regexp_replace(phone, '[^0-9]', '')
          when length(regexp_replace(phone, '[^0-9]', '')) = 11
          and regexp_replace(phone, '[^0-9]', '') like '1%' then '+' || regexp_replace(phone, '[^0-9]', '')
        end
      ) as phone_e164,
      case
        when upper(trim(gender)) in ('F', 'FEMALE', 'W', 'WOMAN', '여', '여성') then 'F'
        when upper(trim(gender)) in ('M', 'MALE', 'MAN', '남', '남성') then 'M'
        when gender is null
        or trim(gender) = '' then null
        else 'other'
      end as gender,
      try_cast(cast(trim(birth_date) as varchar) as date) as birth_date,
      trim(birth_date) as birth_date_raw,
      country_code_raw as country_code,
      nullif(trim(city), '') as city,
      nullif(trim(postal_code), '') as postal_code,
      nullif(trim(locale), '') as locale,
      case
        when lower(trim(marketing_opt_in)) in ('true', 't', 'y', 'yes', '1') then true
        when lower(trim(marketing_opt_in)) in ('false', 'f', 'n', 'no', '0') then false
      end as marketing_opt_in,
      nullif(lower(trim(acquisition_channel)), '') as acquisition_channel,
      signup_date,
      try_cast(
        cast(
          replace(replace(trim(created_at), 'T', ' '), 'Z', '') as varchar
        ) as timestamp_ntz
      ) as created_at,
      updated_at
    from
      source
    where
      customer_id is not null
      and dedup_rank = 1
  )
select
  *,
  trim(
    array_to_string(
      array_construct_compact(first_name, middle_name, last_name),
      ' '
    )
  ) as full_name,
  (
    (
      regexp_instr(
        email,
        '^[a-z0-9._%+''-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}$'
      ) > 0
    )
    and email not like '%..%'
  ) as is_valid_email,
  phone_e164 is not null as is_valid_phone,
  birth_date is not null
  and birth_date > date '1900-01-01'
  and birth_date < cast('2026-01-01' as date) as is_valid_birth_date,
  country_code = 'KR' as is_korean
from
  cleaned
