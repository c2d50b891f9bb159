import { randomBytes } from 'node:crypto';
import { request } from './http.js';
import type { DirectusInstance } from './directus.js';

export interface TestUser {
	id: string;
	email: string;
	password: string;
	roleId: string;
	/** A fresh access token (JWT) from `/auth/login`. */
	accessToken: string;
}

/**
 * Creates a non-admin user the way an admin would over REST. Unlicensed Directus 12 limits "seats"
 * (users with app access) to a handful, so users are API-only unless `appAccess` is asked for.
 */
export async function createUser(directus: DirectusInstance, label: string, { appAccess = false } = {}): Promise<TestUser> {
	const token = directus.adminToken;
	const suffix = randomBytes(3).toString('hex');
	const policy = await request(directus.url, 'POST', '/policies', {
		token,
		body: { name: `Users ${label} ${suffix}`, app_access: appAccess, admin_access: false },
	});
	if (policy.status !== 200) throw new Error(`create policy: ${policy.status} ${JSON.stringify(policy.body)}`);
	const role = await request(directus.url, 'POST', '/roles', {
		token,
		body: { name: `Role ${label} ${suffix}`, policies: { create: [{ policy: policy.body.data.id }] } },
	});
	if (role.status !== 200) throw new Error(`create role: ${role.status} ${JSON.stringify(role.body)}`);
	const email = `${label}-${suffix}@example.com`;
	const password = `pw-${randomBytes(8).toString('hex')}`;
	const user = await request(directus.url, 'POST', '/users', {
		token,
		body: { email, password, role: role.body.data.id },
	});
	if (user.status !== 200) throw new Error(`create user: ${user.status} ${JSON.stringify(user.body)}`);
	const accessToken = await login(directus, email, password);
	return { id: user.body.data.id, email, password, roleId: role.body.data.id, accessToken };
}

export async function login(directus: DirectusInstance, email: string, password: string): Promise<string> {
	const response = await request(directus.url, 'POST', '/auth/login', { body: { email, password } });
	if (response.status !== 200) throw new Error(`login ${email}: ${response.status} ${JSON.stringify(response.body)}`);
	return response.body.data.access_token as string;
}

/** Signs in like the Data Studio does (`mode: "session"`) and returns the session cookie as a `Cookie` header value. */
export async function sessionCookie(directus: DirectusInstance, email: string, password: string): Promise<string> {
	const response = await request(directus.url, 'POST', '/auth/login', { body: { email, password, mode: 'session' } });
	if (response.status !== 200) throw new Error(`session login ${email}: ${response.status} ${JSON.stringify(response.body)}`);
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('directus_session_token='));
	if (!cookie) throw new Error(`session login ${email}: no session cookie`);
	return cookie.split(';')[0]!;
}
