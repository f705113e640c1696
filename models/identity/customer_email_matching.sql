{{!-- Links every inbound email's sender to a CRM customer, through the people of business_id_mapping
      (a person's CRM records and email-system contacts share a business id).

      Evidence for a sender and a person, in bits (additive log2 likelihood ratios; the weights and the
      threshold were chosen on the demo data against the generator's truth):
        address: the sender address is one of the person's addresses (CRM or email system; +tag and
          Gmail dots ignored) — decisive;
        contact in the body: a phone number or an address written in the body is the person's: +12;
        order: an order number cited in the subject or body was placed by one of the person's CRM records:
          +{{var "matching_order_bits" 8}}, counted only with a name that agrees (anyone can cite
          someone else's order: a gift, a typo);
        local part: the same local part at a domain one keystroke away (gmial.com) or holding digits:
          +10; the same letters-only local part at another domain: +3 (namesakes share those); local
          parts with Jaro-Winkler ≥ 0.88: +1; the same stem with other trailing digits (jkim83 vs
          jkim91, often two birth years): −3; a letters-only local part that is just the name
          (jihu.kim, email_is_name) counts only when the names gave no evidence, since it repeats them;
        birth year: a two-digit number ending the local part equal to the person's birth year, with a
          shared name key: +5;
        name: the sender's name (From: display name, else the signature line) shares a name key
          (name_keys: 김지후 = Jihu Kim = KIM JI-HU, Bob Smith = Robert Smith) with the person:
          1 + 1.5·log2(1/e) bits (1 to 10), e being the key's expected chance carriers N·P(family)·P(given)
          (a term-frequency u probability: 김지후 tells far less than Vaughn Hamill); one bit less for a
          family name with the given name's initial (L. Campbell) or a typo in the family name
          (phonetically equal, JW ≥ 0.88); +2 for a looser agreement (initial or JW ≥ 0.88 on one part);
          names on both sides that agree in none of these ways: −10.
      The best person with at least {{var "matching_min_bits" 5}} bits wins, unless the runner-up is within
      {{var "matching_min_margin" 2}} bits (ambiguous: left unmatched). A sender who is an email-system contact
      without a CRM record matches no customer (no_crm_record). customer_id is the person's CRM record
      holding the sender address, else one sharing a name key with the sender, else the oldest. One row
      per email; customer_id is NULL when no customer matches. --}}
{{config materialized="table"}}
with senders as (
    select
        email_id,
        from_email,
        case when from_email like '%@gmail.com'
             then replace(split_part(regexp_replace(from_email, {{literal '\+[^@]*@'}}, '@'), '@', 1), '.', '') || '@gmail.com'
             else regexp_replace(from_email, {{literal '\+[^@]*@'}}, '@') end as email,
        coalesce(from_name, signature_name) as sender_name,
        body
    from (
        select
            *,
            -- the signature: the second line of the last paragraph ("Thanks,\nJane Doe", "감사합니다.\n김민수 드림")
            nullif(trim(regexp_replace(
                split_part({{regexp_replace "body" (literal "^(.|\n)*\n\n") "''"}}, chr(10), 2),
                {{literal '\s+(드림|올림)$'}}, '')), '') as signature_name
        from {{ref "stg_customer_emails"}}
    ) as e
),

sender_keys as (
    select distinct email_id, k
    from (
        select s.email_id, u.k
        from (
            select email_id, name_keys(sender_name) as keys
            from senders
            where sender_name is not null and not {{regexp_like "sender_name" (literal "[0-9:@]")}}
        ) as s
        {{unnest_join (split "s.keys" "'|'") "u" "k"}}
    ) as x
    where k <> ''
),

-- every person of the CRM and the email system (a sender who is an email-system contact without a CRM
-- record is matched to that person, so to no customer)
people as (
    select r.*, b.business_id, c.birth_date as crm_birth_date
    from {{ref "int_identity_records"}} as r
    join {{ref "business_id_mapping"}} as b on b.record_id = r.record_id
    left join {{ref "stg_crm_customers"}} as c on r.source_system = 'crm' and c.customer_id = r.source_id and c.is_valid_birth_date
),

person_keys as (
    select distinct business_id, k
    from (select business_id, name_key1 as k from people union all select business_id, name_key2 from people)
    where k is not null
),

key_parts as (
    select k, split_part(k, ' ', 1) as family, split_part(k, ' ', 2) as given
    from (select name_key1 as k from {{ref "int_identity_records"}} union all select name_key2 from {{ref "int_identity_records"}})
    where k is not null
),

-- expected number of identity records carrying a key by chance (see identity_pair_scores)
key_frequency as (
    select k.k, cast(max(f.n * g.n) as double) / (select count(*) from key_parts) as expected,
        {{log2 "1 / (cast(max(f.n * g.n) as double) / (select count(*) from key_parts))"}} as bits_1_in_expected
    from (select distinct k, family, given from key_parts) as k
    join (select family, count(*) as n from key_parts group by family) as f on f.family = k.family
    join (select given, count(*) as n from key_parts group by given) as g on g.given = k.given
    group by k.k
),

-- expected chance carriers of a family name with a given-name initial ("L. Campbell")
initial_frequency as (
    select f.family, g.initial, cast(f.n * g.n as double) / (select count(*) from key_parts) as expected,
        {{log2 "1 / (cast(f.n * g.n as double) / (select count(*) from key_parts))"}} as bits_1_in_expected
    from (select family, count(*) as n from key_parts group by family) as f
    join (select {{left "given" 1}} as initial, count(*) as n from key_parts group by 1) as g on true
    where f.family in (select split_part(k, ' ', 1) from sender_keys where length(split_part(k, ' ', 2)) = 1)
),

sender_key_parts as (
    select email_id, k, split_part(k, ' ', 1) as family, split_part(k, ' ', 2) as given,
        double_metaphone(split_part(k, ' ', 1)) as family_dm, double_metaphone(split_part(k, ' ', 2)) as given_dm
    from sender_keys
),

person_key_parts as (
    select business_id, k, split_part(k, ' ', 1) as family, split_part(k, ' ', 2) as given,
        double_metaphone(split_part(k, ' ', 1)) as family_dm, double_metaphone(split_part(k, ' ', 2)) as given_dm
    from person_keys
),

body_phones as (
    select distinct e.email_id,
        pii_hash(substring(e.body, cast({{json_value "u.x" "start"}} as integer) + 1,
            cast({{json_value "u.x" "end"}} as integer) - cast({{json_value "u.x" "start"}} as integer)), 'PHONE_NUMBER') as phone_key
    from (select email_id, body, detect_pii(body) as pii from senders) as e
    {{json_array_join "e.pii" "u" "x"}}
    where {{json_value "u.x" "entity_type"}} = 'PHONE_NUMBER'
),

body_emails as (
    select distinct email_id,
        case when a like '%@gmail.com' then replace(split_part(a, '@', 1), '.', '') || '@gmail.com' else a end as email
    from (
        select s.email_id, regexp_replace(lower(u.found), {{literal '\+[^@]*@'}}, '@') as a
        from (select email_id, regexp_extract_all(body, {{literal '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}'}}) as addresses from senders) as s
        {{unnest_join "s.addresses" "u" "found"}}
    ) as x
),

-- order numbers cited in the subject or the body (O00012345), with the CRM customer who placed the order
cited_orders as (
    select distinct c.email_id, o.customer_id
    from (
        select e.email_id, u.order_id
        from (select email_id, regexp_extract_all(coalesce(subject, '') || ' ' || coalesce(body, ''), {{literal 'O[0-9]{8}'}}) as cited from {{ref "stg_customer_emails"}}) as e
        {{unnest_join "e.cited" "u" "order_id"}}
    ) as c
    join {{ref "stg_orders"}} as o on o.order_id = c.order_id
    where o.customer_id is not null
),

person_phones as (
    select distinct b.business_id, pii_hash(c.phone_raw, 'PHONE_NUMBER') as phone_key
    from {{ref "stg_crm_customers"}} as c
    join people as b on b.record_id = 'crm:' || c.customer_id
    where c.phone_raw is not null
    union
    select distinct b.business_id, pii_hash(c.phone_raw, 'PHONE_NUMBER')
    from {{ref "stg_email_contacts"}} as c
    join people as b on b.record_id = 'email:' || c.contact_id
    where c.phone_raw is not null
),

-- candidate (email, person) pairs, each with the evidence that produced it (equi-joins only)
evidence as (
    select s.email_id, p.business_id, 'address' as kind, 0 as bits
    from senders as s join people as p on p.email = s.email
    union all
    select b.email_id, p.business_id, 'phone_in_body', 12
    from body_phones as b join person_phones as p on p.phone_key = b.phone_key
    union all
    select c.email_id, p.business_id, 'order_cited', {{var "matching_order_bits" 8}}
    from cited_orders as c join people as p on p.record_id = 'crm:' || c.customer_id
    union all
    select b.email_id, p.business_id, 'email_in_body', 12
    from body_emails as b join people as p on p.email = b.email
    union all
    select s.email_id, p.business_id,
        case when dl_distance(split_part(s.email, '@', 2), split_part(p.email, '@', 2)) = 1
                  or {{regexp_like "p.email_local" (literal "[0-9]")}} then 'local_part'
             -- a letters-only local part that is just the name (jihu.kim) repeats the name evidence
             when p.email_is_name then 'local_part_name'
             else 'local_part' end,
        case when dl_distance(split_part(s.email, '@', 2), split_part(p.email, '@', 2)) = 1
                  or {{regexp_like "p.email_local" (literal "[0-9]")}} then 10 else 3 end
    from senders as s join people as p on p.email_local = replace(split_part(s.email, '@', 1), '.', '')
    where length(p.email_local) >= 4 and p.email <> s.email
    union all
    -- a two-digit number in the sender's local part equal to the person's birth year (jkim87, jihu_kim87)
    select s.email_id, p.business_id, 'birth_year', 5
    from senders as s
    join people as p on p.crm_birth_date is not null
        and {{regexp_extract "split_part(s.email, '@', 1)" (literal "(^|[^0-9])([0-9]{2})$") "2"}} = {{right "cast(extract(year from p.crm_birth_date) as varchar)" 2}}
    join person_keys as pk on pk.business_id = p.business_id
    join sender_keys as sk on sk.email_id = s.email_id and sk.k = pk.k
    union all
    -- a family name with the initial of the given name (L. Campbell ~ Lauren Campbell)
    select s.email_id, p.business_id, 'name_key',
        {{least "10" (greatest "1" "1 + 1.5 * f.bits_1_in_expected")}} - 1
    from sender_key_parts as s
    join person_key_parts as p on p.family = s.family and {{left "p.given" 1}} = s.given and length(s.given) = 1 and length(p.given) > 1
    join initial_frequency as f on f.family = s.family and f.initial = s.given
    union all
    -- the same given name, the family name phonetically equal (a typo: Reicheert ~ Reichert)
    select s.email_id, p.business_id, 'name_key',
        {{least "10" (greatest "1" "1 + 1.5 * f.bits_1_in_expected")}} - 1
    from sender_key_parts as s
    join person_key_parts as p on p.given = s.given and p.family_dm = s.family_dm and p.family <> s.family
    join key_frequency as f on f.k = p.k
    where jw_similarity(p.family, s.family) >= 0.88
    union all
    select s.email_id, p.business_id, 'name_key',
        {{least "10" (greatest "1" "1 + 1.5 * f.bits_1_in_expected")}}
    from sender_keys as s
    join person_keys as p on p.k = s.k
    join key_frequency as f on f.k = s.k
),

candidates as (
    select email_id, business_id,
        {{bool_or "kind = 'address'"}} as same_address,
        max(case when kind = 'phone_in_body' then bits else 0 end) as phone_bits,
        max(case when kind = 'email_in_body' then bits else 0 end) as body_email_bits,
        max(case when kind = 'order_cited' then bits else 0 end) as order_bits,
        max(case when kind = 'local_part' then bits else 0 end) as local_bits,
        max(case when kind = 'local_part_name' then bits else 0 end) as local_name_bits,
        max(case when kind = 'name_key' then bits else 0 end) as name_bits,
        max(case when kind = 'birth_year' then bits else 0 end) as birth_year_bits
    from evidence
    group by email_id, business_id
),

-- name and local-part comparisons for candidates that no key joined
compared as (
    select
        c.*,
        (select max(jw_similarity(split_part(s.email, '@', 1), p.email_local))
         from people as p where p.business_id = c.business_id and p.email_local is not null) as local_jw,
        -- the same local part with other trailing digits (jkim83 vs jkim91: often two birth years)
        exists (
            select 1 from people as p
            where p.business_id = c.business_id
              and regexp_replace(p.email_local, '[0-9]+$', '') = regexp_replace(replace(split_part(s.email, '@', 1), '.', ''), '[0-9]+$', '')
              and {{regexp_like "p.email_local" (literal "[0-9]$")}}
              and {{regexp_like "split_part(s.email, '@', 1)" (literal "[0-9]$")}}
              and p.email_local <> replace(split_part(s.email, '@', 1), '.', '')
        ) as digits_conflict,
        exists (select 1 from sender_keys as sk where sk.email_id = c.email_id) as sender_named,
        exists (select 1 from person_keys as pk where pk.business_id = c.business_id) as person_named,
        exists (
            select 1 from sender_keys as sk, person_keys as pk
            where sk.email_id = c.email_id and pk.business_id = c.business_id
              and ((split_part(sk.k, ' ', 1) = split_part(pk.k, ' ', 1) and (
                        (length(split_part(sk.k, ' ', 2)) = 1 and {{starts_with "split_part(pk.k, ' ', 2)" "split_part(sk.k, ' ', 2)"}})
                        or jw_similarity(split_part(sk.k, ' ', 2), split_part(pk.k, ' ', 2)) >= 0.88))
                   or (split_part(sk.k, ' ', 2) = split_part(pk.k, ' ', 2)
                       and jw_similarity(split_part(sk.k, ' ', 1), split_part(pk.k, ' ', 1)) >= 0.88))
        ) as name_close
    from candidates as c
    join senders as s on s.email_id = c.email_id
),

-- a cited order counts only with a name that agrees: anyone can cite someone else's order
with_order as (
    select *, case when name_bits > 0 or name_close then order_bits else 0 end as counted_order_bits
    from compared
),

scored as (
    select
        *,
        case when same_address then 99 else
            {{greatest "phone_bits" "body_email_bits"}} + birth_year_bits
            + counted_order_bits
            - case when digits_conflict and local_bits = 0 then {{var "matching_digits_conflict_bits" 3}} else 0 end
            + case when local_bits > 0 then local_bits
                   when local_name_bits > 0 and name_bits = 0 then local_name_bits
                   when local_jw >= 0.88 then 1 else 0 end
            + case when name_bits > 0 then name_bits
                   when name_close then 2
                   when sender_named and person_named then -10
                   else 0 end
        end as bits
    from with_order
),

ranked as (
    select
        *,
        row_number() over (partition by email_id order by bits desc, business_id) as rn,
        lead(bits) over (partition by email_id order by bits desc, business_id) as next_bits
    from scored
),

-- the best person, unless the runner-up is within {{var "matching_min_margin" 2}} bits of it (ambiguous)
best as (
    select email_id, business_id, bits, same_address,
        {{greatest "phone_bits" "body_email_bits"}} as body_bits, counted_order_bits,
        coalesce(bits - next_bits >= {{var "matching_min_margin" 2}}, true) as decisive
    from ranked
    where rn = 1 and bits >= {{var "matching_min_bits" 5}}
),

-- the CRM record to report for a person: the one holding the sender address, else one sharing a name key
-- with the sender, else the oldest
chosen as (
    select b.email_id, b.business_id, b.bits, b.decisive, b.same_address, b.body_bits, b.counted_order_bits,
        min(case when p.email = s.email then p.source_id end) as address_customer,
        min(case when exists (
            select 1 from sender_keys as sk where sk.email_id = b.email_id and sk.k in (p.name_key1, p.name_key2)) then p.source_id end) as name_customer,
        min(p.source_id) as oldest_customer
    from best as b
    join senders as s on s.email_id = b.email_id
    left join people as p on p.business_id = b.business_id and p.source_system = 'crm'
    group by b.email_id, b.business_id, b.bits, b.decisive, b.same_address, b.body_bits, b.counted_order_bits
)

select
    s.email_id,
    s.from_email,
    case when c.decisive then coalesce(c.address_customer, c.name_customer, c.oldest_customer) end as customer_id,
    case when c.decisive then c.business_id end as business_id,
    case when c.decisive then
        case when c.same_address then 1.0 else round(1 - power(2, -c.bits), 6) end
    end as match_score,
    case
        when not c.decisive then 'ambiguous'
        when c.oldest_customer is null and c.business_id is not null then 'no_crm_record'
        when c.address_customer is not null then 'exact_email'
        when c.same_address then 'contact_email'
        when c.body_bits > 0 then 'contact_in_body'
        when c.counted_order_bits > 0 then 'order_and_name'
        when c.oldest_customer is not null then 'fuzzy_name_email'
        else 'unmatched'
    end as match_method
from senders as s
left join chosen as c on c.email_id = s.email_id
