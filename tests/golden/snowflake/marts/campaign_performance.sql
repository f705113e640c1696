select
  d.campaign_id,
  d.activity_date,
  c.campaign_name,
  c.channel,
  c.objective,
  c.market,
  d.impressions,
  d.clicks,
  d.conversions,
  d.spend_usd,
  d.revenue_usd,
  cast(d.clicks as double) / nullif(d.impressions, 0) as ctr,
  cast(d.conversions as double) / nullif(d.clicks, 0) as cvr,
  d.spend_usd / nullif(d.clicks, 0) as cpc_usd,
  d.spend_usd / nullif(d.conversions, 0) as cpa_usd,
  d.revenue_usd / nullif(d.spend_usd, 0) as roas,
  (d.revenue_usd - d.spend_usd) / nullif(d.spend_usd, 0) as roi
from
  "ANALYTICS"."MAIN_STAGING"."STG_CAMPAIGN_DAILY" as d
  join "ANALYTICS"."MAIN_STAGING"."STG_CAMPAIGNS" as c on c.campaign_id = d.campaign_id
where
  d.is_valid_funnel
