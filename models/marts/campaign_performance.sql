{{!-- Campaign performance per campaign and day (channel included): delivery totals in USD and the
      standard ratios. Ratios are NULL where the denominator is zero. Rows failing the funnel
      consistency check in staging are excluded.
      CTR = clicks / impressions, CVR = conversions / clicks, CPC = spend / clicks,
      CPA = spend / conversions, ROAS = revenue / spend, ROI = (revenue - spend) / spend. --}}
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
    cast(d.clicks as {{type_float}}) / nullif(d.impressions, 0) as ctr,
    cast(d.conversions as {{type_float}}) / nullif(d.clicks, 0) as cvr,
    d.spend_usd / nullif(d.clicks, 0) as cpc_usd,
    d.spend_usd / nullif(d.conversions, 0) as cpa_usd,
    d.revenue_usd / nullif(d.spend_usd, 0) as roas,
    (d.revenue_usd - d.spend_usd) / nullif(d.spend_usd, 0) as roi
from {{ref "stg_campaign_daily"}} as d
join {{ref "stg_campaigns"}} as c on c.campaign_id = d.campaign_id
where d.is_valid_funnel
