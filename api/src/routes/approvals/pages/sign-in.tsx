/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { Layout, Notice } from './layout.tsx';

export interface SignInProps {
  token: string;
  next: string;
  email?: string | undefined;
  error?: string | undefined;
}

export const SignInPage: FC<SignInProps> = ({ token, next, email, error }) => (
  <Layout title="Sign in">
    <h1>Sign in to review campaigns</h1>
    <Notice flash={error ? { kind: 'error', message: error } : undefined} />
    <form method="post" action="/approvals/sign-in" class="card">
      <input type="hidden" name="_csrf" value={token} />
      <input type="hidden" name="next" value={next} />
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required value={email ?? ''} aria-invalid={error ? 'true' : undefined} />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required aria-invalid={error ? 'true' : undefined} />
      <button type="submit" class="primary">
        Sign in
      </button>
    </form>
    <p class="muted small">Use the account you use in the spreadsheet add-in.</p>
  </Layout>
);
