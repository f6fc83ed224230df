// Keyflow's credential page. Every call goes to /api/credentials; the API key lives in sessionStorage only.
// Data from the server reaches the DOM through textContent alone.
'use strict';

const API = '/api/credentials';
const KEY_STORAGE = 'keyflow.apiKey';
const PAGE_SIZE = 20;

const state = { offset: 0, hasMore: false, fulfilling: null };

function apiKey() {
	return sessionStorage.getItem(KEY_STORAGE);
}

// credentials 'same-origin' for the OAuth2 start only: its answer sets the browser-binding cookie that the
// callback needs; every other call sends no cookie
async function api(method, path, body, credentials) {
	const key = apiKey();
	return sendJson(API + path, method, key ? { 'Authorization': 'Bearer ' + key } : {}, body, credentials || 'omit');
}

// --- the API key ---

function authenticationFailed(error) {
	if (error.status === 401) {
		$('auth-status').textContent = apiKey() ? 'The API key was refused.' : 'Enter an API key.';
		return true;
	}
	if (error.status === 403) {
		$('auth-status').textContent = 'This API key may not do that: ' + error.message;
		return true;
	}
	return false;
}

$('key-form').addEventListener('submit', (event) => {
	event.preventDefault();
	const key = $('api-key').value.trim();
	$('api-key').value = '';
	if (key) {
		sessionStorage.setItem(KEY_STORAGE, key);
	}
	reloadAll();
});

$('forget-key').addEventListener('click', () => {
	sessionStorage.removeItem(KEY_STORAGE);
	reloadAll();
});

// --- the credential list ---

function credentialRow(item) {
	const row = document.createElement('tr');
	row.dataset.id = item.id;
	const key = element('td');
	key.append(element('span', item.key || '', 'key'), element('span', item.name || '', 'name'));
	if (item.readOnly) {
		key.append(element('span', 'read-only (' + item.source + ')', 'read-only'));
	}
	row.append(key, element('td', item.type), element('td', item.service), element('td', item.principalId),
		statusCell(item), element('td', (item.scopes || []).join(' ')), policyCell(item),
		element('td', time(item.tokenExpiresAt)), element('td', time(item.updatedAt)));
	const actions = element('td', null, 'actions');
	if (item.readOnly) {
		// managed where the store keeps it: the API would refuse a change with 409 READ_ONLY_STORE
		row.append(actions);
		return row;
	}
	if (item.type === 'oauth2') {
		actions.append(button('Refresh', () => act(() => api('POST', '/' + encodeURIComponent(item.id) + '/refresh'))));
	}
	actions.append(button('Delete', () => {
		if (window.confirm('Delete credential ' + (item.key || item.principalId + ' @ ' + item.service) + '?')) {
			act(() => api('DELETE', '/' + encodeURIComponent(item.id)));
		}
	}));
	row.append(actions);
	return row;
}

// flags what a task cannot use as it is: an account to connect again, or a token that expired with no refresh token
function statusCell(item) {
	const cell = element('td', null, 'status');
	cell.append(element('span', item.status));
	if (item.status === 'NEEDS_REAUTHORIZATION') {
		cell.classList.add('attention');
		cell.append(element('span', 'connect the account again', 'flag'));
	}
	else if (item.expired) {
		cell.classList.add('attention');
		cell.append(element('span', 'expired, cannot refresh', 'flag'));
	}
	return cell;
}

function policyCell(item) {
	const cell = element('td', null, 'policy');
	const processes = item.allowedProcesses || [];
	const origins = item.allowedOrigins || [];
	cell.append(element('span', 'processes: ' + (processes.length ? processes.join(' ') : 'any'), 'processes'),
		element('span', 'origins: ' + (origins.length ? origins.join(' ') : 'any'), 'origins'));
	if (item.sealed) {
		cell.append(element('span', 'sealed', 'sealed'));
	}
	return cell;
}

async function act(call) {
	$('list-error').textContent = '';
	try {
		await call();
	}
	catch (error) {
		if (!authenticationFailed(error)) {
			showError($('list-error'), error);
		}
	}
	await loadCredentials();
}

async function loadCredentials() {
	const body = $('credentials').tBodies[0];
	try {
		const status = $('status-filter').value;
		const key = apiKey();
		const page = await api('GET', '?offset=' + state.offset + '&limit=' + PAGE_SIZE
			+ (status ? '&status=' + encodeURIComponent(status) : ''));
		if (key !== apiKey()) {
			// answered for a key this tab no longer uses (entered or forgotten meanwhile): the reload under way shows
			// the list and the status for the key in use, not "key-less requests are let in"
			return;
		}
		$('auth-status').textContent = key ? 'Using the API key of this browser tab.'
			: 'No API key: this server lets key-less requests in (demo only).';
		state.hasMore = page.hasMore;
		body.replaceChildren(...page.items.map(credentialRow));
		if (page.items.length === 0) {
			const empty = element('td', 'No credentials.');
			empty.colSpan = 10;
			const row = element('tr');
			row.append(empty);
			body.append(row);
		}
	}
	catch (error) {
		body.replaceChildren();
		state.hasMore = false;
		if (!authenticationFailed(error)) {
			showError($('list-error'), error);
		}
	}
	$('previous').disabled = state.offset === 0;
	$('next').disabled = !state.hasMore;
	$('page-label').textContent = 'page ' + (state.offset / PAGE_SIZE + 1);
}

