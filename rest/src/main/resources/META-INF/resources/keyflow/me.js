// Keyflow's "My connections" page: a Camunda user connects, reconnects and disconnects its own accounts.
// Calls /api/credentials/me with the session cookie (Keyflow's login, or the Camunda webapps' session) and the
// X-Keyflow-Request header on every change. Data from the server reaches the DOM through textContent alone.
'use strict';

const API = '/api/credentials/me';

async function api(method, path, body) {
	// a change carries the marker header that a cross-site form cannot send
	return sendJson(API + path, method, (method !== 'GET') ? { 'X-Keyflow-Request': 'true' } : {}, body, 'same-origin');
}

// --- logged in or not ---

function showLoggedOut(message) {
	$('auth-status').textContent = message || 'Not logged in.';
	$('login-section').hidden = false;
	$('connections-section').hidden = true;
	$('logout').hidden = true;
}

function showLoggedIn(me) {
	$('auth-status').textContent = 'Logged in as ' + me.userId + '.';
	$('login-section').hidden = true;
	$('connections-section').hidden = false;
	// a Camunda webapps session is ended in the webapps, not here
	$('logout').hidden = me.authenticatedBy !== 'keyflow-session';
}

async function load() {
	let me;
	try {
		me = await api('GET', '');
	}
	catch (failure) {
		if (failure.status === 401) {
			showLoggedOut();
			return;
		}
		showLoggedOut('Keyflow could not be reached: ' + failure.message);
		return;
	}
	showLoggedIn(me);
	await loadConnections(me.providers);
}

$('login-form').addEventListener('submit', async (event) => {
	event.preventDefault();
	$('login-error').textContent = '';
	try {
		await api('POST', '/login', { username: $('username').value.trim(), password: $('password').value });
		$('password').value = '';
		await load();
	}
	catch (failure) {
		showError($('login-error'), failure);
	}
});

$('logout').addEventListener('click', async () => {
	await api('POST', '/logout').catch(() => null);
	showLoggedOut('Logged out.');
});

// --- connections ---

async function loadConnections(providers) {
	$('list-error').textContent = '';
	let items;
	try {
		items = (await api('GET', '/connections')).items;
	}
	catch (failure) {
		if (failure.status === 401) {
			showLoggedOut();
			return;
		}
		showError($('list-error'), failure);
		return;
	}
	const body = $('connections').querySelector('tbody');
	body.replaceChildren(...items.map(connectionRow));
	const connected = new Set(items.map((item) => item.service));
	$('providers').replaceChildren(...providers.map((provider) => providerItem(provider, connected.has(provider.id))));
	await loadRequests();
}

// the open credential requests for the user's own accounts, each with a one-click connect
async function loadRequests() {
	let items;
	try {
		items = (await api('GET', '/requests')).items;
	}
	catch (failure) {
		showError($('list-error'), failure);
		return;
	}
	$('requests').replaceChildren(...items.map((request) => {
		const item = document.createElement('li');
		item.dataset.id = request.id;
		item.append(element('span', (request.service || '') + ': ' + (request.processDefinitionKey || '') + ' / '
				+ (request.activityId || ''), 'wanted'),
			element('span', request.description || '', 'description'),
			element('span', request.obtain || '', 'obtain'),
			button('Connect', () => connect(request.service, request.id, request.tenantId)));
		return item;
	}));
	if (items.length === 0) {
		$('requests').append(element('li', 'No process waits on your accounts.'));
	}
}

function connectionRow(item) {
	const row = document.createElement('tr');
	row.dataset.id = item.id;
	row.dataset.provider = item.service || '';
	row.append(element('td', item.service), element('td', item.name), element('td', item.status, 'status'),
		element('td', (item.scopes || []).join(' ')), element('td', time(item.tokenExpiresAt)),
		element('td', time(item.updatedAt)));
	const actions = element('td', null, 'actions');
	if (item.status === 'NEEDS_REAUTHORIZATION' && item.service) {
		actions.append(button('Reconnect', () => connect(item.service)));
	}
	actions.append(button('Disconnect', () => disconnect(item)));
	row.append(actions);
	return row;
}

function providerItem(provider, connected) {
	const item = document.createElement('li');
	item.dataset.provider = provider.id;
	item.append(element('span', provider.name || provider.id, 'provider'),
		element('span', (provider.defaultScopes || []).join(' '), 'scopes'),
		button(connected ? 'Reconnect' : 'Connect', () => connect(provider.id)));
	return item;
}

async function connect(providerId, requestId, tenantId) {
	const error = $('connect-error');
	error.textContent = '';
	try {
		// the answer sets the cookie that binds the flow to this browser
		const start = await api('POST', '/connections/' + encodeURIComponent(providerId) + '/start',
			requestId ? Object.assign({ requestId }, tenantId ? { tenantId } : {}) : {});
		const target = new URL(start.authorizationUrl);
		if (target.protocol !== 'https:' && target.protocol !== 'http:') {
			throw new Error('the authorization URL is not http(s)');
		}
		window.location.assign(target.href);
	}
	catch (failure) {
		showError(error, failure);
	}
}

async function disconnect(item) {
	if (!window.confirm('Disconnect your ' + (item.service || 'account') + ' account? Processes acting for you '
			+ 'will no longer be able to use it.')) {
		return;
	}
	try {
		await api('DELETE', '/connections/' + encodeURIComponent(item.id));
		await load();
	}
	catch (failure) {
		showError($('list-error'), failure);
	}
}

$('reload').addEventListener('click', load);

// with keyflow.rest.oauth2-result-url=/keyflow/me.html the callback sends the browser back here
function showReturnFromProvider() {
	const params = new URLSearchParams(window.location.search);
	const notice = $('notice');
	if (params.get('credentialId')) {
		notice.textContent = 'Account connected.';
	}
	else if (params.get('error')) {
		notice.textContent = 'The connection failed: ' + params.get('error') + '. Try again.';
	}
	notice.hidden = !notice.textContent;
}

showReturnFromProvider();
load();
