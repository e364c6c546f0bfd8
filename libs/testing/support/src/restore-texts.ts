/**
 * The restore contract's text tools for whole-stack restore drills, which may import only testing,
 * contracts and platform libraries: markers name the source item of a restored one, attribution is
 * removed, and cross-references are remapped the way a restore remaps them.
 */
export { type MetadataKind, readRestoreMarker, remapCrossReferences, stripRestoreAttribution } from '@repovault/providers/core';
