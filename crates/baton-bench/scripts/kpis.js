// Per-agent figures of a Baton export with JSON.parse and a reduce: the plain
// Node.js baseline. Usage: node kpis.js FILE json|ndjson
'use strict';
const fs = require('fs');
const [file, kind] = process.argv.slice(2);
const text = fs.readFileSync(file, 'utf8');
let ops;
if (kind === 'ndjson') {
  ops = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    if (r.type === 'operation') ops.push(r);
  }
} else {
  ops = JSON.parse(text).operations || [];
}
const acc = ops.reduce((m, op) => {
  let a = m.get(op.agent);
  if (!a) {
    a = { finished: 0, succeeded: 0, durSum: 0, durations: [], tokensN: 0, tokens: 0 };
    m.set(op.agent, a);
  }
  if (op.outcome !== 'running') {
    a.finished++;
    if (op.outcome === 'success') a.succeeded++;
    if (typeof op.duration === 'number') { a.durSum += op.duration; a.durations.push(op.duration); }
  }
  if (op.tokens) {
    const t = op.tokens;
    a.tokensN++;
    a.tokens += (t.input || 0) + (t.output || 0) + (t.cache_read || 0) + (t.cache_write || 0);
  }
  return m;
}, new Map());
const out = [];
for (const agent of [...acc.keys()].sort()) {
  const a = acc.get(agent);
  const n = a.durations.length;
  let p95 = 'null';
  if (n > 0) {
    const d = Float64Array.from(a.durations).sort();
    p95 = d[Math.min(Math.max(Math.ceil(0.95 * n), 1), n) - 1];
  }
  out.push([agent, a.finished,
    a.finished ? a.succeeded / a.finished : 'null',
    n ? a.durSum / n : 'null', p95,
    a.tokensN ? a.tokens : 'null'].join('\t'));
}
process.stdout.write(out.join('\n') + '\n');
