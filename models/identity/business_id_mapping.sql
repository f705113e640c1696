{{!-- Unified business id for people with several accounts across the CRM and the email system:
      connected components of the identity match graph. A pair of records is an edge when
        - its match probability is at least {{var "identity_match_threshold" 0.9}}, or
        - its match probability is at least {{var "identity_mutual_best_threshold" 0.3}} and each record
          is the other's best candidate in the other's system (one-to-one assignment: of two namesakes
          competing for a record, only the better-supported pair links; ties broken by record id).
      business_id is derived from the smallest record id of the cluster, so it is stable as long as that
      record exists. --}}
{{config materialized="table"}}
with directed as (
    select id_l as a, id_r as b, split_part(id_r, ':', 1) as b_system, match_weight from {{ref "identity_pair_scores"}}
    union all
    select id_r, id_l, split_part(id_l, ':', 1), match_weight from {{ref "identity_pair_scores"}}
),

ranked as (
    select a, b, row_number() over (partition by a, b_system order by match_weight desc, b) as candidate_rank
    from directed
),

strong_edges as (
    select id_l, id_r from {{ref "identity_pair_scores"}}
    where match_probability >= {{var "identity_match_threshold" 0.9}}
),

linked as (
    select id_l as record_id from strong_edges
    union
    select id_r from strong_edges
),

accepted_edges as (
    select id_l, id_r from strong_edges
    union all
    select s.id_l, s.id_r
    from {{ref "identity_pair_scores"}} as s
    join ranked as l on l.a = s.id_l and l.b = s.id_r
    join ranked as r on r.a = s.id_r and r.b = s.id_l
    where s.match_probability < {{var "identity_match_threshold" 0.9}}
      and s.match_probability >= {{var "identity_mutual_best_threshold" 0.3}}
      and l.candidate_rank = 1 and r.candidate_rank = 1
      -- a weaker link may attach a record that is linked to nothing else, never join two groups
      and (s.id_l not in (select record_id from linked) or s.id_r not in (select record_id from linked))
),

weak_only as (
    select record_id from (
        select id_l as record_id from accepted_edges union select id_r from accepted_edges
    ) as attached
    where record_id not in (select record_id from linked)
),

clusters as (
    {{> er_clusters nodes=(ref "int_identity_records") id_col="record_id" edges="accepted_edges"}}
)

select
    c.record_id,
    r.source_system,
    r.source_id,
    'B' || substr(md5(c.cluster_id), 1, 12) as business_id,
    c.cluster_size as records_in_cluster,
    case when c.record_id in (select record_id from linked) then 'match'
         when c.record_id in (select record_id from weak_only) then 'mutual_best'
         else 'none' end as linked_by
from clusters as c
join {{ref "int_identity_records"}} as r on r.record_id = c.record_id
