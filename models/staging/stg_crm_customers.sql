{{!-- CRM customers, cleaned: trimmed and normalized names, emails, phones, genders, countries and dates,
      with validity flags. One row per customer_id (the latest update wins). --}}
with source as (
    select
        *,
        {{> normalize_country expr="country"}} as country_code_raw,
        row_number() over (partition by trim(customer_id) order by updated_at desc nulls last) as dedup_rank
    from {{ref "raw_crm_customers"}}
),

cleaned as (
    select
        trim(customer_id) as customer_id,
        nullif(trim({{regexp_replace "first_name" (literal "\s+") "' '"}}), '') as first_name,
        nullif(trim(middle_name), '') as middle_name,
        nullif(trim({{regexp_replace "last_name" (literal "\s+") "' '"}}), '') as last_name,
        nullif(lower(trim(email)), '') as email,
        nullif(trim(phone), '') as phone_raw,
        {{> normalize_phone expr="phone" country="country_code_raw"}} as phone_e164,
        case
            when upper(trim(gender)) in ('F', 'FEMALE', 'W', 'WOMAN', '여', '여성') then 'F'
            when upper(trim(gender)) in ('M', 'MALE', 'MAN', '남', '남성') then 'M'
            when gender is null or trim(gender) = '' then null
            else 'other'
        end as gender,
        {{safe_cast "trim(birth_date)" "date"}} as birth_date,
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
        {{!-- 'YYYY-MM-DD HH:MM:SS' or ISO 'YYYY-MM-DDTHH:MM:SSZ' (UTC) → timestamp, NULL when unparsable --}}
        {{safe_cast "replace(replace(trim(created_at), 'T', ' '), 'Z', '')" (type_timestamp)}} as created_at,
        updated_at
    from source
    where customer_id is not null and dedup_rank = 1
)

select
    *,
    trim({{concat_ws "' '" "first_name" "middle_name" "last_name"}}) as full_name,
    {{> is_valid_email expr="email"}} as is_valid_email,
    phone_e164 is not null as is_valid_phone,
    birth_date is not null
        and birth_date > date '1900-01-01'
        and birth_date < cast({{literal (var "reference_date")}} as date) as is_valid_birth_date,
    country_code = 'KR' as is_korean
from cleaned
