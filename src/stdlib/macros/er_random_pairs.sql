{{!--
  er_random_pairs: a sample of record pairs drawn without regard to any field, for estimating the u
  probabilities (how often two records of different entities agree by chance) as Splink's
  estimate_u_using_random_sampling does
  (https://moj-analytical-services.github.io/splink/api_docs/training.html). Almost all such pairs are
  non-matches, so the share of each comparison level among them is its u probability.

  Call:
    {{> er_random_pairs relation=(ref "people") id_col="unique_id" max_pairs=200000}}

  Arguments
    relation    (required) one row per record.
    id_col      (required) unique record id column.
    max_pairs   (optional, default 200000) about how many pairs to draw (fewer when the relation has
                fewer than max_pairs / 20 records... then every record takes part 20 times).
    link_type / source_col  as er_blocked_pairs: with "link_only" only pairs from different sources are kept.
  Method (portable, deterministic): records are put in a pseudo-random order (the dialect's hash of the
  id), numbered 0..N−1, and record i is paired with record (i + o_j) mod N for 20 offsets o_j spread over
  [1, N−1] by the golden ratio (o_j = 1 + ⌊frac(j·0.618…)·(N−1)⌋); only records numbered below
  max_pairs / 20 start a pair. Output: id_l, id_r (id_l < id_r, distinct).
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
er_offsets as (
{{#each (range 20)}}
    {{#unless @first}}union all{{/unless}}
    select {{add @index 1}} as j
{{/each}}
),
er_starts as (
    select a.id as a_id{{#if (eq link_type "link_only")}}, a.src as a_src{{/if}},
        (a.rn + 1 + cast(floor((o.j * 0.6180339887498949e0 - floor(o.j * 0.6180339887498949e0)) * (a.n - 1)) as bigint)) % a.n as target_rn
    from er_numbered as a
    cross join er_offsets as o
    where a.n > 1 and a.rn < {{#if max_pairs}}{{literal max_pairs}}{{else}}200000{{/if}} / 20.0e0
),
er_drawn as (
    select s.a_id, b.id as b_id{{#if (eq link_type "link_only")}}, s.a_src, b.src as b_src{{/if}}
    from er_starts as s
    join er_numbered as b on b.rn = s.target_rn
)
select distinct
    case when a_id < b_id then a_id else b_id end as id_l,
    case when a_id < b_id then b_id else a_id end as id_r
from er_drawn
where a_id <> b_id{{#if (eq link_type "link_only")}} and a_src <> b_src{{/if}}
