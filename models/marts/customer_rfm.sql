{{!-- RFM segmentation of every customer with completed orders: recency/frequency/monetary, 1–5 quintile
      scores, the 11 standard segments, purchase velocity and CLV (see macros/rfm_scores.sql). --}}
with rfm as (
    {{> rfm_scores relation=(ref "int_customer_orders") customer_col="customer_id" order_date_col="order_ts"
        amount_col="amount_usd" order_id_col="order_id"}}
)

select
    rfm.customer_id,
    c.full_name,
    c.country_code,
    c.acquisition_channel,
    rfm.recency_days,
    rfm.frequency,
    rfm.monetary as monetary_usd,
    rfm.r_score,
    rfm.f_score,
    rfm.m_score,
    rfm.rfm_score,
    rfm.rfm_segment,
    rfm.avg_order_value as avg_order_value_usd,
    rfm.first_order_at,
    rfm.last_order_at,
    rfm.customer_lifetime_days,
    rfm.purchase_velocity,
    rfm.orders_per_year,
    rfm.historic_clv as historic_clv_usd,
    rfm.predicted_clv_12m as predicted_clv_12m_usd
from rfm
left join {{ref "stg_crm_customers"}} as c on c.customer_id = rfm.customer_id
