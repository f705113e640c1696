with
  ranked as (
    select
      *,
      row_number() over (
        partition by
          trim(product_id)
        order by
          created_at desc nulls last
      ) as dedup_rank
    from
      "ANALYTICS"."MAIN_RAW"."RAW_PRODUCTS"
  )
select
  trim(product_id) as product_id,
  upper(trim(sku)) as sku,
  trim(product_name) as product_name,
  coalesce(
    nullif(lower(trim(category)), ''),
    'uncategorized'
  ) as category,
  unit_price,
  upper(trim(currency)) as currency,
  case
    when upper(trim(currency)) = 'KRW' then unit_price / 1300
    else unit_price
  end as unit_price_usd,
  coalesce(is_active, false) as is_active,
  unit_price > 0 as has_valid_price,
  created_at
from
  ranked
where
  product_id is not null
  and dedup_rank = 1
