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
    scoring         (optional, default "ntile") how a measure becomes a 1..5 score:
                    "ntile"     NTILE(5) buckets of equal size; ties split by customer id (see Ties).
                    "quantile"  cut at the measure's 20/40/60/80% quantiles (linear interpolation, the
                                default of numpy.quantile / pandas Series.quantile): score = 1 + the number
                                of cut points strictly below the value, i.e. pandas
                                qcut(x, 5, labels=[1, 2, 3, 4, 5]); equal values always get the same
                                score (a cut point shared by many values leaves some scores empty).
                    "rank_bins" rank the customers by the measure (rank_method), then cut the ranks into
                                5 bins of equal width between the lowest and highest rank, right edges
                                included, i.e. pandas cut(x.rank(method=rank_method), 5, labels=[1..5]):
                                edges e_k = min + k·(max − min)/5, score = 1 + #{k in 1..4 : rank > e_k};
                                all ranks equal → 3 (pandas widens the range by 0.1% each side).
    rank_method     (optional, default "average", with scoring="rank_bins") pandas' rank method:
                    "average" | "min" | "max" | "dense" | "first" ("first": ties in customer-id order).
    recency_best, frequency_best, monetary_best
                    (optional; defaults "low", "high", "high") which end of the measure gets score 5.
                    With "low", ntile orders the measure descending; quantile and rank_bins cut the
                    measure ascending and reverse the labels (5 − ...), as pandas users write
                    qcut(recency, 5, labels=[5, 4, 3, 2, 1]).
    segment_map     (optional) a relation (e.g. (ref "rfm_segment_map"), a seed) with columns segment,
                    r_score, f_score, m_score: a customer gets the segment of the matching row; a NULL
                    score matches any score; of several matching rows the one with the fewest NULLs wins,
                    then the first segment name in sort order. No match → rfm_segment NULL.
    segments        (optional) the same map as a YAML mapping (e.g. (var "rfm_segments") from project.yaml),
                    segment name → list of cells "RFM", each character 1-5 or * for any score:
                        rfm_segments:
                          Champions: ["55*", "54*", "45*"]
                          Lost: ["11*"]
                    The first listed segment (and cell) that matches wins; no match → rfm_segment NULL.
                    A cell that is not three characters of 1-5 or * is an error at compile time.
                    Without segment_map or segments, the 11-segment grid below is used.
    after_ctes      (optional, default false) render `, rfm_... AS (...) ... SELECT` to follow the calling
                    model's own WITH list (`with orders as (...) {{> rfm_scores relation="orders" after_ctes=true ...}}`);
                    nesting the macro in a CTE (`x as ({{> rfm_scores ...}})`) works too.
  Unknown values of scoring, rank_method or the *_best arguments are errors naming the closest value.

  Output columns (one row per customer, ordered by customer):
    <customer_col>          original column name
    recency_days            days from the last order date to as_of (>= 1)
    frequency               number of orders
    monetary                total amount
    r_score, f_score, m_score   1..5 by `scoring` (default NTILE(5) quintiles: r ordered by recency_days
                            DESC (most recent = 5), f by frequency, m by monetary (ascending, highest = 5)).
    rfm_score               text r||f||m, e.g. '545'
    rfm_segment             one of 11 segments of the grid below, or of segment_map / segments
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

  Ties (scoring="ntile"): NTILE deals rows into 5 buckets by position (bucket sizes differ by at most one, the first
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
{{check_choice "rfm_scores" "scoring" scoring "ntile" "quantile" "rank_bins"}}
{{~check_choice "rfm_scores" "rank_method" rank_method "average" "min" "max" "dense" "first"}}
{{~check_choice "rfm_scores" "recency_best" recency_best "low" "high"}}
{{~check_choice "rfm_scores" "frequency_best" frequency_best "low" "high"}}
{{~check_choice "rfm_scores" "monetary_best" monetary_best "low" "high"}}
{{~#each segments}}{{check_list "rfm_scores" "segments" this "^[1-5*]{3}$" "Champions: [\"55*\", \"54*\"]"}}{{/each}}
{{~#if after_ctes}},{{else}}WITH{{/if}} rfm_orders AS (
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
{{#if (eq scoring "quantile")}}

/* one row per measure with its 20/40/60/80% quantiles: v[⌊h⌋] + (h − ⌊h⌋)(v[⌊h⌋+1] − v[⌊h⌋]), h = (n − 1)k/5 */
rfm_sorted AS (
    SELECT 'r' AS measure, CAST(recency_days AS DOUBLE) AS v, ROW_NUMBER() OVER (ORDER BY recency_days) - 1 AS i, COUNT(*) OVER () AS n FROM rfm_metrics
    UNION ALL
    SELECT 'f', CAST(frequency AS DOUBLE), ROW_NUMBER() OVER (ORDER BY frequency) - 1, COUNT(*) OVER () FROM rfm_metrics
    UNION ALL
    SELECT 'm', CAST(monetary AS DOUBLE), ROW_NUMBER() OVER (ORDER BY monetary) - 1, COUNT(*) OVER () FROM rfm_metrics
),

rfm_cut_points AS (
    SELECT measure, k, (n - 1) * k / 5.0e0 AS h, FLOOR((n - 1) * k / 5.0e0) AS lo
    FROM (SELECT DISTINCT measure, n FROM rfm_sorted) AS m
    CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) AS ks
),

rfm_edges AS (
    SELECT c.measure, c.k,
        MAX(CASE WHEN s.i = c.lo THEN s.v END)
            + (c.h - c.lo) * (COALESCE(MAX(CASE WHEN s.i = c.lo + 1 THEN s.v END), MAX(CASE WHEN s.i = c.lo THEN s.v END))
                - MAX(CASE WHEN s.i = c.lo THEN s.v END)) AS edge
    FROM rfm_cut_points AS c
    JOIN rfm_sorted AS s ON s.measure = c.measure AND s.i IN (c.lo, c.lo + 1)
    GROUP BY c.measure, c.k, c.h, c.lo
),

rfm_above AS (
    SELECT x.customer,
        SUM(CASE WHEN e.measure = 'r' AND x.recency_days > e.edge THEN 1 ELSE 0 END) AS r_above,
        SUM(CASE WHEN e.measure = 'f' AND x.frequency > e.edge THEN 1 ELSE 0 END) AS f_above,
        SUM(CASE WHEN e.measure = 'm' AND x.monetary > e.edge THEN 1 ELSE 0 END) AS m_above
    FROM rfm_metrics AS x
    CROSS JOIN rfm_edges AS e
    GROUP BY x.customer
),

rfm_scored AS (
    SELECT
        rfm_metrics.*,
        {{#if (eq recency_best "high")}}1 + a.r_above{{else}}5 - a.r_above{{/if}} AS r_score,
        {{#if (eq frequency_best "low")}}5 - a.f_above{{else}}1 + a.f_above{{/if}} AS f_score,
        {{#if (eq monetary_best "low")}}5 - a.m_above{{else}}1 + a.m_above{{/if}} AS m_score
    FROM rfm_metrics
    JOIN rfm_above AS a ON a.customer = rfm_metrics.customer
),
{{else if (eq scoring "rank_bins")}}

rfm_ranked AS (
    SELECT
        rfm_metrics.*,
{{#each (array "recency_days" "frequency" "monetary")}}
{{#if (eq ../rank_method "first")}}
        CAST(ROW_NUMBER() OVER (ORDER BY {{this}}, customer) AS DOUBLE) AS {{this}}_rank{{#unless @last}},{{/unless}}
{{else if (eq ../rank_method "min")}}
        CAST(RANK() OVER (ORDER BY {{this}}) AS DOUBLE) AS {{this}}_rank{{#unless @last}},{{/unless}}
{{else if (eq ../rank_method "max")}}
        CAST(RANK() OVER (ORDER BY {{this}}) + COUNT(*) OVER (PARTITION BY {{this}}) - 1 AS DOUBLE) AS {{this}}_rank{{#unless @last}},{{/unless}}
{{else if (eq ../rank_method "dense")}}
        CAST(DENSE_RANK() OVER (ORDER BY {{this}}) AS DOUBLE) AS {{this}}_rank{{#unless @last}},{{/unless}}
{{else}}
        RANK() OVER (ORDER BY {{this}}) + (COUNT(*) OVER (PARTITION BY {{this}}) - 1) / 2.0e0 AS {{this}}_rank{{#unless @last}},{{/unless}}
{{/if}}
{{/each}}
    FROM rfm_metrics
),

rfm_rank_ranges AS (
    SELECT
        rfm_ranked.*,
{{#each (array "recency_days" "frequency" "monetary")}}
        MIN({{this}}_rank) OVER () AS {{this}}_rank_min,
        MAX({{this}}_rank) OVER () AS {{this}}_rank_max{{#unless @last}},{{/unless}}
{{/each}}
    FROM rfm_ranked
),

rfm_above AS (
    SELECT
        rfm_rank_ranges.*,
{{#each (array "recency_days" "frequency" "monetary")}}
        CASE WHEN {{this}}_rank_max = {{this}}_rank_min THEN 2 ELSE
            (CASE WHEN {{this}}_rank > 1 * (({{this}}_rank_max - {{this}}_rank_min) / 5.0e0) + {{this}}_rank_min THEN 1 ELSE 0 END)
            + (CASE WHEN {{this}}_rank > 2 * (({{this}}_rank_max - {{this}}_rank_min) / 5.0e0) + {{this}}_rank_min THEN 1 ELSE 0 END)
            + (CASE WHEN {{this}}_rank > 3 * (({{this}}_rank_max - {{this}}_rank_min) / 5.0e0) + {{this}}_rank_min THEN 1 ELSE 0 END)
            + (CASE WHEN {{this}}_rank > 4 * (({{this}}_rank_max - {{this}}_rank_min) / 5.0e0) + {{this}}_rank_min THEN 1 ELSE 0 END)
        END AS {{this}}_above{{#unless @last}},{{/unless}}
{{/each}}
    FROM rfm_rank_ranges
),

rfm_scored AS (
    SELECT
        rfm_above.*,
        {{#if (eq recency_best "high")}}1 + recency_days_above{{else}}5 - recency_days_above{{/if}} AS r_score,
        {{#if (eq frequency_best "low")}}5 - frequency_above{{else}}1 + frequency_above{{/if}} AS f_score,
        {{#if (eq monetary_best "low")}}5 - monetary_above{{else}}1 + monetary_above{{/if}} AS m_score
    FROM rfm_above
),
{{else}}

rfm_scored AS (
    SELECT
        rfm_metrics.*,
        NTILE(5) OVER (ORDER BY recency_days {{#if (eq recency_best "high")}}ASC{{else}}DESC{{/if}}, customer) AS r_score,
        NTILE(5) OVER (ORDER BY frequency {{#if (eq frequency_best "low")}}DESC{{else}}ASC{{/if}}, customer) AS f_score,
        NTILE(5) OVER (ORDER BY monetary {{#if (eq monetary_best "low")}}DESC{{else}}ASC{{/if}}, customer) AS m_score
    FROM rfm_metrics
),
{{/if}}
{{#if segment_map}}

rfm_segment_cells AS (
    SELECT CAST(segment AS VARCHAR) AS segment, CAST(r_score AS INTEGER) AS r, CAST(f_score AS INTEGER) AS f,
        CAST(m_score AS INTEGER) AS m, 0 AS priority
    FROM {{segment_map}}
),
{{else if segments}}

rfm_segment_cells AS (
    SELECT segment, CAST(NULLIF(substr(cell, 1, 1), '*') AS INTEGER) AS r, CAST(NULLIF(substr(cell, 2, 1), '*') AS INTEGER) AS f,
        CAST(NULLIF(substr(cell, 3, 1), '*') AS INTEGER) AS m, priority
    FROM (
{{#each segments}}
{{#each this}}
        {{#unless (and @../first @first)}}UNION ALL {{/unless}}SELECT {{literal @../key}} AS segment, {{literal this}} AS cell, {{@../index}} * 1000 + {{@index}} AS priority
{{/each}}
{{/each}}
    ) AS rfm_cells
),
{{/if}}

{{#if (or segment_map segments)}}
rfm_segment_matches AS (
    SELECT s.customer, c.segment,
        ROW_NUMBER() OVER (
            PARTITION BY s.customer
            ORDER BY {{#if segment_map}}(CASE WHEN c.r IS NULL THEN 1 ELSE 0 END) + (CASE WHEN c.f IS NULL THEN 1 ELSE 0 END) + (CASE WHEN c.m IS NULL THEN 1 ELSE 0 END), c.segment{{else}}c.priority{{/if}}
        ) AS match_rank
    FROM rfm_scored AS s
    JOIN rfm_segment_cells AS c
        ON (c.r IS NULL OR c.r = s.r_score) AND (c.f IS NULL OR c.f = s.f_score) AND (c.m IS NULL OR c.m = s.m_score)
),

rfm_segmented AS (
    SELECT s.*, m.segment AS rfm_segment
    FROM rfm_scored AS s
    LEFT JOIN rfm_segment_matches AS m ON m.customer = s.customer AND m.match_rank = 1
)
{{else}}
rfm_segmented AS (
    SELECT
        s.*,
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
        END AS rfm_segment
    FROM rfm_scored AS s
)
{{/if}}

SELECT
    customer AS {{ident customer_col}},
    recency_days,
    frequency,
    monetary,
    r_score,
    f_score,
    m_score,
    CAST(r_score AS VARCHAR) || CAST(f_score AS VARCHAR) || CAST(m_score AS VARCHAR) AS rfm_score,
    rfm_segment,
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
FROM rfm_segmented
ORDER BY customer
