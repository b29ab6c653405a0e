// The official `openai` npm client (version pinned in package.json), unmodified, against a running
// `llama3j serve`. Every check compares real values: the client's answers against raw HTTP answers
// of the same server, streamed against blocking, usage against token counts the server reports
// elsewhere (/tokenize, logprobs). Usage: node openai-node-check.mjs http://127.0.0.1:PORT
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import OpenAI from "openai";

const openaiVersion = JSON.parse(readFileSync(new URL("./node_modules/openai/package.json", import.meta.url))).version;

const base = process.argv[2] ?? process.env.LLAMA3J_URL;
if (!base) {
  console.error("usage: node openai-node-check.mjs http://HOST:PORT");
  process.exit(2);
}
// maxRetries 0: a failure must surface, not be retried into a pass.
const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: process.env.LLAMA3J_API_KEY ?? "none",
                            maxRetries: 0, timeout: 120_000 });
const results = [];

async function check(name, fn) {
  const t0 = Date.now();
  await fn();
  results.push(name);
  console.log(`ok   ${name} (${Date.now() - t0} ms)`);
}

async function raw(path, body) {
  const r = await fetch(`${base}${path}`, { method: "POST", headers: { "Content-Type": "application/json" },
                                             body: JSON.stringify(body) });
  assert.equal(r.status, 200, `${path}: ${await r.clone().text()}`);
  return r.json();
}

const hello = [{ role: "system", content: "Be brief." }, { role: "user", content: "Say hello." }];
let model;

await check("models.list names the served model", async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.equal(ids.length, 1, JSON.stringify(ids));
  model = ids[0];
  const direct = await (await fetch(`${base}/v1/models`)).json();
  assert.equal(model, direct.data[0].id);
});

let greedy;
await check("blocking greedy chat equals the raw endpoint's answer; usage adds up", async () => {
  const req = { model, messages: hello, max_tokens: 24, temperature: 0 };
  greedy = await client.chat.completions.create(req);
  const reference = await raw("/v1/chat/completions", req);
  assert.equal(greedy.object, "chat.completion");
  assert.equal(greedy.choices.length, 1);
  assert.equal(greedy.choices[0].message.role, "assistant");
  assert.equal(greedy.choices[0].message.content, reference.choices[0].message.content);
  assert.ok(greedy.choices[0].message.content.length > 0);
  assert.equal(greedy.choices[0].finish_reason, reference.choices[0].finish_reason);
  const u = greedy.usage;
  assert.equal(u.prompt_tokens, reference.usage.prompt_tokens);
  assert.equal(u.completion_tokens, reference.usage.completion_tokens);
  assert.equal(u.total_tokens, u.prompt_tokens + u.completion_tokens);
  if (greedy.choices[0].finish_reason === "length") assert.equal(u.completion_tokens, 24);
  else assert.ok(u.completion_tokens <= 24);
});

await check("logprobs: one entry per completion token, each a log-probability", async () => {
  const r = await client.chat.completions.create({ model, messages: hello, max_tokens: 24, temperature: 0,
                                                   logprobs: true, top_logprobs: 3 });
  assert.equal(r.choices[0].message.content, greedy.choices[0].message.content);
  const entries = r.choices[0].logprobs.content;
  assert.equal(entries.length, r.usage.completion_tokens);
  assert.equal(entries.map((e) => e.token).join(""), r.choices[0].message.content);
  for (const e of entries) {
    assert.ok(e.logprob <= 0, JSON.stringify(e));
    assert.equal(e.top_logprobs.length, 3);
    // greedy: the chosen token is the most likely one
    assert.ok(Math.abs(e.top_logprobs[0].logprob - e.logprob) < 1e-4, JSON.stringify(e));
  }
});

await check("streamed chat (include_usage) concatenates to the blocking text, usage chunk last", async () => {
  const stream = await client.chat.completions.create({ model, messages: hello, max_tokens: 24, temperature: 0,
                                                        stream: true, stream_options: { include_usage: true } });
  let text = "", finish = null, usage = null, chunks = 0, afterUsage = 0;
  for await (const chunk of stream) {
    chunks++;
    assert.equal(chunk.object, "chat.completion.chunk");
    if (usage) afterUsage++;
    if (chunk.usage) {
      usage = chunk.usage;
      assert.equal(chunk.choices.length, 0, "the usage chunk has no choices");
      continue;
    }
    text += chunk.choices[0].delta.content ?? "";
    if (chunk.choices[0].finish_reason) finish = chunk.choices[0].finish_reason;
  }
  assert.equal(text, greedy.choices[0].message.content);
  assert.equal(finish, greedy.choices[0].finish_reason);
  assert.deepEqual({ p: usage.prompt_tokens, c: usage.completion_tokens, t: usage.total_tokens },
                   { p: greedy.usage.prompt_tokens, c: greedy.usage.completion_tokens, t: greedy.usage.total_tokens });
  assert.equal(afterUsage, 0, "nothing after the usage chunk");
  assert.ok(chunks > 2, `streamed in ${chunks} chunks`);
});

await check("seeded sampling: same seed same text, n=2 gives seed and seed+1", async () => {
  const req = { model, messages: hello, max_tokens: 16, temperature: 1, seed: 7 };
  const a = await client.chat.completions.create(req);
  const b = await client.chat.completions.create(req);
  assert.equal(a.choices[0].message.content, b.choices[0].message.content);
  const next = await client.chat.completions.create({ ...req, seed: 8 });
  const two = await client.chat.completions.create({ ...req, n: 2 });
  assert.deepEqual(two.choices.map((c) => c.index), [0, 1]);
  assert.equal(two.choices[0].message.content, a.choices[0].message.content);
  assert.equal(two.choices[1].message.content, next.choices[0].message.content);
  assert.equal(two.usage.completion_tokens, a.usage.completion_tokens + next.usage.completion_tokens);
});

