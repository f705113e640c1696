select
  *
from
  "main_marts"."customer_rfm"
