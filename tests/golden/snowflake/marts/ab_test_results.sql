with
  "__WEIR_EPHEMERAL__INT_AB_USER_OUTCOMES" as (
    select
      test_id,
      customer_id,
      any_value(variant) as variant,
      max(converted) as converted,
      max(conversion_value) as conversion_value
    from
      "ANALYTICS"."MAIN_STAGING"."STG_AB_ASSIGNMENTS"
    where
      not is_multi_variant
    group by
      test_id,
      customer_id
  ),
  results as (
    with
      ab_variant_totals as (
        select
          "TEST_ID" as ab_test,
          "VARIANT" as ab_variant,
          COUNT(*) as users,
          SUM(COALESCE(CAST("CONVERTED" as INTEGER), 0)) as conversions
        from
          "__WEIR_EPHEMERAL__INT_AB_USER_OUTCOMES"
        group by
          "TEST_ID",
          "VARIANT"
      ),
      ab_pairs as (
        select
          v.ab_test,
          v.ab_variant,
          c.users as control_users,
          c.conversions as control_conversions,
          CAST(c.conversions as DOUBLE) / c.users as control_rate,
          v.users as variant_users,
          v.conversions as variant_conversions,
          CAST(v.conversions as DOUBLE) / v.users as variant_rate,
          CAST(c.conversions + v.conversions as DOUBLE) / (c.users + v.users) as pooled_rate,
          CAST(1.959963984540054e0 as DOUBLE) as z_crit
        from
          ab_variant_totals as v
          left join ab_variant_totals as c on c.ab_test = v.ab_test
          and c.ab_variant = 'control'
        where
          v.ab_variant <> 'control'
      ),
      ab_stats as (
        select
          ab_pairs.*,
          variant_rate - control_rate as absolute_lift,
          (variant_rate - control_rate) / NULLIF(control_rate, 0) as relative_lift,
          (variant_rate - control_rate) / NULLIF(
            sqrt(
              pooled_rate * (1 - pooled_rate) * (1.0e0 / control_users + 1.0e0 / variant_users)
            ),
            0
          ) as z_score,
          sqrt(
            control_rate * (1 - control_rate) / control_users + variant_rate * (1 - variant_rate) / variant_users
          ) as wald_se,
          /* Wilson (1927) score interval of each rate: centre and half-width */
          (control_conversions + z_crit * z_crit / 2) / (control_users + z_crit * z_crit) as c_wilson_mid,
          z_crit / (control_users + z_crit * z_crit) * sqrt(
            CAST(control_conversions as DOUBLE) * (control_users - control_conversions) / control_users + z_crit * z_crit / 4
          ) as c_wilson_half,
          (variant_conversions + z_crit * z_crit / 2) / (variant_users + z_crit * z_crit) as v_wilson_mid,
          z_crit / (variant_users + z_crit * z_crit) * sqrt(
            CAST(variant_conversions as DOUBLE) * (variant_users - variant_conversions) / variant_users + z_crit * z_crit / 4
          ) as v_wilson_half,
          /* Agresti–Caffo: one success and one failure added to each group */
          (variant_conversions + 1.0e0) / (variant_users + 2) - (control_conversions + 1.0e0) / (control_users + 2) as ac_diff,
          sqrt(
            (control_conversions + 1.0e0) / (control_users + 2) * (
              1 - (control_conversions + 1.0e0) / (control_users + 2)
            ) / (control_users + 2) + (variant_conversions + 1.0e0) / (variant_users + 2) * (
              1 - (variant_conversions + 1.0e0) / (variant_users + 2)
            ) / (variant_users + 2)
          ) as ac_se,
          /* Agresti–Coull: ñ = n + z², p̃ = (x + z²/2)/ñ */
          (control_conversions + z_crit * z_crit / 2) / (control_users + z_crit * z_crit) as c_ac_p,
          control_users + z_crit * z_crit as c_ac_n,
          (variant_conversions + z_crit * z_crit / 2) / (variant_users + z_crit * z_crit) as v_ac_p,
          variant_users + z_crit * z_crit as v_ac_n
        from
          ab_pairs
      ),
      ab_intervals as (
        select
          ab_stats.*,
          c_wilson_mid - c_wilson_half as c_wilson_low,
          c_wilson_mid + c_wilson_half as c_wilson_high,
          v_wilson_mid - v_wilson_half as v_wilson_low,
          v_wilson_mid + v_wilson_half as v_wilson_high
        from
          ab_stats
      ),
      ab_tests as (
        select
          ab_intervals.*,
          (
            case
              when abs(CAST((z_score) as DOUBLE)) <= 6.7448975e-1 then 1e+0 - 2e+0 * abs(CAST((z_score) as DOUBLE)) * (
                (
                  (
                    (
                      (
                        6.568233791820745e-2 * (
                          CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                        ) + 2.2352520354606837e+0
                      ) * (
                        CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                      ) + 1.6102823106855587e+2
                    ) * (
                      CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                    ) + 1.0676894854603709e+3
                  ) * (
                    CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                  ) + 1.815498125334356e+4
                ) / (
                  (
                    (
                      (
                        (
                          CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                        ) + 4.7202581904688245e+1
                      ) * (
                        CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                      ) + 9.760985517377767e+2
                    ) * (
                      CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                    ) + 1.0260932208618979e+4
                  ) * (
                    CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                  ) + 4.550778933502673e+4
                )
              )
              when abs(CAST((z_score) as DOUBLE)) > 3.85e+1 then 0e+0
              else 2e+0 * exp(
                -5e-1 * CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
              ) * case
                when abs(CAST((z_score) as DOUBLE)) <= 5.656854249492381e+0 then (
                  (
                    (
                      (
                        (
                          (
                            (
                              (
                                1.0765576773720192e-8 * abs(CAST((z_score) as DOUBLE)) + 3.9894151208813466e-1
                              ) * abs(CAST((z_score) as DOUBLE)) + 8.883149794388377e+0
                            ) * abs(CAST((z_score) as DOUBLE)) + 9.350665613217785e+1
                          ) * abs(CAST((z_score) as DOUBLE)) + 5.972702763948002e+2
                        ) * abs(CAST((z_score) as DOUBLE)) + 2.4945375852903726e+3
                      ) * abs(CAST((z_score) as DOUBLE)) + 6.848190450536283e+3
                    ) * abs(CAST((z_score) as DOUBLE)) + 1.160265143764735e+4
                  ) * abs(CAST((z_score) as DOUBLE)) + 9.842714838383978e+3
                ) / (
                  (
                    (
                      (
                        (
                          (
                            (
                              (
                                abs(CAST((z_score) as DOUBLE)) + 2.2266688044328117e+1
                              ) * abs(CAST((z_score) as DOUBLE)) + 2.35387901782625e+2
                            ) * abs(CAST((z_score) as DOUBLE)) + 1.5193775994075547e+3
                          ) * abs(CAST((z_score) as DOUBLE)) + 6.485558298266761e+3
                        ) * abs(CAST((z_score) as DOUBLE)) + 1.8615571640885097e+4
                      ) * abs(CAST((z_score) as DOUBLE)) + 3.490095272114598e+4
                    ) * abs(CAST((z_score) as DOUBLE)) + 3.891200328609327e+4
                  ) * abs(CAST((z_score) as DOUBLE)) + 1.9685429676859992e+4
                )
                else (
                  3.989422804014327e-1 - (
                    1e+0 / (
                      CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                    )
                  ) * (
                    (
                      (
                        (
                          (
                            2.3073441764940174e-2 * (
                              1e+0 / (
                                CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                              )
                            ) + 2.15898534057957e-1
                          ) * (
                            1e+0 / (
                              CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                            )
                          ) + 1.2740116116024736e-1
                        ) * (
                          1e+0 / (
                            CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                          )
                        ) + 2.2235277870649807e-2
                      ) * (
                        1e+0 / (
                          CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                        )
                      ) + 1.4216191932278934e-3
                    ) * (
                      1e+0 / (
                        CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                      )
                    ) + 2.9112874951168793e-5
                  ) / (
                    (
                      (
                        (
                          (
                            (
                              1e+0 / (
                                CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                              )
                            ) + 1.284260096144911e+0
                          ) * (
                            1e+0 / (
                              CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                            )
                          ) + 4.682382124808651e-1
                        ) * (
                          1e+0 / (
                            CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                          )
                        ) + 6.598813786892856e-2
                      ) * (
                        1e+0 / (
                          CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                        )
                      ) + 3.7823963320275824e-3
                    ) * (
                      1e+0 / (
                        CAST((z_score) as DOUBLE) * CAST((z_score) as DOUBLE)
                      )
                    ) + 7.297515550839662e-5
                  )
                ) / abs(CAST((z_score) as DOUBLE))
              end
            end
          ) as p_value,
          absolute_lift - z_crit * wald_se as diff_low,
          absolute_lift + z_crit * wald_se as diff_high,
          c_wilson_low as c_rate_low,
          c_wilson_high as c_rate_high,
          v_wilson_low as v_rate_low,
          v_wilson_high as v_rate_high
        from
          ab_intervals
      )
    select
      ab_test as "TEST_ID",
      ab_variant as "VARIANT",
      control_users,
      control_conversions,
      control_rate,
      variant_users,
      variant_conversions,
      variant_rate,
      absolute_lift,
      relative_lift,
      z_score,
      p_value,
      diff_low as ci_low,
      diff_high as ci_high,
      COALESCE(p_value < 0.05, false) as is_significant,
      case
        when p_value < 0.05
        and absolute_lift > 0 then CAST(ab_variant as VARCHAR)
        when p_value < 0.05
        and absolute_lift < 0 then 'control'
      end as winner,
      c_rate_low as control_rate_low,
      c_rate_high as control_rate_high,
      v_rate_low as variant_rate_low,
      v_rate_high as variant_rate_high
    from
      ab_tests
    order by
      ab_test,
      ab_variant
  )
select
  r.test_id,
  t.test_name,
  t.primary_metric,
  t.start_date,
  t.end_date,
  r.variant,
  r.control_users,
  r.control_conversions,
  r.control_rate,
  r.variant_users,
  r.variant_conversions,
  r.variant_rate,
  r.absolute_lift,
  r.relative_lift,
  r.z_score,
  r.p_value,
  r.ci_low,
  r.ci_high,
  r.is_significant,
  r.winner
from
  results as r
  left join "ANALYTICS"."MAIN_STAGING"."STG_AB_TESTS" as t on t.test_id = r.test_id
