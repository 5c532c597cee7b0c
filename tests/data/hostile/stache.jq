# tests/data/hostile/stache.jq: hostile Stache items for the e2e-hostile tests:
# jq -nc -f stache.jq gives {"t": "ns"|"docs", "item": ITEM} per line, ITEM in
# wire JSON for the namespace table ("ns") or the documents table ("docs").
# Layouts as in SCHEMAS.md Part A, then broken on purpose: terminal escapes
# (CSI, OSC 52, OSC 0, C1 CSI U+009B, bidi override U+202E) in ids, names,
# keys, attribute names and map keys; NUL bytes; wrong types for every
# attribute the decoders read (GSI key attributes must stay S: DynamoDB
# refuses anything else there); JSON text nested 900 and 3000 deep; ids with
# # % ::, under 0.2.0 escaped and pre-0.2.0 raw keys; a 60-level parent
# chain; parent cycles; orphans; empty strings; a document with 9000
# chunk_ids (~390 KB, near the item limit).  Invalid UTF-8 cannot be stored
# through the JSON API (see chainlit.jq).
def S($s): {S: $s};
def N($n): {N: $n};
def X: "\u001b[2J\u001b]52;c;SE9TVElMRQ==\u0007\u009b31m\u202eevil\u001b]0;PWNED\u0007";
def deep($n; $leaf): if $n == 0 then $leaf
  elif ($n % 2) == 0 then {M: {("k\u001b[1m" + ($n|tostring)): deep($n - 1; $leaf), "x": S(X)}}
  else {L: [deep($n - 1; $leaf), N("1")]} end;
def pad2: tostring | if length < 2 then "0" + . else . end;
def ts($i): "2026-07-10T08:" + (($i / 60 | floor) % 60 | pad2) + ":" + ($i % 60 | pad2) + "." + (100000 + $i | tostring) + "+00:00";
def esc: gsub("%"; "%25") | gsub("#"; "%23");
def ns($id; $parent; $i; $extra): {t: "ns", item: ({id: S($id), name: S("ns " + $id),
  description: S(""), parent_id: S($parent), metadata: S("{}"), filter_keys: S("[]"),
  created_at: S(ts($i)), updated_at: S(ts($i))} + $extra)};
def uuid($i): "0000" + ($i | tostring | if length < 4 then ("0" * (4 - length)) + . else . end)
  + "-1111-4222-8333-444455556666";
def doc($ns; $id; $file; $i; $extra): {t: "docs", item: ({
  PK: S("DOC#" + ($ns|esc) + "#" + $id), SK: S("METADATA"),
  GSI1PK: S("NAMESPACE#" + ($ns|esc)), GSI1SK: S("CREATED#" + ts($i)),
  GSI2PK: S("FILENAME#" + ($ns|esc) + "#" + ($file|esc)), GSI2SK: S("CREATED#" + ts($i)),
  doc_id: S($id), filename: S($file), namespace: S($ns), chunk_count: N("2"),
  chunk_ids: {L: [S(uuid(1)), S(uuid(2))]}, created_at: S(ts($i)), status: S("active"),
  file_type: S("md"), file_size: N("100")} + $extra)};
def chain($n): range(0; $n) as $k | ns("hx/d\($k)"; (if $k == 0 then "hx" else "hx/d\($k - 1)" end); 100 + $k;
  {name: S("depth \($k) " + X)});

("hx/esc" + X) as $ESCNS |

# namespaces
ns("hx"; "__ROOT__"; 1; {name: S("Hostile root"), description: S(X + "\u0000hidden")}),
ns($ESCNS; "hx"; 2; {name: S(X), description: S(X + "\u0000 after nul"),
  metadata: S("{\"k\\u001b[2J\": \"" + X + "\", \"\\u009b\": {\"deep\": [1, 2]}}"),
  filter_keys: S("[\"a\\u001b\", \"\\u202e\"]")}),
ns("hx/c#%25::x"; "hx"; 3; {name: S("hash percent colons")}),
ns("hx/types"; "hx"; 4; {name: N("42"), created_at: {M: {}}, metadata: {M: {"icon": S("x")}},
  filter_keys: N("1"), description: {BOOL: true}, updated_at: {L: []}}),
ns("hx/jsondeep"; "hx"; 5; {metadata: S(("{\"a\": " * 900) + "\"\\u001b[2J\"" + ("}" * 900)),
  filter_keys: S("[1, {}]")}),
ns("hx/jsontoodeep"; "hx"; 15; {metadata: S(("[" * 3000) + ("]" * 3000))}),
ns("hx/badjson"; "hx"; 6; {metadata: S("{not json \u001b[2J"), filter_keys: S("\"a\"")}),
ns("hx/empty"; "hx"; 7; {name: S(""), description: S(""), metadata: S(""), filter_keys: S(""),
  created_at: S(""), updated_at: S("")}),
(ns("hx/noparent"; "hx"; 8; {}) | del(.item.parent_id)),
ns("hx/longname"; "hx"; 9; {name: S("L" * 1000 + X)}),
ns("hx/self"; "hx/self"; 10; {name: S("self parent " + X)}),
ns("hx/cy1"; "hx/cy3"; 11; {name: S("cy1 " + X)}),
ns("hx/cy2"; "hx/cy1"; 12; {}),
ns("hx/cy3"; "hx/cy2"; 13; {}),
ns("hx/orphan" + X; "hx/missing" + X; 14; {}),
chain(60),

