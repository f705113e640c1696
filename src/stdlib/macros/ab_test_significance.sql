{{!--
  ab_test_significance: two-proportion z-tests of every non-control variant against the control, with
  an interval for the difference and one for each group's rate.

  Call (from a model; the whole macro is one CTE-only SELECT without a trailing semicolon, so it
  can be a model body or a subquery):
    {{> ab_test_significance relation=(ref "int_ab_user_outcomes") test_col="test_id"
        variant_col="variant" control_value="control" converted_col="converted" alpha=0.05}}
  The relation may be a CTE of the calling model. Either nest the macro in a CTE of your own
    with outcomes as (...), results as ({{> ab_test_significance relation="outcomes" ...}}) select ...
  or continue the model's WITH list with after_ctes=true (the macro then starts with a comma and
  ends with its SELECT):
    with outcomes as (...)
    {{> ab_test_significance relation="outcomes" after_ctes=true ...}}

  Arguments
    relation       (required) rendered relation: one row per user per test.
    test_col       (required) column name of the test / experiment id.
    variant_col    (required) column name of the variant label.
    control_value  (required) value of variant_col that marks the control group (a literal value).
    converted_col  (required) column name of the outcome: 0/1 integer or boolean; NULL counts as 0.
    alpha          (optional, default 0.05) significance level of the test.
    alternative    (optional, default "two-sided") the alternative hypothesis about the variant's rate
                   p_t against the control's p_c: "two-sided" (p_t ≠ p_c, p = 2(1 − Φ(|z|))),
                   "greater" (p_t > p_c, p = 1 − Φ(z)) or "less" (p_t < p_c, p = Φ(z)); the names of
                   R's prop.test and scipy (statsmodels' "larger"/"smaller").
    ci_method      (optional, default "wald") interval of the difference p_t − p_c:
                   "wald"          p_t − p_c ± z·sqrt(p_c(1−p_c)/n_c + p_t(1−p_t)/n_t)
                   "agresti_caffo" the Wald interval after adding one success and one failure to each
                                   group (Agresti & Caffo 2000, The American Statistician 54(4):280–288)
                   "newcombe"      Newcombe's hybrid score interval from the two Wilson intervals
                                   (Newcombe 1998, Statistics in Medicine 17:873–890, method 10):
                                   L = d − sqrt((p_t − l_t)² + (u_c − p_c)²),
                                   U = d + sqrt((u_t − p_t)² + (p_c − l_c)²), d = p_t − p_c
    rate_ci_method (optional, default "wilson") interval of each group's own rate (the *_rate_low/high
                   columns): "wilson" (Wilson 1927: (x + z²/2)/(n + z²) ± z/(n + z²)·sqrt(x(n−x)/n + z²/4)),
                   "wald" (p ± z·sqrt(p(1−p)/n), not clipped to [0, 1]) or "agresti_coull" (Agresti &
                   Coull 1998: ñ = n + z², p̃ = (x + z²/2)/ñ, p̃ ± z·sqrt(p̃(1−p̃)/ñ)); the same formulas as
                   R's binom::binom.confint methods wilson / asymptotic / agresti-coull.
    ci_z           (optional, default 1.959963984540054 = Φ⁻¹(0.975), i.e. 95% intervals) critical
                   value of every interval; use normalPpf(1 - a/2) from src/compiler/sqlmath.ts for
                   another confidence level. Intervals are two-sided whatever the alternative.
    after_ctes     (optional, default false) render `, ab_... AS (...) ... SELECT` to follow the calling
                   model's own WITH list (see above).
  An unknown alternative / ci_method / rate_ci_method is an error naming the argument and the allowed
  values.

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
    p_value         by alternative (above), via Weir's normal_two_sided_p / normal_cdf (Cody 1969,
                    ~1e-14 relative)
    ci_low, ci_high interval of absolute_lift by ci_method (default Wald, unpooled SE)
    is_significant  = p_value < alpha (FALSE when p_value is NULL)
    winner          = the variant value (as text) when significant and lift > 0, 'control' when
                      significant and lift < 0, otherwise NULL (inconclusive).
    control_rate_low, control_rate_high, variant_rate_low, variant_rate_high
                      interval of each group's rate by rate_ci_method (default Wilson).
  Rows whose variant equals control_value or is NULL are not compared; a test without control rows
  yields its variants with NULL control metrics and NULL statistics.
