// The chat page at `/` end to end in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser download). Two greedy turns whose streamed answers must equal the raw
// API's answers for the same conversation, a sampling setting that reaches the request, the stop
// button cancelling a long answer on the server, and a screenshot.
// Usage: node chat-page-check.mjs http://127.0.0.1:PORT [SCREENSHOT_DIR]
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.argv[2] ?? process.env.LLAMA3J_URL;
if (!base) {
  console.error("usage: node chat-page-check.mjs http://HOST:PORT [SCREENSHOT_DIR]");
  process.exit(2);
}
const shots = process.argv[3] ?? mkdtempSync(join(tmpdir(), "llama3j-chat-page-"));
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

async function api(path, body) {
  const r = await fetch(`${base}${path}`, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  assert.equal(r.status, 200, path);
  return path === "/metrics" ? r.text() : r.json();
}

async function metric(name) {
  const line = (await api("/metrics")).split("\n").find((l) => l.startsWith(name + " "));
  return Number(line.split(" ")[1]);
}

const browser = await chromium.launch({ executablePath, headless: true,
                                        args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  page.setDefaultTimeout(120_000);
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  const requests = [];
  page.on("request", (r) => { if (r.url().endsWith("/v1/chat/completions")) requests.push(r.postDataJSON()); });

  await page.goto(base + "/");
  const model = (await api("/v1/models")).data[0].id;
  await page.waitForFunction((m) => document.getElementById("model").textContent === m, model);
  console.log(`ok   page loaded, model ${model}`);

  // Greedy and short, so the answers can be compared with the raw API's.
  await page.fill("#temperature", "0");
  await page.fill("#max", "24");

  /** Sends a message; returns the answer bubble's text and how many different partial texts were seen. */
  // Partial texts are recorded inside the page by a MutationObserver: each `textContent +=` replaces
  // the bubble's text node, so every added node is one partial text even when a single network read
  // delivers several deltas (polling from here missed them when a tiny model answered in a few ms).
  async function turn(text, n) {
    await page.evaluate(() => {
      window.__partials = new Set();
      window.__observer?.disconnect();
      window.__observer = new MutationObserver((records) => {
        for (const r of records) {
          if (!(r.target instanceof Element) || !r.target.classList.contains("assistant")) continue;
          for (const node of r.addedNodes) if (node.textContent) window.__partials.add(node.textContent);
        }
      });
      window.__observer.observe(document.getElementById("log"), { childList: true, subtree: true });
    });
    await page.fill("#input", text);
    await page.press("#input", "Enter");
    const bubble = page.locator(".msg.assistant").nth(n);
    await page.waitForFunction(() => !document.getElementById("send").disabled, null, { timeout: 120_000 });
    const partials = await page.evaluate(() => window.__partials.size);
    return { answer: await bubble.textContent(), partials, stats: await page.textContent("#stats") };
  }

  const conversation = [{ role: "user", content: "Hello there" }];
  const first = await turn("Hello there", 0);
  let reference = await api("/v1/chat/completions", { model, messages: conversation, max_tokens: 24, temperature: 0 });
  assert.equal(first.answer, reference.choices[0].message.content);
  assert.ok(first.partials >= 2, `streamed: saw ${first.partials} partial texts`);
  assert.match(first.stats, new RegExp(`^${reference.usage.completion_tokens} tokens, first after \\d+ ms`));
  console.log(`ok   turn 1 streamed (${first.partials} partial texts) and equals the API's greedy answer`);

  conversation.push({ role: "assistant", content: first.answer }, { role: "user", content: "Tell me more" });
  const second = await turn("Tell me more", 1);
  assert.deepEqual(requests[1].messages, conversation, "the page sends the whole conversation");
  reference = await api("/v1/chat/completions", { model, messages: conversation, max_tokens: 24, temperature: 0 });
  assert.equal(second.answer, reference.choices[0].message.content);
  assert.match(second.stats, new RegExp(`^${reference.usage.completion_tokens} tokens`));
  console.log(`ok   turn 2 multi-turn (${second.partials} partial texts) equals the API's answer`);

  // A sampling setting reaches the request; the stop button cancels a long answer.
  await page.fill("#temperature", "1.3");
  await page.fill("#max", "1500");
  const cancelledBefore = await metric("llama3j_sequences_cancelled_total");
  await page.fill("#input", "Write a long story");
  await page.press("#input", "Enter");
  const third = page.locator(".msg.assistant").nth(2);
  await page.waitForFunction(() => document.querySelectorAll(".msg.assistant")[2].textContent.length > 10);
  assert.ok(!(await page.locator("#stop").isDisabled()), "stop is enabled while streaming");
  await page.click("#stop");
  await page.waitForFunction(() => !document.getElementById("send").disabled, null, { timeout: 10_000 });
  assert.equal(requests[2].temperature, 1.3);
  assert.equal(requests[2].max_tokens, 1500);
  assert.match(await page.textContent("#stats"), /^stopped/);
  assert.ok(await page.locator("#stop").isDisabled());
  const kept = await third.textContent();
  assert.ok(kept.length > 10, "the partial answer stays");
  let cancelled = cancelledBefore;
  for (const deadline = Date.now() + 20_000; cancelled === cancelledBefore && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 100));
    cancelled = await metric("llama3j_sequences_cancelled_total");
  }
  assert.equal(cancelled, cancelledBefore + 1, "the server cancelled the stopped sequence");
  assert.equal(await metric("llama3j_active_sequences"), 0, "no slot stays busy");
  console.log(`ok   temperature 1.3 sent; stop kept ${kept.length} characters and the server cancelled the sequence`);

  const shot = join(shots, "chat-page.png");
  await page.screenshot({ path: shot, fullPage: true });
  assert.deepEqual(pageErrors, []);
  console.log(`chat-page-check: passed; screenshot ${shot}`);
} finally {
  await browser.close();
}
