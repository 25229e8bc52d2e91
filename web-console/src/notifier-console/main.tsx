// The notifier's operator console: endpoints and their health, deliveries searched and redelivered, messages with
// every attempt, bulk recovery. Every figure comes from /api with the operator token.
import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import '../shared/styles.css';
import { Api } from '../shared/api';
import { href, useRoute } from '../shared/route';
import { readToken, storeToken } from '../shared/session';
import { Shell, SignIn } from '../shared/ui';
import { DeliveryPage } from './delivery';
import { Deliveries } from './deliveries';
import { EndpointPage } from './endpoint';
import { MessagePage } from './message';
import { Overview } from './overview';
import { Recover } from './recover';

const TOKEN_KEY = 'courier.notifier.console.token';

function App() {
  const [token, setToken] = useState(() => readToken(TOKEN_KEY));
  const route = useRoute();
  const signOut = () => {
    storeToken(TOKEN_KEY, null);
    setToken(null);
  };
  const api = useMemo(() => (token ? new Api(token, signOut) : null), [token]);
  if (!api) {
    return (
      <SignIn
        title="Courier notifier console"
        hint="The notifier's courier.notifier.api-token. It is kept in this tab only, until you sign out or close it."
        check={(candidate) => new Api(candidate, () => {}).get('/api/applications', { limit: 1 })}
        onSignedIn={(value) => {
          storeToken(TOKEN_KEY, value);
          setToken(value);
        }}
      />
    );
  }
  const [section = '', id = '', sub = '', subId = ''] = route.parts;
  const nav = [
    { href: href([]), label: 'Endpoints', current: section === '' || section === 'endpoints' },
    { href: href(['deliveries']), label: 'Deliveries', current: section === 'deliveries' || section === 'applications' },
    { href: href(['recover']), label: 'Recover', current: section === 'recover' },
  ];
  let page;
  if (section === 'endpoints' && id) {
    page = <EndpointPage api={api} id={id} />;
  } else if (section === 'deliveries' && id) {
    page = <DeliveryPage api={api} id={id} />;
  } else if (section === 'deliveries') {
    page = <Deliveries api={api} params={route.params} />;
  } else if (section === 'applications' && sub === 'messages' && subId) {
    page = <MessagePage api={api} application={id} id={subId} />;
  } else if (section === 'recover') {
    page = <Recover api={api} params={route.params} />;
  } else {
    page = <Overview api={api} />;
  }
  return (
    <Shell title="Courier notifier" nav={nav} onSignOut={signOut}>
      {page}
    </Shell>
  );
}

render(<App />, document.getElementById('app')!);
