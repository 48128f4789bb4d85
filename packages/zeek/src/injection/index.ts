export * from './attacks.ts';
export * from './address-space.ts';
export * from './inject.ts';
export { InjectionRandom } from './seeded-random.ts';
export * from './benign-dns.ts';
export * from './botnet.ts';
