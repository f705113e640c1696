-- rename (default)
create table "lake"."analytics"."orders__weir_tmp" as (
select order_date, count(*) as n from "lake"."raw"."orders" group by order_date
);
alter table "lake"."analytics"."orders" rename to "lake"."analytics"."orders__weir_backup";
alter table "lake"."analytics"."orders__weir_tmp" rename to "lake"."analytics"."orders";
drop table if exists "lake"."analytics"."orders__weir_backup";

-- drop
drop table if exists "lake"."analytics"."orders";
create table "lake"."analytics"."orders" as (
select order_date, count(*) as n from "lake"."raw"."orders" group by order_date
);

-- replace (Iceberg: atomic)
create or replace table "lake"."analytics"."orders" with (format = 'PARQUET') as (
select order_date, count(*) as n from "lake"."raw"."orders" group by order_date
);
