with
  deduped as (
    select
      *
    from
      (
        select
          *,
          row_number() over (
            partition by
              trim(order_id)
            order by
              updated_at desc nulls last,
              status
          ) as dedup_rank
        from
          "lake"."main_raw"."raw_orders"
        where
          order_id is not null
      ) as ranked
    where
      dedup_rank = 1
  )
select
  trim(o.order_id) as order_id,
  nullif(trim(o.customer_id), '') as customer_id,
  o.order_ts,
  cast(o.order_ts as date) as order_date,
  lower(trim(o.status)) as status,
  lower(trim(o.status)) = 'completed' as is_completed,
  lower(trim(o.channel)) as channel,
  upper(trim(o.currency)) as currency,
  o.subtotal_amount,
  o.discount_amount,
  o.shipping_amount,
  o.total_amount,
  case
    when upper(trim(o.currency)) = 'KRW' then o.total_amount / 1300
    else o.total_amount
  end as total_amount_usd,
  upper(trim(o.shipping_country)) as shipping_country,
  lower(trim(o.payment_method)) as payment_method,
  o.updated_at,
  o.customer_id is null as is_guest,
  o.customer_id is not null
  and c.customer_id is null as is_orphan_customer
from
  deduped as o
  left join "lake"."main_staging"."stg_crm_customers" as c on c.customer_id = trim(o.customer_id)
