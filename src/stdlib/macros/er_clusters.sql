{{!--
  er_clusters: connected components of the match graph, giving every record a stable cluster id — the
  smallest record id in its component (so ids don't change when unrelated records are added).

  Call:
    {{> er_clusters nodes=(ref "people") id_col="unique_id" edges=(ref "scored_pairs")
        where="match_probability >= 0.9"}}

  Arguments
    nodes    (required) one row per record.
    id_col   (required) record id column.
    edges    (required) pairs with columns id_l, id_r.
    where    (optional) SQL filter on edges (e.g. a match-probability threshold); spliced as is.
  Output: one row per record: the id (under id_col's name), cluster_id, cluster_size.
  Method: label propagation by a recursive CTE over both edge directions, keeping the set of (record,
  label) pairs (UNION), then the minimum label per record; work is Σ (component size)², fine for the
  small clusters record linkage produces.
--}}
with recursive er_edges as (
    select id_l as a, id_r as b from {{edges}}{{#if where}} where {{{where}}}{{/if}}
    union all
    select id_r as a, id_l as b from {{edges}}{{#if where}} where {{{where}}}{{/if}}
),
er_walk(node, label) as (
    select {{ident id_col}}, {{ident id_col}} from {{nodes}}
    union
    select e.b, w.label from er_walk as w join er_edges as e on e.a = w.node
),
er_labels as (
    select node, min(label) as cluster_id from er_walk group by node
)
select node as {{ident id_col}}, cluster_id, count(*) over (partition by cluster_id) as cluster_size
from er_labels
