{{!-- Korean customer emails translated to English (redacted text in, so the output stays privacy-safe).
      Translation is the batch UDF `translate` (MarianMT ONNX, udfs/translate.ts), cached in
      weir_udf_cache so nothing is translated twice. Without a configured model (vars.translation_model_dir
      or WEIR_TRANSLATION_MODEL_DIR) this model is skipped with a warning and the rest of the build goes on. --}}
{{config materialized="table" on_udf_unavailable="skip"}}
select
    email_id,
    language,
    subject_redacted,
    body_redacted,
    case when language = 'ko' then translate(subject_redacted, 'ko', 'en') else subject_redacted end as subject_en,
    case when language = 'ko' then translate(body_redacted, 'ko', 'en') else body_redacted end as body_en
from {{ref "emails_anonymized"}}
