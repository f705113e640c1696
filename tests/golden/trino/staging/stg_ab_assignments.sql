with
  deduped as (
    select distinct
      trim(test_id) as test_id,
      trim(customer_id) as customer_id,
      lower(trim(variant)) as variant,
      assigned_at,
      converted,
      conversion_value
    from
      "lake"."main_raw"."raw_ab_assignments"
    where
      test_id is not null
      and customer_id is not null
  )
select
  *,
  count(distinct variant) over (
    partition by
      test_id,
      customer_id
  ) > 1 as is_multi_variant
from
  deduped
