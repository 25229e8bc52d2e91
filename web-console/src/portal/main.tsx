// The tenant portal: one application's endpoints and deliveries, for the merchant itself. It is opened with a link the
// platform's backend asked for (POST /api/applications/{id}/portal-links); the link's fragment carries the application
// and a short-lived token that reaches that application only, and is taken off the address bar at once.
import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import '../shared/styles.css';
import { Api, seg } from '../shared/api';
import { href, useRoute } from '../shared/route';
import { readToken, storeToken, takeFragment } from '../shared/session';
import { Shell } from '../shared/ui';
import { PortalDeliveries, PortalDelivery } from './deliveries';
import type { PortalContext } from './context';
import { PortalEndpoint, PortalEndpoints } from './endpoints';

const SESSION_KEY = 'courier.portal.session';
const APPLICATION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

interface Session {
  application: string;
  token: string;
}

function startSession(): Session | null {
  const handed = takeFragment();
  if (handed) {
    const application = handed.get('application') ?? '';
    const token = handed.get('token') ?? '';
    if (APPLICATION_ID.test(application) && token) {
      storeToken(SESSION_KEY, JSON.stringify({ application, token }));
    }
  }
  try {
    const stored = JSON.parse(readToken(SESSION_KEY) ?? 'null') as Session | null;
    return stored && APPLICATION_ID.test(stored.application) && stored.token ? stored : null;
  } catch {
    return null;
  }
}

function App() {
  const [session, setSession] = useState(startSession);
  const route = useRoute();
  const end = () => {
    storeToken(SESSION_KEY, null);
    setSession(null);
  };
  const context = useMemo<PortalContext | null>(
    () =>
      session && {
        api: new Api(session.token, end),
        application: session.application,
        root: `/api/applications/${seg(session.application)}`,
      },
    [session],
  );
  if (!context) {
    return (
      <main id="main" class="signin">
        <h1>Webhooks</h1>
        <p role="alert">This link has expired or is incomplete. Open the webhooks page again from your account.</p>
      </main>
    );
  }
  const [section = '', id = ''] = route.parts;
  const nav = [
    { href: href([]), label: 'Endpoints', current: section === '' || section === 'endpoints' },
    { href: href(['deliveries']), label: 'Deliveries', current: section === 'deliveries' },
  ];
  let page;
  if (section === 'endpoints' && id) {
    page = <PortalEndpoint context={context} id={id} />;
  } else if (section === 'deliveries' && id) {
    page = <PortalDelivery context={context} id={id} />;
  } else if (section === 'deliveries') {
    page = <PortalDeliveries context={context} params={route.params} />;
  } else {
    page = <PortalEndpoints context={context} />;
  }
  return (
    <Shell title={`Webhooks · ${context.application}`} nav={nav} onSignOut={end}>
      {page}
    </Shell>
  );
}

render(<App />, document.getElementById('app')!);
