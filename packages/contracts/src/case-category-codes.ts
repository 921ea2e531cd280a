// Case category codes that code relies on, in a file of their own without schemas, so that a phone
// page can import one without the schema library.

/** The case category camera findings become (乱搭乱建); counties configure it like any other category. */
export const FINDING_CASE_CATEGORY_CODE = 'illegalConstruction';
