{{!--
  er_fellegi_sunter: Fellegi–Sunter match probabilities and weights for candidate pairs.

  Two estimators:
  * Trained (Splink's method; used when u_pairs is given — the documented way): u from random record
    pairs (less the matches among them), m by EM per blocking rule with that rule's comparisons held out,
    then the median over rules; λ given, from
    deterministic rules, or from EM; convergence checked; output="parameters" gives the parameter table
    (m, u, Bayes factor and match weight per level, λ, convergence, a warning). See
    er_fellegi_sunter_splink.sql for the formulas. R. Linacre et al., Splink
    (https://moj-analytical-services.github.io/splink/topic_guides/theory/fellegi_sunter.html,
    .../topic_guides/training/training_rationale.html).
  * Legacy (no u_pairs): m and u both by EM on the candidate pairs. Fragile when blocking makes many
    non-matches agree (EM can take a blocking field for the match class): BENCHMARKS.md (r).

  Trained call (levels computed by the same SQL on the candidate pairs and on er_random_pairs):
    {{> er_fellegi_sunter pairs=(ref "pair_levels") u_pairs=(ref "random_pair_levels") records=(ref "people")
        gamma_cols=(array "gamma_first_name" "gamma_surname" "gamma_dob" "gamma_email")
        rule_gammas=(array (array "gamma_first_name" "gamma_surname") (array "gamma_dob") (array "gamma_email"))
        deterministic="gamma_first_name = 3 and gamma_surname = 3 and gamma_dob = 2"}}

  Arguments of the trained estimator
    pairs          candidate pairs: id_l, id_r, the gamma columns and er_blocked_pairs' rule_0, rule_1, …
    u_pairs        the same gamma columns computed on random record pairs (er_random_pairs).
    gamma_cols     the comparison-level columns (0 disagree … max exact; -1/NULL missing).
    rule_gammas    (optional) one array per blocking rule, in the rules' order: the gamma columns of every
                   column the rule uses, even one it only constrains (an initial, a birth year) — held out of
                   that rule's EM session, as Splink deactivates a training rule's comparisons. Without it,
                   one EM session over all candidate pairs.
    records        (needed unless lambda is given) the records relation, to count all record pairs.
    link_type, source_col  as er_blocked_pairs (link_only counts only pairs across sources).
    lambda         (optional) the prior match probability of two random records, used as given.
    deterministic  (optional) SQL condition over the columns of `pairs` that picks near-certain matches
                   (e.g. exact name and birth date); λ = (#pairs meeting it / deterministic_recall) / #all pairs.
    deterministic_recall (optional, default 0.8) the share of true matches the condition is taken to find.
    Without lambda or deterministic, λ is EM's (lambda_em).
    lambda_warn_factor (optional, default 3) the parameter table's warning when EM's λ and the
                   deterministic λ differ by more than this factor.
    max_iterations (optional, default 25), tolerance (default 0.0001; both Splink's defaults): EM is
                   unrolled max_iterations times; converged_at is the first iteration whose largest change in
                   any session's m or λ is below tolerance, and a warning says so when none is (the last
                   estimates are used, as Splink does).
    correct_u      (optional, default true) u = (q − λ·m) / (1 − λ) from the random pairs' level shares q,
                   removing the matches expected among the random pairs; false: u = q (Splink's u).
    m_prior        (optional, default 0) Dirichlet pseudo-count spread evenly over each comparison's levels,
                   added in every M-step (keeps a rarely seen level's m away from 0).
    tf_cols / tf_value_cols  as below; the trained estimator uses Splink's form: an exact agreement on a
                   value of relative frequency tf has u = tf instead of the level's u.
    output         (optional) "pairs" (default): id_l, id_r, gamma columns, match_weight, match_probability;
                   "parameters": one row per comparison level (comparison, level, m, u, u_random = the level's
                   share q among the random pairs, bayes_factor, match_weight = log2 Bayes factor, m_sessions =
                   sessions whose estimates the median took) plus a 'prior (lambda)' row, each with
                   lambda, lambda_source (given | deterministic | em), lambda_deterministic, lambda_em,
                   lambda_ratio, iterations, converged_at, converged and warning (NULL when all is well);
                   "sessions": each EM session's estimates (session = rule index, or −1 without rule_gammas;
                   comparison, level, m, session_lambda = λ within the rule's pairs, converged), as Splink's
                   parameter-estimate comparison chart shows them.

  Legacy call:
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
{{check_choice "er_fellegi_sunter" "output" output "pairs" "parameters" "sessions"}}
{{~check_choice "er_fellegi_sunter" "link_type" link_type "dedupe" "link_only" "link_and_dedupe"}}
{{~#if u_pairs}}{{> er_fellegi_sunter_splink}}{{else}}
{{~#if (eq output "parameters")}}{{check_required "er_fellegi_sunter" "u_pairs" u_pairs "output=\"parameters\" needs the trained estimator"}}{{/if}}
{{~#if (eq output "sessions")}}{{check_required "er_fellegi_sunter" "u_pairs" u_pairs "output=\"sessions\" needs the trained estimator"}}{{/if}}
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
{{/if}}
