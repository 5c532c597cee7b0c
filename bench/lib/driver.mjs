// bench/lib/driver.mjs: the measurements of bench/run, one subcommand each;
// every subcommand writes one JSON file into $RESULTS.
//
//   node driver.mjs machine            machine.json: CPU, memory, load, versions
//   node driver.mjs reads              reads.json: the same reads by ddtree, curl,
//                                      the JavaScript SDK and the AWS CLI, interleaved
//   node driver.mjs first-screen LABEL USER
//                                      first-screen-LABEL.json: time to the first
//                                      page of USER's threads in the browser
//   node driver.mjs memory             memory.json: peak RSS of the browser after
//                                      paging through 20,000 and 100,000 threads
//
// Environment: ENDPOINT, DDTREE (the binary), PREFIX (table prefix), RESULTS,
// WORK (scratch directory), ROUNDS (5), SCAN_ROUNDS (3: the big Scan),
// FS_SLOW_ROUNDS (1: scripted first screens that wait for full-table Scans),
// FS_PTY_REPS (3: first screens under a pty per round),
// SCALE (1 = the full data set), AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const here = path.dirname(new URL(import.meta.url).pathname);
const env = process.env;
const E = env.ENDPOINT;
const D = env.DDTREE;
const PREFIX = env.PREFIX ?? "bench-";
const RESULTS = env.RESULTS;
const WORK = env.WORK;
const ROUNDS = Number(env.ROUNDS || 5);
const SCAN_ROUNDS = Number(env.SCAN_ROUNDS || 3);
const FS_SLOW_ROUNDS = Number(env.FS_SLOW_ROUNDS || 1);
const SCALE = Number(env.SCALE || 1);
const scaled = (n) => Math.max(1, Math.round(n * SCALE));
const T = { chainlit: `${PREFIX}chainlit`, docs: `${PREFIX}stache-documents`, ns: `${PREFIX}stache-namespaces` };
const BIG = "bench-20k@example.com";
const HEAVY = [1, 2, 3, 4].map((k) => `bench-heavy-${k}@example.com`);
const DOCS_NS = "bench/docs";
const PAGE = 50; // the browser's thread page (model/chainlit.c THREADS_PAGE)

for (const [k, v] of Object.entries({ ENDPOINT: E, DDTREE: D, RESULTS, WORK }))
  if (!v) throw new Error(`${k} is not set`);
fs.mkdirSync(RESULTS, { recursive: true });
fs.mkdirSync(WORK, { recursive: true });

const log = (...a) => console.error("bench:", ...a);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : null;
};
const round1 = (x) => (x == null ? null : Math.round(x * 10) / 10);
const sh = (cmd, args = []) => {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
};
const sleepMs = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

// Run one command under /usr/bin/time (peak RSS); stdout to a file.
function run(cmd, args, { stdout = "/dev/null", extraEnv = {}, allowFail = false } = {}) {
  const rssFile = path.join(WORK, "rss.txt");
  const errFile = path.join(WORK, "stderr.txt");
  const outFd = fs.openSync(stdout, "w");
  const errFd = fs.openSync(errFile, "w");
  const t0 = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", "-o", rssFile, cmd, ...args], {
    stdio: ["ignore", outFd, errFd],
    env: { ...env, ...extraEnv },
    maxBuffer: 1 << 20,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.closeSync(outFd);
  fs.closeSync(errFd);
  const rssLines = fs.existsSync(rssFile) ? fs.readFileSync(rssFile, "utf8").trim().split("\n") : [];
  const rss_kb = Number(rssLines[rssLines.length - 1]) || null;
  const stderr = fs.readFileSync(errFile, "utf8");
  if (r.status !== 0 && !allowFail)
    throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status ?? r.signal}: ${stderr.slice(-800)}`);
  return { ms, rss_kb, stderr, status: r.status };
}

function write(name, obj) {
  const f = path.join(RESULTS, name);
  fs.writeFileSync(f, JSON.stringify(obj, null, 2) + "\n");
  log(`wrote ${f}`);
}

// ---- the tools ------------------------------------------------------------------------

const ddArgs = ["--endpoint-url", E, "--chainlit-table", T.chainlit, "--namespace-table", T.ns,
  "--documents-table", T.docs];
const tool = {
  ddtree: (...a) => ({ cmd: D, args: [...ddArgs, ...a], show: `ddtree --endpoint-url $E ${a.join(" ")}` }),
  curl: (...a) => ({ cmd: path.join(here, "curl-read.sh"), args: a, show: `bench/lib/curl-read.sh ${a.join(" ")}` }),
  sdk: (...a) => ({ cmd: "node", args: [path.join(here, "sdk-read.mjs"), ...a], show: `node bench/lib/sdk-read.mjs ${a.join(" ")}` }),
  aws: (...a) => ({
    cmd: "aws", args: ["--region", "us-east-1", "--endpoint-url", E, "--output", "json", "dynamodb", ...a],
    show: `aws --region us-east-1 --endpoint-url $E --output json dynamodb ${a.map((x) => (/[\s"{#]/.test(x) ? `'${x}'` : x)).join(" ")}`,
  }),
};
const awsQuery = (table, index, attr, value) => [
  "query", "--table-name", table, "--index-name", index, "--key-condition-expression", "#pk = :pk",
  "--expression-attribute-names", JSON.stringify({ "#pk": attr }),
  "--expression-attribute-values", JSON.stringify({ ":pk": { S: value } }),
  "--no-scan-index-forward", "--page-size", "1000",
];

// How many items a tool's output holds (checked once per tool and read).
function countItems(kind, outFile, res) {
  if (kind === "lines") {
    const buf = fs.readFileSync(outFile);
    let n = 0;
    for (let i = 0; i < buf.length; i++) if (buf[i] === 10) n++;
    return n;
  }
  if (kind === "summary") {
    const m = /items (\d+)/.exec(fs.readFileSync(outFile, "utf8"));
    return m ? Number(m[1]) : null;
  }
  if (kind === "awsjson") {
    // the CLI merges the pages: ..."Items": [...], "Count": N, "ScannedCount": N ... at the end
    const fd = fs.openSync(outFile, "r");
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, 4096);
    const b = Buffer.alloc(len);
    fs.readSync(fd, b, 0, len, size - len);
    fs.closeSync(fd);
    const m = /"Count":\s*(\d+)/.exec(b.toString("utf8"));
    return m ? Number(m[1]) : null;
  }
  return null;
}

