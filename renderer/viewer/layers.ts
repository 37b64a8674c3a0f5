/** Bars drawn per highlighted segment; deeper nesting is marked as such rather than drawn. Kept apart from the viewer so styles can use it without loading ProseMirror. */
export const MAX_LAYERS = 4;
