{{!-- Privacy-safe customer emails: every PII entity in the subject and body is replaced by a keyed
      pseudonym (redact_pii hash mode: <EMAIL_ADDRESS:…>, consistent across tables), the sender by its
      email pseudonym (joins with customers_anonymized.email_pseudonym) and the matched customer by its
      customer pseudonym. --}}
{{config materialized="table"}}
select
    e.email_id,
    e.received_at,
    e.language,
    pii_hash(e.from_email, 'EMAIL_ADDRESS') as sender_pseudonym,
    pii_hash(m.customer_id, 'CUSTOMER_ID') as customer_pseudonym,
    m.match_method,
    redact_pii(e.subject, 'ALL', 'hash') as subject_redacted,
    redact_pii(e.body, 'ALL', 'hash') as body_redacted
from {{ref "stg_customer_emails"}} as e
left join {{ref "customer_email_matching"}} as m on m.email_id = e.email_id
