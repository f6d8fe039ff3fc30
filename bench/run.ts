import * as fs from 'node:fs';
import * as path from 'node:path';
import { Benchmark, machineLine, measure, printTable, Result, writeChart, writeResults } from './harness';
import { chartLine, withChartLine } from './readme-chart-line';
import { agentStateBenchmarks } from './agent-state.bench';
import { crlPeerBenchmarks } from './crl-peer.bench';
import { ocspPeerBenchmarks } from './ocsp-peer.bench';
import { mosquittoReachBenchmarks } from './mosquitto-reach.bench';
import { issuanceBenchmarks } from './issuance.bench';
import { issuancePeerBenchmarks, stopIssuancePeers } from './issuance-peers.bench';
import { revocationFanoutBenchmarks } from './revocation-fanout.bench';
import { policyBenchmarks } from './policy.bench';
import { operatorSearchBenchmarks } from './operator-search.bench';
import { caBenchmarks } from './ca.bench';
import { estBenchmarks, stopEstSuite } from './est.bench';
import { attestationBenchmarks } from './attestation.bench';
import { clusterBenchmarks, stopClusterBenchmarks } from './cluster.bench';

/** `npm run bench` runs every benchmark; `npm run bench -- <name>` runs those whose name contains <name>. */
async function main(): Promise<void> {
  const filter = process.argv[2];
  const all: Benchmark[] = [
    ...(await issuanceBenchmarks()),
    ...(await caBenchmarks()),
    ...(await estBenchmarks()),
    ...(await policyBenchmarks()),
    ...(await revocationFanoutBenchmarks()),
    ...(await agentStateBenchmarks()),
    ...(await issuancePeerBenchmarks()),
    ...(await crlPeerBenchmarks()),
    ...(await attestationBenchmarks()),
    ...(await ocspPeerBenchmarks()),
    ...(await mosquittoReachBenchmarks()),
    ...(await clusterBenchmarks()),
  ];
  // The million-row store takes a while to fill: only when asked for (`npm run bench -- search`) or for everything.
  if (!filter || /search|audit/.test(filter)) all.push(...(await operatorSearchBenchmarks()));
  const selected = filter ? all.filter((b) => b.name.includes(filter)) : all;
  if (selected.length === 0) {
    console.error(`no benchmark matches "${filter}"; there are: ${all.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  const results: Result[] = [];
  try {
    for (const b of selected) {
      process.stderr.write(`running ${b.name}…\n`);
      try {
        results.push(await measure(b));
      } finally {
        await b.teardown?.();
      }
    }
  } finally {
    await stopEstSuite();
    await stopIssuancePeers();
    await stopClusterBenchmarks();
  }
  printTable(results);
  console.log(`\nresults written to ${writeResults(results)}`);
  const at = new Date();
  const chart = writeChart(results, at);
  console.log(`chart written to ${chart}`);
  // A full run also refreshes the chart the README shows.
  if (!filter) {
    const root = path.resolve(__dirname, '..', '..');
    fs.copyFileSync(chart, path.join(root, 'docs', 'benchmarks.svg'));
    const readme = path.join(root, 'README.md');
    const updated = withChartLine(fs.readFileSync(readme, 'utf8'), chartLine(at.toISOString().slice(0, 16), machineLine()));
    if (updated.replaced) fs.writeFileSync(readme, updated.text);
    console.log(`docs/benchmarks.svg updated${updated.replaced ? ', and the README line naming its date and machine' : ''}`);
  }
  // Client libraries may keep timers; the figures are out.
  process.exit(0);
}

void main();
