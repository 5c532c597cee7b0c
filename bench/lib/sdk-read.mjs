// bench/lib/sdk-read.mjs: the same reads with the AWS SDK for JavaScript v3
// (@aws-sdk/client-dynamodb, the low-level client: items stay in wire
// format, as ddtree's).  Pages follow LastEvaluatedKey with Limit sent;
// every item is written to stdout as one JSON line (what `ddtree export`
// writes).  A summary goes to stderr: items N pages P.
//
// Usage: node sdk-read.mjs threads TABLE USER [LIMIT]
//        node sdk-read.mjs docs TABLE NAMESPACE [LIMIT]
//        node sdk-read.mjs scan TABLE [LIMIT]
// Environment: ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION.
import { DynamoDBClient, QueryCommand, ScanCommand } from "@aws-sdk/client-dynamodb";

const [mode, table, arg, limitArg] = process.argv.slice(2);
const endpoint = process.env.ENDPOINT;
if (!endpoint || !mode || !table) {
  console.error("usage: node sdk-read.mjs threads|docs|scan TABLE [USER|NAMESPACE] [LIMIT]");
  process.exit(2);
}
const client = new DynamoDBClient({ endpoint, region: process.env.AWS_REGION || "us-east-1" });

let input, Command;
const limit = Number((mode === "scan" ? arg : limitArg) || 1000);
if (mode === "threads") {
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
try {
  do {
    const out = await client.send(new Command(key ? { ...input, ExclusiveStartKey: key } : input));
    pages++;
    const lines = out.Items.map((it) => JSON.stringify(it)).join("\n");
    if (out.Items.length) await write(lines + "\n");
    items += out.Items.length;
    key = out.LastEvaluatedKey;
  } while (key);
} catch (e) {
  console.error(`sdk-read: ${e.name}: ${e.message}`);
  process.exit(3);
}
console.error(`items ${items} pages ${pages}`);
client.destroy();
