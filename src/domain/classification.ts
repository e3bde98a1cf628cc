/** Classification vocabulary: Annex I control-list entries and definitions, and the item technical profile (issue 3). */

/** One node of Annex I: a top-level entry such as `5A001` or a sub-item such as `5A001.f.2`. */
export interface ControlListEntry {
  /** Full code with dots between levels, e.g. `5A001.f.2`. */
  code: string;
  /** Code of the parent node, or null for a top-level entry. */
  parent: string | null;
  /** Annex I category, '0'..'9'. */
  category: string;
  /** The entry's own text (without the text of its sub-items). */
  text: string;
  /** Notes and N.B.s attached to this node, in order. */
  notes: string[];
  /** Technical Notes attached to this node, in order. */
  technicalNotes: string[];
  /** Defined terms ("double-quoted" in the text) that this node's text or notes use and that the Definitions define. */
  definitionsUsed: string[];
  /** Version label of the list this entry was read from. */
  listVersion: string;
}

/** One term of the Annex I "Definitions of terms used in this Annex". */
export interface ControlListDefinition {
  term: string;
  /** Category references given in brackets after the term, e.g. ['4', '5'] or ['GTN', 'NTN']. */
  categories: string[];
  text: string;
  notes: string[];
}

export interface ControlList {
  listVersion: string;
  entries: ControlListEntry[];
  definitions: ControlListDefinition[];
}
