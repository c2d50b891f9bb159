import { describe, expect, it } from 'vitest';
import { apiError } from './api-error.js';

describe('apiError', () => {
	it('shows the server’s own first error and the field it names', () => {
		const error = { message: 'Request failed with status code 400', response: { status: 400, data: { errors: [{ message: 'unknown scope "admin"', extensions: { code: 'INVALID_SCOPES', field: 'scopes' } }] } } };
		expect(apiError(error)).toEqual({ message: 'unknown scope "admin"', field: 'scopes', status: 400 });
	});
	it('falls back to the status, then to a network message', () => {
		expect(apiError({ response: { status: 502, data: '<html>' } })).toEqual({ message: 'The server answered 502.', field: null, status: 502 });
		expect(apiError({ message: 'Network Error' }).message).toMatch(/could not be reached/);
		expect(apiError('boom').message).toBe('boom');
	});
});
