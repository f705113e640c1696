select
  *
from
  "lake"."main_marts"."customer_rfm"
