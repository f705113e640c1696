with
  ranked as (
    select
      *,
      row_number() over (
        partition by
          trim(campaign_id)
        order by
          start_date
      ) as dedup_rank
    from
      "ANALYTICS"."MAIN_RAW"."RAW_CAMPAIGNS"
  )
select
  trim(campaign_id) as campaign_id,
  trim(campaign_name) as campaign_name,
  lower(trim(channel)) as channel,
  lower(trim(objective)) as objective,
  upper(trim(market)) as market,
  upper(trim(currency)) as currency,
  lower(trim(utm_campaign)) as utm_campaign,
  start_date,
  end_date,
  budget,
  case
    when upper(trim(currency)) = 'KRW' then budget / 1300
    else budget
  end as budget_usd,
  end_date is null
  or end_date >= start_date as has_valid_dates
from
  ranked
where
  campaign_id is not null
  and dedup_rank = 1
