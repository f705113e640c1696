with
  pages as (
    select
      session_id,
      count(*) as page_views,
      nullif(
        listagg(page_path, ' > ') within group (
          order by
            page_sequence
        ),
        ''
      ) as page_path,
      min(viewed_at) as first_view_at,
      max(viewed_at) as last_view_at
    from
      "ANALYTICS"."MAIN_STAGING"."STG_PAGE_VIEWS"
    group by
      session_id
  ),
  events as (
    select
      session_id,
      min(event_ts) as first_event_at,
      boolor_agg(event_type = 'view_product') as viewed_product,
      boolor_agg(event_type = 'add_to_cart') as added_to_cart,
      boolor_agg(event_type = 'begin_checkout') as began_checkout,
      boolor_agg(event_type = 'purchase') as purchased,
      min(
        case
          when event_type = 'purchase' then event_ts
        end
      ) as purchased_at,
      any_value(
        case
          when event_type = 'purchase' then order_id
        end
      ) as order_id,
      count(*) as events
    from
      "ANALYTICS"."MAIN_STAGING"."STG_EVENTS"
    group by
      session_id
  )
select
  s.session_id,
  s.customer_id,
  s.anonymous_id,
  s.started_at,
  s.device,
  s.browser,
  s.utm_source,
  s.utm_medium,
  s.campaign_id,
  s.landing_page,
  coalesce(p.page_views, 0) as page_views,
  p.page_path,
  coalesce(e.events, 0) as events,
  coalesce(e.viewed_product, false) as viewed_product,
  coalesce(e.added_to_cart, false) as added_to_cart,
  coalesce(e.began_checkout, false) as began_checkout,
  coalesce(e.purchased, false) as purchased,
  e.purchased_at,
  e.order_id,
  greatest_ignore_nulls(
    coalesce(p.last_view_at, s.started_at),
    coalesce(e.purchased_at, s.started_at)
  ) as ended_at
from
  "ANALYTICS"."MAIN_STAGING"."STG_SESSIONS" as s
  left join pages as p on p.session_id = s.session_id
  left join events as e on e.session_id = s.session_id
