{{!-- Privacy-safe customer export: no names, emails, phones or exact birth dates. Emails and phones are
      replaced by keyed pseudonyms (pii_hash, HMAC-SHA256 with the project's PII key), identical to the
      pseudonyms in emails_anonymized, so the two still join. --}}
{{config materialized="table"}}
select
    pii_hash(c.customer_id, 'CUSTOMER_ID') as customer_pseudonym,
    pii_hash(c.email, 'EMAIL_ADDRESS') as email_pseudonym,
    pii_hash(c.phone_e164, 'PHONE_NUMBER') as phone_pseudonym,
    c.gender,
    year(c.birth_date) as birth_year,
    c.country_code,
    c.locale,
    c.marketing_opt_in,
    c.acquisition_channel,
    c.signup_date,
    r.rfm_segment,
    r.frequency,
    r.monetary_usd
from {{ref "stg_crm_customers"}} as c
left join {{ref "customer_rfm"}} as r on r.customer_id = c.customer_id
