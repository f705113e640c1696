select
  channel,
  activity_date,
  count(distinct campaign_id) as active_campaigns,
  sum(impressions) as impressions,
  sum(clicks) as clicks,
  sum(conversions) as conversions,
  sum(spend_usd) as spend_usd,
  sum(revenue_usd) as revenue_usd,
  cast(sum(clicks) as double) / nullif(sum(impressions), 0) as ctr,
  cast(sum(conversions) as double) / nullif(sum(clicks), 0) as cvr,
  sum(spend_usd) / nullif(sum(clicks), 0) as cpc_usd,
  sum(spend_usd) / nullif(sum(conversions), 0) as cpa_usd,
  sum(revenue_usd) / nullif(sum(spend_usd), 0) as roas,
  (sum(revenue_usd) - sum(spend_usd)) / nullif(sum(spend_usd), 0) as roi
from
  "lake"."main_marts"."campaign_performance"
group by
  channel,
  activity_date
