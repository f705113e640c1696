{{!--
  er_fellegi_sunter: Fellegi–Sunter match probabilities and weights for candidate pairs, with the m and
  u probabilities estimated by expectation–maximisation under conditional independence.

  References: I. P. Fellegi & A. B. Sunter (1969), "A Theory for Record Linkage", JASA 64(328):1183–1210;
  M. A. Jaro (1989), "Advances in Record-Linkage Methodology as Applied to Matching the 1985 Census of
  Tampa, Florida", JASA 84(406):414–420 (EM for m/u); W. E. Winkler (1988), "Using the EM Algorithm for
  Weight Computation in the Fellegi–Sunter Model of Record Linkage".

  Call:
    {{> er_fellegi_sunter pairs=(ref "candidate_pairs_with_levels") gamma_cols=(array "gamma_name" "gamma_dob")
        iterations=15}}

  Arguments
    pairs       (required) one row per candidate pair with columns id_l, id_r and one comparison-level
                column per comparison: an integer 0 (disagree) … L (exact agreement), or -1 / NULL when a
                value is missing (the comparison is then left out of that pair's product).
    gamma_cols  (required) the comparison-level columns, e.g. (array "gamma_name" "gamma_email").
    iterations  (optional, default 10) EM iterations, unrolled into CTEs.
    tf_cols / tf_value_cols
                (optional, two arrays of equal length) term-frequency adjustments: tf_cols names gamma
                columns, e.g. (array "gamma_surname"), and tf_value_cols the columns of `pairs` holding, for
                each, the relative frequency (0–1] among the records of the value the two records share
                when they agree at that comparison's top level (NULL otherwise), e.g. (array "surname_tf").
                Agreeing on a rare value (Vaughn) is stronger evidence than on a common one (Kim): such a
                pair's log Bayes factor gets mean(ln tf) − ln(tf), the mean taken over the pairs at the top
                level, so the adjustment moves weight from common to rare values and averages to zero (the
                level's m/u, estimated on blocked pairs, keeps its calibration). After W. E. Winkler (1989),
                "Frequency-based matching in the Fellegi-Sunter model of record linkage", and Splink's
                term-frequency adjustments
                (https://moj-analytical-services.github.io/splink/topic_guides/comparisons/term-frequency.html),
                which use m/tf with u from random pairs.
  Start: each pair's match posterior starts at its mean normalised level (level / max level), which
  puts the m probabilities on high levels and u on low ones. Each iteration: M-step
    λ = mean(p),  m_k(l) = Σ p·[γ_k = l] / Σ p,  u_k(l) = Σ (1 − p)·[γ_k = l] / Σ (1 − p)
  (with 1e-6 added to every count so no probability is 0), then E-step
    p = λ Π m / (λ Π m + (1 − λ) Π u).
  Output: id_l, id_r, the gamma columns, match_weight = log2(λ/(1−λ)) + Σ log2(m/u) and
  match_probability (the final posterior).
--}}
with er_pairs as (
    select id_l, id_r{{#each gamma_cols}}, coalesce(cast({{ident this}} as integer), -1) as {{ident this}}{{/each}}
        {{~#each tf_value_cols}}, cast({{ident this}} as double) as {{ident this}}{{/each}}
    from {{pairs}}
),
er_levels as (
{{#each gamma_cols}}
    {{#unless @first}}union all{{/unless}}
    select id_l, id_r, {{@index}} as k, {{ident this}} as level from er_pairs where {{ident this}} >= 0
{{/each}}
),
er_max_level as (
    select k, max(level) as max_level from er_levels group by k
),
er_tf_adjustment as (
{{#if tf_cols}}
    select id_l, id_r, sum(mean_ln_tf - ln_tf) as adjustment
    from (
        select *, avg(ln_tf) over (partition by j) as mean_ln_tf
        from (
{{#each tf_cols}}
            {{#unless @first}}union all{{/unless}}
            select id_l, id_r, {{@index}} as j, ln({{ident (lookup ../tf_value_cols @index)}}) as ln_tf
            from er_pairs
            where {{ident this}} = (select max({{ident this}}) from er_pairs)
              and {{ident (lookup ../tf_value_cols @index)}} > 0
{{/each}}
        ) as er_tf_levels
    ) as er_tf_means
    group by id_l, id_r
{{else}}
    select id_l, id_r, cast(0 as double) as adjustment from er_pairs where false
{{/if}}
),
er_p_0 as (
    select p.id_l, p.id_r,
        coalesce(avg(case when m.max_level > 0 then cast(l.level as double) / m.max_level end), 0) * 0.98 + 0.01 as p
    from er_pairs as p
    left join er_levels as l on l.id_l = p.id_l and l.id_r = p.id_r
    left join er_max_level as m on m.k = l.k
    group by p.id_l, p.id_r
),
{{#each (range (coalesce iterations 10))}}
er_params_{{add @index 1}} as (
    select l.k, l.level,
        (sum(p.p) + 1e-6) / ((select sum(p) from er_p_{{@index}}) + 1e-6) as m,
        (sum(1 - p.p) + 1e-6) / ((select sum(1 - p) from er_p_{{@index}}) + 1e-6) as u
    from er_levels as l
    join er_p_{{@index}} as p on p.id_l = l.id_l and p.id_r = l.id_r
    group by l.k, l.level
),
er_lambda_{{add @index 1}} as (
    select least(greatest(avg(p), 1e-6), 1 - 1e-6) as lam from er_p_{{@index}}
),
er_weights_{{add @index 1}} as (
    select p.id_l, p.id_r, coalesce(sum(ln(w.m) - ln(w.u)), 0) + coalesce(max(t.adjustment), 0) as log_bayes
    from er_pairs as p
    left join er_levels as l on l.id_l = p.id_l and l.id_r = p.id_r
    left join er_params_{{add @index 1}} as w on w.k = l.k and w.level = l.level
    left join er_tf_adjustment as t on t.id_l = p.id_l and t.id_r = p.id_r
    group by p.id_l, p.id_r
),
er_p_{{add @index 1}} as (
    select e.id_l, e.id_r,
        1 / (1 + exp(-(ln(lam) - ln(1 - lam) + least(greatest(e.log_bayes, -700), 700)))) as p,
        (ln(lam) - ln(1 - lam) + e.log_bayes) / ln(2) as match_weight
    from er_weights_{{add @index 1}} as e
    cross join er_lambda_{{add @index 1}}
),
{{/each}}
er_final as (
    select * from er_p_{{coalesce iterations 10}}
)
select p.id_l, p.id_r{{#each gamma_cols}}, p.{{ident this}}{{/each}}, f.match_weight, f.p as match_probability
from er_pairs as p
join er_final as f on f.id_l = p.id_l and f.id_r = p.id_r