function scanRead(id, table, rounds) {
  return {
    id, title: `full Scan of ${table}`, rounds,
    tools: {
      ddtree: { ...tool.ddtree("export", table), count: "lines" },
      "ddtree --segments 2": { ...tool.ddtree("export", table, "--segments", "2"), count: "lines" },
      "ddtree --segments 4": { ...tool.ddtree("export", table, "--segments", "4"), count: "lines" },
      curl: { ...tool.curl("scan", table, "1000"), count: "summary" },
      sdk: { ...tool.sdk("scan", table, "1000"), count: "lines" },
      awscli: { ...tool.aws("scan", "--table-name", table, "--page-size", "1000"), count: "awsjson" },
    },
  };
}

function readsPlan() {
  return [
    {
      // what the targets are judged on for this read: the index Query alone,
      // by every tool (ddtree --index-only: no BatchGetItem)
      id: "threads", title: `all threads of ${BIG} via the UserThread index (Query only, ScanIndexForward false)`,
      rounds: ROUNDS, expect: scaled(20000), judged: true,
      tools: {
        ddtree: { ...tool.ddtree("threads", BIG, "--json", "--index-only"), count: "lines" },
        curl: { ...tool.curl("threads", T.chainlit, BIG, "1000"), count: "summary" },
        sdk: { ...tool.sdk("threads", T.chainlit, BIG, "1000"), count: "lines" },
        awscli: { ...tool.aws(...awsQuery(T.chainlit, "UserThread", "UserThreadPK", `USER#${BIG}`)), count: "awsjson" },
      },
    },
    {
      // the same work as `ddtree threads USER`: the index Query, then
      // BatchGetItem of every THREAD item (100 keys a request).  curl: one
      // process, the BatchGetItems one after the other once the index is
      // read; the SDK: 4 in flight alongside the next index pages.  The AWS
      // CLI cannot chain the two in one command: not in this read.
      id: "threads-full", title: `all threads of ${BIG} with the full THREAD items (Query on UserThread + BatchGetItem)`,
      rounds: ROUNDS, expect: scaled(20000), judged: false,
      note: "The AWS CLI is left out: it cannot run the Query and the BatchGetItems of its keys in one command.",
      tools: {
        ddtree: { ...tool.ddtree("threads", BIG, "--json"), count: "lines" },
        curl: { ...tool.curl("threads-full", T.chainlit, BIG, "1000", "100"), count: "summary" },
        sdk: { ...tool.sdk("threads-full", T.chainlit, BIG, "1000", "100", "4"), count: "lines" },
      },
    },
    {
      id: "documents", title: `all documents of namespace ${DOCS_NS} via GSI1 (Query, ScanIndexForward false)`,
      rounds: ROUNDS, expect: scaled(20000),
      tools: {
        ddtree: { ...tool.ddtree("documents", DOCS_NS, "--json"), count: "lines" },
        curl: { ...tool.curl("docs", T.docs, DOCS_NS, "1000"), count: "summary" },
        sdk: { ...tool.sdk("docs", T.docs, DOCS_NS, "1000"), count: "lines" },
        awscli: { ...tool.aws(...awsQuery(T.docs, "GSI1", "GSI1PK", `NAMESPACE#${DOCS_NS}`)), count: "awsjson" },
      },
    },
    scanRead("scan-namespaces", T.ns, ROUNDS),
    scanRead("scan-documents", T.docs, ROUNDS),
    scanRead("scan-chainlit", T.chainlit, SCAN_ROUNDS),
  ];
}

