select
  trim(page_view_id) as page_view_id,
  trim(session_id) as session_id,
  viewed_at,
  page_path,
  "sequence" as page_sequence
from
  "main_raw"."raw_page_views"
where
  page_view_id is not null
