select
  trim(page_view_id) as page_view_id,
  trim(session_id) as session_id,
  viewed_at,
  page_path,
  "sequence" as page_sequence
from
  "ANALYTICS"."MAIN_RAW"."RAW_PAGE_VIEWS"
where
  page_view_id is not null
