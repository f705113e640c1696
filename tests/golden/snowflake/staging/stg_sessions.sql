with
  ranked as (
    select
      trim(s.session_id) as session_id,
      nullif(trim(s.customer_id), '') as customer_id,
      s.anonymous_id,
      s.started_at,
      lower(trim(s.device)) as device,
      trim(s.browser) as browser,
      nullif(lower(trim(s.utm_source)), '') as utm_source,
      nullif(lower(trim(s.utm_medium)), '') as utm_medium,
      nullif(lower(trim(s.utm_campaign)), '') as utm_campaign,
      c.campaign_id,
      s.landing_page,
      s.referrer,
      s.customer_id is null as is_anonymous,
      row_number() over (
        partition by
          trim(s.session_id)
        order by
          s.started_at
      ) as dedup_rank
    from
      "ANALYTICS"."MAIN_RAW"."RAW_SESSIONS" as s
      left join "ANALYTICS"."MAIN_STAGING"."STG_CAMPAIGNS" as c on c.utm_campaign = nullif(lower(trim(s.utm_campaign)), '')
    where
      s.session_id is not null
  )
select
  session_id,
  customer_id,
  anonymous_id,
  started_at,
  device,
  browser,
  utm_source,
  utm_medium,
  utm_campaign,
  campaign_id,
  landing_page,
  referrer,
  is_anonymous
from
  ranked
where
  dedup_rank = 1
