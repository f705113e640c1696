{{!-- A/B test results: every non-control variant against the control with a pooled two-proportion
      z-test, two-sided p-value, 95% Wald CI of the difference, significance at vars.ab_alpha and the
      winner (see macros/ab_test_significance.sql). --}}
with results as (
    {{> ab_test_significance relation=(ref "int_ab_user_outcomes") test_col="test_id" variant_col="variant"
        control_value="control" converted_col="converted" alpha=(var "ab_alpha")}}
)

select
    r.test_id,
    t.test_name,
    t.primary_metric,
    t.start_date,
    t.end_date,
    r.variant,
    r.control_users,
    r.control_conversions,
    r.control_rate,
    r.variant_users,
    r.variant_conversions,
    r.variant_rate,
    r.absolute_lift,
    r.relative_lift,
    r.z_score,
    r.p_value,
    r.ci_low,
    r.ci_high,
    r.is_significant,
    r.winner
from results as r
left join {{ref "stg_ab_tests"}} as t on t.test_id = r.test_id
