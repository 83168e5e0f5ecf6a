import { describe, expect, it } from 'vitest';
import { frameFile, frameName, selfTimes, type CdpProfile } from './cpuProfile';

const frame = (functionName: string, url = '', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});

describe('selfTimes', () => {
  it('charges each sample the interval after it, leaving idle out', () => {
    const profile: CdpProfile = {
      nodes: [
        { id: 1, callFrame: frame('(idle)') },
        { id: 2, callFrame: frame('draw', 'http://x/assets/index-1.js', 9) },
        { id: 3, callFrame: frame('(garbage collector)') },
      ],
      samples: [2, 2, 1, 3, 2],
      timeDeltas: [0, 1000, 2000, 500, 3000],
    };
    const byName = selfTimes(profile, frameName);
    expect(byName).toEqual([
      { kernel: 'draw index-1.js:10', calls: 3, ms: 3 },
      { kernel: '(garbage collector) (native):1', calls: 1, ms: 3 },
    ]);
    expect(selfTimes(profile, frameFile).map((g) => g.kernel)).toEqual([
      'index-1.js',
      '(garbage collector)',
    ]);
  });
});
