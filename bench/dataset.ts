// The seeded users, as pure functions of their index, so the seeder writes them and the load
// generator picks existing ids and addresses without sharing a file or asking the database.
// Names and addresses are made of real first and last names (Anna_Okafor,
// anna.okafor1234@mail.example), so that a search by substring (`q`, issue 20) meets the spread of
// matches real data gives it: a last name is in about 0.4% of the users, a first and last name in
// a few thousandths of a percent, the largest address domain in half of them.
import { createHash } from 'node:crypto';

/** Seeded users are created one second apart from here on, so list order is fully determined. */
export const SEED_EPOCH_MS = Date.UTC(2024, 0, 1);

/** The address domain of users the create scenario adds (so those can be removed). */
export const CREATE_DOMAIN = 'create.bench.example';

/** The password every create request sends, and (hashed once) every seeded password user has. */
export const BENCH_PASSWORD = 'bench-password-1';

/** First names of seeded users, each about as common as the others. */
export const FIRST_NAMES: readonly string[] = `
  Aaliyah Aaron Abdul Ada Adam Adrian Ahmed Aisha Akira Alan Alejandro Alex Alice Amara Amelia Amir
  Ana Andrea Andrew Angela Anna Anton Arjun Asha Astrid Ava Ben Bianca Boris Bruno Camila Carla
  Carlos Carmen Chen Chiara Chloe Chris Clara Daniel Daria David Diego Dmitri Elena Eli Elif Elijah
  Emil Emily Emma Erik Esther Ethan Eva Fatima Felix Fiona Francesca Gabriel Grace Hana Hannah Hassan
  Hugo Ibrahim Ida Igor Ines Ingrid Isaac Isabel Ivan Jack Jakob James Jana Jasmine Javier Jin John
  Jonas Jorge Joseph Julia Kai Karim Kate Kenji Khalid Kim Lara Laura Layla Leo Leon Liam Lina Lucas
  Lucia Luis Maja Marco Maria Mark Marta Mateo Maya Mei Mia Michael Mohamed Nadia Naomi Nikolai Nina
  Noah Nora Olga Oliver Omar Oscar Paul Pedro Priya Rafael Rahul Rana Ravi Rosa Ruth Sam Sara Sean
  Sofia Sophie Stefan Tariq Thomas Tomas Valentina Victor Wei Yara Yusuf Zara Zoe
`
  .trim()
  .split(/\s+/);

/** Last names of seeded users, each about as common as the others. */
export const LAST_NAMES: readonly string[] = `
  Abbott Abe Acosta Adams Adeyemi Aguilar Ahmadi Akhtar Albrecht Alvarez Andersen Andersson Aoki
  Arslan Asante Bakker Banerjee Barbieri Barnes Bauer Becker Bellini Bergstrom Bianchi Bjork Blanco
  Boateng Bondarenko Bose Brandt Brennan Brooks Brown Bruno Campbell Carter Castillo Castro Chandra
  Chang Chatterjee Chen Cho Chopra Chowdhury Cohen Colombo Conti Cooper Costa Cruz Dahl Dang Das
  Davies Delgado Demir Diallo Dias Dubois Dvorak Edwards Eriksen Esposito Evans Farah Farouk
  Fernandes Ferrari Fischer Fitzgerald Flores Fontaine Fraser Friedman Fujita Garcia Gomez Goncalves
  Gonzalez Gordon Grant Gruber Gupta Gutierrez Haddad Hakimi Hall Hansen Hartmann Hashemi Hayashi
  Herrera Hoffmann Horvat Hosseini Huang Hughes Ibrahim Ikeda Iqbal Ito Ivanov Jansen Jensen Jimenez
  Johansson Johnson Jones Joshi Jung Kaiser Kang Kapoor Kaya Keller Khan Khalil Kim Kimura Klein
  Kobayashi Koch Kovac Kowalski Kozlov Kraus Kumar Kuznetsov Lambert Lange Larsen Laurent Lehmann
  Lindberg Lindqvist Liu Lopez Lorenz Lund Madsen Mahmoud Malik Mancini Marchetti Marino Martin
  Martinez Matsumoto Mazur Medina Mehta Meier Mendes Mendoza Meyer Mishra Molina Morales Moreau
  Moreno Morris Muller Murphy Murray Nakamura Nair Navarro Nguyen Nielsen Nikolaidis Novak Nowak
  Nunez Obi Odhiambo Ogunleye Okafor Okonkwo Olsen Oliveira Ortega Ortiz Osei Ozturk Park Patel
  Pereira Perez Petrov Petersen Phillips Pham Popescu Popov Quinn Rahman Ramirez Ramos Rao Reddy
  Reyes Ricci Richter Rivera Robinson Rodrigues Rodriguez Romano Rossi Ruiz Russo Saito Salazar
  Sanchez Santos Sato Schmidt Schneider Schulz Sharma Shevchenko Silva Singh Smirnov Smith Sokolov
  Suarez Suzuki Svensson Takahashi Tanaka Taylor Thomas Torres Tran Turner Vargas Vasquez Vogel
  Volkov Wagner Walker Wang Watanabe Weber Williams Wilson Wong Wright Wu Yamada Yamamoto Yang Yilmaz
  Yoshida Young Zhang Zhao Zhou Zimmermann
`
  .trim()
  .split(/\s+/);

