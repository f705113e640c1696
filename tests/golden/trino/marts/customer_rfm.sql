with
  "__weir_ephemeral__int_customer_orders" as (
    select
      o.order_id,
      o.customer_id,
      o.order_ts,
      o.order_date,
      o.channel,
      o.total_amount_usd as amount_usd
    from
      "lake"."main_staging"."stg_orders" as o
    where
      o.is_completed
      and o.customer_id is not null
      and not o.is_orphan_customer
      and o.total_amount_usd > 0
  ),
  rfm as (
    with
      rfm_orders as (
        select
          "customer_id" as customer,
          "order_ts" as ordered_at,
          CAST("amount_usd" as DOUBLE) as amount,
          "order_id" as order_key
        from
          "__weir_ephemeral__int_customer_orders"
        where
          "customer_id" is not null
          and "order_ts" is not null
      ),
      rfm_as_of as (
        select
          CAST(
            MAX(CAST(ordered_at as DATE)) + INTERVAL '1' DAY as DATE
          ) as as_of_date
        from
          rfm_orders
      ),
      rfm_customers as (
        select
          o.customer,
          MIN(o.ordered_at) as first_order_at,
          MAX(o.ordered_at) as last_order_at,
          COUNT(distinct o.order_key) as frequency,
          COALESCE(SUM(o.amount), 0) as monetary,
          MAX(a.as_of_date) as as_of_date
        from
          rfm_orders as o
          cross join rfm_as_of as a
        where
          CAST(o.ordered_at as DATE) < a.as_of_date
        group by
          o.customer
      ),
      rfm_metrics as (
        select
          customer,
          first_order_at,
          last_order_at,
          frequency,
          monetary,
          date_diff('day', CAST(last_order_at as DATE), as_of_date) as recency_days,
          date_diff(
            'day',
            CAST(first_order_at as DATE),
            CAST(last_order_at as DATE)
          ) as customer_lifetime_days,
          date_diff('day', CAST(first_order_at as DATE), as_of_date) as tenure_days
        from
          rfm_customers
      ),
      rfm_scored as (
        select
          rfm_metrics.*,
          NTILE(5) over (
            order by
              recency_days desc,
              customer
          ) as r_score,
          NTILE(5) over (
            order by
              frequency asc,
              customer
          ) as f_score,
          NTILE(5) over (
            order by
              monetary asc,
              customer
          ) as m_score
        from
          rfm_metrics
      ),
      rfm_segmented as (
        select
          s.*,
          case
            when r_score = 5
            and f_score = 1 then 'New Customers'
            when r_score = 4
            and f_score = 1 then 'Promising'
            when r_score >= 4
            and f_score in (2, 3) then 'Potential Loyalist'
            when r_score = 5
            and f_score >= 4 then 'Champions'
            when r_score in (3, 4)
            and f_score >= 4 then 'Loyal'
            when r_score = 3
            and f_score = 3 then 'Need Attention'
            when r_score = 3
            and f_score <= 2 then 'About to Sleep'
            when r_score <= 2
            and f_score = 5 then 'Can''t Lose Them'
            when r_score <= 2
            and f_score in (3, 4) then 'At Risk'
            when r_score = 1
            and f_score = 1 then 'Lost'
            else 'Hibernating'
          end as rfm_segment
        from
          rfm_scored as s
      )
    select
      customer as "customer_id",
      recency_days,
      frequency,
      monetary,
      r_score,
      f_score,
      m_score,
      CAST(r_score as VARCHAR) || CAST(f_score as VARCHAR) || CAST(m_score as VARCHAR) as rfm_score,
      rfm_segment,
      monetary / frequency as avg_order_value,
      first_order_at,
      last_order_at,
      customer_lifetime_days,
      frequency * 30.0e0 / NULLIF(customer_lifetime_days, 0) as purchase_velocity,
      frequency * 365.25e0 / GREATEST(tenure_days, 90) as orders_per_year,
      monetary as historic_clv,
      (monetary / frequency) * (frequency * 365.25e0 / GREATEST(tenure_days, 90)) * 1.0e0 /* expected lifetime within the 12-month horizon, in years */ as predicted_clv_12m
    from
      rfm_segmented
    order by
      customer
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
from
  rfm
  left join "lake"."main_staging"."stg_crm_customers" as c on c.customer_id = rfm.customer_id
