// The sign-in contract: an email and a password in, a Bearer token out.
import { z } from 'zod';

export const LoginSchema = z
  .object({
    // no pattern: any string is a possible (and, if unknown, simply wrong) email
    email: z.string().min(1).max(254).meta({ description: 'The email address of the user' }),
    password: z.string().min(1).max(256).meta({ description: 'The password', format: 'password' }),
  })
  .meta({ id: 'LoginRequest', unusedIO: 'input' });

export const TokenSchema = z
  .object({
    token: z.string().meta({ description: 'A JWT to send as `Authorization: Bearer <token>`' }),
    tokenType: z.literal('Bearer').meta({ description: 'Always Bearer' }),
    expiresIn: z.int().min(1).meta({ description: 'Seconds until the token expires' }),
  })
  .meta({ id: 'Token' });

export type Login = z.infer<typeof LoginSchema>;
export type Token = z.infer<typeof TokenSchema>;
