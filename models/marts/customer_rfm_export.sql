{{!-- customer_rfm exported as Parquet for other systems (materialized: external): written atomically to
      <target-path>/external/customer_rfm_export.parquet; a view over the file keeps ref and tests working. --}}
{{config materialized="external" format="parquet"}}
select * from {{ref "customer_rfm"}}
