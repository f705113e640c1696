-- snowflake (all options)
create or replace dynamic table "ANALYTICS"."DEV"."DAILY_ORDERS"
  target_lag = '30 minutes'
  warehouse = transform_wh
  refresh_mode = INCREMENTAL
  initialize = ON_SCHEDULE
as (
select order_date, count(*) as n from "ANALYTICS"."RAW"."ORDERS" group by order_date
);

-- snowflake (target_lag downstream; a warehouse name that needs quotes)
create or replace dynamic table "ANALYTICS"."DEV"."DAILY_ORDERS"
  target_lag = downstream
  warehouse = "TRANSFORM WH"
as (
select order_date, count(*) as n from "ANALYTICS"."RAW"."ORDERS" group by order_date
);
