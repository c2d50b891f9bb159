// A chat bot's backend: "/connect" in a chat shows a link and a code; the token is kept per installation.
export const tokens = new Map(); // installation id → token (keep it in your database, encrypted; never post it)

async function post(dashboard, path, params) {
	const response = await fetch(`${dashboard}/api-tokens/oauth/${path}`, { method: 'POST', body: new URLSearchParams(params) });
	return response.json(); // a form goes in, JSON comes out: {"error":"…","error_description":"…"} on a 400
}

export async function connect(dashboard, installation, reply, { clientId = 'chat-bot', scope = 'read' } = {}) {
	const started = await post(dashboard, 'device_authorization', { client_id: clientId, scope });
	if (started.error) return reply(`Cannot connect: ${started.error_description}`);
	await reply(`Open ${started.verification_uri_complete} and approve the code ${started.user_code} (valid ${started.expires_in / 60} min).`);
	for (let wait = started.interval; ; ) {
		await new Promise((resolve) => setTimeout(resolve, wait * 1000));
		const answer = await post(dashboard, 'token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: started.device_code, client_id: clientId });
		if (answer.access_token) {
			tokens.set(installation, answer.access_token);
			return reply('Connected.');
		}
		if (answer.error === 'slow_down') wait += 5;
		else if (answer.error !== 'authorization_pending') return reply(`Not connected: ${answer.error_description}`);
	}
}
