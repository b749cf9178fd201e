/**
 * Ends the run with one plain line, "Tests: N passed, N failed, N skipped", which CI reads as
 * the run's result whatever the runner's own formatting.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const count = (state: 'passed' | 'failed' | 'skipped') =>
      testModules.reduce((total, module) => total + [...module.children.allTests(state)].length, 0);
    const failedModules = testModules.filter((module) => module.state() === 'failed' && !module.children.size).length;
    process.stdout.write(`\nTests: ${count('passed')} passed, ${count('failed') + failedModules} failed, ${count('skipped')} skipped\n`);
  }
}
