with
  ranked as (
    select
      *,
      row_number() over (
        partition by
          trim(order_id),
          line_number
        order by
          quantity desc
      ) as dedup_rank
    from
      "ANALYTICS"."MAIN_RAW"."RAW_ORDER_ITEMS"
  )
select
  (
    (trim(i.order_id)) || '-' || (cast(i.line_number as varchar))
  ) as order_item_id,
  trim(i.order_id) as order_id,
  i.line_number,
  trim(i.product_id) as product_id,
  upper(trim(i.sku)) as sku,
  i.quantity,
  i.unit_price,
  i.discount_amount,
  upper(trim(i.currency)) as currency,
  i.quantity * i.unit_price - coalesce(i.discount_amount, 0) as line_amount,
  (
    i.quantity * i.unit_price - coalesce(i.discount_amount, 0)
  ) / case
    when upper(trim(i.currency)) = 'KRW' then 1300
    else 1
  end as line_amount_usd,
  coalesce(i.quantity, 0) > 0 as is_valid_quantity,
  o.order_id is null as is_orphan_order
from
  ranked as i
  left join (
    select distinct
      trim(order_id) as order_id
    from
      "ANALYTICS"."MAIN_RAW"."RAW_ORDERS"
  ) as o on o.order_id = trim(i.order_id)
where
  i.order_id is not null
  and i.dedup_rank = 1
