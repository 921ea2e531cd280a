// What a form's values mean to the API. A text box that was typed in and cleared holds "", which the
// server rightly refuses (an empty phone is not a phone): an empty field means "no value". On a create
// it is left out; on an edit it is sent as null where the contract lets the field be null, so the
// stored value is cleared, and left out where it does not (the stored value stays).

/** The part of a TypeBox object schema this needs: each property's JSON-schema type. */
export type ContractShape = { properties: object };

const isBlank = (value: unknown) => typeof value === 'string' && value.trim() === '';

/** True when the contract's field takes null (made with contracts' Nullable()). */
export function isNullable(contract: ContractShape | undefined, field: string): boolean {
  const type = (contract?.properties as Record<string, { type?: unknown } | undefined> | undefined)?.[field]?.type;
  return Array.isArray(type) && type.includes('null');
}

export function bodyOfForm<T extends object>(values: T, options: { editing: boolean; contract?: ContractShape }): T {
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (isBlank(value) || value === null) {
      if (options.editing && isNullable(options.contract, field)) body[field] = null;
      continue;
    }
    body[field] = value;
  }
  return body as T;
}
