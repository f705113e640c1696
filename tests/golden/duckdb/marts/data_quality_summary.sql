with
  checks as (
    select
      'raw_crm_customers' as table_name,
      'rows' as check_name,
      (
        select
          count(*)
        from
          "main_raw"."raw_crm_customers"
      ) as value
    union all
    select
      'raw_crm_customers',
      'duplicate_customer_ids_removed',
      (
        select
          count(*)
        from
          "main_raw"."raw_crm_customers"
      ) - (
        select
          count(*)
        from
          "main_staging"."stg_crm_customers"
      )
    union all
    select
      'raw_crm_customers',
      'invalid_emails',
      (
        select
          count(*)
        from
          "main_staging"."stg_crm_customers"
        where
          email is not null
          and not is_valid_email
      )
    union all
    select
      'raw_crm_customers',
      'missing_emails',
      (
        select
          count(*)
        from
          "main_staging"."stg_crm_customers"
        where
          email is null
      )
    union all
    select
      'raw_crm_customers',
      'invalid_phones',
      (
        select
          count(*)
        from
          "main_staging"."stg_crm_customers"
        where
          phone_raw is not null
          and phone_e164 is null
      )
    union all
    select
      'raw_crm_customers',
      'invalid_birth_dates',
      (
        select
          count(*)
        from
          "main_staging"."stg_crm_customers"
        where
          birth_date_raw is not null
          and not is_valid_birth_date
      )
    union all
    select
      'raw_crm_customers',
      'unknown_countries',
      (
        select
          count(*)
        from
          "main_staging"."stg_crm_customers"
        where
          country_code is null
      )
    union all
    select
      'raw_email_contacts',
      'rows',
      (
        select
          count(*)
        from
          "main_raw"."raw_email_contacts"
      )
    union all
    select
      'raw_email_contacts',
      'invalid_emails',
      (
        select
          count(*)
        from
          "main_staging"."stg_email_contacts"
        where
          not coalesce(is_valid_email, false)
      )
    union all
    select
      'raw_orders',
      'rows',
      (
        select
          count(*)
        from
          "main_raw"."raw_orders"
      )
    union all
    select
      'raw_orders',
      'duplicate_rows_removed',
      (
        select
          count(*)
        from
          "main_raw"."raw_orders"
      ) - (
        select
          count(*)
        from
          "main_staging"."stg_orders"
      )
    union all
    select
      'raw_orders',
      'guest_orders',
      (
        select
          count(*)
        from
          "main_staging"."stg_orders"
        where
          is_guest
      )
    union all
    select
      'raw_orders',
      'orphan_customer_ids',
      (
        select
          count(*)
        from
          "main_staging"."stg_orders"
        where
          is_orphan_customer
      )
    union all
    select
      'raw_orders',
      'cancelled_or_refunded',
      (
        select
          count(*)
        from
          "main_staging"."stg_orders"
        where
          status in ('cancelled', 'refunded')
      )
    union all
    select
      'raw_order_items',
      'rows',
      (
        select
          count(*)
        from
          "main_raw"."raw_order_items"
      )
    union all
    select
      'raw_order_items',
      'non_positive_quantities',
      (
        select
          count(*)
        from
          "main_staging"."stg_order_items"
        where
          not is_valid_quantity
      )
    union all
    select
      'raw_order_items',
      'orphan_order_ids',
      (
        select
          count(*)
        from
          "main_staging"."stg_order_items"
        where
          is_orphan_order
      )
    union all
    select
      'raw_order_items',
      'missing_skus',
      (
        select
          count(*)
        from
          "main_staging"."stg_order_items"
        where
          sku is null
      )
    union all
    select
      'raw_products',
      'rows',
      (
        select
          count(*)
        from
          "main_raw"."raw_products"
      )
    union all
    select
      'raw_products',
      'non_positive_prices',
      (
        select
          count(*)
        from
          "main_staging"."stg_products"
        where
          not has_valid_price
      )
    union all
    select
      'raw_campaigns',
      'rows',
      (
        select
          count(*)
        from
          "main_raw"."raw_campaigns"
      )
    union all
    select
      'raw_campaigns',
      'invalid_flight_dates',
      (
        select
          count(*)
        from
          "main_staging"."stg_campaigns"
        where
          not has_valid_dates
      )
    union all
    select
      'raw_campaigns',
      'missing_budgets',
      (
        select
          count(*)
        from
          "main_staging"."stg_campaigns"
        where
          budget is null
      )
    union all
    select
      'raw_campaign_daily',
      'rows',
      (
        select
          count(*)
        from
          "main_raw"."raw_campaign_daily"
      )
    union all
    select
      'raw_campaign_daily',
      'duplicate_days_removed',
      (
        select
          count(*)
        from
          "main_raw"."raw_campaign_daily"
      ) - (
        select
          count(*)
        from
          "main_staging"."stg_campaign_daily"
      )
    union all
    select
      'raw_campaign_daily',
      'inconsistent_funnels',
      (
        select
          count(*)
        from
          "main_staging"."stg_campaign_daily"
        where
          not is_valid_funnel
      )
    union all
    select
      'raw_ab_assignments',
      'rows',
      (
        select
          count(*)
        from
          "main_raw"."raw_ab_assignments"
      )
    union all
    select
      'raw_ab_assignments',
      'duplicate_rows_removed',
      (
        select
          count(*)
        from
          "main_raw"."raw_ab_assignments"
      ) - (
        select
          count(*)
        from
          "main_staging"."stg_ab_assignments"
      )
    union all
    select
      'raw_ab_assignments',
      'multi_variant_assignments',
      (
        select
          count(*)
        from
          "main_staging"."stg_ab_assignments"
        where
          is_multi_variant
      )
    union all
    select
      'raw_events',
      'rows',
      (
        select
          count(*)
        from
          "main_raw"."raw_events"
      )
    union all
    select
      'raw_events',
      'duplicate_events_removed',
      (
        select
          count(*)
        from
          "main_raw"."raw_events"
      ) - (
        select
          count(*)
        from
          "main_staging"."stg_events"
      )
    union all
    select
      'raw_events',
      'clock_skewed_events',
      (
        select
          count(*)
        from
          "main_staging"."stg_events"
        where
          is_clock_skewed
      )
    union all
    select
      'raw_customer_emails',
      'rows',
      (
        select
          count(*)
        from
          "main_raw"."raw_customer_emails"
      )
  )
select
  table_name,
  check_name,
  value,
  cast(value as double) / nullif(
    max(
      case
        when check_name = 'rows' then value
      end
    ) over (
      partition by
        table_name
    ),
    0
  ) as share_of_rows
from
  checks
order by
  table_name,
  check_name
