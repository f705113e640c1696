{{!--
  is_valid_email: TRUE when an email address is syntactically plausible (one @, a dotted domain with a
  2+ letter TLD, no spaces, no consecutive dots), FALSE otherwise, NULL for NULL.
  Call: {{> is_valid_email expr="email"}}   (expr: an SQL expression, typically a lower-cased column)
  A pragmatic subset of RFC 5322's addr-spec: it rejects what forms and typos produce, not every
  address the RFC allows (quoted local parts are rejected).
--}}
({{regexp_like expr (literal "^[a-z0-9._%+'-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$")}} and {{expr}} not like '%..%')
