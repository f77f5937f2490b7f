/**
 * Vigil's custom resources, group {@code siem.vigil.dev}, version {@code v1alpha1}.
 *
 * <p>Spec and status types are plain data carriers with public fields (as records would be, but
 * Jackson- and CRD-generator-friendly): every field carries a {@code @JsonPropertyDescription} so
 * {@code kubectl explain} documents it, and constraints are in the schema (enums, patterns,
 * minimums, CEL rules). Secrets are only ever referenced, never inlined.
 */
package dev.vigil.api.v1alpha1;
