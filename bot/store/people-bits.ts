import type { Db } from './database.js';

/*
 * Who and where, per day and per hour and fault, as bitmaps (schema v5): each user key and
 * channel gets a small number (user_ids, channel_ids), and `day_people` / `hour_people` hold one
 * row per day (hour), workspace and fault with a bitmap of the users and one of the channels
 * seen. Distinct people over a week are then an OR of whole days, the hours of its two ragged
 * days and under two hours of occurrences (at most 7 + 46 small rows per fault), whatever the
 * volume: the rows
 * per (day, fault, person) they replace made a week's count read and sort ~230,000 rows when
 * every row of a million fell in two weeks (issue 15's worst case), and the digest missed its
 * 300 ms budget.
 *
 * Bit i is bit (i % 8) of byte (i / 8), least significant first: PostgreSQL's set_bit on bytea
 * numbers bits the same way, so both backends read each other's bitmaps.
 */

/** `bits` with bit `i` set; a new buffer when it must grow. */
export function setBit(bits: Buffer | null, i: number): Buffer {
  const byte = i >> 3;
  const out = bits && bits.length > byte ? bits : Buffer.concat([bits ?? Buffer.alloc(0), Buffer.alloc(byte + 1 - (bits?.length ?? 0))]);
  out[byte] = (out[byte] as number) | (1 << (i & 7));
  return out;
}

/** a | b, as long as the longer of the two. */
export function orBits(a: Buffer | null, b: Buffer | null): Buffer | null {
  if (!a) return b;
  if (!b) return a;
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const out = Buffer.from(long);
  for (let i = 0; i < short.length; i++) out[i] = (out[i] as number) | (short[i] as number);
  return out;
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, n) => {
  let c = 0;
  for (let v = n; v; v >>= 1) c += v & 1;
  return c;
});

export function countBits(bits: Uint8Array | null): number {
  let n = 0;
  if (bits) for (const b of bits) n += POPCOUNT[b] as number;
  return n;
}

/** OR-accumulates bitmaps in place (grows as needed). */
export class BitSet {
  private bytes = new Uint8Array(0);
  or(bits: Uint8Array | null): void {
    if (!bits) return;
    if (bits.length > this.bytes.length) {
      const grown = new Uint8Array(bits.length);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    for (let i = 0; i < bits.length; i++) this.bytes[i] = (this.bytes[i] as number) | (bits[i] as number);
  }
  add(i: number | null): void {
    if (i === null || i < 0) return;
    const byte = i >> 3;
    if (byte >= this.bytes.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bytes.length * 2));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[byte] = (this.bytes[byte] as number) | (1 << (i & 7));
  }
  get size(): number {
    return countBits(this.bytes);
  }
}

/**
 * The SQLite side: faultline_bits_or(a, b) for upserts, and the aggregate faultline_bits(i)
 * for the migration that fills hour_people from existing occurrences. Registered on every
 * connection before migrating.
 */
export function registerBitFunctions(db: Db): void {
  db.function('faultline_bits_or', { deterministic: true }, (a: unknown, b: unknown) => orBits(Buffer.isBuffer(a) ? a : null, Buffer.isBuffer(b) ? b : null));
  db.aggregate('faultline_bits', {
    start: () => null as Buffer | null,
    step: (bits: Buffer | null, i: unknown) => (typeof i === 'number' || typeof i === 'bigint' ? setBit(bits, Number(i)) : bits),
  });
}

/** The PostgreSQL side of the same two functions (schema v2 there). */
export const PG_BIT_FUNCTIONS = `
  CREATE FUNCTION faultline_bits_or(a bytea, b bytea) RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
  DECLARE
    r bytea;
    s bytea;
  BEGIN
    IF a IS NULL THEN RETURN b; END IF;
    IF b IS NULL THEN RETURN a; END IF;
    IF length(a) >= length(b) THEN r := a; s := b; ELSE r := b; s := a; END IF;
    FOR i IN 0 .. length(s) - 1 LOOP
      r := set_byte(r, i, get_byte(r, i) | get_byte(s, i));
    END LOOP;
    RETURN r;
  END $$;

  CREATE FUNCTION faultline_add_bit(b bytea, i bigint) RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
  BEGIN
    IF i IS NULL THEN RETURN b; END IF;
    b := coalesce(b, ''::bytea);
    IF length(b) <= i / 8 THEN
      b := b || decode(repeat('00', (i / 8 + 1 - length(b))::int), 'hex');
    END IF;
    RETURN set_bit(b, i::int, 1);
  END $$;

  CREATE AGGREGATE faultline_bits(bigint) (SFUNC = faultline_add_bit, STYPE = bytea);
`;

/**
 * The SQL (the same on both backends) that numbers the people of existing occurrences and fills
 * the bitmaps from them: SQLite's migration 5 and PostgreSQL's 2. Part of shipped migrations:
 * never change it, add a migration instead.
 */
export const FILL_PEOPLE_FROM_OCCURRENCES = [
  `INSERT INTO user_ids (key) SELECT DISTINCT user_key FROM occurrences WHERE user_key IS NOT NULL ORDER BY 1`,
  `INSERT INTO channel_ids (key) SELECT DISTINCT channel FROM occurrences WHERE channel IS NOT NULL ORDER BY 1`,
  ...([['hour', 3_600_000], ['day', 86_400_000]] as const).map(
    ([unit, ms]) => `INSERT INTO ${unit}_people (${unit}, workspace, fault_key, users, channels)
      SELECT o.at / ${ms}, o.workspace, coalesce(o.fault_id, ''), faultline_bits(u.idx), faultline_bits(c.idx)
      FROM occurrences o LEFT JOIN user_ids u ON u.key = o.user_key LEFT JOIN channel_ids c ON c.key = o.channel
      GROUP BY 1, 2, 3`,
  ),
].join(';\n');
