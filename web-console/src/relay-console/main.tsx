// The relay's operator console: status, circuits, leases and backlog per partition, the cdc slot, parked messages
// (replay and skip, one or many), pause and resume, and the published history of an aggregate. Every figure comes
// from /admin with the admin token.
import { render } from 'preact';
import '../shared/styles.css';
import type { Api } from '../shared/api';
import { OperatorConsole } from '../shared/console';
import { href, useRoute } from '../shared/route';
import { Shell } from '../shared/ui';
import { Overview } from './overview';
import { ParkedPage } from './parked';
import { PublishedPage } from './published';

function Pages({ api, signOut }: { api: Api; signOut: () => void }) {
  const route = useRoute();
  const [section = ''] = route.parts;
  const nav = [
    { href: href([]), label: 'Status', current: section === '' },
    { href: href(['parked']), label: 'Parked', current: section === 'parked' },
    { href: href(['published']), label: 'Published', current: section === 'published' },
  ];
  let page;
  if (section === 'parked') {
    page = <ParkedPage api={api} params={route.params} />;
  } else if (section === 'published') {
    page = <PublishedPage api={api} params={route.params} />;
  } else {
    page = <Overview api={api} />;
  }
  return (
    <Shell title="Courier relay" nav={nav} onSignOut={signOut}>
      {page}
    </Shell>
  );
}

render(
  <OperatorConsole
    title="Courier relay console"
    tokenKey="courier.relay.console.token"
    tokenSetting="courier.relay.admin.token"
    checkPath="/admin/status"
  >
    {(api, signOut) => <Pages api={api} signOut={signOut} />}
  </OperatorConsole>,
  document.getElementById('app')!,
);