function cmdReads() {
  const plan = readsPlan();
  const res = {};
  for (const r of plan) {
    res[r.id] = { title: r.title, rounds: r.rounds, expect: r.expect ?? null, judged: r.judged ?? true,
      note: r.note ?? null, tools: {} };
    for (const [name, t] of Object.entries(r.tools))
      res[r.id].tools[name] = { command: t.show, extra: !!t.extra, ms: [], rss_kb: [], items: null, out_bytes: null };
  }
  const maxRounds = Math.max(...plan.map((r) => r.rounds));
  const t0 = Date.now();
  for (let round = 0; round < maxRounds; round++) {
    for (const r of plan) {
      if (round >= r.rounds) continue;
      const names = Object.keys(r.tools).filter((n) => !(r.tools[n].extra && round > 0));
      // interleave: each round starts with a different tool
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const name of order) {
        const t = r.tools[name];
        const out = path.join(WORK, "out.data");
        const x = run(t.cmd, t.args, { stdout: out, extraEnv: { NODE_NO_WARNINGS: "1", AWS_PAGER: "" } });
        const rec = res[r.id].tools[name];
        rec.ms.push(round1(x.ms));
        rec.rss_kb.push(x.rss_kb);
        if (round === 0 || rec.items == null) {
          rec.items = countItems(t.count, out, x);
          rec.out_bytes = fs.statSync(out).size;
        }
        fs.rmSync(out, { force: true });
        log(`round ${round + 1} ${r.id} ${name}: ${Math.round(x.ms)} ms, ${x.rss_kb} KB`);
      }
    }
    log(`round ${round + 1} done after ${Math.round((Date.now() - t0) / 1000)} s`);
  }
  // checks and statistics
  for (const r of plan) {
    const rr = res[r.id];
    const ref = rr.expect ?? rr.tools.curl.items;
    rr.expected_items = ref;
    rr.problems = [];
    for (const [name, rec] of Object.entries(rr.tools)) {
      if (rec.items !== ref) rr.problems.push(`${name} returned ${rec.items} items, expected ${ref}`);
      rec.median_ms = round1(median(rec.ms));
      rec.median_rss_kb = median(rec.rss_kb);
    }
    const dd = rr.tools.ddtree;
    for (const [name, rec] of Object.entries(rr.tools)) {
      // median of per-round ratios (tool / ddtree), and the ratio of medians
      const per = rec.ms.map((ms, i) => (dd.ms[i] ? ms / dd.ms[i] : null)).filter((x) => x != null);
      rec.ratio_vs_ddtree = per.length ? Math.round(median(per) * 100) / 100 : null;
      rec.ratio_of_medians = Math.round((rec.median_ms / dd.median_ms) * 100) / 100;
    }
    // reads without the AWS CLI (threads-full) have null there
    const c = rr.tools.curl.median_ms, s = rr.tools.sdk.median_ms, a = rr.tools.awscli?.median_ms ?? null;
    const verdict = (ms) => ({
      vs_curl: Math.round((ms / c) * 100) / 100,
      vs_sdk: Math.round((ms / s) * 100) / 100,
      at_most_sdk: ms <= s,
      within_1_1x_curl: ms <= 1.1 * c,
      aws_2_5x_slower: a == null ? null : a >= 2.5 * ms,
      aws_over_ddtree: a == null ? null : Math.round((a / ms) * 100) / 100,
    });
    rr.targets = {};
    for (const [name, rec] of Object.entries(rr.tools))
      if (name.startsWith("ddtree")) rr.targets[name] = verdict(rec.median_ms);
  }
  write("reads.json", { rounds: ROUNDS, scan_rounds: SCAN_ROUNDS, seconds: Math.round((Date.now() - t0) / 1000), reads: res });
}

// Items in a table (DescribeTable's ItemCount, live on DynamoDB Local).
function tableItems(table) {
  const r = spawnSync(D, ["--endpoint-url", E, "--json", "tables"], { encoding: "utf8" });
  for (const l of (r.stdout || "").split("\n").filter(Boolean)) {
    const t = JSON.parse(l);
    if (t.table === table) return t.item_count;
  }
  return null;
}

// ---- the browser ----------------------------------------------------------------------

function browser(scriptLines, { table = T.chainlit, lines = 40 } = {}) {
  const script = path.join(WORK, "script.txt");
  fs.writeFileSync(script, scriptLines.join("\n") + "\n");
  return run(D, ["--endpoint-url", E, "--chainlit-table", table], {
    extraEnv: { DDTREE_SCRIPT: script, COLUMNS: "120", LINES: String(lines), TERM: "xterm-256color" },
  });
}

// "21016/21016" in the status line of a saved display: the rows of the tree
function displayRows(file) {
  const txt = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.length);
  const m = /^\s*(\d+)\/(\d+)/.exec(txt[txt.length - 1] || "");
  return m ? Number(m[2]) : null;
}

// The first thread row under USER in a saved display, or null.
function firstThreadRow(file, user) {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const i = lines.findIndex((l) => l.includes(`- ${user}`));
  if (i < 0) return null;
  const next = lines[i + 1] || "";
  return /\d{4}-\d\d-\d\d \d\d:\d\d/.test(next) ? next.trim() : null;
}

// One curl request for the first page of USER's threads (what the browser's
// first page costs at the floor).
function curlPage(user, limit) {
  const out = path.join(WORK, "page.json");
  const x = run("curl", ["-o", out, ...curlPageArgs(user, limit)]);
  const n = JSON.parse(fs.readFileSync(out, "utf8")).Count;
  return { ...x, items: n, bytes: fs.statSync(out).size };
}

