// Prints how long validation plus shape inference takes on a 300-node document (target: under 5 ms), and on
// documents with a 4,000- and an 8,000-node cycle (linear: the second takes about twice as long, one message each).
import { loadGraph, validateGraph } from '../graph-schemas';
import { cyclicDocument, largeDocument } from '../graph-schemas/bench-fixtures';

const doc = largeDocument(300);
const loaded = loadGraph(JSON.parse(JSON.stringify(doc)));
if (!loaded.ok) throw new Error(loaded.error.message);
const nodes = doc.generator.nodes.length + doc.discriminator.nodes.length;
const report = validateGraph(loaded.value.doc);
if (!report.valid) throw new Error(`benchmark document is invalid: ${report.problems[0]?.message}`);

for (let i = 0; i < 50; i++) validateGraph(loaded.value.doc); // warm up the JIT
const times: number[] = [];
for (let i = 0; i < 200; i++) {
  const t0 = performance.now();
  validateGraph(loaded.value.doc);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.floor(p * (times.length - 1))]!.toFixed(2);
console.log(
  `validate + shape inference, ${nodes} nodes: median ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms (target < 5 ms)`,
);

for (const length of [4000, 8000]) {
  const cyclic = cyclicDocument(length);
  for (let i = 0; i < 3; i++) validateGraph(cyclic);
  const t0 = performance.now();
  const runs = 5;
  let problems = validateGraph(cyclic).problems;
  for (let i = 1; i < runs; i++) problems = validateGraph(cyclic).problems;
  const text = problems.reduce((n, p) => n + p.message.length, 0);
  console.log(
    `validate a ${length.toLocaleString('en-US')}-node cycle: ${((performance.now() - t0) / runs).toFixed(1)} ms, ${problems.length} problem(s), ${text} characters of messages`,
  );
}
