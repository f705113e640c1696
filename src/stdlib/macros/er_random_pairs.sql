{{!--
  er_random_pairs: a sample of record pairs drawn without regard to any field, for estimating the u
  probabilities (how often two records of different entities agree by chance) as Splink's
  estimate_u_using_random_sampling does
  (https://moj-analytical-services.github.io/splink/api_docs/training.html). Almost all such pairs are
  non-matches, so the share of each comparison level among them is its u probability (er_fellegi_sunter
  removes the expected share of the matches among them: see its correct_u).

  Call:
    {{> er_random_pairs relation=(ref "people") id_col="unique_id" max_pairs=1000000}}

  Arguments
    relation    (required) one row per record.
    id_col      (required) unique record id column.
    max_pairs   (optional, default 1000000 — Splink's default max_pairs) about how many pairs to draw. When
                the relation has no more record pairs than that (dedupe: N(N−1)/2; link_only: pairs across
                sources), every pair is returned, as Splink then samples all records (its sampling proportion
                is capped at 1) and compares them all.
    link_type / source_col  as er_blocked_pairs: with "link_only" only pairs from different sources are kept.
  Method when sampling (portable, deterministic): records are put in a pseudo-random order (the dialect's hash
  of the id), numbered 0..N−1, and record i is paired with record (i + o_j) mod N for k offsets o_j spread
  over [1, N−1] by the golden ratio (o_j = 1 + ⌊frac(j·0.618…)·(N−1)⌋). D = max_pairs pairs are drawn (link_only:
  max_pairs × N(N−1)/2 / #pairs across sources, as pairs within a source are dropped), k = D / N between 20
  and 1000, and only records numbered below D / k start a pair. Output: id_l, id_r (id_l < id_r, distinct).
--}}
{{check_choice "er_random_pairs" "link_type" link_type "dedupe" "link_only" "link_and_dedupe"}}
{{~#if (eq link_type "link_only")}}{{check_required "er_random_pairs" "source_col" source_col "link_only needs the column naming each record's source"}}{{/if~}}
with er_ids as (
    select {{ident id_col}} as id, cast({{ident id_col}} as {{type_string}}) as id_text{{#if (eq link_type "link_only")}}, {{ident source_col}} as src{{/if}}
    from {{relation}}
),
er_numbered as (
    select id{{#if (eq link_type "link_only")}}, src{{/if}},
        row_number() over (order by {{hash "id_text"}}, id) - 1 as rn,
        count(*) over () as n
    from er_ids
),
er_total as (
{{#if (eq link_type "link_only")}}
    select (sum(c) * sum(c) - sum(c * c)) / 2.0e0 as total_pairs, sum(c) * (sum(c) - 1) / 2.0e0 as any_pairs
    from (select src, count(*) * 1.0e0 as c from er_ids group by src) as er_sources
{{else}}
    select count(*) * (count(*) - 1) / 2.0e0 as total_pairs, count(*) * (count(*) - 1) / 2.0e0 as any_pairs from er_ids
{{/if}}
),
er_all as (
    select a.* from er_numbered as a cross join er_total as t
    where t.total_pairs <= {{#if max_pairs}}{{literal max_pairs}}{{else}}1000000{{/if}}
),
er_sampled as (
    select d.*, cast(least(1000, greatest(20, ceil(d.drawn / d.n))) as bigint) as k
    from (
        select a.*, {{#if max_pairs}}{{literal max_pairs}}{{else}}1000000{{/if}} * t.any_pairs / t.total_pairs as drawn
        from er_numbered as a cross join er_total as t
        where t.total_pairs > {{#if max_pairs}}{{literal max_pairs}}{{else}}1000000{{/if}} and a.n > 1
    ) as d
),
er_digits as (
    select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
    union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
),
er_offsets as (
    select 1 + a.d + 10 * b.d + 100 * c.d as j
    from er_digits as a cross join er_digits as b cross join er_digits as c
),
er_starts as (
    select a.id as a_id{{#if (eq link_type "link_only")}}, a.src as a_src{{/if}},
        (a.rn + 1 + cast(floor((o.j * 0.6180339887498949e0 - floor(o.j * 0.6180339887498949e0)) * (a.n - 1)) as bigint)) % a.n as target_rn
    from er_sampled as a
    join er_offsets as o on o.j <= a.k
    where a.rn < a.drawn / a.k
),
er_drawn as (
    select s.a_id, b.id as b_id{{#if (eq link_type "link_only")}}, s.a_src, b.src as b_src{{/if}}
    from er_starts as s
    join er_numbered as b on b.rn = s.target_rn
    union all
    select a.id as a_id, b.id as b_id{{#if (eq link_type "link_only")}}, a.src as a_src, b.src as b_src{{/if}}
    from er_all as a
    join er_all as b on a.rn < b.rn
)
select distinct
    case when a_id < b_id then a_id else b_id end as id_l,
    case when a_id < b_id then b_id else a_id end as id_r
from er_drawn
where a_id <> b_id{{#if (eq link_type "link_only")}} and a_src <> b_src{{/if}}
