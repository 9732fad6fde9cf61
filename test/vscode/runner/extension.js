// Test-only extension: when JUXIN_TEST_SUITE is set, runs that mocha bundle inside the real extension
// host and writes every result to JUXIN_TEST_RESULTS (the harness reads it).
const fs = require('fs');

exports.activate = async () => {
  const suite = process.env.JUXIN_TEST_SUITE;
  const out = process.env.JUXIN_TEST_RESULTS;
  if (!suite || !out) return;
  const Mocha = require(process.env.JUXIN_TEST_MOCHA);
  const mocha = new Mocha({ ui: 'bdd', timeout: 120000, color: false });
  mocha.addFile(suite);
  const results = [];
  // Figures a test measured (activation time…), printed by the harness.
  const metrics = (globalThis.juxinTestMetrics = {});
  const write = (done) => fs.writeFileSync(out + (done ? '' : '.partial'), JSON.stringify({ done, results, metrics }, null, 2));
  try {
    const runner = mocha.run();
    runner.on('pass', (t) => {
      results.push({ title: t.fullTitle(), state: 'passed', ms: t.duration });
      write(false);
    });
    runner.on('fail', (t, err) => {
      results.push({ title: t.fullTitle(), state: 'failed', error: String((err && err.stack) || err) });
      write(false);
    });
    runner.on('end', () => write(true));
  } catch (error) {
    results.push({ title: 'loading the suite', state: 'failed', error: String((error && error.stack) || error) });
    write(true);
  }
};
