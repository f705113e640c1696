-- RFM: the score string is the concatenation of the three scores, and monetary equals the sum of the
-- customer's completed order values. Returns the offending customers.
select r.customer_id
from {{ref "customer_rfm"}} as r
left join (
    select customer_id, sum(total_amount_usd) as total
    from {{ref "stg_orders"}}
    where is_completed and total_amount_usd > 0
    group by customer_id
) as o on o.customer_id = r.customer_id
where r.rfm_score <> cast(r.r_score as varchar) || cast(r.f_score as varchar) || cast(r.m_score as varchar)
   or abs(r.monetary_usd - o.total) > 0.01
