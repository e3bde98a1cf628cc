/** Canonical JSON (sorted keys, no undefined) and its SHA-256, so equal inputs hash equally whatever their key order. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json.ts';

/** JSON text with object keys sorted at every level; `undefined` members are dropped as JSON.stringify does. */
export const toCanonicalJson = (value: unknown): string => canonicalJson(value);

/** `sha256:<hex>` of the canonical JSON of a value. */
export function hashCanonical(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}
