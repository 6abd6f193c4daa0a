import { route } from '../../services.js';
import { LoginBody, RefreshBody, SignupBody, SignupResponse, TokenPair } from './auth.schemas.js';

const tags = ['auth'];

export const authRoutes = [
  route({
    operationId: 'signup',
    method: 'post',
    path: '/v1/auth/signup',
    summary: 'Create an organisation and its first admin',
    description: 'Creates a new tenant, its admin user, and signs the admin in.',
    tags,
    access: 'public',
    problems: [409],
    request: { body: SignupBody },
    responses: {
      201: { description: 'Organisation created; the admin is signed in.', schema: SignupResponse },
    },
    handler: async ({ body }, { em, services }) => {
      const { organization, user, tokens } = await services.auth.signup(em, body);
      return {
        status: 201,
        body: {
          ...tokens,
          organization: { id: organization.id, name: organization.name },
          user: { id: user.id, email: user.email, role: 'admin' as const },
        },
      };
    },
  }),
  route({
    operationId: 'login',
    method: 'post',
    path: '/v1/auth/login',
    summary: 'Sign in with email and password',
    tags,
    access: 'public',
    problems: [401],
    request: { body: LoginBody },
    responses: { 200: { description: 'Signed in.', schema: TokenPair } },
    handler: async ({ body }, { em, services }) => ({
      status: 200,
      body: await services.auth.login(em, body),
    }),
  }),
  route({
    operationId: 'refreshTokens',
    method: 'post',
    path: '/v1/auth/refresh',
    summary: 'Exchange a refresh token for a new token pair',
    description:
      'Refresh tokens are single use. Presenting one that was already used revokes every token of its session (reuse detection).',
    tags,
    access: 'public',
    problems: [401],
    request: { body: RefreshBody },
    responses: { 200: { description: 'A new token pair.', schema: TokenPair } },
    handler: async ({ body }, { em, services }) => ({
      status: 200,
      body: await services.auth.refresh(em, body.refreshToken),
    }),
  }),
  route({
    operationId: 'logout',
    method: 'post',
    path: '/v1/auth/logout',
    summary: 'End the session of a refresh token',
    tags,
    access: 'public',
    request: { body: RefreshBody },
    responses: { 204: { description: 'Signed out (also for unknown tokens).' } },
    handler: async ({ body }, { em, services }) => {
      await services.auth.logout(em, body.refreshToken);
      return { status: 204 };
    },
  }),
];
