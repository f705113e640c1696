with
  deduped as (
    select
      *
    from
      (
        select
          *,
          row_number() over (
            partition by
              trim(event_id)
            order by
              event_ts
          ) as dedup_rank
        from
          "ANALYTICS"."MAIN_RAW"."RAW_EVENTS"
        where
          event_id is not null
      ) as ranked
    where
      dedup_rank = 1
  )
select
  trim(e.event_id) as event_id,
  trim(e.session_id) as session_id,
  greatest_ignore_nulls(e.event_ts, s.started_at) as event_ts,
  e.event_ts as event_ts_raw,
  lower(trim(e.event_type)) as event_type,
  nullif(trim(e.product_id), '') as product_id,
  nullif(trim(e.order_id), '') as order_id,
  e.event_ts < s.started_at as is_clock_skewed
from
  deduped as e
  left join "ANALYTICS"."MAIN_STAGING"."STG_SESSIONS" as s on s.session_id = trim(e.session_id)
