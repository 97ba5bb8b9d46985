// Lighthouse on a list of pages, for tests/e2e/test_audits.py: one Chromium for every run (a launch
// per run would cost more than the audit), runs one after another (parallel runs skew the timings).
//
//   node tests/audit/lighthouse.mjs RUNS URL...   (CHROME_PATH: the browser; CHROME_FLAGS: its flags)
//
// Prints one JSON object: {"calibration": {...}, "runs": [{"url", "formFactor", "scores": {category: 0..100},
// "failing": [...], "benchmarkIndex"}]}.
//
// The mobile runs emulate the same phone whatever machine runs them. Lighthouse's 4x CPU slowdown
// assumes a high-end desktop host (benchmark index 1,500-2,000) and turns it into a mid-tier phone
// (about 450); on a slower host, 4x emulates a much slower phone than that. As Lighthouse's
// throttling guide asks (docs/throttling.md, "Calibrating the CPU slowdown"), a first run, not
// scored, measures the host's benchmark index, and the slowdown is that index over the phone's,
// between 1x and 4x. A run during which the host measured under 3/4 of that index (another process
// took the CPU) measured the neighbour, not the page: it is run again, once.
// Nothing outside the page's own server is fetched: the browser's background networking is off, and
// Lighthouse loads no third-party resources of its own.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import * as constants from "lighthouse/core/config/constants.js";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const defaultThrottling = constants.throttling.mobileSlow4G;

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
const PHONE_BENCHMARK_INDEX = 450;
const configFor = (formFactor, cpuSlowdownMultiplier) =>
  formFactor === "mobile"
    ? { extends: "lighthouse:default", settings: { ...settings, throttling: { ...defaultThrottling, cpuSlowdownMultiplier } } }
    : { ...desktopConfig, settings: { ...desktopConfig.settings, ...settings } };

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: (process.env.CHROME_FLAGS || "--headless=new --no-sandbox --disable-gpu").split(/\s+/),
});
const results = [];
let calibration;
try {
  // Not scored: Chromium's first page load (caches, fonts, code) and the host's benchmark index.
  const first = await lighthouse(urls[0], { port: chrome.port }, configFor("mobile", 4));
  const hostIndex = first.lhr.environment.benchmarkIndex;
  const multiplier = Math.round(Math.min(4, Math.max(1, hostIndex / PHONE_BENCHMARK_INDEX)) * 10) / 10;
  calibration = { hostBenchmarkIndex: hostIndex, phoneBenchmarkIndex: PHONE_BENCHMARK_INDEX, cpuSlowdownMultiplier: multiplier };
  const audit = async (url, config) => {
    let { lhr } = await lighthouse(url, { port: chrome.port }, config);
    // A trace Chromium failed to record (NO_NAVSTART, rarely, on a busy machine), or a host busy
    // with something else during the run, is not a score: again, once.
    const busy = (result) => result.environment.benchmarkIndex < 0.75 * hostIndex;
    if (lhr.runtimeError || busy(lhr)) ({ lhr } = await lighthouse(url, { port: chrome.port }, config));
    return lhr;
  };
  for (const url of urls) {
    for (const formFactor of ["mobile", "desktop"]) {
      const config = configFor(formFactor, multiplier);
      for (let run = 0; run < runs; run += 1) {
        const started = Date.now();
        const lhr = await audit(url, config);
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
        const benchmarkIndex = lhr.environment.benchmarkIndex;
        results.push({ url, formFactor, run, scores, failing, benchmarkIndex, seconds: (Date.now() - started) / 1000 });
      }
    }
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify({ calibration, runs: results }));
