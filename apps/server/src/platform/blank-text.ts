// Text that shows nothing: only spaces, invisible characters (format and control characters,
// combining marks, the default-ignorable ones) or a blank Braille cell. A case title or a spoken
// reminder made of them says nothing, and is refused where it would be published or played.
const INVISIBLE = /[\s\p{Cf}\p{Cc}\p{Z}\p{M}\p{Default_Ignorable_Code_Point}\u2800]/gu;

export const isBlankText = (text: string): boolean => text.replace(INVISIBLE, '').length === 0;
