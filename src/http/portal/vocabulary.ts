/** Closed vocabularies and view types the pages use, re-exported from the domain in one place. */
export {
  ITEM_FORMS,
  PARTY_TYPES,
  PARTY_ROLES,
  LICENCE_TYPES,
  EXPORT_CHANNELS,
  QUANTITY_UNITS,
  APPLICATION_STATUSES,
} from '../../domain/model.ts';
export type { Item, Party, Application } from '../../domain/model.ts';
export { BIOMETRIC_MODALITIES as BIOMETRIC_MODALITIES_FOR_PAGES } from '../../domain/classification.ts';
