/** Small fetch wrappers for talking to a test Directus. */
export interface JsonResponse<T = any> {
	status: number;
	headers: Headers;
	body: T;
}

export async function request<T = any>(
	baseUrl: string,
	method: string,
	path: string,
	{ token, body, headers = {} }: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
	const response = await fetch(new URL(path, baseUrl), {
		method,
		headers: {
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...headers,
		},
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		// leave as text
	}
	return { status: response.status, headers: response.headers, body: parsed as T };
}
