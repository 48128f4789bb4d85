/**
 * Blends synthetic attacks into a benign capture: `injectAttacks(benign, { attacks, seed })` returns the union in
 * ts order with, per record, the ground truth (`attackTypes[i]`: the attack type, or null for a benign record).
 * Pure and seeded: the same input and seed give the same records, uids and times.
 */
import type { ConnRecord } from '../conn-record.ts';
import { deriveAddressSpace } from './address-space.ts';
import { ATTACK_GENERATORS, ATTACK_TYPES, type AttackType } from './attacks.ts';
import { InjectionRandom } from './seeded-random.ts';

export interface InjectionOptions {
  /** Attack instances to generate, in order (a type may repeat); default: one of each type. */
  attacks?: readonly AttackType[];
  seed: number;
}

export interface InjectedCapture {
  records: ConnRecord[];
  /** Aligned with `records`: the attack a record belongs to, null when benign. */
  attackTypes: (AttackType | null)[];
}

export function injectAttacks(benign: readonly ConnRecord[], options: InjectionOptions): InjectedCapture {
  const space = deriveAddressSpace(benign);
  const rng = new InjectionRandom(options.seed);
  const tagged: { record: ConnRecord; attack: AttackType | null }[] = benign.map((record) => ({ record, attack: null }));
  for (const attack of options.attacks ?? ATTACK_TYPES) {
    const generate = ATTACK_GENERATORS[attack];
    if (!generate) throw new Error(`unknown attack type ${JSON.stringify(attack)}; known: ${ATTACK_TYPES.join(', ')}`);
    for (const record of generate(space, rng)) tagged.push({ record, attack });
  }
  tagged.sort((a, b) => a.record.ts - b.record.ts); // stable: benign records keep their order among ties
  return { records: tagged.map((t) => t.record), attackTypes: tagged.map((t) => t.attack) };
}
