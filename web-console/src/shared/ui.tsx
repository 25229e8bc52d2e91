// The pieces every page is made of. Plain HTML elements (buttons, links, forms, tables) so that the keyboard, screen
// readers and the browser's own behaviour work without extra code.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describe } from './api';

export interface Load<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Calls `fetcher` when `key` changes and every `refreshMs` while the page is visible; keeps the last data while a
 * reload runs, so that a refreshing table does not flicker.
 */
export function useLoad<T>(fetcher: () => Promise<T>, key: string, refreshMs = 0): Load<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(fetcher);
  latest.current = fetcher;
  useEffect(() => {
    let live = true;
    setLoading(true);
    latest
      .current()
      .then((value) => {
        if (live) {
          setData(value);
          setError(undefined);
        }
      })
      .catch((e) => live && setError(describe(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [key, tick]);
  useEffect(() => {
    if (refreshMs <= 0) return;
    const timer = setInterval(() => document.visibilityState === 'visible' && setTick((t) => t + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, key]);
  useEffect(() => setData(undefined), [key]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export function ErrorText({ error }: { error?: string }) {
  return error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null;
}

export function Notice({ text }: { text?: string }) {
  return text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;
}

const STATUS_CLASS: Record<string, string> = {
  DELIVERED: 'ok',
  CLOSED: 'ok',
  PENDING: 'wait',
  HALF_OPEN: 'wait',
  GAVE_UP: 'bad',
  OPEN: 'bad',
  CANCELLED: 'off',
  DISABLED: 'off',
  FORCED_OPEN: 'bad',
};

export function Badge({ value }: { value: string }) {
  return <span class={`badge ${STATUS_CLASS[value] ?? ''}`}>{value}</span>;
}

/** Runs an action, shows its error or its result text, and keeps the button disabled while it runs. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const run = useCallback(async (action: () => Promise<string | void>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const text = await action();
      if (text) setDone(text);
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, done, run };
}

/** A button that asks again before it acts (inline, so that it works the same with a keyboard and in tests). */
export function ConfirmButton(props: { label: string; question: string; onConfirm: () => void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" disabled={props.disabled} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={props.question}>
      <span>{props.question}</span>
      <button
        type="button"
        class="danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        Yes
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        No
      </button>
    </span>
  );
}

/**
 * A secret from the answer that created it, shown once: it lives only in this component's props, and is gone from
 * the page (and from memory the page holds) as soon as the operator closes it.
 */
export function SecretOnce(props: { label: string; secret: string; onClose: () => void }) {
  return (
    <div class="secret" role="dialog" aria-label={props.label}>
      <p>
        <strong>{props.label}</strong> It is shown this once: copy it now.
      </p>
      <code data-secret>{props.secret}</code>
      <button type="button" autoFocus onClick={props.onClose}>
        I have copied it
      </button>
    </div>
  );
}

export function Table(props: { label: string; head: string[]; children: ComponentChildren; empty?: boolean }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={props.label}>
      <table>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.empty ? (
            <tr>
              <td colSpan={props.head.length} class="empty">
                Nothing here.
              </td>
            </tr>
          ) : (
            props.children
          )}
        </tbody>
      </table>
    </div>
  );
}

export function Shell(props: {
  title: string;
  nav: { href: string; label: string; current: boolean }[];
  onSignOut?: () => void;
  children: ComponentChildren;
}) {
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span class="brand">{props.title}</span>
        <nav aria-label="Sections">
          {props.nav.map((item) => (
            <a href={item.href} key={item.href} aria-current={item.current ? 'page' : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
        {props.onSignOut ? (
          <button type="button" class="link" onClick={props.onSignOut}>
            Sign out
          </button>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}

/** The sign-in of a console: the service's operator token, checked against the API before it is kept. */
export function SignIn(props: { title: string; hint: string; check: (token: string) => Promise<unknown>; onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const action = useAction();
  return (
    <main id="main" class="signin">
      <h1>{props.title}</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const value = token.trim();
          action.run(async () => {
            await props.check(value);
            props.onSignedIn(value);
          });
        }}
      >
        <label for="token">Operator token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          required
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        />
        <p class="hint">{props.hint}</p>
        <button type="submit" disabled={action.busy}>
          Sign in
        </button>
        <ErrorText error={action.error} />
      </form>
    </main>
  );
}

/** A checkbox that turns a page's automatic refresh on and off. */
export function LiveToggle(props: { live: boolean; onChange: (live: boolean) => void }) {
  return (
    <label class="live">
      <input type="checkbox" checked={props.live} onChange={(e) => props.onChange((e.target as HTMLInputElement).checked)} />
      Live (every 2 s)
    </label>
  );
}
