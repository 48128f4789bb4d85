/**
 * The open addressing and array growth the memo tables share (guide-rules.ts's sequence memo, token-table.ts): slot i holds a key's
 * hash and its entry + 1 (0 = empty), probed linearly; the slot count is a power of two. Free functions over the
 * tables' own arrays, so each lookup loop stays in its class with no indirection on the hot path.
 */

/** Puts entry `e` under `hash` in the first free slot from its home slot. */
export function placeInSlots(slotHash: Int32Array, slotEntry: Int32Array, hash: number, e: number): void {
  const mask = slotHash.length - 1;
  let i = hash & mask;
  while (slotEntry[i] !== 0) i = (i + 1) & mask;
  slotHash[i] = hash;
  slotEntry[i] = e + 1;
}

/** The same entries in `slots` slots (a power of two). */
export function rehashSlots(slotHash: Int32Array, slotEntry: Int32Array, slots: number): { slotHash: Int32Array<ArrayBuffer>; slotEntry: Int32Array<ArrayBuffer> } {
  const next = { slotHash: new Int32Array(slots), slotEntry: new Int32Array(slots) };
  for (let i = 0; i < slotEntry.length; i++) if (slotEntry[i] !== 0) placeInSlots(next.slotHash, next.slotEntry, slotHash[i]!, slotEntry[i]! - 1);
  return next;
}

/** `array`, or a copy doubled until it holds `needed` entries. */
export function grown<T extends Int32Array | Uint16Array | Uint8Array | Float64Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  let length = array.length;
  while (length < needed) length *= 2;
  const copy = new (array.constructor as new (n: number) => T)(length);
  copy.set(array);
  return copy;
}
