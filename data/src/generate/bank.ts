// Demo payee accounts: the synthetic city's people and firms each get a 19-digit bank card
// or settlement account number, so that a fresh demo can make payout batches. Deterministic
// in (seed, profile id); the prefixes are real issuer ranges of the big state banks and the
// last digit is a Luhn check digit, so the numbers look like what a bank file carries.
import { mix32, seedOf } from './prng.ts';

const PREFIXES = ['622848', '621700', '622202', '621661', '622262', '623059'];

function luhnDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** The account number of a profile: 19 digits, a bank prefix, a valid Luhn check digit. */
export function demoBankAccount(seed: number | string, profileId: string): string {
  let h = seedOf(seed) ^ 0x5bd1e995;
  for (let i = 0; i < profileId.length; i++) h = mix32(h ^ profileId.charCodeAt(i));
  const prefix = PREFIXES[h % PREFIXES.length];
  let digits = '';
  for (let i = 0; digits.length < 12; i++) {
    h = mix32(h + 0x9e3779b9 + i);
    digits += String(h % 1_000_000).padStart(6, '0');
  }
  const body = prefix + digits.slice(0, 12);
  return body + String(luhnDigit(body));
}

/** Whether a number passes the Luhn check (bank card numbers do). */
export function luhnValid(n: string): boolean {
  return /^\d{2,}$/.test(n) && luhnDigit(n.slice(0, -1)) === Number(n.at(-1));
}
