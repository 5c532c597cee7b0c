# tests/data/hostile/chainlit.jq: hostile Chainlit items for the e2e-hostile tests,
# one DynamoDB item (wire JSON) per output: jq -nc -f chainlit.jq.  Layouts as in
# SCHEMAS.md Part B, then broken on purpose: terminal escapes (CSI, OSC 52, OSC 0,
# C1 CSI U+009B, bidi override U+202E) in values, ids, attribute names and map
# keys; NUL bytes; wrong types for every attribute the decoders read; ids that
# Chainlit's str.strip damages or that hold # :: %; 30-level nesting; a 390 KB
# output; a 500-step parentId chain; parentId cycles; empty strings.
# Invalid UTF-8 cannot be stored: the JSON API carries text, and raw invalid
# bytes in a request are refused (DynamoDB Local answers InternalFailure).  The
# nearest thing, a lone surrogate escape (\ud800), and a NUL byte in an
# attribute name are accepted by DynamoDB Local; they are kept out of this file
# and tested on a table of their own (e2e-hostile-chainlit.sh).
def S($s): {S: $s};
def N($n): {N: $n};
def X: "\u001b[2J\u001b]52;c;SE9TVElMRQ==\u0007\u009b31m\u202eevil\u001b]0;PWNED\u0007";
def deep($n; $leaf): if $n == 0 then $leaf
  elif ($n % 2) == 0 then {M: {("k\u001b[1m" + ($n|tostring)): deep($n - 1; $leaf), "x": S(X)}}
  else {L: [deep($n - 1; $leaf), N("1")]} end;
def ts($i): "2026-05-01T10:" + (($i / 60 | floor) % 60 | tostring | if length < 2 then "0" + . else . end)
  + ":" + (($i % 60) | tostring | if length < 2 then "0" + . else . end) + "." + (100000 + $i | tostring) + "Z";
def fb($t; $s; $v; $c): {M: {forId: S($s), value: N($v), threadId: S($t),
  id: S("THREAD#" + $t + "::STEP#" + $s), comment: S($c)}};
def step($t; $id; $i; $parent; $extra): {
  PK: S("THREAD#" + $t), SK: S("STEP#" + $id), id: S($id), threadId: S($t),
  parentId: (if $parent == null then {NULL: true} else S($parent) end),
  name: S("step " + $id), type: S("run"), streaming: {BOOL: false}, isError: {BOOL: false},
  metadata: {M: {}}, tags: {NULL: true}, input: S(""), output: S("out " + $id),
  createdAt: S(ts($i)), start: S(ts($i)), end: S(ts($i + 1)), language: {NULL: true},
  showInput: S("json")} + $extra;
def thread($id; $user; $i; $extra): {
  PK: S("THREAD#" + $id), SK: S("THREAD"), id: S($id), name: S("thread " + $id),
  createdAt: S(ts($i)), metadata: {M: {}}, tags: {L: []}}
  + (if $user == null then {} else {UserThreadPK: S("USER#" + $user), UserThreadSK: S("TS#" + ts($i)),
     userId: S($user), userIdentifier: S($user)} end) + $extra;
def user($ident; $extra): {PK: S("USER#" + $ident), SK: S("USER"), id: S($ident), identifier: S($ident),
  metadata: {M: {}}, createdAt: S("2026-04-01T08:00:00Z")} + $extra;

"hostile@example.com" as $H |
("long-" + ("x" * 995)) as $LONG |
("evil" + X + "user") as $EU |

# users
user($H; {}),
user($EU; {metadata: {M: {("k" + X): S(X), "\u009bkey": deep(6; S(X)), "nul": S("a\u0000" + X)}}}),
user($LONG; {}),
{PK: S("USER#types@example.com"), SK: S("USER"), id: {BOOL: true}, identifier: N("42"),
 createdAt: {M: {"t": S("2026")}}, metadata: S("{\"not\": \"a map\"}")},
user(""; {createdAt: S("")}),
user("nul\u0000hidden" + X; {}),

