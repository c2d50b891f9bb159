/** For unit tests of composables that take an API object: a record of its calls, and refusals on demand. */

/**
 * `record(...call)` keeps the call, then throws the error `failNext` set, once; fake API methods
 * call it before answering.
 *
 * @example
 * ```ts
 * const { calls, record, failNext } = recordCalls();
 * const api = { remove: async (id: string) => void record('remove', id) };
 * failNext({ response: { status: 404 } }); // the next call throws this
 * ```
 */
export function recordCalls() {
	const calls: unknown[] = [];
	let fail: unknown = null;
	const record = (...call: unknown[]): void => {
		calls.push(call);
		const error = fail;
		fail = null;
		if (error) throw error;
	};
	return { calls, record, failNext: (error: unknown) => (fail = error) };
}
