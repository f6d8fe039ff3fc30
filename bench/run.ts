import { Benchmark, measure, printTable, Result, writeResults } from './harness';
import { issuanceBenchmarks } from './issuance.bench';
import { estBenchmarks, stopEstSuite } from './est.bench';

/** `npm run bench` runs every benchmark; `npm run bench -- <name>` runs those whose name contains <name>. */
async function main(): Promise<void> {
  const filter = process.argv[2];
  const all: Benchmark[] = [...(await issuanceBenchmarks()), ...(await estBenchmarks())];
  const selected = filter ? all.filter((b) => b.name.includes(filter)) : all;
  if (selected.length === 0) {
    console.error(`no benchmark matches "${filter}"; there are: ${all.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  const results: Result[] = [];
  try {
    for (const b of selected) {
      process.stderr.write(`running ${b.name}…\n`);
      results.push(await measure(b));
    }
  } finally {
    await stopEstSuite();
  }
  printTable(results);
  console.log(`\nresults written to ${writeResults(results)}`);
}

void main();
