/**
 * A small checker for the subset of JSON Schema our OpenAPI document uses (type incl. type lists,
 * required, properties, items, enum, $ref), so tests can hold real responses against the document.
 */
type Schema = Record<string, any>;

export function schemaErrors(document: Schema, schema: Schema, value: unknown, path = '$'): string[] {
	if (schema.$ref) {
		const name = String(schema.$ref).split('/').pop()!;
		return schemaErrors(document, document.components.schemas[name], value, path);
	}
	const errors: string[] = [];
	if (schema.type) {
		const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
		const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
		const ok = types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
		if (!ok) return [`${path}: expected ${types.join('|')}, got ${actual}`];
	}
	if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		for (const key of schema.required ?? []) if (!(key in value)) errors.push(`${path}.${key}: missing`);
		for (const [key, sub] of Object.entries<Schema>(schema.properties ?? {})) {
			if (key in value) errors.push(...schemaErrors(document, sub, (value as Record<string, unknown>)[key], `${path}.${key}`));
		}
		if (schema.additionalProperties === false) {
			for (const key of Object.keys(value)) if (!(key in (schema.properties ?? {}))) errors.push(`${path}.${key}: not in schema`);
		}
	}
	if (Array.isArray(value) && schema.items) value.forEach((item, i) => errors.push(...schemaErrors(document, schema.items, item, `${path}[${i}]`)));
	return errors;
}

/** The response schema the document gives for `method path status`. */
export function responseSchema(document: Schema, path: string, method: string, status: number): Schema | null {
	return document.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema ?? null;
}
