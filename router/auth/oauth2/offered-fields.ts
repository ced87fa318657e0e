// What a provider's profile claims (OpenID Connect Core §5.1: `name`, `gender`, `birthdate`) can
// offer a new account's form, never more than an offer: the person sees each value and may change
// it. A value is offered only as the published create would take it; anything else offers nothing.
import { Gender } from '../../../entities';
import { UserCreateSchema } from '../../users/user-schemas';

/** The provider's profile, as its claims came. */
export interface ProviderProfile {
  name?: unknown;
  gender?: unknown;
  birthdate?: unknown;
}

/** The fields offered: each null when the provider gave none the form could take. */
export interface OfferedFields {
  name: string | null;
  age: number | null;
  gender: Gender | null;
}

export function offeredFields(profile: ProviderProfile, now: Date): OfferedFields {
  return {
    name: offeredName(profile.name),
    age: offeredAge(profile.birthdate, now),
    gender: offeredGender(profile.gender),
  };
}

/** `Noor Haddad` → `Noor_Haddad`: in the characters a user's name may hold, within its length. */
function offeredName(name: unknown): string | null {
  if (typeof name !== 'string') return null;
  const offered = name
    .trim()
    .replace(/\s+/g, '_')
    .replace(/[^A-Za-z0-9_-]/g, '')
    .slice(0, 32);
  return UserCreateSchema.shape.name.safeParse(offered).success ? offered : null;
}

/** The age at `now` of a `YYYY-MM-DD` birthdate (one without its year, `0000-…`, or a bare year, says too little). */
function offeredAge(birthdate: unknown, now: Date): number | null {
  if (typeof birthdate !== 'string') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthdate);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year === 0) return null;
  const birthdayPassed = now.getUTCMonth() + 1 > month || (now.getUTCMonth() + 1 === month && now.getUTCDate() >= day);
  const age = now.getUTCFullYear() - year - (birthdayPassed ? 0 : 1);
  return UserCreateSchema.shape.age.safeParse(age).success ? age : null;
}

/** `female` and `male` as the published values; any other (a free text, per the spec) offers nothing. */
function offeredGender(gender: unknown): Gender | null {
  if (gender === 'female') return Gender.female;
  if (gender === 'male') return Gender.male;
  return null;
}
