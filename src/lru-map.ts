// A Map with a size limit that forgets the entry used least recently: for caches of derived data that may be rebuilt at any time.
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`an LruMap needs room for at least one entry, got ${limit}`);
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Map keeps insertion order: moving a used entry to the end leaves the least recently used one first.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
  }

  has(key: K): boolean { return this.entries.has(key); }
  clear(): void { this.entries.clear(); }
  get size(): number { return this.entries.size; }
}
