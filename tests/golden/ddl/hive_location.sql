-- trino (create table, then renamed into place)
create table "lake"."analytics"."orders__weir_tmp" with (format = 'ORC', external_location = 's3://lake/orders/', partitioned_by = ARRAY['region']) as (
select order_id, region, order_date from "lake"."raw"."orders"
);

-- snowflake (target transient: true; create or replace)
create or replace transient table "ANALYTICS"."DEV"."ORDERS" as (
select order_id, region, order_date from "ANALYTICS"."RAW"."ORDERS"
);

-- duckdb (no native table options)
create table "main"."orders__weir_tmp" as (
select order_id, region, order_date from "raw"."orders"
);
