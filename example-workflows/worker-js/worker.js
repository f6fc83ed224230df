// Keyflow example: an external-task worker for Node.js (20 or later), with Camunda's official
// camunda-external-task-client-js. It fetches and locks a task of topic keyflow-demo-chat over /engine-rest, exchanges
// it (while it holds the lock) for the credential the task declares, calls the demo chat API with it and completes the
// task with the answer. The credential is used for this one call and never printed or stored.
//
//   KEYFLOW_WORKER_API_KEY=<a Keyflow API key of role worker> node worker.js
//
// Settings (environment):
//   KEYFLOW_URL             the application serving Keyflow's REST API     default http://localhost:8080
//   KEYFLOW_WORKER_API_KEY  a Keyflow API key of role worker                required
//   CAMUNDA_ENGINE_REST     Camunda's REST API                             default $KEYFLOW_URL/engine-rest
//   CAMUNDA_USER, CAMUNDA_PASSWORD  HTTP basic for /engine-rest            default demo / demo (the demo's user)
//   CHAT_API_URL            the chat API the task calls                    default $KEYFLOW_URL/demo-api
//   WORKER_ID               the worker id it fetches and locks with        default keyflow-example-worker-<pid>
//   WORKER_ONCE=true        stop after one task (exit code 0 if it completed it, 1 if not)
import { Client, BasicAuthInterceptor, Variables } from "camunda-external-task-client-js";

const TOPIC = "keyflow-demo-chat";

function setting(name, fallback) {
  const value = process.env[name] || fallback;
  if (!value) {
    console.error(`${name} is not set; see the top of worker.js`);
    process.exit(2);
  }
  return value;
}

const keyflowUrl = setting("KEYFLOW_URL", "http://localhost:8080").replace(/\/$/, "");
const workerApiKey = setting("KEYFLOW_WORKER_API_KEY");
const engineRest = setting("CAMUNDA_ENGINE_REST", `${keyflowUrl}/engine-rest`);
const chatApi = setting("CHAT_API_URL", `${keyflowUrl}/demo-api`).replace(/\/$/, "");
const workerId = setting("WORKER_ID", `keyflow-example-worker-${process.pid}`);
const once = process.env.WORKER_ONCE === "true";

// POST /api/credentials/external-tasks/{id}/credential: answered only while this worker holds the task's lock
async function credentialFor(task) {
  const response = await fetch(
    `${keyflowUrl}/api/credentials/external-tasks/${encodeURIComponent(task.id)}/credential`,
    {
      method: "POST",
      headers: {
        Authorization: `Bearer ${workerApiKey}`,
        "Content-Type": "application/json",
        Accept: "application/json",
      },
      body: JSON.stringify({ workerId }),
    },
  );
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    // problem+json: a stable code (TASK_NOT_LOCKED, LOCK_NOT_OWNED, CREDENTIAL_MISSING, ...) and what to do
    throw new Error(`Keyflow gave no credential: ${response.status} ${body.code ?? ""} ${body.detail ?? ""}`);
  }
  return body;
}

async function askChatApi(credential, question) {
  const response = await fetch(`${chatApi}/v1/chat/completions`, {
    method: "POST",
    headers: { Authorization: credential.authorizationHeader, "Content-Type": "application/json" },
    body: JSON.stringify({ model: "demo-model", messages: [{ role: "user", content: question }] }),
  });
  if (!response.ok) {
    throw new Error(`the chat API answered ${response.status}`);
  }
  return (await response.json()).choices[0].message.content;
}

const client = new Client({
  baseUrl: engineRest,
  workerId,
  maxTasks: 1,
  asyncResponseTimeout: 5000,
  interceptors: new BasicAuthInterceptor({
    username: setting("CAMUNDA_USER", "demo"),
    password: setting("CAMUNDA_PASSWORD", "demo"),
  }),
});

client.subscribe(TOPIC, async ({ task, taskService }) => {
  let completed = false;
  try {
    const credential = await credentialFor(task);
    const question = task.variables.get("question") ?? "What does Keyflow do?";
    const answer = await askChatApi(credential, question);
    await taskService.complete(task, new Variables().set("chatContent", answer));
    completed = true;
    // ids only: never the credential's secret parts
    console.log(`completed task ${task.id} of process instance ${task.processInstanceId} with credential `
      + `${credential.key ?? credential.credentialId}`);
  } catch (error) {
    console.error(`task ${task.id} failed: ${error.message}`);
    await taskService.handleFailure(task, { errorMessage: error.message, retries: 0, retryTimeout: 0 })
      .catch((failure) => console.error(`could not report the failure: ${failure.message}`));
  }
  if (once) {
    client.stop();
    process.exit(completed ? 0 : 1);
  }
});

console.log(`worker ${workerId} polls topic ${TOPIC} at ${engineRest}`);
