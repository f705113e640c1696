-- snowflake (cluster_by, copy_grants)
create or replace materialized view "ANALYTICS"."DEV"."DAILY_ORDERS" copy grants cluster by (order_date) as
select order_date, count(*) as n from "ANALYTICS"."RAW"."ORDERS" group by order_date;

-- trino (properties), then
create or replace materialized view "lake"."analytics"."daily_orders" with (format = 'PARQUET', partitioning = ARRAY['order_date']) as
select order_date, count(*) as n from "lake"."raw"."orders" group by order_date;

-- trino refresh
refresh materialized view "lake"."analytics"."daily_orders";
