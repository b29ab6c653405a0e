// Drives the chat page of a running `llama3j serve` in headless Chromium: two turns, then a screenshot.
// Usage (from a folder where `npm install puppeteer-core` was run, with this file copied there):
//   LLAMA3J_URL=http://127.0.0.1:8080 node chat-page-check.mjs
import puppeteer from "puppeteer-core";
const b = await puppeteer.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const p = await b.newPage();
await p.setViewport({ width: 900, height: 600 });
await p.goto((process.env.LLAMA3J_URL ?? "http://127.0.0.1:8080") + "/");
await p.waitForFunction(() => document.getElementById("model").textContent.length > 0);
await p.type("#input", "Hello, who are you?");
await p.keyboard.press("Enter");
try { await p.waitForFunction(() => document.getElementById("stats").textContent.includes("tokens"), { timeout: 20000 }); } catch (e) { await p.screenshot({ path: "chat-failed.png" }); console.log("failed", await p.evaluate(() => document.body.innerText.slice(0, 500))); process.exit(1); }
await p.type("#input", "And a second turn");
await p.keyboard.press("Enter");
await p.waitForFunction(() => document.querySelectorAll(".assistant").length == 2 && !document.getElementById("send").disabled, { timeout: 60000 });
await p.screenshot({ path: process.env.SCREENSHOT ?? "chat.png" });
console.log(await p.evaluate(() => document.getElementById("stats").textContent));
await b.close();