/**
 * The address domains of seeded users and their shares, in 256ths: half the users have an address
 * at the first one (what a broad `q` finds), the rest fewer at each.
 */
export const SEED_DOMAINS: ReadonlyArray<readonly [domain: string, share: number]> = [
  ['mail.example', 128],
  ['post.example', 51],
  ['inbox.example', 39],
  ['web.example', 25],
  ['corp.example', 13],
];

const userHash = (index: number): string => createHash('md5').update(`bench-user-${index}`).digest('hex');

/**
 * The id of seeded user `index`: UUID-shaped, as the service makes when the client chooses none,
 * but derived from the index so it is the same every run: the index in its first 8 hex digits
 * (ids ascend with it, as time-ordered UUIDs do), md5 bits laid out as a version-4 UUID after.
 * Ascending keys are what makes seeding 2,000,000 users take minutes: every index then grows at
 * its end, where random keys would write a full page image to the WAL for nearly every row.
 */
export function seededUserId(index: number): string {
  return idFrom(index, userHash(index));
}

function idFrom(index: number, hex: string): string {
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const ordered = index.toString(16).padStart(8, '0');
  return `${ordered}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface SeedRow {
  /** Also the email id: seeded emails take ids 1..N. */
  emailId: number;
  userId: string;
  createdAt: Date;
  name: string;
  age: number;
  gender: number;
  address: string;
  authMethod: number;
  /** Whether the email gets the shared password hash (only password sign-ins have one). */
  hasPassword: boolean;
}

/** The domain whose share the 0..255 value `at` falls into. */
function domainAt(at: number): string {
  let below = 0;
  for (const [domain, share] of SEED_DOMAINS) {
    below += share;
    if (at < below) return domain;
  }
  return SEED_DOMAINS[SEED_DOMAINS.length - 1]![0];
}

export function seedRow(index: number): SeedRow {
  const hex = userHash(index);
  // a mix of sign-in methods, mostly passwords, as real users would have
  const authMethod = index % 10 < 7 ? 0 : (index % 3) + 1;
  // the name and domain from bits of the hash the id's random part shows too: spread evenly, fixed per index
  const first = FIRST_NAMES[parseInt(hex.slice(0, 4), 16) % FIRST_NAMES.length]!;
  const last = LAST_NAMES[parseInt(hex.slice(4, 8), 16) % LAST_NAMES.length]!;
  return {
    emailId: index + 1,
    userId: idFrom(index, hex),
    createdAt: new Date(SEED_EPOCH_MS + index * 1000),
    name: `${first}_${last}`,
    age: (index % 120) + 1,
    gender: index % 3,
    // the index makes it unique
    address: `${first.toLowerCase()}.${last.toLowerCase()}${index}@${domainAt(parseInt(hex.slice(20, 22), 16))}`,
    authMethod,
    // a password for 0, and for 2 (a password and TOTP), as the service requires of them
    hasPassword: authMethod === 0 || authMethod === 2,
  };
}
