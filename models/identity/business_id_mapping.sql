{{!-- Unified business id for people with several accounts across the CRM and the email system:
      connected components of the identity match graph (pairs with match probability ≥ 0.9).
      business_id is derived from the smallest record id of the cluster,
      so it is stable as long as that record exists. --}}
{{config materialized="table"}}
with clusters as (
    {{> er_clusters nodes=(ref "int_identity_records") id_col="record_id" edges=(ref "identity_pair_scores")
        where="match_probability >= 0.9"}}
)

select
    c.record_id,
    r.source_system,
    r.source_id,
    'B' || substr(md5(c.cluster_id), 1, 12) as business_id,
    c.cluster_size as records_in_cluster
from clusters as c
join {{ref "int_identity_records"}} as r on r.record_id = c.record_id
