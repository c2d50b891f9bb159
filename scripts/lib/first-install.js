/**
 * What a fresh install needs beyond Directus's own bootstrap so that the admin's first login shows
 * no blocking dialog: the license onboarding dialog opens while `project_usage` is empty.
 * @param {import('knex').Knex} db
 * @param {string} projectUsage `personal`, `commercial` or `community`
 */
export async function finishFirstInstall(db, projectUsage) {
	await db('directus_settings').whereNull('project_usage').update({ project_usage: projectUsage });
}