// ---- the first screen under a pseudo-terminal (util-linux script) ----------------------
//
// The precise measure: `script -qfec "exec CMD" /dev/null` gives CMD a new
// pseudo-terminal and copies what it writes there to our pipe as it comes
// (-f: flushed at every write; -e: CMD's exit status; -q: no messages;
// /dev/null: no typescript).  No screen is polled and no key is typed: the
// browser is started with `-c ':user USER'` and the time is taken when the
// bytes of USER's first thread row arrive.  The pty has no window size
// (script's stdin is a pipe), so ncurses takes LINES and COLUMNS: 120x40 as
// in tmux (checked: the largest row and column the stream addresses are kept).
// The same harness runs one curl request for the page, and `echo`, so the
// overhead of the harness (script, sh, the pty) can be told apart.  Times are
// taken when bytes arrive, not at script's exit: once its child has exited,
// script keeps reading the terminal until 10 ms pass without output
// (util-linux lib/pty-session.c), so its exit comes about 10 ms late.
const shq = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${String(s).replace(/'/g, "'\\''")}'`);
const ESC_RE = /\x1b(\[[\d;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78DEHM])/g;

// descendants of pid (children first), from /proc
function descendants(pid) {
  const out = [];
  const walk = (p) => {
    let kids = [];
    try {
      for (const t of fs.readdirSync(`/proc/${p}/task`))
        kids.push(...fs.readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
    } catch { /* gone */ }
    for (const k of kids) {
      out.push(k);
      walk(k);
    }
  };
  walk(pid);
  return out;
}
const pidAlive = (pid) => {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
};
const killPid = (pid) => {
  try {
    process.kill(pid, "SIGKILL");
  } catch { /* gone meanwhile */ }
};

// Run argv under script.  match(text) -> {row} or null is tried on the text
// received so far at every chunk; when it matches, `quit` (if given) is
// written to the terminal.  Resolves with the times (ms from spawn): match_ms,
// first_byte_ms, last_byte_ms, exit_ms, quit_ms (from writing `quit` to
// script's exit), quit_mark_ms (from writing `quit` to the bytes holding
// quitMark, e.g. the terminal restored), and whether a process had to be killed.
function ptyRun(argv, { match = null, quit = null, quitMark = null, timeoutMs = 120000, quitTimeoutMs = 5000 } = {}) {
  const home = path.join(WORK, "home");
  fs.mkdirSync(home, { recursive: true });
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const now = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const child = spawn("script", ["-qfec", "exec " + argv.map(shq).join(" "), "/dev/null"], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...env, HOME: home, TERM: "xterm-256color", LANG: "C.UTF-8", LINES: "40", COLUMNS: "120" },
    });
    const chunks = [];
    let text = "", firstByte = null, lastByte = null, matchMs = null, row = null, quitAt = null, quitMarkMs = null;
    let afterQuit = "";
    let pids = [], killed = false, timedOut = null, stderr = "";
    const learnPids = () => {
      for (const p of descendants(child.pid)) if (!pids.includes(p)) pids.push(p);
    };
    const killAll = (why) => {
      timedOut = timedOut ?? why;
      learnPids();
      for (const p of pids) if (pidAlive(p)) {
        killed = true;
        killPid(p);
      }
      killPid(child.pid);
    };
    let timer = setTimeout(() => killAll("no match"), timeoutMs);
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.on("error", () => {});
    child.stdout.on("data", (d) => {
      const t = now();
      if (firstByte == null) {
        firstByte = t;
        learnPids();
      }
      lastByte = t;
      chunks.push(d);
      if (quitAt != null && quitMark && quitMarkMs == null) {
        afterQuit += d.toString("latin1");
        if (quitMark.test(afterQuit)) quitMarkMs = t - quitAt;
      }
      if (match && matchMs == null) {
        text = Buffer.concat(chunks).toString("utf8");
        const m = match(text);
        if (m) {
          matchMs = t;
          row = m.row;
          learnPids();
          if (quit != null) {
            quitAt = now();
            child.stdin.write(quit);
            clearTimeout(timer);
            timer = setTimeout(() => killAll("no exit after quit"), quitTimeoutMs);
          }
        }
      }
    });
    child.on("close", (code, signal) => {
      const exitMs = now();
      clearTimeout(timer);
      child.stdin.destroy();
      // what script started must be gone; a process still there 2 s after
      // script's exit is killed and counted
      const left = pids.filter(pidAlive);
      let lingered = false;
      const t1 = Date.now();
      while (left.some(pidAlive) && Date.now() - t1 < 2000) sleepMs(10);
      for (const p of left) if (pidAlive(p)) {
        lingered = true;
        killPid(p);
      }
      const out = Buffer.concat(chunks).toString("utf8");
      // the screen size the stream addresses: the largest row of "ESC[r;cH",
      // "ESC[rd" and column of "ESC[r;cH", "ESC[cG"
      let rows = 0, cols = 0;
      for (const m of out.matchAll(/\x1b\[(\d+)(?:;(\d+))?([HdG])/g)) {
        if (m[3] === "G") cols = Math.max(cols, Number(m[1]));
        else rows = Math.max(rows, Number(m[1]));
        if (m[3] === "H" && m[2]) cols = Math.max(cols, Number(m[2]));
      }
      resolve({
        status: code, signal, stderr, out, bytes: Buffer.byteLength(out),
        match_ms: round1(matchMs), row, first_byte_ms: round1(firstByte), last_byte_ms: round1(lastByte),
        exit_ms: round1(exitMs), quit_ms: quitAt != null ? round1(exitMs - quitAt) : null, quit_mark_ms: round1(quitMarkMs),
        timed_out: timedOut, killed: killed || lingered, lingered, screen: { rows, cols },
      });
    });
  });
}

// The first thread row of USER in the stream of the browser: a "YYYY-MM-DD
// HH:MM" after the user's name has been written (the thread rows are drawn
// below it).  The row's text: up to the next cursor move, escapes removed.
function threadRowIn(text, user) {
  const u = text.indexOf(user);
  if (u < 0) return null;
  const re = /\d{4}-\d\d-\d\d \d\d:\d\d/g;
  re.lastIndex = u + user.length;
  const m = re.exec(text);
  if (!m) return null;
  const rest = text.slice(m.index, m.index + 400);
  const end = rest.search(/\x1b\[[\d;]*[HdfAB]|\r|\n/);
  return { row: (end < 0 ? rest : rest.slice(0, end)).replace(ESC_RE, "").trim() };
}

// The one-page Query of curlPage, as curl arguments (its output to stdout).
function curlPageArgs(user, limit) {
  const body = JSON.stringify({
    TableName: T.chainlit, IndexName: "UserThread", KeyConditionExpression: "#pk = :pk",
    ExpressionAttributeNames: { "#pk": "UserThreadPK" }, ExpressionAttributeValues: { ":pk": { S: `USER#${user}` } },
    ScanIndexForward: false, Limit: limit,
  });
  return ["-sS", "--fail-with-body", "--aws-sigv4", "aws:amz:us-east-1:dynamodb",
    "--user", `${env.AWS_ACCESS_KEY_ID}:${env.AWS_SECRET_ACCESS_KEY}`,
    "-H", "Content-Type: application/x-amz-json-1.0", "-H", "X-Amz-Target: DynamoDB_20120810.Query",
    "--data-binary", body, `${E}/`];
}

const ptyDdtreeArgs = (user) => [D, "--endpoint-url", E, "--chainlit-table", T.chainlit, "-c", `:user ${user}`];

async function ptyDdtree(user) {
  // on quit, endwin() leaves the alternate screen: ESC[?1049l
  const x = await ptyRun(ptyDdtreeArgs(user), { match: (t) => threadRowIn(t, user), quit: "q", quitMark: /\x1b\[\?1049l/ });
  if (x.match_ms == null)
    log(`pty ddtree: no thread row of ${user} (${x.timed_out ?? `exit ${x.status}`}): ` +
      JSON.stringify(x.out.replace(ESC_RE, " ").slice(-300)) + " " + x.stderr.slice(-300));
  return x;
}

async function ptyCurl(user, limit) {
  const x = await ptyRun(["curl", ...curlPageArgs(user, limit)]);
  let items = null;
  try {
    items = JSON.parse(x.out.trim()).Count;
  } catch { /* checked by the caller */ }
  if (x.status !== 0 || items == null) throw new Error(`curl under script: exit ${x.status}: ${x.out.slice(-300)} ${x.stderr}`);
  return { ...x, items };
}

// tmux: what a person sees.  Start the browser in a private tmux server and
// wait for its first screen.  Path "user": type ":user USER<Enter>" and poll
// the screen every few milliseconds until the first thread row of USER is
// drawn.  Path "tree": press Enter on "Conversations" and type "/USER" (the
// filter shows the users as the users Scan brings them) and poll until USER
// is listed: the earliest moment a person could open it that way (with the
// filter on, its threads would not show; Esc while the users still load
// cancels the load, so the rest of that path cannot be typed ahead).
let tmuxRuns = 0;
function tmuxFirstScreen(user, how) {
  const sock = path.join(WORK, `tmux-${++tmuxRuns}`);
  const tm = (...a) => spawnSync("tmux", ["-S", sock, ...a], { encoding: "utf8" });
  const screen = () => tm("capture-pane", "-p", "-t", "0").stdout || "";
  const keys = (...k) => tm("send-keys", "-t", "0", ...k);
  const home = path.join(WORK, "home");
  fs.mkdirSync(home, { recursive: true });
  const t0 = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
  const r = tm("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-e", `HOME=${home}`,
    "-e", "LANG=C.UTF-8", D, "--endpoint-url", E, "--chainlit-table", T.chainlit);
  if (r.status !== 0) throw new Error(`tmux: ${r.stderr}`);
  const pid = Number((tm("display-message", "-p", "-t", "0", "#{pane_pid}").stdout || "").trim()) || null;
  let ready = null, listed = null, drawn = null, row = null, lingered = false;
  const threadRow = (s) => {
    const lines = s.split("\n");
    const i = lines.findIndex((l) => l.includes(`- ${user}`));
    return i >= 0 && /\d{4}-\d\d-\d\d \d\d:\d\d/.test(lines[i + 1] || "") ? lines[i + 1].trim() : null;
  };
  try {
    while (ms() < 900000) {
      const s = screen();
      if (ready == null) {
        if (s.includes("Conversations")) {
          ready = ms();
          if (how === "user") {
            keys("-l", `:user ${user}`);
            keys("Enter");
          } else {
            keys("Enter");
            keys("-l", `/${user}`);
          }
        }
      } else if (how === "tree") {
        if (s.includes(`+ ${user}`)) {
          listed = ms();
          break;
        }
      } else if ((row = threadRow(s))) {
        drawn = ms();
        break;
      }
      sleepMs(2);
    }
  } finally {
    // closing the terminal sends the browser SIGHUP
    tm("kill-server");
    for (let i = 0; i < 200 && tm("has-session").status === 0; i++) sleepMs(10);
    fs.rmSync(sock, { force: true });
    // The browser should be gone within 2 s.  It is not when Scans are in
    // flight: on quit it drains them to the end (minutes on a large table,
    // with the server busy), so it is killed, and that is recorded.
    const alive = () => pid && fs.existsSync(`/proc/${pid}`) &&
      !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    for (let i = 0; i < 200 && alive(); i++) sleepMs(10);
    if (alive()) {
      lingered = true;
      try {
        process.kill(pid, "SIGKILL");
      } catch { /* gone meanwhile */ }
      for (let i = 0; i < 100 && alive(); i++) sleepMs(10);
    }
  }
  return { ready_ms: round1(ready), listed_ms: round1(listed), drawn_ms: round1(drawn), row, lingered };
}

async function cmdFirstScreen(label, user, slowRounds) {
  const res = { label, user, table: T.chainlit };
  res.table_items = tableItems(T.chainlit);
  const rounds = ROUNDS;
  // scripted runs wait for every load, including two full-table Scans: on a
  // large table they take minutes, so they run FS_SLOW_ROUNDS times
  const slow = slowRounds ?? (res.table_items > 20000 ? FS_SLOW_ROUNDS : rounds);
  // the pty runs are cheap: FS_PTY_REPS of each per round
  const reps = Number(env.FS_PTY_REPS || 3);
  res.pty_reps = reps;
  res.pty_command = `script -qfec "exec ddtree --endpoint-url $E --chainlit-table ${T.chainlit} -c ':user ${user}'" /dev/null`;
  res.pty_curl_command = `script -qfec "exec curl ... (the one-page Query)" /dev/null`;
  const seq = { quit: [], curl_page: [], pty_echo: [], pty_echo_tail: [], pty_curl: [], pty_curl_exit: [], pty_ddtree: [],
    pty_ddtree_first_byte: [],
    pty_ddtree_quit: [], pty_ddtree_quit_exit: [], tmux_ready: [], tmux_user: [], tmux_tree_listed: [], scripted_user: [], scripted_tree: [] };
  const rss = { quit: [], scripted_user: [] };
  const disp = path.join(WORK, "display.txt");
  res.pty_runs = 0;
  res.pty_killed = 0;
  res.pty_screens = [];
  const settle = () => sleepMs(200);
  for (let i = 0; i < rounds; i++) {
    // start-up alone
    let x = browser([":quit"]);
    seq.quit.push(round1(x.ms));
    rss.quit.push(x.rss_kb);
    // the page at the floor (one curl request), the same through the pty,
    // the pty alone, and the browser through the pty: interleaved, each
    // repetition starting with the next one
    const steps = {
      curl_page: async () => {
        const p = curlPage(user, PAGE);
        seq.curl_page.push(round1(p.ms));
        res.curl_page_items = p.items;
        res.curl_page_bytes = p.bytes;
        const first = JSON.parse(fs.readFileSync(path.join(WORK, "page.json"), "utf8")).Items?.[0];
        res.curl_page_first_name = first?.name?.S ?? null;
      },
      pty_echo: async () => {
        const t = await ptyRun(["echo", "x"]);
        seq.pty_echo.push(t.first_byte_ms);
        // script's wait after its child's exit (about 10 ms, see above)
        seq.pty_echo_tail.push(round1(t.exit_ms - t.last_byte_ms));
      },
      pty_curl: async () => {
        const c = await ptyCurl(user, PAGE);
        seq.pty_curl.push(c.last_byte_ms);
        seq.pty_curl_exit.push(c.exit_ms);
        res.pty_curl_items = c.items;
      },
      pty_ddtree: async () => {
        const d = await ptyDdtree(user);
        seq.pty_ddtree.push(d.match_ms);
        // its first bytes: ncurses' initscr() (the alternate screen)
        seq.pty_ddtree_first_byte.push(d.first_byte_ms);
        seq.pty_ddtree_quit.push(d.timed_out ? null : d.quit_mark_ms);
        seq.pty_ddtree_quit_exit.push(d.timed_out ? null : d.quit_ms);
        res.pty_runs++;
        if (d.killed) res.pty_killed++;
        if (d.row) res.pty_row = d.row;
        res.pty_screens.push(`${d.screen.cols}x${d.screen.rows}`);
        if (d.timed_out) res.pty_timeouts = [...(res.pty_timeouts ?? []), d.timed_out];
      },
    };
    const names = Object.keys(steps);
    for (let r = 0; r < reps; r++) {
      const k = i * reps + r;
      for (let j = 0; j < names.length; j++) {
        await steps[names[(j + k) % names.length]]();
        settle();
      }
    }
    // what a person sees (tmux), with :user
    const tv = tmuxFirstScreen(user, "user");
    res.lingered = (res.lingered ?? 0) + (tv.lingered ? 1 : 0);
    res.tmux_runs = (res.tmux_runs ?? 0) + 1;
    seq.tmux_ready.push(tv.ready_ms);
    seq.tmux_user.push(tv.drawn_ms);
    res.tmux_user_row = tv.row;
    if (i < slow) {
      // ... and through the tree (expand Conversations, find the user)
      const tt = tmuxFirstScreen(user, "tree");
      res.lingered = (res.lingered ?? 0) + (tt.lingered ? 1 : 0);
      res.tmux_runs = (res.tmux_runs ?? 0) + 1;
      seq.tmux_tree_listed.push(tt.listed_ms);
      // scripted (DDTREE_SCRIPT): each line waits for the loads in flight
      fs.rmSync(disp, { force: true });
      x = browser([`:user ${user}`, `:save-display ${disp}`, ":quit"]);
      seq.scripted_user.push(round1(x.ms));
      rss.scripted_user.push(x.rss_kb);
      res.scripted_user_row = firstThreadRow(disp, user);
      fs.rmSync(disp, { force: true });
      x = browser(["<Enter>", `/${user}`, "<Enter>", "<Enter>", "<Esc>", "j", `:save-display ${disp}`, ":quit"]);
      seq.scripted_tree.push(round1(x.ms));
      res.scripted_tree_row = firstThreadRow(disp, user);
    }
    const last = (k) => seq[k].slice(-reps).join("/");
    log(`first screen ${label} round ${i + 1}: quit ${seq.quit.at(-1)} ms, curl page ${last("curl_page")} ms, ` +
      `pty: echo ${last("pty_echo")}, curl ${last("pty_curl")}, ddtree ${last("pty_ddtree")} (q: screen ${last("pty_ddtree_quit")}, ` +
      `exit ${last("pty_ddtree_quit_exit")}) ms, ` +
      `tmux :user ${seq.tmux_user.at(-1)} ms` + (i < slow ? `, tmux tree: listed after ${seq.tmux_tree_listed.at(-1)} ms, ` +
      `scripted :user ${seq.scripted_user.at(-1)} ms, scripted tree ${seq.scripted_tree.at(-1)} ms` : ""));
  }
  res.ms = seq;
  res.rss_kb = rss;
  // the first row drawn is the first item of the page (its name, cut to the column)
  const shown = (res.pty_row || "").replace(/^\d{4}-\d\d-\d\d \d\d:\d\d\s+(\+\d+-\d+\S*\s+)?/, "");
  res.pty_row_is_first_item = !!res.pty_row &&
    (res.curl_page_first_name ? shown.length > 0 && res.curl_page_first_name.startsWith(shown) : shown.startsWith("(no name)"));
  if (!res.pty_row_is_first_item)
    log(`first screen ${label}: the pty row ${JSON.stringify(res.pty_row)} is not the page's first item ${JSON.stringify(res.curl_page_first_name)}`);
  const med = (v) => round1(median(v.filter((x) => x != null)));
  res.median_ms = Object.fromEntries(Object.entries(seq).map(([k, v]) => [k, med(v)]));
  const m = res.median_ms;
  const ratio = (a) => (a == null || !m.curl_page ? null : Math.round((a / m.curl_page) * 100) / 100);
  res.ratios_vs_curl_page = {
    pty_ddtree: ratio(m.pty_ddtree),
    pty_curl: ratio(m.pty_curl),
    tmux_user: ratio(m.tmux_user),
    tmux_tree_listed: ratio(m.tmux_tree_listed),
    scripted_user: ratio(m.scripted_user),
    scripted_user_minus_quit: m.scripted_user != null ? ratio(m.scripted_user - m.quit) : null,
    scripted_tree: ratio(m.scripted_tree),
  };
  // the browser against curl through the same harness
  res.ratio_pty_ddtree_vs_pty_curl = m.pty_ddtree != null && m.pty_curl ?
    Math.round((m.pty_ddtree / m.pty_curl) * 100) / 100 : null;
  // the same, as medians of the ratios within each repetition (the runs of a
  // repetition are next to each other: steadier when the server's load changes)
  const paired = (xs, ys) => {
    const r = xs.map((x, k) => (x != null && ys[k] ? x / ys[k] : null)).filter((x) => x != null);
    return r.length ? Math.round(median(r) * 100) / 100 : null;
  };
  res.paired_ratios = {
    pty_ddtree_vs_curl_page: paired(seq.pty_ddtree, seq.curl_page),
    pty_ddtree_vs_pty_curl: paired(seq.pty_ddtree, seq.pty_curl),
  };
  write(`first-screen-${label}.json`, res);
}

// ---- memory ---------------------------------------------------------------------------

function pagingScript(users, threadsPerUser) {
  // PgDn moves the cursor a screen (36 rows); the "more..." node loads its
  // page when it comes within a screen below the cursor.  One page (50
  // threads) a line at most, so 1.6 lines a page is plenty.
  const lines = [];
  const per = Math.ceil((threadsPerUser / PAGE) * 1.6) + 10;
  for (const u of users) {
    lines.push(`:user ${u}`);
    for (let i = 0; i < per; i++) lines.push("<PgDn>");
  }
  return lines;
}

// Run the browser on a script, sampling the peak RSS (VmHWM) of the ddtree
// process whenever one of `marks` (files the script saves) appears.
async function browserSampled(scriptLines, marks) {
  const script = path.join(WORK, "script.txt");
  fs.writeFileSync(script, scriptLines.join("\n") + "\n");
  const rssFile = path.join(WORK, "rss.txt");
  const t0 = process.hrtime.bigint();
  const child = spawn("/usr/bin/time", ["-f", "%M", "-o", rssFile, D, "--endpoint-url", E,
    "--chainlit-table", T.chainlit], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...env, DDTREE_SCRIPT: script, COLUMNS: "120", LINES: "40", TERM: "xterm-256color" },
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  let exited = false;
  done.then(() => (exited = true));
  const ddPid = () => {
    try {
      return Number(fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/)[0]) || null;
    } catch {
      return null;
    }
  };
  const hwm = (pid) => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      return m ? Number(m[1]) : null;
    } catch {
      return null;
    }
  };
  const samples = {};
  let pid = null, last = null;
  while (!exited) {
    pid = pid || ddPid();
    if (pid) last = hwm(pid) ?? last;
    for (const m of marks)
      if (!(m in samples) && fs.existsSync(m)) samples[m] = { rss_kb: last, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
    await new Promise((r) => setTimeout(r, 5));
  }
  const code = await done;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (code !== 0) throw new Error(`browser: exit ${code}: ${stderr.slice(-800)}`);
  const lines = fs.readFileSync(rssFile, "utf8").trim().split("\n");
  return { ms, rss_kb: Number(lines[lines.length - 1]), samples };
}

async function cmdMemory() {
  const res = { page: PAGE };
  // base: start and quit
  let x = browser([":quit"]);
  res.base = { rss_kb: x.rss_kb, ms: round1(x.ms) };
  // Bytes received, at curl's floor: the same pages the browser fetches (index
  // pages of 50, BatchGetItem of their THREAD items), and the users Scan and
  // the feedback-count Scan that opening Conversations starts.  In parallel.
  const bytesOf = (args) =>
    new Promise((resolve, reject) => {
      const c = spawn(path.join(here, "curl-read.sh"), args, { stdio: ["ignore", "pipe", "inherit"], env });
      let o = "";
      c.stdout.on("data", (d) => (o += d));
      c.on("exit", (code) => {
        const m = /items (\d+) pages (\d+) bytes (\d+)/.exec(o);
        if (code !== 0 || !m) return reject(new Error(`curl-read.sh ${args.join(" ")}: exit ${code}`));
        resolve({ items: Number(m[1]), pages: Number(m[2]), bytes: Number(m[3]) });
      });
    });
  const t0 = Date.now();
  const users = [BIG, ...HEAVY];
  const [us, fb, ...per] = await Promise.all([
    bytesOf(["users", T.chainlit, "1000"]),
    bytesOf(["feedback", T.chainlit, "1000"]),
    ...users.map((u) => bytesOf(["threads-full", T.chainlit, u, String(PAGE), String(PAGE)])),
  ]);
  res.users_scan = us;
  res.feedback_scan = fb;
  res.threads_bytes = Object.fromEntries(users.map((u, i) => [u, per[i]]));
  res.bytes_seconds = Math.round((Date.now() - t0) / 1000);
  log(`memory: bytes measured in ${res.bytes_seconds} s`);
  // One browser run: page through BIG's threads (mark 1), then the heavy
  // users' (mark 2).  Peak RSS at mark 1 is sampled from /proc (VmHWM), the
  // final one comes from /usr/bin/time.
  const mark1 = path.join(WORK, "display-20k.txt"), mark2 = path.join(WORK, "display-100k.txt");
  fs.rmSync(mark1, { force: true });
  fs.rmSync(mark2, { force: true });
  const lines = [...pagingScript([BIG], scaled(20000)), `:save-display ${mark1}`,
    ...pagingScript(HEAVY, scaled(20000)), `:save-display ${mark2}`, ":quit"];
  const run2 = await browserSampled(lines, [mark1, mark2]);
  res.script_lines = lines.length;
  res.ms = round1(run2.ms);
  const cases = [
    { id: "threads_20k", users: [BIG], rss_kb: run2.samples[mark1]?.rss_kb, ms: run2.samples[mark1]?.ms, mark: mark1,
      how: "VmHWM of the process when the script saved its display after the last page of the first user" },
    { id: "threads_100k", users, rss_kb: run2.rss_kb, ms: run2.ms, mark: mark2, how: "/usr/bin/time %M at exit" },
  ];
  for (const c of cases) {
    const threads = c.users.reduce((a, u) => a + res.threads_bytes[u].items, 0);
    const rows = fs.existsSync(c.mark) ? displayRows(c.mark) : null;
    const threadBytes = c.users.reduce((a, u) => a + res.threads_bytes[u].bytes, 0);
    const bytes = threadBytes + us.bytes + fb.bytes;
    res[c.id] = {
      users: c.users, threads, ms: round1(c.ms), rss_kb: c.rss_kb, rss_how: c.how, tree_rows: rows,
      bytes_threads: threadBytes, bytes_total: bytes,
      rss_minus_base_per_thread: Math.round(((c.rss_kb - res.base.rss_kb) * 1024) / threads),
      bytes_per_thread: Math.round(threadBytes / threads),
      rss_over_bytes: Math.round((((c.rss_kb - res.base.rss_kb) * 1024) / bytes) * 100) / 100,
      within_2x_bytes_plus_base: c.rss_kb * 1024 <= 2 * bytes + res.base.rss_kb * 1024,
      all_loaded: rows != null && rows >= threads,
    };
    log(`memory ${c.id}: ${c.rss_kb} KB peak RSS, ${bytes} bytes received, ${rows} tree rows`);
  }
  write("memory.json", res);
}

function cmdMachine() {
  const cpu = (fs.readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/) || [])[1];
  const v = (cmd, args, re) => {
    const r = spawnSync(cmd, args, { encoding: "utf8" });
    const s = `${r.stdout || ""}${r.stderr || ""}`.trim().split("\n")[0];
    return re ? (re.exec(s) || [s])[0] : s;
  };
  let sdkVersion = null;
  try {
    sdkVersion = JSON.parse(fs.readFileSync(path.join(here, "..", "node_modules", "@aws-sdk", "client-dynamodb", "package.json"))).version;
  } catch { /* not installed */ }
  write(`machine-${process.argv[3] || "start"}.json`, {
    date: new Date().toISOString(),
    nproc: os.cpus().length,
    cpu,
    free_h: sh("free", ["-h"]),
    kernel: os.release(),
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    // what else used the CPU at this moment (the machine may be shared)
    top: sh("ps", ["-eo", "pcpu,rss,etime,comm", "--sort=-pcpu"])?.split("\n").slice(0, 8).join("\n"),
    versions: {
      ddtree: v(D, ["--version"]),
      curl: v("curl", ["--version"]),
      jq: v("jq", ["--version"]),
      node: process.version,
      "@aws-sdk/client-dynamodb": sdkVersion,
      awscli: v("aws", ["--version"]),
      java: v("java", ["-version"]),
    },
    scale: SCALE,
  });
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === "reads") cmdReads();
else if (cmd === "first-screen") await cmdFirstScreen(rest[0], rest[1], rest[2] != null ? Number(rest[2]) : undefined);
else if (cmd === "memory") await cmdMemory();
else if (cmd === "machine") cmdMachine();
else {
  console.error("usage: node driver.mjs machine [LABEL] | reads | first-screen LABEL USER | memory");
  process.exit(2);
}
