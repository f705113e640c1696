select
  f.session_id,
  f.customer_id,
  f.anonymous_id,
  row_number() over (
    partition by
      coalesce(f.customer_id, f.anonymous_id)
    order by
      f.started_at,
      f.session_id
  ) as session_number,
  f.started_at,
  f.ended_at,
  date_diff('second', f.started_at, f.ended_at) as session_duration_seconds,
  f.device,
  f.browser,
  f.utm_source,
  f.utm_medium,
  f.campaign_id,
  f.landing_page,
  f.page_views,
  f.page_path,
  f.events,
  f.viewed_product,
  f.added_to_cart,
  f.began_checkout,
  f.purchased as converted,
  case
    when f.purchased then 'purchase'
    when f.began_checkout then 'begin_checkout'
    when f.added_to_cart then 'add_to_cart'
    when f.viewed_product then 'view_product'
    else 'visit'
  end as funnel_stage,
  case
    when f.purchased then 5
    when f.began_checkout then 4
    when f.added_to_cart then 3
    when f.viewed_product then 2
    else 1
  end as funnel_step,
  f.order_id,
  case
    when f.purchased then date_diff('second', f.started_at, f.purchased_at)
  end as time_to_convert_seconds
from
  "main_intermediate"."int_session_funnel" as f