$('reload').addEventListener('click', () => loadCredentials());
$('status-filter').addEventListener('change', () => {
	state.offset = 0;
	loadCredentials();
});
$('previous').addEventListener('click', () => {
	state.offset = Math.max(0, state.offset - PAGE_SIZE);
	loadCredentials();
});
$('next').addEventListener('click', () => {
	state.offset += PAGE_SIZE;
	loadCredentials();
});

// --- creating a credential ---

const createForm = $('create-form');

function showSecretFields() {
	const type = createForm.elements.type.value;
	createForm.querySelectorAll('label[data-for]').forEach((label) => {
		label.hidden = label.dataset.for !== type;
	});
}

createForm.elements.type.addEventListener('change', showSecretFields);

// the trimmed, non-empty values of a form's named fields
function formFields(form, names) {
	const body = {};
	names.forEach((name) => {
		const value = form.elements[name].value.trim();
		if (value) {
			body[name] = value;
		}
	});
	return body;
}

// sends a form's body; on success resets the form and reloads the list, else shows the problem and marks its field
function submitForm(form, error, path, body, afterReset) {
	error.textContent = '';
	form.querySelectorAll('[aria-invalid]').forEach((input) => input.removeAttribute('aria-invalid'));
	return api('POST', path, body).then(async () => {
		form.reset();
		if (afterReset) {
			afterReset();
		}
		state.offset = 0;
		await loadCredentials();
	}, (failure) => {
		if (!authenticationFailed(failure)) {
			showError(error, failure);
			const input = failure.field && form.elements[failure.field];
			if (input instanceof HTMLElement) {
				input.setAttribute('aria-invalid', 'true');
			}
		}
	});
}

createForm.addEventListener('submit', (event) => {
	event.preventDefault();
	const type = createForm.elements.type.value;
	const body = Object.assign({ type }, formFields(createForm, ['key', 'name', 'service', 'principalId']
		.concat({ api_key: ['apiKey'], static: ['value'], basic: ['username', 'password'] }[type])));
	Object.assign(body, policyFields(createForm.elements.allowedProcesses.value,
		createForm.elements.allowedOrigins.value, createForm.elements.sealed.checked));
	// fulfilling a request stores the credential and resumes the jobs waiting on it
	const path = state.fulfilling ? '/requests/' + encodeURIComponent(state.fulfilling.id) + '/fulfil' : '';
	submitForm(createForm, $('create-error'), path, body, () => {
		showSecretFields();
		stopFulfilling();
		loadRequests();
	});
});

// --- pasted OAuth2 tokens and client-credentials connections ---

const tokensForm = $('tokens-form');

tokensForm.addEventListener('submit', (event) => {
	event.preventDefault();
	const body = Object.assign({ type: 'oauth2' }, formFields(tokensForm, ['service', 'key', 'principalId', 'accessToken',
		'refreshToken', 'tokenExpiresAt', 'clientId', 'clientSecret']));
	submitForm(tokensForm, $('tokens-error'), '', body);
});

const machineForm = $('machine-form');

machineForm.addEventListener('submit', (event) => {
	event.preventDefault();
	const body = formFields(machineForm, ['providerId', 'key', 'principalId', 'clientId', 'clientSecret']);
	const scopes = machineForm.elements.scopes.value.split(/[\s,]+/).filter((scope) => scope);
	if (scopes.length > 0) {
		body.scopes = scopes;
	}
	submitForm(machineForm, $('machine-error'), '/oauth2/client-credentials', body);
});

// --- credential requests ---

function wanted(item) {
	return item.key || ((item.service || '') + ' of ' + (item.principalId || 'no principal'));
}

function requestRow(item) {
	const row = document.createElement('tr');
	row.dataset.id = item.id;
	const text = element('td', null, 'text');
	text.append(element('span', item.description || '', 'description'), element('span', item.obtain || '', 'obtain'));
	row.append(element('td', wanted(item), 'wanted'), element('td', item.kind, 'kind'),
		element('td', (item.types || []).join(' ')),
		element('td', (item.processDefinitionKey || '') + ' / ' + (item.activityId || '')), text,
		element('td', String((item.jobIds || []).length), 'jobs'), element('td', time(item.createdAt)));
	const actions = element('td', null, 'actions');
	actions.append(button('Fulfil', () => startFulfilling(item)), button('Reject', () => reject(item)));
	row.append(actions);
	return row;
}