await check("legacy completions: blocking equals streamed; prompt_tokens equals /tokenize with BOS", async () => {
  const prompt = "The capital of France is";
  const blocking = await client.completions.create({ model, prompt, max_tokens: 16, temperature: 0 });
  const stream = await client.completions.create({ model, prompt, max_tokens: 16, temperature: 0, stream: true });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
  assert.equal(blocking.object, "text_completion");
  assert.equal(text, blocking.choices[0].text);
  assert.ok(text.length > 0);
  const tokens = (await raw("/tokenize", { content: prompt, add_special: true })).tokens;
  assert.equal(tokens[0], 128000, "BOS <|begin_of_text|>");
  assert.equal(blocking.usage.prompt_tokens, tokens.length);
  assert.equal(blocking.usage.total_tokens, blocking.usage.prompt_tokens + blocking.usage.completion_tokens);
});

// The get_weather tool and the schema that forces a call of it (as ToolConversationTest does: a
// random model would not call a tool by itself).
const tools = [{ type: "function", function: { name: "get_weather", description: "Weather",
  parameters: { type: "object", properties: { city: { type: "string" } } } } }];
const callSchema = { type: "object", additionalProperties: false, required: ["name", "parameters"],
  properties: { name: { const: "get_weather" }, parameters: { type: "object", additionalProperties: false,
    required: ["city"], properties: { city: { enum: ["Paris"] } } } } };

await check("tool calling round trip: forced call -> tool_calls, tool result -> answer", async () => {
  const messages = [{ role: "user", content: "Weather in Paris?" }];
  const first = await client.chat.completions.create({ model, messages, tools, max_tokens: 200, seed: 2,
    response_format: { type: "json_schema", json_schema: { name: "call", schema: callSchema } } });
  const msg = first.choices[0].message;
  assert.equal(first.choices[0].finish_reason, "tool_calls", JSON.stringify(first));
  assert.equal(msg.content, null);
  assert.equal(msg.tool_calls.length, 1);
  const call = msg.tool_calls[0];
  assert.equal(call.type, "function");
  assert.equal(call.function.name, "get_weather");
  assert.deepEqual(JSON.parse(call.function.arguments), { city: "Paris" });
  assert.ok(call.id.length > 0);

  messages.push(msg, { role: "tool", tool_call_id: call.id, content: "21 C and sunny" });
  const second = await client.chat.completions.create({ model, messages, tools, max_tokens: 12, temperature: 0 });
  // The tool turn is in the prompt: longer than the first prompt by the call and its result.
  assert.ok(second.usage.prompt_tokens > first.usage.prompt_tokens + 10,
            `${second.usage.prompt_tokens} vs ${first.usage.prompt_tokens}`);
  // ... and the shared prefix (tool instructions + question) came from the slot cache.
  assert.ok(second.usage.prompt_tokens_details.cached_tokens >= first.usage.prompt_tokens - 1,
            JSON.stringify(second.usage));
  assert.ok(["stop", "length", "tool_calls"].includes(second.choices[0].finish_reason));
});

await check("json_schema response parses and validates", async () => {
  const schema = { type: "object", additionalProperties: false, required: ["colour", "round", "sizes"],
    properties: { colour: { enum: ["red", "green", "blue"] }, round: { type: "boolean" },
                  sizes: { type: "array", minItems: 1, maxItems: 3, items: { enum: ["S", "M", "L"] } } } };
  for (const seed of [1, 2, 3]) {
    const r = await client.chat.completions.create({ model, max_tokens: 120, seed, temperature: 1,
      messages: [{ role: "user", content: "Describe a ball as JSON." }],
      response_format: { type: "json_schema", json_schema: { name: "ball", schema, strict: true } } });
    assert.equal(r.choices[0].finish_reason, "stop", JSON.stringify(r));
    const v = JSON.parse(r.choices[0].message.content);
    assert.deepEqual(Object.keys(v).sort(), ["colour", "round", "sizes"]);
    assert.ok(["red", "green", "blue"].includes(v.colour), JSON.stringify(v));
    assert.equal(typeof v.round, "boolean");
    assert.ok(Array.isArray(v.sizes) && v.sizes.length >= 1 && v.sizes.length <= 3, JSON.stringify(v));
    assert.ok(v.sizes.every((s) => ["S", "M", "L"].includes(s)), JSON.stringify(v));
  }
});

await check("errors surface as the client's APIError subclasses with OpenAI's fields", async () => {
  await assert.rejects(client.chat.completions.create({ model: "no-such-model", messages: hello }), (e) => {
    assert.ok(e instanceof OpenAI.APIError, String(e));
    assert.ok(e instanceof OpenAI.NotFoundError);
    assert.equal(e.status, 404);
    assert.equal(e.code, "model_not_found");
    assert.equal(e.type, "invalid_request_error");
    return true;
  });
  await assert.rejects(client.chat.completions.create({ model, messages: hello, max_tokens: -1 }), (e) => {
    assert.ok(e instanceof OpenAI.BadRequestError, String(e));
    assert.equal(e.status, 400);
    assert.equal(e.param, "max_tokens");
    return true;
  });
});

console.log(`openai-node-check: ${results.length} checks passed (openai ${openaiVersion}, ${base})`);
