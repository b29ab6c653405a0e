// Checks a running `llama3j serve` with the official `openai` npm client (no changes to the client).
// Usage (from a folder where `npm install openai` was run, with this file copied there):
//   LLAMA3J_URL=http://127.0.0.1:8080 LLAMA3J_MODEL=name node openai-node-check.mjs
// Exits non-zero on the first mismatch.
import OpenAI from "openai";

const base = (process.env.LLAMA3J_URL ?? "http://127.0.0.1:8080") + "/v1";
const model = process.env.LLAMA3J_MODEL ?? "model";
const client = new OpenAI({ baseURL: base, apiKey: process.env.LLAMA3J_API_KEY ?? "none" });

function check(ok, what) {
  if (!ok) {
    console.error("FAIL: " + what);
    process.exit(1);
  }
  console.log("ok: " + what);
}

const models = await client.models.list();
check(models.data.some((m) => m.id === model), "models.list has " + model);

const req = { model, messages: [{ role: "user", content: "Hello from node" }], temperature: 0, max_tokens: 8, seed: 1 };
const whole = await client.chat.completions.create(req);
check(whole.choices.length === 1 && typeof whole.choices[0].message.content === "string", "chat.completions.create");
check(whole.usage.completion_tokens <= 8 && whole.usage.prompt_tokens > 0, "usage");

const stream = await client.chat.completions.create({ ...req, stream: true, stream_options: { include_usage: true } });
let text = "";
let usage = null;
for await (const chunk of stream) {
  if (chunk.choices.length > 0) text += chunk.choices[0].delta.content ?? "";
  if (chunk.usage) usage = chunk.usage;
}
check(text === whole.choices[0].message.content, "streamed text equals the blocking answer");
check(usage && usage.completion_tokens === whole.usage.completion_tokens, "stream usage");

const legacy = await client.completions.create({ model, prompt: "Once", max_tokens: 4, temperature: 0 });
check(typeof legacy.choices[0].text === "string", "completions.create");

try {
  await client.chat.completions.create({ ...req, model: "no-such-model" });
  check(false, "unknown model must fail");
} catch (e) {
  check(e.status === 404 && e.code === "model_not_found", "unknown model is a 404 APIError (" + e.message + ")");
}
console.log("all checks passed");
