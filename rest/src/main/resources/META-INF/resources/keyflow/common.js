// What Keyflow's two pages share: the DOM helpers (server data reaches the DOM through textContent alone), the
// problem+json error and the call that sends JSON and reads the answer.
'use strict';

const $ = (id) => document.getElementById(id);

class ApiError extends Error {
	constructor(status, problem) {
		super(problem.detail || problem.title || ('HTTP ' + status));
		this.status = status;
		this.field = problem.field;
	}
}

// sends a JSON body (if any) with the given headers and cookie mode; a 204 is null, a 4xx/5xx an ApiError
async function sendJson(url, method, headers, body, credentials) {
	const all = Object.assign({ 'Accept': 'application/json, application/problem+json' }, headers);
	if (body !== undefined) {
		all['Content-Type'] = 'application/json';
	}
	const response = await fetch(url, {
		method, headers: all, body: body === undefined ? undefined : JSON.stringify(body),
		credentials, cache: 'no-store', redirect: 'error'
	});
	if (response.status === 204) {
		return null;
	}
	const json = await response.json().catch(() => ({}));
	if (!response.ok) {
		throw new ApiError(response.status, json);
	}
	return json;
}

function element(tag, text, className) {
	const node = document.createElement(tag);
	if (text !== undefined && text !== null) {
		node.textContent = String(text);
	}
	if (className) {
		node.className = className;
	}
	return node;
}

function button(label, action) {
	const node = element('button', label);
	node.type = 'button';
	node.addEventListener('click', action);
	return node;
}

function showError(target, error) {
	target.textContent = error.field ? error.field + ': ' + error.message : error.message;
}

function time(value) {
	return value ? new Date(value).toLocaleString() : '';
}

// the usage policy a form names, to merge into a request body; nothing when the form names none (an empty policy
// keeps a replaced credential's own)
function policyFields(processesText, originsText, sealed) {
	const list = (text) => text.split(/[\s,]+/).filter((entry) => entry);
	const allowedProcesses = list(processesText);
	const allowedOrigins = list(originsText);
	if (!allowedProcesses.length && !allowedOrigins.length && !sealed) {
		return {};
	}
	return { allowedProcesses, allowedOrigins, sealed };
}