# threads of the hostile user
thread("DATA-1-TEAM"; $H; 100; {name: S("team " + X)}),
thread("a#b::c%25d%"; $H; 101; {}),
thread("hx-big"; $H; 102; {metadata: {M: {"deep": deep(28; S(X))}}}),
thread("hx-chain"; $H; 103; {}),
thread("hx-cycle"; $H; 104; {}),
thread("hx-types"; $H; 105; {name: N("3.14"), createdAt: {M: {}}, metadata: S("{}"), tags: S("t"),
  userId: {L: [S($H)]}, userIdentifier: N("1")}),
thread(""; $H; 106; {name: S("")}),
thread("hx-esc" + X; $H; 107; {name: S(X + "\u0000tail")}),
(thread("hx-noname"; $H; 108; {}) | del(.name)),
thread("hx-bigname"; $H; 109; {name: S("N" * 20000 + X)}),
thread("hx-long-owner"; $LONG; 110; {}),
thread("hx-esc-owner"; $EU; 111; {name: S("owned by " + X)}),
thread("hx-nouser" + X; null; 112; {name: S("no user " + X)}),

# steps: the team thread (Chainlit's strip damages these ids)
step("DATA-1-TEAM"; "STEP-P"; 200; null; {type: S("assistant_message"), output: S("reply")}),
step("DATA-1-TEAM"; "STEP-Q"; 201; null; {feedback: fb("DATA-1-TEAM"; "STEP-Q"; "1"; X)}),
step("a#b::c%25d%"; "x#y::z%"; 202; null; {}),
step("a#b::c%25d%"; "p::q"; 203; "x#y::z%"; {feedback: fb("a#b::c%25d%"; "p::q"; "0"; "colons")}),

# steps: hx-big
# a 389 KB output (10800 x 36 bytes) and a 2 KB comment: near the 400 KB item limit
step("hx-big"; "s-huge"; 299; null; {name: S("Assistant"), type: S("assistant_message"),
  output: S("lorem ipsum \u001b[1mdolor\u009b sit\u202e amet\n" * 10800),
  feedback: fb("hx-big"; "s-huge"; "1"; "c\u001b" * 1000)}),
step("hx-big"; "s-deep"; 300; null; {generation: deep(30; S(X)), metadata: deep(29; N("1"))}),
step("hx-big"; "s-jsondeep"; 301; null; {input: S(("[" * 600) + "\"\\u001b[2J\"" + ("]" * 600)),
  output: S("{\"k\\u001b\": \"" + X + "\", \"\\u009b\": [1, 2]}")}),
step("hx-big"; "s-esc"; 302; null; {name: S(X), output: S("line1\n" + X + "\u0000after nul"),
  type: S(X), ("\u001b[2Jattr"): S("v"), ("\u009b"): N("1"), ("\u202eattr" + X): {BOOL: true},
  metadata: {M: {("k" + X): S(X)}}, tags: {L: [S(X), S("")]},
  feedback: fb("hx-big"; "s-esc"; "0"; "bad " + X + "\u0000 nul")}),
step("hx-big"; "s-t-name"; 303; null; {name: N("7")}),
step("hx-big"; "s-t-created"; 304; null; {createdAt: {M: {"S": S(ts(304))}}}),
step("hx-big"; "s-t-fbS"; 305; null; {feedback: S("1")}),
step("hx-big"; "s-t-fbvalS"; 306; null; {feedback: (fb("hx-big"; "s-t-fbvalS"; "1"; "c") | .M.value = S("1"))}),
step("hx-big"; "s-t-fbval2"; 307; null; {feedback: fb("hx-big"; "s-t-fbval2"; "2"; "two")}),
step("hx-big"; "s-t-fbval05"; 308; null; {feedback: fb("hx-big"; "s-t-fbval05"; "0.5"; "half")}),
step("hx-big"; "s-t-parentL"; 309; null; {parentId: {L: [S("s-deep")]}}),
step("hx-big"; "s-t-meta"; 310; null; {metadata: S("{}")}),
step("hx-big"; "s-t-type"; 311; null; {type: {BOOL: true}, streaming: S("true"), isError: N("0")}),
step("hx-big"; "s-t-output"; 312; null; {output: {M: {"o": S(X)}}, input: {L: []}, generation: {L: []}}),
step("hx-big"; "s-t-fbfields"; 313; null; {feedback: {M: {forId: {BOOL: true}, value: N("-1"),
  threadId: {L: []}, id: N("5"), comment: {M: {}}}}}),
