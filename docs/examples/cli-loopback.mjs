// A CLI that gets a token from the dashboard through the loopback hand-back: `node cli-loopback.mjs https://dash.example.com`
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { buildNewTokenUrl } from 'directus-extension-api-tokens/client';

export function receiveToken(dashboardUrl, { name = 'My CLI', scopes = ['read'], host = '127.0.0.1', onLink = console.log } = {}) {
	const state = randomBytes(16).toString('hex'); // proves the answer belongs to this run
	return new Promise((resolve) => {
		const server = createServer((req, res) => {
			res.setHeader('Access-Control-Allow-Origin', new URL(dashboardUrl).origin); // only the dashboard's page may send
			res.setHeader('Access-Control-Allow-Headers', 'content-type');
			res.setHeader('Access-Control-Allow-Private-Network', 'true');
			if (req.method === 'OPTIONS') return res.end(); // CORS preflight
			let body = '';
			req.on('data', (chunk) => (body += chunk)).on('end', () => {
				let answer = {};
				try { answer = JSON.parse(body); } catch { /* not JSON: refused below */ }
				if (req.method !== 'POST' || answer.state !== state || typeof answer.token !== 'string') return res.writeHead(400).end();
				res.end('{}');
				server.close();
				resolve(answer.token);
			});
		});
		server.listen(0, host, () => {
			const callback = `http://${host.includes(':') ? `[${host}]` : host}:${server.address().port}/token`;
			onLink(`Create your token here: ${buildNewTokenUrl({ dashboardUrl, name, scopes, expiresIn: 90, callback, state })}`);
		});
	});
}

if (import.meta.url === `file://${process.argv[1]}`) console.log('Got', (await receiveToken(process.argv[2])).slice(0, 8) + '…');
