/**
 * A log-linear latency histogram in the style of HdrHistogram: fixed memory (864 counters),
 * O(1) per sample, about 3% relative error. Values are integers (we record microseconds).
 *
 * Layout: values below 64 get one bucket each; above, each power of two [2^k, 2^(k+1)) is split
 * into 32 equal sub-buckets, so bucket width grows with the value and relative error stays flat.
 */

const SUB_BUCKET_BITS = 6
const HALF = 1 << (SUB_BUCKET_BITS - 1)
/** Largest recordable value; larger samples are clamped (2^31 µs is about 36 minutes). */
export const HISTOGRAM_MAX = 2 ** 31 - 1
/** Bucket count: level 0 holds 2·HALF values, each further level HALF (index of 2^31-1 is 863). */
const BUCKETS = (31 - SUB_BUCKET_BITS + 2) * HALF

export class Histogram {
  private readonly counts = new Float64Array(BUCKETS)
  private total = 0
  private sum = 0
  private minValue = Infinity
  private maxValue = 0

  get count(): number {
    return this.total
  }

  /** Records one value (negative values count as 0, huge ones as {@link HISTOGRAM_MAX}). */
  record(value: number): void {
    const v = Math.min(HISTOGRAM_MAX, Math.max(0, Math.round(value)))
    this.counts[bucketOf(v)]++
    this.total++
    this.sum += v
    this.minValue = Math.min(this.minValue, v)
    this.maxValue = Math.max(this.maxValue, v)
  }

  /** Adds every sample of `other` to this histogram. */
  add(other: Histogram): void {
    for (let i = 0; i < BUCKETS; i++) {
      this.counts[i] += other.counts[i] ?? 0
    }
    this.total += other.total
    this.sum += other.sum
    this.minValue = Math.min(this.minValue, other.minValue)
    this.maxValue = Math.max(this.maxValue, other.maxValue)
  }

  reset(): void {
    this.counts.fill(0)
    this.total = 0
    this.sum = 0
    this.minValue = Infinity
    this.maxValue = 0
  }

  /**
   * The value at percentile `p` (0–100): the middle of the bucket holding the sample of that
   * rank, clamped to the exact min and max seen. 0 when empty.
   */
  percentile(p: number): number {
    if (this.total === 0) {
      return 0
    }
    const rank = Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * this.total))
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] ?? 0
      if (seen >= rank) {
        const { low, high } = bucketRange(i)
        return Math.min(this.maxValue, Math.max(this.minValue, (low + high) / 2))
      }
    }
    return this.maxValue
  }

  get max(): number {
    return this.maxValue
  }

  get min(): number {
    return this.total === 0 ? 0 : this.minValue
  }

  get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total
  }
}

function bucketOf(v: number): number {
  const msb = 31 - Math.clz32(v)
  const level = Math.max(0, msb - SUB_BUCKET_BITS + 1)
  return level * HALF + (v >>> level)
}

/** The smallest and largest value of bucket `i`. */
function bucketRange(i: number): { low: number; high: number } {
  if (i < 2 * HALF) {
    return { low: i, high: i }
  }
  const level = Math.floor(i / HALF) - 1
  const sub = i - level * HALF
  const low = sub * 2 ** level
  return { low, high: low + 2 ** level - 1 }
}
