with
  checks as (
    select
      'raw_crm_customers' as table_name,
      'rows' as check_name,
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_RAW"."RAW_CRM_CUSTOMERS"
      ) as value
    union all
    select
      'raw_crm_customers',
      'duplicate_customer_ids_removed',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_RAW"."RAW_CRM_CUSTOMERS"
      ) - (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_CRM_CUSTOMERS"
      )
    union all
    select
      'raw_crm_customers',
      'invalid_emails',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_CRM_CUSTOMERS"
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
          "ANALYTICS"."MAIN_STAGING"."STG_CRM_CUSTOMERS"
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
          "ANALYTICS"."MAIN_STAGING"."STG_CRM_CUSTOMERS"
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
          "ANALYTICS"."MAIN_STAGING"."STG_CRM_CUSTOMERS"
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
          "ANALYTICS"."MAIN_STAGING"."STG_CRM_CUSTOMERS"
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
          "ANALYTICS"."MAIN_RAW"."RAW_EMAIL_CONTACTS"
      )
    union all
    select
      'raw_email_contacts',
      'invalid_emails',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_EMAIL_CONTACTS"
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
          "ANALYTICS"."MAIN_RAW"."RAW_ORDERS"
      )
    union all
    select
      'raw_orders',
      'duplicate_rows_removed',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_RAW"."RAW_ORDERS"
      ) - (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_ORDERS"
      )
    union all
    select
      'raw_orders',
      'guest_orders',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_ORDERS"
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
          "ANALYTICS"."MAIN_STAGING"."STG_ORDERS"
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
          "ANALYTICS"."MAIN_STAGING"."STG_ORDERS"
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
          "ANALYTICS"."MAIN_RAW"."RAW_ORDER_ITEMS"
      )
    union all
    select
      'raw_order_items',
      'non_positive_quantities',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_ORDER_ITEMS"
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
          "ANALYTICS"."MAIN_STAGING"."STG_ORDER_ITEMS"
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
          "ANALYTICS"."MAIN_STAGING"."STG_ORDER_ITEMS"
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
          "ANALYTICS"."MAIN_RAW"."RAW_PRODUCTS"
      )
    union all
    select
      'raw_products',
      'non_positive_prices',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_PRODUCTS"
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
          "ANALYTICS"."MAIN_RAW"."RAW_CAMPAIGNS"
      )
    union all
    select
      'raw_campaigns',
      'invalid_flight_dates',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_CAMPAIGNS"
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
          "ANALYTICS"."MAIN_STAGING"."STG_CAMPAIGNS"
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
          "ANALYTICS"."MAIN_RAW"."RAW_CAMPAIGN_DAILY"
      )
    union all
    select
      'raw_campaign_daily',
      'duplicate_days_removed',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_RAW"."RAW_CAMPAIGN_DAILY"
      ) - (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_CAMPAIGN_DAILY"
      )
    union all
    select
      'raw_campaign_daily',
      'inconsistent_funnels',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_CAMPAIGN_DAILY"
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
          "ANALYTICS"."MAIN_RAW"."RAW_AB_ASSIGNMENTS"
      )
    union all
    select
      'raw_ab_assignments',
      'duplicate_rows_removed',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_RAW"."RAW_AB_ASSIGNMENTS"
      ) - (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_AB_ASSIGNMENTS"
      )
    union all
    select
      'raw_ab_assignments',
      'multi_variant_assignments',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_AB_ASSIGNMENTS"
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
          "ANALYTICS"."MAIN_RAW"."RAW_EVENTS"
      )
    union all
    select
      'raw_events',
      'duplicate_events_removed',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_RAW"."RAW_EVENTS"
      ) - (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_EVENTS"
      )
    union all
    select
      'raw_events',
      'clock_skewed_events',
      (
        select
          count(*)
        from
          "ANALYTICS"."MAIN_STAGING"."STG_EVENTS"
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
          "ANALYTICS"."MAIN_RAW"."RAW_CUSTOMER_EMAILS"
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
