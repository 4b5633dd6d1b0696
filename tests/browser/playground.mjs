// What a learner does on the playground page, in Debian's chromium driven by playwright-core (no browser download).
// The C# test (tests/Walkthrough.Tests/Play/PlaygroundInABrowserTests.cs) starts the server, runs this script and
// compares what the page showed (results.json) with the CLI's `tokens` and `next` on the same model.
//
//   node playground.mjs --url http://127.0.0.1:PORT/ --out DIR --prompt "..." [--chromium /usr/bin/chromium]
import { chromium } from "playwright-core";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const base = new URL(args.url);
const out = args.out;
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: args.chromium ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const results = { offsite: [], consoleErrors: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(20000);
  // The too-long prompt at the end is refused with a 400 on purpose; the browser logs that refusal, nothing else may be.
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 400/.test(message.text())) results.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => results.consoleErrors.push(String(error)));
  // The page must need nothing from anywhere but its own server: anything else is recorded and refused.
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin === base.origin || url.protocol === "data:") return route.continue();
    results.offsite.push(url.href);
    return route.abort();
  });

  await page.goto(base.href);
  await page.waitForSelector("#chips .chip");

  // Type the prompt as a learner would, key by key, and wait for the model's candidates for it.
  const prompt = page.locator("#prompt");
  await prompt.fill("");
  await prompt.pressSequentially(args.prompt, { delay: 15 });
  const ids = async () => page.$$eval("#chips .chip:not(.gen)", (chips) => chips.map((c) => c.dataset.ids).join(" "));
  const candidates = async () => page.$$eval("#candidates .cand:not(.head)", (rows) => rows.map((r) => ({
    id: Number(r.dataset.id), p: Number(r.dataset.p), logit: Number(r.dataset.logit), cut: r.dataset.cut, disabled: r.disabled,
    text: r.querySelector(".token").textContent,
  })));
  const settled = async () => page.waitForFunction(() => {
    const rows = document.querySelectorAll("#candidates .cand:not(.head)");
    return rows.length > 0 && [...rows].every((r) => !r.disabled) && !document.querySelector("#step").disabled;
  });
  const typedLength = await page.$eval("#prompt", (p) => p.value.length);
  await page.waitForFunction((n) => {
    const chips = [...document.querySelectorAll("#chips .chip:not(.gen)")];
    return chips.length > 0 && document.querySelector("#counts").textContent.includes("prompt tokens") && n > 0;
  }, typedLength);
  await settled();
  await page.waitForTimeout(600); // the prompt is read (prefill) once typing pauses
  await settled();
  results.chips = await page.$$eval("#chips .chip:not(.gen)", (chips) => chips.map((c) => ({ ids: c.dataset.ids, tokens: c.dataset.tokens, text: c.textContent })));
  results.chipIds = (await ids()).split(" ").map(Number);
  results.hover = await page.$eval("#chips .chip:not(.special)", (chip) => chip.title);
  results.greedy = await candidates();
  await page.screenshot({ path: join(out, "typed.png") });

  // Temperature: the bars follow the slider at once, computed in the page from the step's logits.
  const requestsBefore = await page.evaluate(() => performance.getEntriesByType("resource").length);
  await page.locator("#temperature").fill("0.7");
  results.t07 = await candidates();
  await page.locator("#temperature").fill("1.5");
  results.t15 = await candidates();
  results.sliderRequests = (await page.evaluate(() => performance.getEntriesByType("resource").length)) - requestsBefore;

  // Top-k 3 at temperature 0.7: rows past the third are greyed, and say why.
  await page.locator("#temperature").fill("0.7");
  await page.locator("#top-k").fill("3");
  results.topK3 = await candidates();
  results.summary = await page.textContent("#summary");
  await page.screenshot({ path: join(out, "sliders.png") });

  // Step (sampled: the seed is shown and moves on), then force the second candidate, then undo it.
  await page.locator("#seed").fill("7");
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("s");
  await page.waitForSelector("#chips .chip.gen");
  await settled();
  results.sampled = await page.$eval("#chips .chip.gen:last-child", (c) => ({ id: Number(c.dataset.ids), title: c.title }));
  results.seedAfter = Number(await page.inputValue("#seed"));
  results.log = await page.textContent("#log");
  results.beforeForce = await candidates();
  await page.locator("#candidates .cand:not(.head)").nth(1).click();
  await page.waitForFunction(() => document.querySelectorAll("#chips .chip.gen").length === 2);
  await settled();
  results.forced = await page.$eval("#chips .chip.gen:last-child", (c) => Number(c.dataset.ids));
  await page.keyboard.press("u");
  await page.waitForFunction(() => document.querySelectorAll("#chips .chip.gen").length === 1);
  await settled();
  results.afterUndo = await candidates();

  // Back to the prompt, then generate greedily: the tokens stream in, coloured by their probability.
  await page.keyboard.press("u");
  await page.waitForFunction(() => document.querySelectorAll("#chips .chip.gen").length === 0);
  await settled();
  await page.locator("#top-k").fill("0");
  await page.locator("#temperature").fill("0");
  await page.locator("#count").fill(String(args.tokens ?? 12));
  await page.evaluate(() => {
    window.__chipCounts = [];
    new MutationObserver(() => window.__chipCounts.push(document.querySelectorAll("#chips .chip.gen").length))
      .observe(document.querySelector("#chips"), { childList: true });
  });
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("g");
  await page.waitForFunction(() => /Generation stopped/.test(document.querySelector("#summary").textContent));
  await settled();
  results.generated = await page.$$eval("#chips .chip.gen", (chips) => chips.map((c) => ({ id: Number(c.dataset.ids), p: Number(c.dataset.p), className: c.className })));
  results.chipCounts = await page.evaluate(() => [...new Set(window.__chipCounts)]);
  results.generatedSummary = await page.textContent("#summary");
  await page.locator("#show-ids").check();
  await page.screenshot({ path: join(out, "generated.png") });

  // Bad input gets a clear message on the page: a prompt far beyond the context.
  await prompt.fill("word ".repeat(600));
  await page.waitForSelector("#message:not([hidden])");
  results.tooLong = await page.textContent("#message-text");
  await page.screenshot({ path: join(out, "too-long.png") });
} finally {
  writeFileSync(join(out, "results.json"), JSON.stringify(results, null, 2));
  await browser.close();
}
