-- A/B: every confidence interval contains its point estimate, and p-values are probabilities.
select test_id, variant
from {{ref "ab_test_results"}}
where absolute_lift < ci_low or absolute_lift > ci_high or p_value < 0 or p_value > 1
