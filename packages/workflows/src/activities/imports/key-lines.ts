/**
 * Natural key → the line it was first seen on, for the hundreds of thousands of keys an import
 * remembers between its steps. A `Map` of strings that size costs the garbage collector more than
 * the import's parsing: every key is an object it copies, promotes and tracks. This is an
 * open-addressing hash table over typed arrays with the keys' UTF-16 code units in one array, so
 * it holds no object per key. Equality is exact (keys are compared unit by unit, not by hash).
 * `WrittenKeys` keeps one such table per import running in this process, between its batches.
 */

const EMPTY = 0;
/** 32-bit FNV-1a over UTF-16 code units. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** A growable map from strings to line numbers (non-negative integers below 2³¹). */
export class KeyLines {
  /** Per slot: index + 1 of the entry there, or {@link EMPTY}. A power of two in length. */
  private slots = new Int32Array(1024);
  /** Per entry: its key's hash, line, and where its code units start in {@link units}. */
  private hashes = new Int32Array(512);
  private lines = new Int32Array(512);
  private starts = new Int32Array(513);
  private units = new Uint16Array(8192);
  private count = 0;

  /** Number of keys. */
  get size(): number {
    return this.count;
  }

  /** The line stored for `key`, or `undefined`. */
  get(key: string): number | undefined {
    const entry = this.find(key, hashOf(key));
    return entry < 0 ? undefined : this.lines[entry];
  }

  /** Stores `line` for `key` (replacing what was there). */
  set(key: string, line: number): void {
    checkLine(line);
    const hash = hashOf(key);
    const found = this.find(key, hash);
    if (found >= 0) {
      this.lines[found] = line;
      return;
    }
    this.insert(key, hash, line);
  }

  /** Adds `key` (not present) with `line`. */
  private insert(key: string, hash: number, line: number): void {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const entry = this.count++;
    this.reserve(entry, key.length);
    const start = this.starts[entry]!;
    for (let i = 0; i < key.length; i++) this.units[start + i] = key.charCodeAt(i);
    this.starts[entry + 1] = start + key.length;
    this.hashes[entry] = hash;
    this.lines[entry] = line;
    this.place(entry, hash);
  }

  /**
   * The line stored for `key` when it is before `line` (a duplicate: nothing changes); otherwise
   * stores `line` for `key` and returns -1. One hash and one probe, where `get` then `set` take two.
   */
  claim(key: string, line: number): number {
    checkLine(line);
    const hash = hashOf(key);
    const found = this.find(key, hash);
    if (found >= 0) {
      const earlier = this.lines[found]!;
      if (earlier < line) return earlier;
      this.lines[found] = line;
      return -1;
    }
    this.insert(key, hash, line);
    return -1;
  }

  /** Index of `key`'s entry, or -1. */
  private find(key: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot]!;
      if (at === EMPTY) return -1;
      const entry = at - 1;
      if (this.hashes[entry] === hash && this.equals(entry, key)) return entry;
    }
  }

  private equals(entry: number, key: string): boolean {
    const start = this.starts[entry]!;
    if (this.starts[entry + 1]! - start !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (this.units[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  /** Puts `entry` in the first free slot of its probe sequence. */
  private place(entry: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  /** Room for entry `entry` with a key of `length` units. */
  private reserve(entry: number, length: number): void {
    if (entry >= this.hashes.length) {
      const capacity = this.hashes.length * 2;
      this.hashes = grown(this.hashes, capacity);
      this.lines = grown(this.lines, capacity);
      this.starts = grown(this.starts, capacity + 1);
    }
    const needed = this.starts[entry]! + length;
    if (needed > this.units.length) {
      const units = new Uint16Array(Math.max(needed, this.units.length * 2));
      units.set(this.units);
      this.units = units;
    }
  }

  /** Doubles the slots and re-places every entry. */
  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let entry = 0; entry < this.count; entry++) this.place(entry, this.hashes[entry]!);
  }
}

function checkLine(line: number): void {
  if (!Number.isInteger(line) || line < 0 || line > 0x7fffffff) {
    throw new RangeError(`line must be an integer in [0, 2^31), got ${line}`);
  }
}

function grown(array: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(length);
  next.set(array);
  return next;
}

/**
 * The natural keys (→ their first line) that the imports running in this process have written so
 * far, so a batch need not look them up in PostgreSQL. An entry is trusted only by a batch that
 * starts where the last committed step of this process ended: a retried or resumed batch (another
 * attempt, another worker) looks its keys up instead, so the rows are the same either way.
 */
export class WrittenKeys {
  private readonly entries = new Map<string, { nextLine: number; lines: KeyLines }>();

  constructor(
    private readonly maxOperations = 4,
    /** Beyond this many keys an import's entry is dropped (its steps then look keys up). */
    private readonly maxKeys = 500_000,
  ) {}

  /**
   * The keys of every line before `line`, if this process wrote all of them; `null` when not
   * known. A step that starts at the file's first data line starts a fresh entry.
   */
  before(operationId: string, line: number, startLine: number): KeyLines | null {
    let entry = this.entries.get(operationId);
    if (line === startLine) entry = { nextLine: line, lines: new KeyLines() };
    else if (entry?.nextLine !== line) return null;
    this.entries.delete(operationId); // most recently used last
    this.entries.set(operationId, entry);
    while (this.entries.size > this.maxOperations) this.entries.delete(this.entries.keys().next().value!);
    return entry.lines;
  }

  /** The step's transaction committed: its keys (added to the map by the step) now hold up to `nextLine`. */
  committed(operationId: string, nextLine: number): void {
    const entry = this.entries.get(operationId);
    if (!entry) return;
    if (entry.lines.size > this.maxKeys) this.entries.delete(operationId);
    else entry.nextLine = nextLine;
  }

  /** The step failed (its keys may be in the map but not in the table), or the import ended. */
  forget(operationId: string): void {
    this.entries.delete(operationId);
  }
}
