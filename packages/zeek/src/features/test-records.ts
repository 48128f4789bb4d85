// Hand-made ConnRecords for the feature and injection tests.
import type { ConnRecord } from '../conn-record.ts';

let counter = 0;

export function conn(overrides: Partial<ConnRecord> & Pick<ConnRecord, 'ts'>): ConnRecord {
  counter++;
  return {
    uid: `Ctest${counter}`,
    origHost: '10.0.0.1',
    origPort: 40000 + (counter % 20000),
    respHost: '10.0.0.2',
    respPort: 443,
    proto: 'tcp',
    service: 'ssl',
    duration: 1,
    origBytes: 100,
    respBytes: 200,
    connState: 'SF',
    origPkts: 5,
    origIpBytes: 400,
    respPkts: 5,
    respIpBytes: 500,
    label: null,
    detailedLabel: null,
    ...overrides,
  };
}
