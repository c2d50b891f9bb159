// The demo page: the browser helper keeps an app token fresh from the dashboard session.
import { createAppTokenClient } from '/client/index.js';

const config = JSON.parse(document.getElementById('demo-config').textContent);
const tokens = createAppTokenClient({ dashboardUrl: config.dashboardUrl, app: config.app });
const $ = (id) => document.getElementById(id);

$('page-origin').textContent = location.origin;
$('dashboard-url').textContent = config.dashboardUrl;

/** What the tests read: the latest helper result and API answer. */
window.demo = { result: null, api: null };

function show(result) {
	window.demo.result = result;
	const status = $('status');
	status.dataset.status = result.status;
	$('token').hidden = result.status !== 'ok';
	$('sign-in').hidden = result.status !== 'signed_out';
	$('call').disabled = result.status !== 'ok';
	if (result.status === 'ok') {
		status.textContent = 'Signed in: this page holds an app token.';
		$('token-hint').textContent = `${result.token.slice(0, 8)}…`;
		$('token-scopes').textContent = result.scopes.join(', ') || '(none)';
		$('token-expires').textContent = result.expiresAt.toLocaleString();
	} else if (result.status === 'signed_out') {
		status.textContent = 'You are signed out of the dashboard.';
		$('sign-in').href = result.signInUrl;
	} else {
		status.textContent = `No token: ${result.message}`;
	}
}

async function callApi() {
	const result = await tokens.getToken();
	show(result);
	if (result.status !== 'ok') return;
	const response = await fetch('/api/hello', { method: 'POST', headers: { authorization: `Bearer ${result.token}` } });
	const body = await response.json();
	window.demo.api = { status: response.status, body };
	const out = $('api-result');
	out.dataset.status = response.ok ? 'ok' : 'error';
	out.textContent = `${response.status} ${JSON.stringify(body, null, 1)}`;
}

tokens.onChange(show);
$('call').addEventListener('click', () => void callApi());
void callApi();
