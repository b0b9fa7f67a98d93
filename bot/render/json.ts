import type { Diagnosis } from '../triage/types.js';

/** The `--json` shape: stable keys for scripts and CI (README, "JSON output"). */
export function diagnosisToJson(d: Diagnosis): Record<string, unknown> {
  return {
    match: d.match
      ? { id: d.match.id, title: d.match.title, confidence: d.match.confidence, method: d.match.method, cause: d.match.cause, variant: d.match.variant, variantTitle: d.match.variantTitle, variants: d.match.variants, library: d.match.library }
      : null,
    alternatives: d.alternatives,
    entities: { models: d.entities.models, attributes: d.entities.attributes, tables: d.entities.tables, fields: d.entities.fields, captures: d.entities.captures, names: d.entities.names },
    fixes: d.fixes.map((f) => ({ id: f.id, rank: f.rank, title: f.title, why: f.why, reasons: f.reasons, tradeoff: f.tradeoff, tradeoffs: f.tradeoffs, snippet: f.snippet, lang: f.lang, docs: f.docs, caveat: f.caveat, available: f.available, form: f.form, formLabel: f.formLabel, requires: f.requires, verifiedOn: f.verifiedOn, notVerified: f.notVerified, measured: f.measured, otherForms: f.otherForms, variants: f.variants })),
    placeholders: d.placeholders,
    error: d.error,
    others: d.others,
    otherDistinct: d.otherDistinct,
    facts: d.facts,
    fingerprint: d.fingerprint,
    looksLikeError: d.looksLikeError,
    errorOutput: d.errorOutput,
    input: d.input,
    lang: d.lang,
  };
}