--}}
{{check_choice "ab_test_significance" "alternative" alternative "two-sided" "greater" "less"}}
{{~check_choice "ab_test_significance" "ci_method" ci_method "wald" "agresti_caffo" "newcombe"}}
{{~check_choice "ab_test_significance" "rate_ci_method" rate_ci_method "wilson" "wald" "agresti_coull"}}
{{~#if after_ctes}},{{else}}WITH{{/if}} ab_variant_totals AS (
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
        CAST(c.conversions + v.conversions AS DOUBLE) / (c.users + v.users) AS pooled_rate,
        CAST({{#if ci_z}}{{literal ci_z}}{{else}}1.959963984540054e0{{/if}} AS DOUBLE) AS z_crit
    FROM ab_variant_totals AS v
    LEFT JOIN ab_variant_totals AS c
        ON c.ab_test = v.ab_test
        AND c.ab_variant = {{literal control_value}}
    WHERE v.ab_variant <> {{literal control_value}}
),

ab_stats AS (
    SELECT
        ab_pairs.*,
        variant_rate - control_rate AS absolute_lift,
        (variant_rate - control_rate) / NULLIF(control_rate, 0) AS relative_lift,
        (variant_rate - control_rate) / NULLIF(
            sqrt(pooled_rate * (1 - pooled_rate) * (1.0e0 / control_users + 1.0e0 / variant_users)), 0
        ) AS z_score,
        sqrt(
            control_rate * (1 - control_rate) / control_users
            + variant_rate * (1 - variant_rate) / variant_users
        ) AS wald_se,
        /* Wilson (1927) score interval of each rate: centre and half-width */
        (control_conversions + z_crit * z_crit / 2) / (control_users + z_crit * z_crit) AS c_wilson_mid,
        z_crit / (control_users + z_crit * z_crit)
            * sqrt(CAST(control_conversions AS DOUBLE) * (control_users - control_conversions) / control_users
                + z_crit * z_crit / 4) AS c_wilson_half,
        (variant_conversions + z_crit * z_crit / 2) / (variant_users + z_crit * z_crit) AS v_wilson_mid,
        z_crit / (variant_users + z_crit * z_crit)
            * sqrt(CAST(variant_conversions AS DOUBLE) * (variant_users - variant_conversions) / variant_users
                + z_crit * z_crit / 4) AS v_wilson_half,
        /* Agresti–Caffo: one success and one failure added to each group */
        (variant_conversions + 1.0e0) / (variant_users + 2) - (control_conversions + 1.0e0) / (control_users + 2) AS ac_diff,
        sqrt(
            (control_conversions + 1.0e0) / (control_users + 2) * (1 - (control_conversions + 1.0e0) / (control_users + 2)) / (control_users + 2)
            + (variant_conversions + 1.0e0) / (variant_users + 2) * (1 - (variant_conversions + 1.0e0) / (variant_users + 2)) / (variant_users + 2)
        ) AS ac_se,
        /* Agresti–Coull: ñ = n + z², p̃ = (x + z²/2)/ñ */
        (control_conversions + z_crit * z_crit / 2) / (control_users + z_crit * z_crit) AS c_ac_p,
        control_users + z_crit * z_crit AS c_ac_n,
        (variant_conversions + z_crit * z_crit / 2) / (variant_users + z_crit * z_crit) AS v_ac_p,
        variant_users + z_crit * z_crit AS v_ac_n
    FROM ab_pairs
),

ab_intervals AS (
    SELECT
        ab_stats.*,
        c_wilson_mid - c_wilson_half AS c_wilson_low,
        c_wilson_mid + c_wilson_half AS c_wilson_high,
        v_wilson_mid - v_wilson_half AS v_wilson_low,
        v_wilson_mid + v_wilson_half AS v_wilson_high
    FROM ab_stats
),

ab_tests AS (
    SELECT
        ab_intervals.*,
{{#if (eq alternative "greater")}}
        {{normal_cdf "-z_score"}} AS p_value,
{{else if (eq alternative "less")}}
        {{normal_cdf "z_score"}} AS p_value,
{{else}}
        {{normal_two_sided_p "z_score"}} AS p_value,
{{/if}}
{{#if (eq ci_method "newcombe")}}
        absolute_lift - sqrt((variant_rate - v_wilson_low) * (variant_rate - v_wilson_low)
            + (c_wilson_high - control_rate) * (c_wilson_high - control_rate)) AS diff_low,
        absolute_lift + sqrt((v_wilson_high - variant_rate) * (v_wilson_high - variant_rate)
            + (control_rate - c_wilson_low) * (control_rate - c_wilson_low)) AS diff_high,
{{else if (eq ci_method "agresti_caffo")}}
        ac_diff - z_crit * ac_se AS diff_low,
        ac_diff + z_crit * ac_se AS diff_high,
{{else}}
        absolute_lift - z_crit * wald_se AS diff_low,
        absolute_lift + z_crit * wald_se AS diff_high,
{{/if}}
{{#if (eq rate_ci_method "wald")}}
        control_rate - z_crit * sqrt(control_rate * (1 - control_rate) / control_users) AS c_rate_low,
        control_rate + z_crit * sqrt(control_rate * (1 - control_rate) / control_users) AS c_rate_high,
        variant_rate - z_crit * sqrt(variant_rate * (1 - variant_rate) / variant_users) AS v_rate_low,
        variant_rate + z_crit * sqrt(variant_rate * (1 - variant_rate) / variant_users) AS v_rate_high
{{else if (eq rate_ci_method "agresti_coull")}}
        c_ac_p - z_crit * sqrt(c_ac_p * (1 - c_ac_p) / c_ac_n) AS c_rate_low,
        c_ac_p + z_crit * sqrt(c_ac_p * (1 - c_ac_p) / c_ac_n) AS c_rate_high,
        v_ac_p - z_crit * sqrt(v_ac_p * (1 - v_ac_p) / v_ac_n) AS v_rate_low,
        v_ac_p + z_crit * sqrt(v_ac_p * (1 - v_ac_p) / v_ac_n) AS v_rate_high
{{else}}
        c_wilson_low AS c_rate_low,
        c_wilson_high AS c_rate_high,
        v_wilson_low AS v_rate_low,
        v_wilson_high AS v_rate_high
{{/if}}
    FROM ab_intervals
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
    diff_low AS ci_low,
    diff_high AS ci_high,
    COALESCE(p_value < {{#if alpha}}{{literal alpha}}{{else}}0.05{{/if}}, FALSE) AS is_significant,
    CASE
        WHEN p_value < {{#if alpha}}{{literal alpha}}{{else}}0.05{{/if}} AND absolute_lift > 0 THEN CAST(ab_variant AS VARCHAR)
        WHEN p_value < {{#if alpha}}{{literal alpha}}{{else}}0.05{{/if}} AND absolute_lift < 0 THEN 'control'
    END AS winner,
    c_rate_low AS control_rate_low,
    c_rate_high AS control_rate_high,
    v_rate_low AS variant_rate_low,
    v_rate_high AS variant_rate_high
FROM ab_tests
ORDER BY ab_test, ab_variant
