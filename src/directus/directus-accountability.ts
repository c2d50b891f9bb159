import type { Knex } from 'knex';

export interface UserAccess {
	user: string;
	role: string | null;
	/** The role and its parents, root first, as Directus's own `fetchRolesTree` gives them. */
	roles: string[];
	admin: boolean;
	app: boolean;
}

/**
 * What Directus would put in the accountability of an active user: their role tree and whether any
 * of their policies (through a role or directly) grants admin or app access. `null` when the user is
 * missing or not active (suspended, archived, …).
 */
export async function loadUserAccess(db: Knex, userId: string): Promise<UserAccess | null> {
	const user = await db('directus_users').select('id', 'role', 'status').where({ id: userId }).first();
	if (!user || user.status !== 'active') return null;
	const roles: string[] = [];
	let parent: string | null = user.role ?? null;
	while (parent && !roles.includes(parent)) {
		roles.push(parent);
		const role: { parent: string | null } | undefined = await db('directus_roles').select('parent').where({ id: parent }).first();
		parent = role?.parent ?? null;
	}
	roles.reverse();
	const flags = await db('directus_access')
		.join('directus_policies', 'directus_policies.id', 'directus_access.policy')
		.where((q) => {
			q.where('directus_access.user', userId);
			if (roles.length) q.orWhereIn('directus_access.role', roles);
		})
		.select('directus_policies.admin_access', 'directus_policies.app_access');
	return {
		user: userId,
		role: user.role ?? null,
		roles,
		admin: flags.some((f) => Boolean(f.admin_access)),
		app: flags.some((f) => Boolean(f.app_access)),
	};
}