# documents
(doc("hx"; "doc-esc"; "file" + X + ".md"; 20; {summary: S(X + "\u0000 nul"), source_path: S("/kb/" + X),
  metadata: {M: {("k" + X): S(X), "deep": deep(28; S(X)), "\u202e": N("1")}},
  headings: {L: [S(X), S("")]}, ("\u001b[2Jattr"): S("v")})
  | .item.GSI2PK = S("FILENAME#hx#" + ("/kb/" + X | esc))),
doc("hx"; "doc-types"; "types.md"; 21; {chunk_count: S("12"), status: {BOOL: true}, metadata: S("{}"),
  chunk_ids: S("[]"), created_at: N("5"), file_size: S("big"), headings: {M: {}}, doc_id: N("1"),
  filename: {L: []}, namespace: N("3")}),
doc("hx"; "doc-chunks"; "chunks.md"; 22; {chunk_ids: {L: [N("1"), {NULL: true}, S(X)]}, chunk_count: N("-5")}),
doc("hx"; "doc-status"; "status.md"; 23; {status: S(X)}),
doc("hx"; "doc-deleting"; "deleting.md"; 24; {status: S("deleting")}),
doc("hx"; "doc-empty"; ""; 25; {created_at: S(""), status: S(""), chunk_ids: {L: []}, chunk_count: N("0"),
  file_type: S(""), summary: S("")}),
doc("hx"; "doc-float"; "float.md"; 26; {chunk_count: N("0.5"), file_size: N("1E+30")}),
doc("hx/c#%25::x"; "doc-hash"; "a#b%.md"; 27; {}),
(doc("hx/c#%25::x"; "doc-hash-raw"; "raw#key%.md"; 28; {})
  | .item.PK = S("DOC#hx/c#%25::x#doc-hash-raw") | .item.GSI1PK = S("NAMESPACE#hx/c#%25::x")
  | .item.GSI2PK = S("FILENAME#hx/c#%25::x#raw#key%.md")),
doc($ESCNS; "doc-in-esc-ns"; "x" + X; 29; {}),
doc("hx/types"; "doc-in-types"; "in types.md"; 30; {}),
doc("hx/d59"; "doc-deepest"; "deepest.md"; 31; {}),
{t: "docs", item: {PK: S("TRASH#hx#trash" + X + "#notanumber"), SK: S("ENTRY"), doc_id: S("doc-deleting"),
  namespace: S("hx"), filename: S("trash" + X), deleted_at: S(X), deleted_at_ms: S("17954"),
  deleted_by: N("7"), delete_reason: {NULL: true}, chunk_count: S("2"), purge_after: S(""),
  GSI1PK: S("TRASH"), GSI1SK: S("9999" + X)}},
{t: "docs", item: {PK: S("TRASH#hx#ok.md#1795422296703"), SK: S("ENTRY"), doc_id: S("doc-deleting"),
  namespace: S("hx"), filename: S("ok.md"), deleted_at: S(ts(40)), deleted_at_ms: N("1795422296703"),
  deleted_by: S(X), delete_reason: S(X), chunk_count: N("2"), purge_after: S(ts(41)),
  GSI1PK: S("TRASH"), GSI1SK: S(ts(40))}},
{t: "docs", item: {PK: S("HASH#hx#" + X + "#f"), SK: S("RESERVATION"), identifier_type: S(X),
  doc_id: N("1"), namespace: {NULL: true}, content_hash: S(""), filename: S(X), reserved_at: {M: {}},
  status: {BOOL: true}, file_size: S("1")}},
{t: "docs", item: {PK: S("SOURCE#hx#/kb/" + X), SK: S("RESERVATION"), identifier_type: S("source_path"),
  doc_id: S("doc-esc"), namespace: S("hx"), content_hash: S("abc"), filename: S(X), reserved_at: S(ts(42)),
  status: S("pending")}},
{t: "docs", item: {PK: S("CLEANUP#job-" + X), SK: S("JOB"), cleanup_job_id: S("job-" + X), doc_id: S("d"),
  namespace: S("hx"), filename: S(X), deleted_at_ms: N("1"), created_at: S(ts(43)),
  chunk_ids: {L: [range(0; 3000) | S(uuid(.))]}, deleted_by: {NULL: true}, status: N("1"),
  retry_count: S("0"), max_retries: {BOOL: true}, last_error: S(X + "\u0000" + X)}},
{t: "docs", item: {PK: S("DOC#None#doc-legacy"), SK: S("METADATA"), GSI1PK: S("NAMESPACE#None"),
  GSI1SK: S("CREATED#" + ts(44)), GSI2PK: S("FILENAME#None#legacy.md"), GSI2SK: S("CREATED#" + ts(44)),
  doc_id: S("doc-legacy"), namespace: {NULL: true}, filename: S("legacy.md"), chunk_count: N("1"),
  chunk_ids: {L: [S("c")]}, created_at: S(ts(44))}},
{t: "docs", item: {PK: S("WHAT" + X), SK: S(X), junk: S(X)}},

# 9000 chunk ids: about 390 KB, near the 400 KB item limit
doc("hx"; "doc-big"; "big.pdf"; 50; {chunk_count: N("9000"), chunk_ids: {L: [range(0; 9000) | S(uuid(.))]}})
