{{!--
  normalize_phone: best-effort E.164 (`+<country><number>`) from phone numbers typed in national or
  international formats; NULL when the digits can't be a phone number.
  Call: {{> normalize_phone expr="phone" country="country_code"}}
    expr     SQL expression of the raw phone text
    country  optional SQL expression of the ISO alpha-2 country, used to read national numbers
             (KR: 0xx → +82; GB: 0xxxx → +44; US/CA: 10 digits → +1). Without it, Korean national
             formats (01x mobile, 0x landline) and 10/11-digit NANP numbers are recognised.
  E.164 is ITU-T Recommendation E.164 (max 15 digits). Full validation (number ranges per region) is
  the PII UDF's job (libphonenumber-js); this keeps the warehouse's join keys consistent.
--}}
(case
    when {{expr}} is null or {{regexp_replace expr "'[^0-9]'" "''"}} = '' then null
    when length({{regexp_replace expr "'[^0-9]'" "''"}}) not between 8 and 15 then null
    when trim({{expr}}) like '+%' or trim({{expr}}) like '00%' then '+' || regexp_replace({{regexp_replace expr "'[^0-9]'" "''"}}, '^00', '')
{{#if country}}
    when {{country}} = 'GB' and {{regexp_replace expr "'[^0-9]'" "''"}} like '0%' then '+44' || substr({{regexp_replace expr "'[^0-9]'" "''"}}, 2)
    when {{country}} = 'IE' and {{regexp_replace expr "'[^0-9]'" "''"}} like '0%' then '+353' || substr({{regexp_replace expr "'[^0-9]'" "''"}}, 2)
    when {{country}} = 'AU' and {{regexp_replace expr "'[^0-9]'" "''"}} like '0%' then '+61' || substr({{regexp_replace expr "'[^0-9]'" "''"}}, 2)
{{/if}}
    when {{regexp_replace expr "'[^0-9]'" "''"}} like '82%' and length({{regexp_replace expr "'[^0-9]'" "''"}}) between 11 and 12 then '+' || {{regexp_replace expr "'[^0-9]'" "''"}}
    when {{regexp_replace expr "'[^0-9]'" "''"}} like '0%' and length({{regexp_replace expr "'[^0-9]'" "''"}}) between 9 and 11 then '+82' || substr({{regexp_replace expr "'[^0-9]'" "''"}}, 2)
    when length({{regexp_replace expr "'[^0-9]'" "''"}}) = 10 then '+1' || {{regexp_replace expr "'[^0-9]'" "''"}}
    when length({{regexp_replace expr "'[^0-9]'" "''"}}) = 11 and {{regexp_replace expr "'[^0-9]'" "''"}} like '1%' then '+' || {{regexp_replace expr "'[^0-9]'" "''"}}
end)
