/**
 * Turns a failed API call into what the page shows: the server's own `errors[0].message` (Directus's
 * error shape, which the token API uses too) and the field it names, or a plain network message.
 */
export interface ApiErrorInfo {
	message: string;
	/** The request field the server blamed (`extensions.field`), when it named one. */
	field: string | null;
	/** HTTP status, or `null` when no answer came back. */
	status: number | null;
}

interface AxiosLikeError {
	message?: unknown;
	response?: { status?: unknown; data?: unknown };
}

/**
 * @example
 * ```ts
 * try { await api.post('/api-tokens', body); } catch (error) { notice.value = apiError(error).message; }
 * ```
 */
export function apiError(error: unknown): ApiErrorInfo {
	const candidate = (typeof error === 'object' && error !== null ? error : {}) as AxiosLikeError;
	const response = candidate.response;
	const status = typeof response?.status === 'number' ? response.status : null;
	const first = firstError(response?.data);
	if (first) return { message: first.message, field: first.field, status };
	if (status !== null) return { message: `The server answered ${status}.`, field: null, status };
	const message = typeof candidate.message === 'string' && candidate.message ? candidate.message : String(error);
	return { message: message === 'Network Error' ? 'The server could not be reached. Check your connection and try again.' : message, field: null, status };
}

function firstError(data: unknown): { message: string; field: string | null } | null {
	if (typeof data !== 'object' || data === null) return null;
	const errors = (data as { errors?: unknown }).errors;
	if (!Array.isArray(errors) || errors.length === 0) return null;
	const first = errors[0] as { message?: unknown; extensions?: { field?: unknown } } | null;
	if (!first || typeof first.message !== 'string') return null;
	const field = typeof first.extensions?.field === 'string' ? first.extensions.field : null;
	return { message: first.message, field };
}

/**
 * The server's stable error code (`errors[0].extensions.code`, e.g. `INVALID_USER_CODE`), or `null`
 * when the answer carried none.
 *
 * @example
 * ```ts
 * if (apiErrorCode(error) === 'RATE_LIMITED') wait();
 * ```
 */
export function apiErrorCode(error: unknown): string | null {
	const data = (typeof error === 'object' && error !== null ? (error as AxiosLikeError).response?.data : null) as { errors?: unknown } | null | undefined;
	const first = Array.isArray(data?.errors) ? (data.errors[0] as { extensions?: { code?: unknown } } | null) : null;
	return typeof first?.extensions?.code === 'string' ? first.extensions.code : null;
}
