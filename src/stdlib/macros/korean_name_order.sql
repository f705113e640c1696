{{!--
  korean_name_order: puts a Korean name written given-name-first with the family name last ("민찬 장")
  into the usual family-name-first order ("장민찬"), so both spellings normalize alike. Other names pass
  through unchanged. Call: {{> korean_name_order expr="full_name"}}  (expr: an SQL expression)
  Heuristic: two Hangul words where the last is one syllable (almost every Korean surname is).
--}}
(case when {{regexp_like expr "'^ *[가-힣]{1,3} [가-힣] *$'"}}
      then split_part(trim({{expr}}), ' ', 2) || split_part(trim({{expr}}), ' ', 1)
      else {{expr}} end)
