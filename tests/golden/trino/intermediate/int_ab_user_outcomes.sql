select
  test_id,
  customer_id,
  arbitrary(variant) as variant,
  max(converted) as converted,
  max(conversion_value) as conversion_value
from
  "lake"."main_staging"."stg_ab_assignments"
where
  not is_multi_variant
group by
  test_id,
  customer_id
