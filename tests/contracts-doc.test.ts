import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { metrics } from '@aiops/contracts';
import { CONTRACTS_DOC, renderContractsDoc } from '../scripts/contracts-doc.ts';

describe('docs/contracts.md', () => {
  const page = readFileSync(CONTRACTS_DOC, 'utf8');

  it('is what `pnpm contracts:doc` generates from @aiops/contracts (stale → run it)', () => {
    expect(page).toBe(renderContractsDoc(page));
  });

  it('lists every metric of the contract', () => {
    for (const m of Object.values(metrics)) expect(page).toContain(`\`${m.name}\``);
  });
});
