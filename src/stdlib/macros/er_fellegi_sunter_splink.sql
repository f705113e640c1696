{{!--
  er_fellegi_sunter_splink: the trained Fellegi–Sunter model that er_fellegi_sunter runs when it is given
  u_pairs (call er_fellegi_sunter, not this partial; the arguments are documented there). Estimation as
  Splink does it (R. Linacre et al., Splink, https://moj-analytical-services.github.io/splink/ —
  topic guides "Fellegi-Sunter model", "Expectation maximisation" and the training API; I. P. Fellegi &
  A. B. Sunter 1969, JASA 64(328):1183–1210):
    u(k, l)  from random record pairs (u_pairs), missing levels left out: q(k, l), the level's share among
             them with 0.5 added to every count (a level never seen by chance still gets a finite weight),
             corrected for the matches among the random pairs (correct_u, default on): random pairs are a
             mixture, q = λ·m + (1 − λ)·u (the Fellegi–Sunter model; W. E. Winkler 1988, M. A. Jaro 1989), so
             u = (q − λ·m) / (1 − λ), floored at the 0.5-count share and renormalised. Splink's
             estimate_u_using_random_sampling takes u = q, valid when "the resultant pairwise comparisons are
             non-matches (or at least, they are very unlikely to be matches). For large datasets, this is
             typically true" (its docstring); on a small set λ·m is not negligible beside q for rare agreements
             (fake_1000: exact birth date q = 1.7e-3 of which λ·m = 1.2e-3), and u = q then understates their
             weight (there 7.8 bits instead of 9.6). With λ → 0 (large data) u = q.
    m(k, l)  expectation–maximisation per training session with u = q held fixed (Splink's fix_u_probabilities):
             one session per blocking rule over the pairs that rule produced (rule_<i> = 1), the comparisons in
             rule_gammas[i] held out (the rule makes them agree, so they carry no information there); without
             rule_gammas one session (−1) over all candidate pairs.
             E-step p = λ_s Π m / (λ_s Π m + (1 − λ_s) Π u); M-step m = Σ n·p·[γ = l] / Σ n·p·[γ ≥ 0]
             (+ prior pseudo-counts), λ_s = Σ n·p / Σ n, run on the distinct comparison-vector patterns
             with their counts n (Splink's estimate_without_term_frequencies=True, as its fake_1000 demo
             trains). Starting posterior: the mean of level/max level over the comparisons. Convergence: the
             largest change of any session's m or λ_s below tolerance (Splink's em_convergence); when
             max_iterations pass first the last estimates are kept (as Splink does) and `warning` says so.
             Combined m = the median of the estimates of the sessions that observed the level (Splink's
             _trained_m_median: a session that never saw a level does not vote), renormalised so each
             comparison's m sums to 1; a level no session observed takes Splink's default m (0.95 for the
             top level, 0.05 shared by the others). output="sessions" lists every session's estimates.
    λ        given (lambda), else from deterministic rules: (#candidate pairs meeting `deterministic`
             / deterministic_recall) / #all record pairs (Splink's
             estimate_probability_two_random_records_match), else from EM. EM's λ per rule session:
             N_s·λ_s / (#all pairs · P(rule | match)), P(rule | match) = Π over held-out comparisons of
             P(both values present) · Σ m over the levels seen in that session — m is conditional on both values
             being present, and a rule only fires when they are; P(both present) is the comparison's share of
             non-missing levels among the random pairs (missingness taken as independent of match status);
             their geometric mean is lambda_em.
--}}
with fs_pairs as (
    select id_l, id_r{{#each gamma_cols}}, coalesce(cast({{ident this}} as integer), -1) as {{ident this}}{{/each}}
        {{~#each rule_gammas}}, coalesce(cast(rule_{{@index}} as integer), 0) as rule_{{@index}}{{/each}}
        {{~#each tf_value_cols}}, cast({{ident this}} as double) as {{ident this}}{{/each}}
    from {{pairs}}
),
fs_comparisons as (
{{#each gamma_cols}}
    {{#unless @first}}union all {{/unless}}select {{@index}} as k, {{literal this}} as comparison
{{/each}}
),
fs_u_levels as (
{{#each gamma_cols}}
    {{#unless @first}}union all{{/unless}}
    select {{@index}} as k, coalesce(cast({{ident this}} as integer), -1) as level from {{../u_pairs}}
{{/each}}
),
fs_patterns as (
    select row_number() over (order by {{#each gamma_cols}}{{#unless @first}}, {{/unless}}{{ident this}}{{/each}}) as pid,
        {{#each gamma_cols}}{{ident this}}, {{/each}}count(*) as n{{#each rule_gammas}}, sum(rule_{{@index}}) as n_{{@index}}{{/each}}
    from fs_pairs
    group by {{#each gamma_cols}}{{#unless @first}}, {{/unless}}{{ident this}}{{/each}}
),
fs_pattern_levels as (
{{#each gamma_cols}}
    {{#unless @first}}union all{{/unless}}
    select pid, {{@index}} as k, {{ident this}} as level from fs_patterns where {{ident this}} >= 0
{{/each}}
),
fs_level_set as (
    select distinct k, level from fs_pattern_levels
    union
    select distinct k, level from fs_u_levels where level >= 0
),
fs_u as (
    select s.k, s.level,
        (coalesce(c.c, 0) + 0.5e0) / (t.total + 0.5e0 * t.levels) as u,
        0.5e0 / (t.total + 0.5e0 * t.levels) as u_floor
    from fs_level_set as s
    left join (select k, level, count(*) as c from fs_u_levels where level >= 0 group by k, level) as c
        on c.k = s.k and c.level = s.level
    join (
        select ls.k, count(*) as levels, max(coalesce(tot.total, 0)) as total
        from fs_level_set as ls
        left join (select k, count(*) as total from fs_u_levels where level >= 0 group by k) as tot on tot.k = ls.k
        group by ls.k
    ) as t on t.k = s.k
),
fs_max_level as (
    select k, max(level) as max_level from fs_level_set group by k
),
fs_session_patterns as (
{{#if rule_gammas}}
{{#each rule_gammas}}
    {{#unless @first}}union all{{/unless}}
    select {{@index}} as session, pid, n_{{@index}} as n from fs_patterns where n_{{@index}} > 0
{{/each}}
{{else}}
    select -1 as session, pid, n from fs_patterns
{{/if}}
),
fs_fixed as (
    select -1 as session, -1 as k where 1 = 0
{{#each rule_gammas}}
{{#each this}}
    union all
    select {{@../index}} as session, c.k from fs_comparisons as c where c.comparison = {{literal this}}
{{/each}}
{{/each}}
),
fs_active as (
    select s.session, c.k
    from (select distinct session from fs_session_patterns) as s
    cross join fs_comparisons as c
    where not exists (select 1 from fs_fixed as f where f.session = s.session and f.k = c.k)
),
fs_active_levels as (
    select sp.session, sp.pid, sp.n, pl.k, pl.level
    from fs_session_patterns as sp
    join fs_pattern_levels as pl on pl.pid = sp.pid
    join fs_active as a on a.session = sp.session and a.k = pl.k
),
fs_p_0 as (
    select sp.session, sp.pid, sp.n,
        coalesce(avg(case when ml.max_level > 0 then cast(al.level as double) / ml.max_level end), 0) * 0.98e0 + 0.01e0 as p
    from fs_session_patterns as sp
    left join fs_active_levels as al on al.session = sp.session and al.pid = sp.pid
    left join fs_max_level as ml on ml.k = al.k
    group by sp.session, sp.pid, sp.n
),
{{#each (range (coalesce max_iterations 25))}}
fs_m_{{add @index 1}} as (
    select session, k, level,
        (mass + {{#if ../m_prior}}{{literal ../m_prior}}{{else}}0{{/if}} * 1.0e0 / levels + 1e-9) / (sum(mass) over (partition by session, k) + {{#if ../m_prior}}{{literal ../m_prior}}{{else}}0{{/if}} + 1e-9 * levels) as m
    from (
        select al.session, al.k, al.level, sum(al.n * p.p) as mass,
            max(ls.levels) as levels
        from fs_active_levels as al
        join fs_p_{{@index}} as p on p.session = al.session and p.pid = al.pid
        join (select k, count(*) as levels from fs_level_set group by k) as ls on ls.k = al.k
        group by al.session, al.k, al.level
    ) as fs_mass
),
fs_lambda_{{add @index 1}} as (
    select session, least(greatest(sum(n * p) / sum(n), 1e-9), 1 - 1e-9) as lam from fs_p_{{@index}} group by session
),
fs_p_{{add @index 1}} as (
    select sp.session, sp.pid, sp.n,
        1 / (1 + exp(-least(greatest(ln(l.lam) - ln(1 - l.lam) + coalesce(b.lbf, 0), -700), 700))) as p
    from fs_session_patterns as sp
    join fs_lambda_{{add @index 1}} as l on l.session = sp.session
    left join (
        select al.session, al.pid, sum(ln(m.m) - ln(u.u)) as lbf
        from fs_active_levels as al
        join fs_m_{{add @index 1}} as m on m.session = al.session and m.k = al.k and m.level = al.level
        join fs_u as u on u.k = al.k and u.level = al.level
        group by al.session, al.pid
    ) as b on b.session = sp.session and b.pid = sp.pid
),
{{#unless @first}}
fs_delta_{{add @index 1}} as (
    select {{add @index 1}} as iteration, greatest(
        (select max(abs(a.m - b.m)) from fs_m_{{add @index 1}} as a
            join fs_m_{{@index}} as b on b.session = a.session and b.k = a.k and b.level = a.level),
        (select max(abs(a.lam - b.lam)) from fs_lambda_{{add @index 1}} as a
            join fs_lambda_{{@index}} as b on b.session = a.session)) as delta
),
{{/unless}}
{{/each}}
fs_deltas as (
    select 1 as iteration, cast(1 as double) as delta
{{#each (range (coalesce max_iterations 25))}}
{{#unless @first}}
    union all select iteration, delta from fs_delta_{{add @index 1}}
{{/unless}}
{{/each}}
),
fs_convergence as (
    select max(iteration) as iterations,
        min(case when delta < {{#if tolerance}}{{literal tolerance}}{{else}}0.0001{{/if}} then iteration end) as converged_at,
        max(case when iteration = (select max(iteration) from fs_deltas) then delta end) as last_delta
    from fs_deltas
),
fs_last_change as (
{{#if (gt (coalesce max_iterations 25) 1)}}
    select session, max(change) as change
    from (
        select a.session, abs(a.m - b.m) as change
        from fs_m_{{coalesce max_iterations 25}} as a
        join fs_m_{{sub (coalesce max_iterations 25) 1}} as b on b.session = a.session and b.k = a.k and b.level = a.level
        union all
        select a.session, abs(a.lam - b.lam)
        from fs_lambda_{{coalesce max_iterations 25}} as a
        join fs_lambda_{{sub (coalesce max_iterations 25) 1}} as b on b.session = a.session
    ) as fs_changes
    group by session
{{else}}
    select -1 as session, cast(null as double) as change where 1 = 0
{{/if}}
),
fs_slowest as (
    select max(session) as session from fs_last_change where change = (select max(change) from fs_last_change)
),
fs_m_final as (
    select * from fs_m_{{coalesce max_iterations 25}}
),
fs_lambda_final as (
    select * from fs_lambda_{{coalesce max_iterations 25}}
),
fs_m_ranked as (
    select k, level, m,
        row_number() over (partition by k, level order by m) as rn,
        count(*) over (partition by k, level) as sessions
    from fs_m_final
),
fs_m_median as (
    select k, level, avg(m) as m, max(sessions) as sessions
    from fs_m_ranked
    where rn = floor((sessions + 1) / 2.0e0) or rn = ceil((sessions + 1) / 2.0e0)
    group by k, level
),
fs_m_combined as (
    select k, level, m_raw / sum(m_raw) over (partition by k) as m, m_sessions
    from (
        select s.k, s.level,
            coalesce(md.m, case when ml.max_level = 0 then 1.0e0 when s.level = ml.max_level then 0.95e0 else 0.05e0 / ml.max_level end) as m_raw,
            coalesce(md.sessions, 0) as m_sessions
        from fs_level_set as s
        join fs_max_level as ml on ml.k = s.k
        left join fs_m_median as md on md.k = s.k and md.level = s.level
    ) as fs_m_medians
),
fs_present as (
    select k, avg(case when level >= 0 then 1.0e0 else 0.0e0 end) as present from fs_u_levels group by k
),
fs_record_pairs as (
{{#if records}}
{{#if (eq link_type "link_only")}}
    select (sum(cnt) * sum(cnt) - sum(cnt * cnt)) / 2.0e0 as total_pairs
    from (select {{ident source_col}} as src, count(*) * 1.0e0 as cnt from {{records}} group by {{ident source_col}}) as fs_sources
{{else}}
    select count(*) * (count(*) - 1) / 2.0e0 as total_pairs from {{records}}
{{/if}}
{{else}}
    select cast(null as double) as total_pairs
{{/if}}
),
fs_session_sizes as (
    select sp.session, sum(sp.n) as pairs, max(l.lam) as lam
    from fs_session_patterns as sp join fs_lambda_final as l on l.session = sp.session
    group by sp.session
),
fs_block_given_match as (
    select session, exp(sum(ln(greatest(pm, 1e-12)))) as p_rule_given_match
    from (
        select f.session, f.k, sum(mc.m) * max(coalesce(pr.present, 1)) as pm
        from (
            select distinct sp.session, pl.k, pl.level
            from fs_session_patterns as sp
            join fs_pattern_levels as pl on pl.pid = sp.pid
            join fs_fixed as f on f.session = sp.session and f.k = pl.k
        ) as f
        join fs_m_combined as mc on mc.k = f.k and mc.level = f.level
        left join fs_present as pr on pr.k = f.k
        group by f.session, f.k
    ) as fs_per_comparison
    group by session
),
fs_lambda_em as (
    select exp(avg(ln(least(greatest(lam_total, 1e-12), 1 - 1e-9)))) as lambda_em
    from (
        select ss.session, ss.pairs * ss.lam / (rp.total_pairs * coalesce(b.p_rule_given_match, 1)) as lam_total
        from fs_session_sizes as ss
        cross join fs_record_pairs as rp
        left join fs_block_given_match as b on b.session = ss.session
        where ss.session >= 0 or not exists (select 1 from fs_session_sizes where session >= 0)
    ) as fs_sessions_lambda
),
fs_lambda_det as (
{{#if deterministic}}
    select least((select count(*) from {{pairs}} where ({{deterministic}})) / {{#if deterministic_recall}}{{literal deterministic_recall}}{{else}}0.8{{/if}} / rp.total_pairs, 1 - 1e-9) as lambda_det
    from fs_record_pairs as rp
{{else}}
    select cast(null as double) as lambda_det
{{/if}}
),
fs_lambda as (
    select
        {{#if lambda}}cast({{literal lambda}} as double){{else}}coalesce(d.lambda_det, e.lambda_em){{/if}} as lam,
        {{#if lambda}}'given'{{else}}case when d.lambda_det is not null then 'deterministic' else 'em' end{{/if}} as lambda_source,
        d.lambda_det, e.lambda_em,
        greatest(e.lambda_em / d.lambda_det, d.lambda_det / e.lambda_em) as lambda_ratio
    from fs_lambda_det as d cross join fs_lambda_em as e
),
fs_lambda_checked as (
    select fs_lambda.*,
        case
            when lam is null then 'no lambda: give lambda, or records (with deterministic) so it can be estimated'
            when lambda_ratio > {{#if lambda_warn_factor}}{{literal lambda_warn_factor}}{{else}}3{{/if}} then
                'EM''s lambda ' || cast(lambda_em as varchar) || ' and the deterministic estimate ' || cast(lambda_det as varchar)
                || ' differ by a factor of ' || cast(round(lambda_ratio, 2) as varchar) || ' (more than {{#if lambda_warn_factor}}{{lambda_warn_factor}}{{else}}3{{/if}}): '
                || 'check rule_gammas, the deterministic rules and their recall, or the blocking'
            when (select converged_at from fs_convergence) is null then
                'EM did not converge in ' || cast((select iterations from fs_convergence) as varchar) || ' iterations (last change in m or lambda '
                || cast((select last_delta from fs_convergence) as varchar)
                || coalesce((select case when session is null then '' when session >= 0 then ', in the session of rule ' || cast(session as varchar) else ', in the session over all pairs' end from fs_slowest), '')
                || '): raise max_iterations; the last estimates are used'
        end as warning
    from fs_lambda
),
fs_u_final as (
    select k, level, u_random, u_raw / sum(u_raw) over (partition by k) as u
    from (
        select u.k, u.level, u.u as u_random,
{{#if (eq correct_u false)}}
            u.u as u_raw
{{else}}
            greatest((u.u - l.lam * m.m) / (1 - l.lam), u.u_floor) as u_raw
{{/if}}
        from fs_u as u
        join fs_m_combined as m on m.k = u.k and m.level = u.level
        cross join fs_lambda_checked as l
    ) as fs_u_unmixed
),
fs_weights as (
    select u.k, u.level, m.m, u.u, u.u_random, m.m_sessions, ln(m.m) - ln(u.u) as log_bf
    from fs_u_final as u join fs_m_combined as m on m.k = u.k and m.level = u.level
),
{{#if (eq output "parameters")}}
fs_parameters as (
    select c.comparison, w.level, w.m, w.u, w.u_random, exp(w.log_bf) as bayes_factor, w.log_bf / ln(2) as match_weight, w.m_sessions
    from fs_weights as w join fs_comparisons as c on c.k = w.k
    union all
    select 'prior (lambda)', cast(null as integer), cast(null as double), cast(null as double), cast(null as double),
        l.lam / (1 - l.lam), (ln(l.lam) - ln(1 - l.lam)) / ln(2), cast(null as bigint)
    from fs_lambda_checked as l
)
select p.comparison, p.level, p.m, p.u, p.u_random, p.bayes_factor, p.match_weight, p.m_sessions,
    l.lam as lambda, l.lambda_source, l.lambda_det as lambda_deterministic, l.lambda_em, l.lambda_ratio,
    cv.iterations, cv.converged_at, cv.converged_at is not null as converged, l.warning
from fs_parameters as p
cross join fs_lambda_checked as l
cross join fs_convergence as cv
order by case when p.level is null then 0 else 1 end, p.comparison, p.level
{{else if (eq output "sessions")}}
fs_session_estimates as (
    select m.session, c.comparison, m.level, m.m, l.lam as session_lambda
    from fs_m_final as m
    join fs_comparisons as c on c.k = m.k
    join fs_lambda_final as l on l.session = m.session
)
select e.*, cv.converged_at is not null as converged
from fs_session_estimates as e
cross join fs_convergence as cv
order by e.session, e.comparison, e.level
{{else}}
fs_pattern_weights as (
    select pl.pid, sum(w.log_bf) as log_bf
    from fs_pattern_levels as pl join fs_weights as w on w.k = pl.k and w.level = pl.level
    group by pl.pid
),
fs_scored as (
    select p.*, coalesce(w.log_bf, 0)
        {{~#each tf_cols}}
        + case when p.{{ident this}} = (select max_level from fs_max_level as ml join fs_comparisons as c on c.k = ml.k where c.comparison = {{literal this}})
                and p.{{ident (lookup ../tf_value_cols @index)}} > 0
            then (select ln(u.u) from fs_u_final as u join fs_max_level as ml on ml.k = u.k and ml.max_level = u.level join fs_comparisons as c on c.k = u.k where c.comparison = {{literal this}})
                - ln(p.{{ident (lookup ../tf_value_cols @index)}})
            else 0 end
        {{~/each}} as log_bf_tf
    from fs_pairs as p
    join fs_patterns as pt on {{#each gamma_cols}}{{#unless @first}} and {{/unless}}pt.{{ident this}} = p.{{ident this}}{{/each}}
    left join fs_pattern_weights as w on w.pid = pt.pid
)
select s.id_l, s.id_r{{#each gamma_cols}}, s.{{ident this}}{{/each}},
    (ln(l.lam) - ln(1 - l.lam) + s.log_bf_tf) / ln(2) as match_weight,
    1 / (1 + exp(-least(greatest(ln(l.lam) - ln(1 - l.lam) + s.log_bf_tf, -700), 700))) as match_probability
from fs_scored as s
cross join fs_lambda_checked as l
{{/if}}
