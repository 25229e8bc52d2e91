// The notifier's operator console: endpoints and their health, deliveries searched and redelivered, messages with
// every attempt, bulk recovery. Every figure comes from /api with the operator token.
import { render } from 'preact';
import '../shared/styles.css';
import type { Api } from '../shared/api';
import { OperatorConsole } from '../shared/console';
import { href, useRoute } from '../shared/route';
import { Shell } from '../shared/ui';
import { DeliveryPage } from './delivery';
import { Deliveries } from './deliveries';
import { EndpointPage } from './endpoint';
import { MessagePage } from './message';
import { Overview } from './overview';
import { Recover } from './recover';

function Pages({ api, signOut }: { api: Api; signOut: () => void }) {
  const route = useRoute();
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

render(
  <OperatorConsole
    title="Courier notifier console"
    tokenKey="courier.notifier.console.token"
    tokenSetting="courier.notifier.api-token"
    checkPath="/api/applications"
  >
    {(api, signOut) => <Pages api={api} signOut={signOut} />}
  </OperatorConsole>,
  document.getElementById('app')!,
);
