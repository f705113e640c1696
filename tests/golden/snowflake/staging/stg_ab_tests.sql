select
  trim(test_id) as test_id,
  trim(test_name) as test_name,
  hypothesis,
  start_date,
  end_date,
  lower(trim(primary_metric)) as primary_metric,
  variants as variant_count
from
  "ANALYTICS"."MAIN_RAW"."RAW_AB_TESTS"
where
  test_id is not null
