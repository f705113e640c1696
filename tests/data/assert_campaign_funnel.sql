-- Campaign marts keep only consistent funnels: conversions never exceed clicks (except TV), clicks never
-- exceed impressions.
select campaign_id, activity_date
from {{ref "campaign_performance"}}
where channel <> 'tv' and (clicks > impressions or conversions > clicks)
