{{!-- Completed orders of known customers with their USD value: the input of RFM and CLV. --}}
{{config materialized="ephemeral"}}
select
    o.order_id,
    o.customer_id,
    o.order_ts,
    o.order_date,
    o.channel,
    o.total_amount_usd as amount_usd
from {{ref "stg_orders"}} as o
where o.is_completed
  and o.customer_id is not null
  and not o.is_orphan_customer
  and o.total_amount_usd > 0
