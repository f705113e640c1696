with
  ranked as (
    select
      *,
      row_number() over (
        partition by
          trim(campaign_id),
          "DATE"
        order by
          impressions desc nulls last
      ) as dedup_rank
    from
      "ANALYTICS"."MAIN_RAW"."RAW_CAMPAIGN_DAILY"
  )
select
  trim(d.campaign_id) as campaign_id,
  d."DATE" as activity_date,
  d.impressions,
  d.clicks,
  d.conversions,
  d.spend,
  d.revenue,
  d.spend / case
    when c.currency = 'KRW' then 1300
    else 1
  end as spend_usd,
  d.revenue / case
    when c.currency = 'KRW' then 1300
    else 1
  end as revenue_usd,
  d.impressions is not null
  and d.spend >= 0
  and (
    c.channel = 'tv'
    or d.clicks <= d.impressions
  )
  and (
    c.channel = 'tv'
    or d.conversions <= d.clicks
  ) as is_valid_funnel
from
  ranked as d
  left join "ANALYTICS"."MAIN_STAGING"."STG_CAMPAIGNS" as c on c.campaign_id = trim(d.campaign_id)
where
  d.campaign_id is not null
  and d.dedup_rank = 1
