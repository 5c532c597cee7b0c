// bench/lib/sdk-read.mjs: the same reads with the AWS SDK for JavaScript v3
// (@aws-sdk/client-dynamodb, the low-level client: items stay in wire
// format, as ddtree's).  Pages follow LastEvaluatedKey with Limit sent;
// every item is written to stdout as one JSON line (what `ddtree export`
// writes).  A summary goes to stderr: items N pages P.
//
// Usage: node sdk-read.mjs threads TABLE USER [LIMIT]
//        node sdk-read.mjs threads-full TABLE USER [LIMIT [CHUNK [INFLIGHT]]]
//        node sdk-read.mjs docs TABLE NAMESPACE [LIMIT]
//        node sdk-read.mjs scan TABLE [LIMIT]
// threads-full: the index Query, and BatchGetItem of every THREAD item as a
// competent SDK user would write it: CHUNK (100) keys a request,
// UnprocessedKeys resent, INFLIGHT (4) BatchGetItems in flight (Promise.all
// of that many workers) while the next index pages are read; the THREAD
// items are written as they arrive (summary: items N pages P, where pages
// counts every request).
// Environment: ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION.
import { BatchGetItemCommand, DynamoDBClient, QueryCommand, ScanCommand } from "@aws-sdk/client-dynamodb";

const [mode, table, arg, limitArg, chunkArg, inflightArg] = process.argv.slice(2);
const endpoint = process.env.ENDPOINT;
if (!endpoint || !mode || !table) {
  console.error("usage: node sdk-read.mjs threads|threads-full|docs|scan TABLE [USER|NAMESPACE] [LIMIT]");
  process.exit(2);
}
const client = new DynamoDBClient({ endpoint, region: process.env.AWS_REGION || "us-east-1" });

let input, Command;
const limit = Number((mode === "scan" ? arg : limitArg) || 1000);
if (mode === "threads" || mode === "threads-full") {
  Command = QueryCommand;
  input = {
    TableName: table, IndexName: "UserThread", KeyConditionExpression: "#pk = :pk",
    ExpressionAttributeNames: { "#pk": "UserThreadPK" },
    ExpressionAttributeValues: { ":pk": { S: `USER#${arg}` } }, ScanIndexForward: false, Limit: limit,
  };
} else if (mode === "docs") {
  Command = QueryCommand;
  input = {
    TableName: table, IndexName: "GSI1", KeyConditionExpression: "#pk = :pk",
    ExpressionAttributeNames: { "#pk": "GSI1PK" },
    ExpressionAttributeValues: { ":pk": { S: `NAMESPACE#${arg}` } }, ScanIndexForward: false, Limit: limit,
  };
} else if (mode === "scan") {
  Command = ScanCommand;
  input = { TableName: table, Limit: limit };
} else {
  console.error(`sdk-read: unknown mode ${mode}`);
  process.exit(2);
}

process.stdout.on("error", (e) => {
  console.error(`sdk-read: stdout: ${e.message}`);
  process.exit(3);
});
const write = (s) =>
  new Promise((resolve) => {
    if (process.stdout.write(s)) resolve();
    else process.stdout.once("drain", resolve);
  });

let items = 0, pages = 0, key;

// threads-full: index pages feed a queue of key chunks; INFLIGHT workers
// take chunks from it (BatchGetItem, UnprocessedKeys resent) while the next
// index page is read.
async function threadsFull() {
  const chunk = Number(chunkArg || 100), inflight = Number(inflightArg || 4);
  const queue = [];
  let indexDone = false, indexItems = 0, waiting = [];
  const wake = () => {
    const w = waiting;
    waiting = [];
    for (const r of w) r();
  };
  const batchGet = async (keys) => {
    for (let attempt = 0; keys.length; attempt++) {
      if (attempt >= 10) throw new Error(`${keys.length} keys still unprocessed after 10 rounds`);
      if (attempt) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const out = await client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys } } }));
      pages++;
      const got = out.Responses?.[table] ?? [];
      if (got.length) await write(got.map((it) => JSON.stringify(it)).join("\n") + "\n");
      items += got.length;
      keys = out.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  };
  const index = async () => {
    try {
      let k;
      do {
        const out = await client.send(new QueryCommand(k ? { ...input, ExclusiveStartKey: k } : input));
        pages++;
        indexItems += out.Items.length;
        for (let i = 0; i < out.Items.length; i += chunk)
          queue.push(out.Items.slice(i, i + chunk).map((it) => ({ PK: it.PK, SK: { S: "THREAD" } })));
        wake();
        k = out.LastEvaluatedKey;
      } while (k);
    } finally {
      indexDone = true;
      wake();
    }
  };
  const worker = async () => {
    for (;;) {
      if (queue.length) await batchGet(queue.shift());
      else if (indexDone) return;
      else await new Promise((r) => waiting.push(r));
    }
  };
  await Promise.all([index(), ...Array.from({ length: inflight }, worker)]);
  if (items !== indexItems) throw new Error(`${indexItems} index items, ${items} threads`);
}

try {
  if (mode === "threads-full") {
    await threadsFull();
  } else {
    do {
      const out = await client.send(new Command(key ? { ...input, ExclusiveStartKey: key } : input));
      pages++;
      const lines = out.Items.map((it) => JSON.stringify(it)).join("\n");
      if (out.Items.length) await write(lines + "\n");
      items += out.Items.length;
      key = out.LastEvaluatedKey;
    } while (key);
  }
} catch (e) {
  console.error(`sdk-read: ${e.name}: ${e.message}`);
  process.exit(3);
}
console.error(`items ${items} pages ${pages}`);
client.destroy();
