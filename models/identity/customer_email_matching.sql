{{!-- Links every inbound email's sender to a CRM customer.
      1. exact_email: the sender address equals a CRM email (after lower-casing and dropping a +tag);
      2. phone_in_body: a phone number found in the body (detect_pii) is a CRM customer's phone
         (compared as keyed E.164 pseudonyms), and only one customer has it;
      3. fuzzy: candidates blocked on the same email local part, the same normalized name or the same
         Double Metaphone key of the name, scored by name similarity (token-set ratio of normalized,
         romanized names), email local-part similarity (Jaro-Winkler) and same domain; the best candidate
         above the threshold wins, unless another person ties with it (ambiguous: left unmatched).
      One row per email; customer_id is NULL when no customer matches. --}}
{{config materialized="table"}}
with senders as (
    select
        email_id,
        from_email,
        regexp_replace(split_part(from_email, '@', 1), '\+.*$', '') as local_part,
        split_part(from_email, '@', 2) as domain,
        normalize_name(from_name, true) as name_norm,
        double_metaphone(normalize_name(from_name, true)) as name_key
    from {{ref "stg_customer_emails"}}
),

customers as (
    select
        customer_id,
        email,
        regexp_replace(split_part(email, '@', 1), '\+.*$', '') as local_part,
        split_part(email, '@', 2) as domain,
        normalize_name(full_name, true) as name_norm,
        double_metaphone(normalize_name(full_name, true)) as name_key
    from {{ref "stg_crm_customers"}}
),

exact as (
    select s.email_id, min(c.customer_id) as customer_id, count(distinct c.customer_id) as n
    from senders as s
    join customers as c on c.local_part = s.local_part and c.domain = s.domain
    group by s.email_id
),

candidates as (
    -- blocking: three equi-joins (a join on OR would compare every sender with every customer)
    select s.email_id, c.customer_id
    from senders as s join customers as c on c.local_part = s.local_part
    where length(s.local_part) >= 5
    union
    select s.email_id, c.customer_id
    from senders as s join customers as c on c.name_norm = s.name_norm
    where s.name_norm <> ''
    union
    select s.email_id, c.customer_id
    from senders as s join customers as c on c.name_key = s.name_key
    where s.name_key <> ''
),

body_phones as (
    select distinct e.email_id, pii_hash(substring(e.body, x."start" + 1, x."end" - x."start"), 'PHONE_NUMBER') as phone_key
    from {{ref "stg_customer_emails"}} as e,
        unnest(from_json(detect_pii(e.body), '[{"entity_type":"VARCHAR","start":"INTEGER","end":"INTEGER","score":"DOUBLE"}]')) as u(x)
    where x.entity_type = 'PHONE_NUMBER'
),

customer_phones as (
    select customer_id, pii_hash(phone_raw, 'PHONE_NUMBER') as phone_key
    from {{ref "stg_crm_customers"}}
    where phone_raw is not null
),

phone_matches as (
    select b.email_id, min(c.customer_id) as customer_id, count(distinct c.customer_id) as n
    from body_phones as b
    join customer_phones as c on c.phone_key = b.phone_key
    where b.email_id not in (select email_id from exact)
    group by b.email_id
),

unmatched_candidates as (
    select * from candidates
    where email_id not in (select email_id from exact)
      and email_id not in (select email_id from phone_matches where n = 1)
),

scored as (
    select
        k.email_id,
        k.customer_id,
        coalesce(fuzz_token_set_ratio(s.name_norm, c.name_norm), 0) / 100.0 as name_score,
        coalesce(fuzz_ratio(s.name_norm, c.name_norm), 0) as name_ratio,
        coalesce(jaro_winkler_similarity(s.local_part, c.local_part), 0) as local_score,
        case when s.domain = c.domain then 1.0 else 0.0 end as domain_score
    from unmatched_candidates as k
    join senders as s on s.email_id = k.email_id
    join customers as c on c.customer_id = k.customer_id
),

ranked as (
    select
        *,
        0.6 * name_score + 0.3 * local_score + 0.1 * domain_score as match_score,
        -- ties on the score are broken by the closeness of the whole names; still tied = ambiguous
        rank() over (partition by email_id order by 0.6 * name_score + 0.3 * local_score + 0.1 * domain_score desc, name_ratio desc) as rnk
    from scored
),

fuzzy as (
    select email_id, min(customer_id) as customer_id, max(match_score) as match_score, count(*) as tied
    from ranked
    where rnk = 1 and match_score >= {{var "matching_threshold" 0.8}}
      and name_score >= 0.95 and (local_score >= 0.85 or domain_score = 1)
    group by email_id
)

select
    s.email_id,
    s.from_email,
    coalesce(e.customer_id, case when p.n = 1 then p.customer_id end, case when f.tied = 1 then f.customer_id end) as customer_id,
    case when e.customer_id is not null then 1.0 when p.n = 1 then 1.0 when f.tied = 1 then f.match_score end as match_score,
    case
        when e.customer_id is not null then 'exact_email'
        when p.n = 1 then 'phone_in_body'
        when f.tied = 1 then 'fuzzy_name_email'
        when f.tied > 1 then 'ambiguous'
        else 'unmatched'
    end as match_method
from senders as s
left join exact as e on e.email_id = s.email_id
left join phone_matches as p on p.email_id = s.email_id
left join fuzzy as f on f.email_id = s.email_id
