// Prints how long validation plus shape inference takes on a 300-node document (target: under 5 ms).
import { loadGraph, validateGraph } from '../graph-schemas';
import { largeDocument } from '../graph-schemas/bench-fixtures';

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
