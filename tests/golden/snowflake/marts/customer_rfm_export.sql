select
  *
from
  "ANALYTICS"."MAIN_MARTS"."CUSTOMER_RFM"