async function loadRequests() {
	const body = $('requests').tBodies[0];
	$('requests-error').textContent = '';
	try {
		const page = await api('GET', '/requests?status=OPEN&limit=' + PAGE_SIZE);
		body.replaceChildren(...page.items.map(requestRow));
		if (page.items.length === 0) {
			const empty = element('td', 'No open requests.');
			empty.colSpan = 8;
			const row = element('tr');
			row.append(empty);
			body.append(row);
		}
	}
	catch (error) {
		body.replaceChildren();
		if (error.status !== 401 && error.status !== 403) {
			showError($('requests-error'), error);
		}
	}
}

// the create form, prefilled with what the request asks for; the secret is the editor's to enter
function startFulfilling(item) {
	createForm.reset();
	const types = (item.types || []).filter((type) => ['api_key', 'static', 'basic'].includes(type));
	createForm.elements.type.value = types[0] || 'api_key';
	showSecretFields();
	createForm.elements.key.value = item.key || '';
	createForm.elements.service.value = item.service || '';
	createForm.elements.principalId.value = item.principalId || '';
	state.fulfilling = item;
	$('fulfilling-text').textContent = 'Fulfilling credential request ' + item.id + ' (' + wanted(item) + ').';
	$('fulfilling').hidden = false;
	$('create-error').textContent = '';
	createForm.scrollIntoView();
}

function stopFulfilling() {
	state.fulfilling = null;
	$('fulfilling').hidden = true;
	showSecretFields();
}

async function reject(item) {
	const reason = window.prompt('Why is the request for ' + wanted(item) + ' rejected?');
	if (!reason || !reason.trim()) {
		return;
	}
	try {
		await api('POST', '/requests/' + encodeURIComponent(item.id) + '/reject', { reason: reason.trim() });
	}
	catch (error) {
		if (!authenticationFailed(error)) {
			showError($('requests-error'), error);
			return;
		}
	}
	await loadRequests();
}

// a link from an incident: /keyflow/#requests/<id> opens that request's form
async function openLinkedRequest() {
	const match = /^#requests\/([A-Za-z0-9][A-Za-z0-9_.-]{0,35})$/.exec(window.location.hash);
	if (!match) {
		return;
	}
	try {
		const request = await api('GET', '/requests/' + encodeURIComponent(match[1]));
		if (request.status === 'OPEN') {
			startFulfilling(request);
		}
		else {
			$('notice').textContent = 'Credential request ' + request.id + ' is ' + request.status + '.';
			$('notice').hidden = false;
		}
	}
	catch (error) {
		if (!authenticationFailed(error)) {
			showError($('requests-error'), error);
		}
	}
}

$('reload-requests').addEventListener('click', () => loadRequests());
$('cancel-fulfil').addEventListener('click', () => {
	createForm.reset();
	stopFulfilling();
});

// --- connecting OAuth2 accounts ---

async function connect(provider) {
	const error = $('connect-error');
	error.textContent = '';
	const body = { providerId: provider.id };
	const principal = $('connect-principal').value.trim();
	const key = $('connect-key').value.trim();
	const scopes = $('connect-scopes').value.split(/[\s,]+/).filter((scope) => scope);
	if (principal) {
		body.principalId = principal;
	}
	if (key) {
		body.key = key;
	}
	if (scopes.length > 0) {
		body.scopes = scopes;
	}
	Object.assign(body, policyFields($('connect-processes').value, $('connect-origins').value,
		$('connect-sealed').checked));
	try {
		const start = await api('POST', '/oauth2/start', body, 'same-origin');
		const target = new URL(start.authorizationUrl);
		if (target.protocol !== 'https:' && target.protocol !== 'http:') {
			throw new Error('the authorization URL is not http(s)');
		}
		window.location.assign(target.href);
	}
	catch (failure) {
		if (!authenticationFailed(failure)) {
			showError(error, failure);
		}
	}
}

async function loadProviders() {
	const list = $('providers');
	try {
		const providers = (await api('GET', '/oauth2/providers')).items;
		list.replaceChildren(...providers.map((provider) => {
			const item = element('li');
			item.dataset.provider = provider.id;
			const text = element('span', provider.name || provider.id, 'provider');
			const scopes = element('span', (provider.defaultScopes || []).join(' '), 'scopes');
			item.append(button('Connect', () => connect(provider)), text, scopes);
			return item;
		}));
	}
	catch (error) {
		list.replaceChildren();
	}
}

// --- start ---

function showReturnFromProvider() {
	// with keyflow.rest.oauth2-result-url=/keyflow/ the callback sends the browser back here
	const params = new URLSearchParams(window.location.search);
	const notice = $('notice');
	if (params.get('credentialId')) {
		notice.textContent = 'Account connected: credential ' + params.get('credentialId') + '.';
	}
	else if (params.get('error')) {
		notice.textContent = 'The connection failed: ' + params.get('error') + '.';
	}
	notice.hidden = !notice.textContent;
}

function reloadAll() {
	state.offset = 0;
	$('list-error').textContent = '';
	loadCredentials();
	loadRequests();
	loadProviders();
	openLinkedRequest();
}

showSecretFields();
showReturnFromProvider();
reloadAll();
