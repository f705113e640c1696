{{!--
  rfm_scores: recency / frequency / monetary scores, RFM segments and simple CLV per customer.

  Call (CTE-only SELECT without a trailing semicolon; usable as a model body or a subquery):
    {{> rfm_scores relation=(ref "fct_orders") customer_col="customer_id"
        order_date_col="ordered_at" amount_col="amount" as_of="DATE '2024-01-01'"}}

  Arguments
    relation        (required) rendered relation: one row per order (or pass order_id_col).
    customer_col    (required) column name of the customer id (rows with NULL customer are dropped).
    order_date_col  (required) column name of the order DATE or TIMESTAMP (NULL rows dropped).
    amount_col      (required) column name of the order amount (summed as DOUBLE; NULL ignored).
    order_id_col    (optional) column name of the order id; frequency = COUNT(DISTINCT order id)
                    instead of COUNT(*) (for order-line relations).
    as_of           (optional) SQL expression (spliced as is, cast to DATE) of the analysis date;
                    only orders dated strictly before it are used. Default: the day after the
                    latest order date in the relation (so the latest buyers have recency_days = 1).
    min_tenure_days (optional, default 90) floor of the observation window when annualising the
                    order rate for predicted_clv_12m (keeps one-off new buyers from extrapolating).

  Output columns (one row per customer, ordered by customer):
    <customer_col>          original column name
    recency_days            days from the last order date to as_of (>= 1)
    frequency               number of orders
    monetary                total amount
    r_score, f_score, m_score   1..5, NTILE(5) quintiles: r ordered by recency_days DESC (most
                            recent = 5), f by frequency, m by monetary (ascending, highest = 5).
    rfm_score               text r||f||m, e.g. '545'
    rfm_segment             one of 11 segments, see the grid below
    avg_order_value         monetary / frequency
    first_order_at, last_order_at   MIN / MAX of order_date_col (original type)
    customer_lifetime_days  days from the first to the last order date (0 for a single order day)
    purchase_velocity       orders per 30 days of active lifetime = frequency * 30 / lifetime days
                            (NULL when customer_lifetime_days = 0)
    orders_per_year         frequency * 365.25 / GREATEST(days from first order to as_of, min_tenure_days)
    historic_clv            = monetary (revenue to date)
    predicted_clv_12m       = avg_order_value * orders_per_year * expected_lifetime_years, where the
                            expected lifetime inside the 12-month horizon is taken as 1 year, i.e.
                            avg_order_value * orders_per_year (the textbook "simple CLV" = AOV x
                            purchase frequency x lifespan, without margin or discounting).

  Ties: NTILE deals rows into 5 buckets by position (bucket sizes differ by at most one, the first
  n mod 5 buckets being the larger); equal values are ordered by customer id ascending, so tied
  customers may straddle two adjacent scores, deterministically. With fewer than 5 customers the
  scores only reach the number of customers.

  Segments: the widely used 5x5 R x F grid (the RFM segment map popularised with Putler's "RFM
  Analysis for Successful Customer Segmentation", whose 11 segment names are used here; the same
  names appear in the rfm R package's rfm_segment() documentation). In that grid the "Hibernating"
  block R<=2, F<=2 is split so that the lowest cell R=1, F=1 is "Lost" (Putler: "lowest recency,
  frequency and monetary scores"). Rule table (first match wins, every cell is covered):

        F=1              F=2                 F=3                 F=4        F=5
    R=5 New Customers    Potential Loyalist  Potential Loyalist  Champions  Champions
    R=4 Promising        Potential Loyalist  Potential Loyalist  Loyal      Loyal
    R=3 About to Sleep   About to Sleep      Need Attention      Loyal      Loyal
    R=2 Hibernating      Hibernating         At Risk             At Risk    Can't Lose Them
    R=1 Lost             Hibernating         At Risk             At Risk    Can't Lose Them

  Portability: day differences go through the cross-dialect {{datediff}} helper (DATEDIFF(day, a, b) on
  Snowflake, date_diff('day', a, b) on DuckDB/Trino).
--}}
WITH rfm_orders AS (
    SELECT
        {{ident customer_col}} AS customer,
        {{ident order_date_col}} AS ordered_at,
        CAST({{ident amount_col}} AS DOUBLE) AS amount{{#if order_id_col}},
        {{ident order_id_col}} AS order_key{{/if}}
    FROM {{relation}}
    WHERE {{ident customer_col}} IS NOT NULL
        AND {{ident order_date_col}} IS NOT NULL
),

rfm_as_of AS (
{{#if as_of}}
    SELECT CAST(({{as_of}}) AS DATE) AS as_of_date
{{else}}
    SELECT CAST(MAX(CAST(ordered_at AS DATE)) + INTERVAL '1' DAY AS DATE) AS as_of_date
    FROM rfm_orders
{{/if}}
),

rfm_customers AS (
    SELECT
        o.customer,
        MIN(o.ordered_at) AS first_order_at,
        MAX(o.ordered_at) AS last_order_at,
        {{#if order_id_col}}COUNT(DISTINCT o.order_key){{else}}COUNT(*){{/if}} AS frequency,
        COALESCE(SUM(o.amount), 0) AS monetary,
        MAX(a.as_of_date) AS as_of_date
    FROM rfm_orders AS o
    CROSS JOIN rfm_as_of AS a
    WHERE CAST(o.ordered_at AS DATE) < a.as_of_date
    GROUP BY o.customer
),

rfm_metrics AS (
    SELECT
        customer,
        first_order_at,
        last_order_at,
        frequency,
        monetary,
        {{datediff "day" "CAST(last_order_at AS DATE)" "as_of_date"}} AS recency_days,
        {{datediff "day" "CAST(first_order_at AS DATE)" "CAST(last_order_at AS DATE)"}} AS customer_lifetime_days,
        {{datediff "day" "CAST(first_order_at AS DATE)" "as_of_date"}} AS tenure_days
    FROM rfm_customers
),

rfm_scored AS (
    SELECT
        rfm_metrics.*,
        NTILE(5) OVER (ORDER BY recency_days DESC, customer) AS r_score,
        NTILE(5) OVER (ORDER BY frequency, customer) AS f_score,
        NTILE(5) OVER (ORDER BY monetary, customer) AS m_score
    FROM rfm_metrics
)

SELECT
    customer AS {{ident customer_col}},
    recency_days,
    frequency,
    monetary,
    r_score,
    f_score,
    m_score,
    CAST(r_score AS VARCHAR) || CAST(f_score AS VARCHAR) || CAST(m_score AS VARCHAR) AS rfm_score,
    CASE
        WHEN r_score = 5 AND f_score = 1 THEN 'New Customers'
        WHEN r_score = 4 AND f_score = 1 THEN 'Promising'
        WHEN r_score >= 4 AND f_score IN (2, 3) THEN 'Potential Loyalist'
        WHEN r_score = 5 AND f_score >= 4 THEN 'Champions'
        WHEN r_score IN (3, 4) AND f_score >= 4 THEN 'Loyal'
        WHEN r_score = 3 AND f_score = 3 THEN 'Need Attention'
        WHEN r_score = 3 AND f_score <= 2 THEN 'About to Sleep'
        WHEN r_score <= 2 AND f_score = 5 THEN 'Can''t Lose Them'
        WHEN r_score <= 2 AND f_score IN (3, 4) THEN 'At Risk'
        WHEN r_score = 1 AND f_score = 1 THEN 'Lost'
        ELSE 'Hibernating'
    END AS rfm_segment,
    monetary / frequency AS avg_order_value,
    first_order_at,
    last_order_at,
    customer_lifetime_days,
    frequency * 30.0e0 / NULLIF(customer_lifetime_days, 0) AS purchase_velocity,
    frequency * 365.25e0 / GREATEST(tenure_days, {{#if min_tenure_days}}{{literal min_tenure_days}}{{else}}90{{/if}}) AS orders_per_year,
    monetary AS historic_clv,
    (monetary / frequency)
        * (frequency * 365.25e0 / GREATEST(tenure_days, {{#if min_tenure_days}}{{literal min_tenure_days}}{{else}}90{{/if}}))
        * 1.0e0 /* expected lifetime within the 12-month horizon, in years */ AS predicted_clv_12m
FROM rfm_scored
ORDER BY customer
