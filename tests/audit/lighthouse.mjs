// Lighthouse on a list of pages, for tests/e2e/test_audits.py: one Chromium for every run (a launch
// per run would cost more than the audit), runs one after another (parallel runs skew the timings).
//
//   node tests/audit/lighthouse.mjs RUNS URL...   (CHROME_PATH: the browser; CHROME_FLAGS: its flags)
//
// Prints one JSON object: {"runs": [{"url", "formFactor", "scores": {category: 0..100}, "failing": [...]}]}.
// Nothing outside the page's own server is fetched: the browser's background networking is off, and
// Lighthouse loads no third-party resources of its own.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const [runsArgument, ...urls] = process.argv.slice(2);
const runs = Number(runsArgument);
const categories = ["performance", "accessibility", "best-practices", "seo"];
// The default pauses wait a second at each step; the simulated throttling needs only the trace.
const settings = {
  onlyCategories: categories,
  throttlingMethod: "simulate",
  disableFullPageScreenshot: true,
  pauseAfterFcpMs: 250,
  pauseAfterLoadMs: 250,
  networkQuietThresholdMs: 500,
  cpuQuietThresholdMs: 500,
  output: "json",
  logLevel: "error",
};
const configs = {
  mobile: { extends: "lighthouse:default", settings },
  desktop: { ...desktopConfig, settings: { ...desktopConfig.settings, ...settings } },
};

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: (process.env.CHROME_FLAGS || "--headless=new --no-sandbox --disable-gpu").split(/\s+/),
});
const results = [];
try {
  for (const url of urls) {
    for (const [formFactor, config] of Object.entries(configs)) {
      for (let run = 0; run < runs; run += 1) {
        const started = Date.now();
        let { lhr } = await lighthouse(url, { port: chrome.port }, config);
        // A trace Chromium failed to record (NO_NAVSTART, rarely, on a busy machine) is not a score: again, once.
        if (lhr.runtimeError) ({ lhr } = await lighthouse(url, { port: chrome.port }, config));
        const scores = {};
        for (const name of categories) scores[name] = Math.round((lhr.categories[name]?.score ?? 0) * 100);
        const failing = [];
        for (const name of categories) {
          for (const ref of lhr.categories[name]?.auditRefs ?? []) {
            const audit = lhr.audits[ref.id];
            if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
              failing.push(`${name}: ${ref.id} ${audit.score} ${audit.displayValue ?? ""}`.trim());
            }
          }
        }
        if (lhr.runtimeError) failing.push(`runtime error: ${lhr.runtimeError.message}`);
        results.push({ url, formFactor, run, scores, failing, seconds: (Date.now() - started) / 1000 });
      }
    }
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify({ runs: results }));
