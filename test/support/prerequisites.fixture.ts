// A tiny spec for test/prerequisites.test.ts, run by a mocha of its own: one suite needs a program
// no machine has, one needs nothing. Not matched by .mocharc.json's spec pattern.
import { requireProgram } from './prerequisites';

describe('a suite that needs a program no machine has', function () {
  before(function () {
    requireProgram(this, {
      name: 'no-such-program-anywhere',
      candidates: () => ['no-such-program-anywhere'],
      install: 'apt-get install no-such-program-anywhere',
    });
  });

  it('would use it', () => {
    throw new Error('this test ran although its program is missing');
  });
});

describe('a suite that needs nothing', () => {
  it('runs', () => {});
});
