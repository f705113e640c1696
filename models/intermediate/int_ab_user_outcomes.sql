{{!-- One row per test and customer for the A/B analysis: customers seen in more than one variant of a test
      are excluded (their exposure is ambiguous); converted is 0/1. --}}
{{config materialized="ephemeral"}}
select
    test_id,
    customer_id,
    {{any_value "variant"}} as variant,
    max(converted) as converted,
    max(conversion_value) as conversion_value
from {{ref "stg_ab_assignments"}}
where not is_multi_variant
group by test_id, customer_id