step("hx-big"; "s-t-fbempty"; 314; null; {feedback: {M: {}}}),
step("hx-big"; "s-t-fbL"; 315; null; {feedback: {L: [N("1")]}}),
step("hx-big"; "s-t-times"; 316; null; {start: N("1"), end: {BOOL: false}, showInput: N("2"),
  tags: S("t"), language: {M: {}}, id: N("9"), threadId: {NULL: true}}),
step("hx-big"; "s-t-fbnullthread"; 317; null; {feedback: (fb("hx-big"; "s-t-fbnullthread"; "1"; "c") | .M.threadId = {NULL: true})}),
step("hx-big"; "s-empty"; 318; null; {name: S(""), type: S(""), output: S(""), input: S(""), id: S(""),
  createdAt: S(""), start: S(""), end: S(""), feedback: fb("hx-big"; "s-empty"; "1"; "")}),
step("hx-big"; ""; 319; null; {}),
{PK: S("THREAD#hx-big"), SK: S("STEP#s-stub"), feedback: fb("hx-big"; "s-stub"; "0"; "stub")},
{PK: S("THREAD#hx-big"), SK: S("WHAT" + X), junk: S(X)},
{PK: S("THREAD#hx-big"), SK: S("ELEMENT#el-esc"), id: S("el-esc"), threadId: S("hx-big"),
 type: S(X), name: S("file" + X + ".png"), display: S("inline"),
 url: S("javascript:alert(1)\u001b]8;;http://evil\u0007x"), forId: S("s-esc"), mime: S(X),
 chainlitKey: {NULL: true}, size: S("small"), props: {NULL: true}, page: {NULL: true}},
{PK: S("THREAD#hx-big"), SK: S("ELEMENT#el-types"), id: N("1"), threadId: {BOOL: true},
 type: N("2"), name: {M: {}}, url: {L: []}, forId: N("3"), objectKey: N("4"), mime: {BOOL: false},
 page: S("one"), props: S("{}"), autoPlay: S("yes")},
{PK: S("THREAD#hx-big"), SK: S("ELEMENT#el-orphan"), id: S("el-orphan"), threadId: S("hx-big"),
 type: S("image"), name: S("orphan.png"), forId: S("no-such-step"), objectKey: S("k"), mime: S("image/png")},

# steps: 500 in one parentId chain
(range(0; 500) as $i | step("hx-chain"; "c\($i)"; 1000 + $i; (if $i == 0 then null else "c\($i - 1)" end);
  {name: S("chain " + ($i|tostring) + " " + X)})),

# steps: parentId cycles
step("hx-cycle"; "cy-a"; 400; "cy-b"; {}),
step("hx-cycle"; "cy-b"; 401; "cy-a"; {}),
step("hx-cycle"; "cy-self"; 402; "cy-self"; {}),
step("hx-cycle"; "cy-orphan"; 403; "cy-missing"; {}),
step("hx-cycle"; "cy-root"; 404; null; {}),
step("hx-cycle"; "cy-child"; 405; "cy-root"; {}),
step("hx-cycle"; "cy-c1"; 406; "cy-c3"; {}),
step("hx-cycle"; "cy-c2"; 407; "cy-c1"; {}),
step("hx-cycle"; "cy-c3"; 408; "cy-c2"; {}),
step("hx-cycle"; "cy-tail"; 409; "cy-c2"; {})
,

# steps whose id / threadId attributes name another item than their key
thread("hx-victim"; $H; 113; {}),
step("hx-victim"; "s-wrongid"; 500; null; {id: S("s-victim"), name: S("wrong id step")}),
step("hx-victim"; "s-victim"; 501; null; {name: S("the victim")}),
step("hx-victim"; "s-wrongthread"; 502; null; {threadId: S("hx-victim-other"), name: S("wrong thread step")}),
thread("hx-victim-other"; $H; 114; {}),
step("hx-victim-other"; "s-wrongthread"; 503; null; {name: S("the other victim")})
