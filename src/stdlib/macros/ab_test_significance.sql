{{!--
  ab_test_significance: two-proportion z-tests of every non-control variant against the control.

  Call (from a model; the whole macro is one CTE-only SELECT without a trailing semicolon, so it
  can be a model body or a subquery):
    {{> ab_test_significance relation=(ref "int_ab_user_outcomes") test_col="test_id"
        variant_col="variant" control_value="control" converted_col="converted" alpha=0.05}}

  Arguments
    relation       (required) rendered relation: one row per user per test.
    test_col       (required) column name of the test / experiment id.
    variant_col    (required) column name of the variant label.
    control_value  (required) value of variant_col that marks the control group (a literal value).
    converted_col  (required) column name of the outcome: 0/1 integer or boolean; NULL counts as 0.
    alpha          (optional, default 0.05) two-sided significance level.
    ci_z           (optional, default 1.959963984540054 = Φ⁻¹(0.975), i.e. a 95% interval) critical
                   value of the Wald interval; use normalPpf(1 - a/2) from src/compiler/sqlmath.ts
                   for another confidence level.

  Output: one row per (test, non-control variant), ordered by test and variant:
    <test_col>, <variant_col>       (original column names and values)
    control_users, control_conversions, control_rate,
    variant_users, variant_conversions, variant_rate,
    absolute_lift   = variant_rate - control_rate
    relative_lift   = absolute_lift / control_rate (NULL when control_rate = 0)
    z_score         = absolute_lift / SE_pooled, SE_pooled = sqrt(p(1-p)(1/n_c + 1/n_t)),
                      p = (x_c + x_t)/(n_c + n_t)  (NULL when SE_pooled = 0, i.e. p = 0 or 1);
                      the same statistic as statsmodels proportions_ztest (pooled) and the square
                      root of R's prop.test(correct = FALSE) chi-square.
    p_value         = 2(1 - Φ(|z|)), via Weir's normal_two_sided_p (Cody 1969, ~1e-14 relative)
    ci_low, ci_high = absolute_lift -/+ ci_z * sqrt(p_c(1-p_c)/n_c + p_t(1-p_t)/n_t)
                      (Wald interval of the difference, unpooled SE)
    is_significant  = p_value < alpha (FALSE when p_value is NULL)
    winner          = the variant value (as text) when significant and lift > 0, 'control' when
                      significant and lift < 0, otherwise NULL (inconclusive).
  Rows whose variant equals control_value or is NULL are not compared; a test without control rows
  yields its variants with NULL control metrics and NULL statistics.
--}}
WITH ab_variant_totals AS (
    SELECT
        {{ident test_col}} AS ab_test,
        {{ident variant_col}} AS ab_variant,
        COUNT(*) AS users,
        SUM(COALESCE(CAST({{ident converted_col}} AS INTEGER), 0)) AS conversions
    FROM {{relation}}
    GROUP BY {{ident test_col}}, {{ident variant_col}}
),

ab_pairs AS (
    SELECT
        v.ab_test,
        v.ab_variant,
        c.users AS control_users,
        c.conversions AS control_conversions,
        CAST(c.conversions AS DOUBLE) / c.users AS control_rate,
        v.users AS variant_users,
        v.conversions AS variant_conversions,
        CAST(v.conversions AS DOUBLE) / v.users AS variant_rate,
        CAST(c.conversions + v.conversions AS DOUBLE) / (c.users + v.users) AS pooled_rate
    FROM ab_variant_totals AS v
    LEFT JOIN ab_variant_totals AS c
        ON c.ab_test = v.ab_test
        AND c.ab_variant = {{literal control_value}}
    WHERE v.ab_variant <> {{literal control_value}}
),

ab_stats AS (
    SELECT
        ab_test,
        ab_variant,
        control_users,
        control_conversions,
        control_rate,
        variant_users,
        variant_conversions,
        variant_rate,
        variant_rate - control_rate AS absolute_lift,
        (variant_rate - control_rate) / NULLIF(control_rate, 0) AS relative_lift,
        (variant_rate - control_rate) / NULLIF(
            sqrt(pooled_rate * (1 - pooled_rate) * (1.0e0 / control_users + 1.0e0 / variant_users)), 0
        ) AS z_score,
        sqrt(
            control_rate * (1 - control_rate) / control_users
            + variant_rate * (1 - variant_rate) / variant_users
        ) AS wald_se
    FROM ab_pairs
),

ab_tests AS (
    SELECT
        ab_stats.*,
        {{normal_two_sided_p "z_score"}} AS p_value
    FROM ab_stats
)

SELECT
    ab_test AS {{ident test_col}},
    ab_variant AS {{ident variant_col}},
    control_users,
    control_conversions,
    control_rate,
    variant_users,
    variant_conversions,
    variant_rate,
    absolute_lift,
    relative_lift,
    z_score,
    p_value,
    absolute_lift - {{#if ci_z}}{{literal ci_z}}{{else}}1.959963984540054e0{{/if}} * wald_se AS ci_low,
    absolute_lift + {{#if ci_z}}{{literal ci_z}}{{else}}1.959963984540054e0{{/if}} * wald_se AS ci_high,
    COALESCE(p_value < {{#if alpha}}{{literal alpha}}{{else}}0.05{{/if}}, FALSE) AS is_significant,
    CASE
        WHEN p_value < {{#if alpha}}{{literal alpha}}{{else}}0.05{{/if}} AND absolute_lift > 0 THEN CAST(ab_variant AS VARCHAR)
        WHEN p_value < {{#if alpha}}{{literal alpha}}{{else}}0.05{{/if}} AND absolute_lift < 0 THEN 'control'
    END AS winner
FROM ab_tests
ORDER BY ab_test, ab_variant
