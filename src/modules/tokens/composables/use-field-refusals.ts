/**
 * The server's refusal of a form's Save, put where the admin looks: under the field the server
 * names (`extensions.field`, its first segment: `origins.0` is the origins field), without the
 * message's leading `field: ` (the label is right there), for as long as that field still holds
 * what was refused; a refusal that names no field of the form (403, 404, a network error) goes above
 * the form. The app and device-client forms share it.
 */
import { shallowRef } from 'vue';
import { apiError } from './api-error.js';

export type FieldMessages<F extends string> = Partial<Record<F, string>>;

/**
 * `values` answers the form's fields as they would be sent (compared by JSON with what was sent).
 *
 * @example
 * ```ts
 * const refusals = useFieldRefusals(['name', 'scopes'] as const, () => ({ name: name.value, scopes: scopes.value }));
 * refusals.submitting();
 * try { await api.create(body); } catch (error) { refusals.show(error); }
 * const errors = computed(() => refusals.over(hints.value));
 * ```
 */
export function useFieldRefusals<F extends string>(fields: readonly F[], values: () => Record<F, unknown>) {
	/** The refusal of the last Save, by field. */
	const refused = shallowRef<FieldMessages<F>>({});
	/** The fields as that Save sent them. */
	const sent = shallowRef<Record<F, unknown> | null>(null);
	const formError = shallowRef<string | null>(null);

	const isField = (value: string): value is F => (fields as readonly string[]).includes(value);

	/** A form opened afresh: nothing refused. */
	function reset(): void {
		refused.value = {};
		sent.value = null;
		formError.value = null;
	}

	/** Before sending: the last refusal goes, and what is sent is kept to compare with. */
	function submitting(): void {
		refused.value = {};
		formError.value = null;
		sent.value = values();
	}

	function show(cause: unknown): void {
		const { message, field } = apiError(cause);
		const key = field?.split('.')[0];
		sent.value ??= values();
		if (key && isField(key)) {
			const prefix = `${field}: `;
			const text = message.startsWith(prefix) ? message.slice(prefix.length) : message;
			// A sentence starts upper case; an identifier leading it (`client_id is …`) keeps its own.
			const shown = /^[^\s]*[_.]/.test(text) ? text : text.charAt(0).toUpperCase() + text.slice(1);
			refused.value = { ...refused.value, [key]: shown };
		} else {
			formError.value = message;
		}
	}

	/** `hints`, with each refusal over its field while the field is unchanged since it was sent. */
	function over(hints: FieldMessages<F>): FieldMessages<F> {
		const result: FieldMessages<F> = { ...hints };
		const then = sent.value;
		if (!then) return result;
		const now = values();
		for (const field of fields) {
			const message = refused.value[field];
			if (message && JSON.stringify(now[field]) === JSON.stringify(then[field])) result[field] = message;
		}
		return result;
	}

	return { refused, formError, reset, submitting, show, over };
}
