{{!-- Clickstream events: client retries (same event_id) removed; events stamped before their session
      started (client clock skew) are flagged and clamped to the session start. --}}
with deduped as (
    select *
    from (
        select *, row_number() over (partition by trim(event_id) order by event_ts) as dedup_rank
        from {{ref "raw_events"}}
        where event_id is not null
    ) as ranked
    where dedup_rank = 1
)

select
    trim(e.event_id) as event_id,
    trim(e.session_id) as session_id,
    {{greatest "e.event_ts" "s.started_at"}} as event_ts,
    e.event_ts as event_ts_raw,
    lower(trim(e.event_type)) as event_type,
    nullif(trim(e.product_id), '') as product_id,
    nullif(trim(e.order_id), '') as order_id,
    e.event_ts < s.started_at as is_clock_skewed
from deduped as e
left join {{ref "stg_sessions"}} as s on s.session_id = trim(e.session_id)
