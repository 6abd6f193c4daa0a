import { text, Uuid } from '../../http/schemas.js';
import { z } from '../../http/zod.js';

export const Email = z
  .string()
  .max(320)
  .email()
  .transform((e) => e.toLowerCase())
  .openapi({ example: 'analyst@bank.example' });
export const Password = text(12, 256).openapi({
  description: 'At least 12 characters.',
  example: 'correct-horse-battery',
});

export const SignupBody = z
  .object({
    organizationName: text(1, 200).openapi({ example: 'Midlands Bank' }),
    email: Email,
    password: Password,
  })
  .openapi('SignupRequest');

export const LoginBody = z.object({ email: Email, password: text(1, 256) }).openapi('LoginRequest');

export const RefreshBody = z
  .object({
    refreshToken: text(1, 200).openapi({
      description: 'The refresh token from signup, login or the last refresh.',
    }),
  })
  .openapi('RefreshRequest');

export const TokenPair = z
  .object({
    accessToken: z
      .string()
      .openapi({ description: 'Short-lived JWT; send as `Authorization: Bearer <token>`.' }),
    refreshToken: z.string().openapi({ description: 'Single use: each refresh returns a new one.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().openapi({ description: 'Access token lifetime, seconds.' }),
  })
  .openapi('TokenPair');

export const SignupResponse = TokenPair.extend({
  organization: z.object({ id: Uuid, name: z.string() }),
  user: z.object({ id: Uuid, email: z.string(), role: z.literal('admin') }),
}).openapi('SignupResponse');

export type SignupInput = z.output<typeof SignupBody>;
export type LoginInput = z.output<typeof LoginBody>;
