{{!--
  normalize_country: maps free-text country values to ISO 3166-1 alpha-2 codes (KR, US, GB, CA, AU, IE;
  any other two-letter value is upper-cased; anything else becomes NULL).
  Call: {{> normalize_country expr="country"}}   (expr: an SQL expression)
--}}
(case
    when upper(trim({{expr}})) in ('KR', 'KOR', 'KOREA', 'SOUTH KOREA', 'REPUBLIC OF KOREA', 'KOREA, REPUBLIC OF') or trim({{expr}}) in ('대한민국', '한국') then 'KR'
    when upper(trim({{expr}})) in ('US', 'USA', 'U.S.', 'U.S.A.', 'UNITED STATES', 'UNITED STATES OF AMERICA', 'AMERICA') then 'US'
    when upper(trim({{expr}})) in ('GB', 'UK', 'U.K.', 'UNITED KINGDOM', 'GREAT BRITAIN', 'ENGLAND', 'SCOTLAND', 'WALES') then 'GB'
    when upper(trim({{expr}})) in ('CA', 'CAN', 'CANADA') then 'CA'
    when upper(trim({{expr}})) in ('AU', 'AUS', 'AUSTRALIA') then 'AU'
    when upper(trim({{expr}})) in ('IE', 'IRL', 'IRELAND') then 'IE'
    when {{regexp_like expr "'^ *[A-Za-z]{2} *$'"}} then upper(trim({{expr}}))
end)
