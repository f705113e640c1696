select
  o.order_id,
  o.customer_id,
  o.order_ts,
  o.order_date,
  o.channel,
  o.total_amount_usd as amount_usd
from
  "ANALYTICS"."MAIN_STAGING"."STG_ORDERS" as o
where
  o.is_completed
  and o.customer_id is not null
  and not o.is_orphan_customer
  and o.total_amount_usd > 0
