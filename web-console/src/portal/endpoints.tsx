import { useState } from 'preact/hooks';
import { seg } from '../shared/api';
import { EndpointActions } from '../shared/endpoint-actions';
import { href, navigate } from '../shared/route';
import type { Delivery, Endpoint } from '../shared/types';
import { Badge, ErrorText, Notice, SecretOnce, Table, useAction, useLoad } from '../shared/ui';
import type { PortalContext } from './context';
import { PortalDeliveryTable } from './deliveries';

/** Event types as typed: separated by commas, spaces or lines; none means every type. */
function eventTypes(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);
}

export function PortalEndpoints({ context }: { context: PortalContext }) {
  const { api, root } = context;
  const endpoints = useLoad(() => api.get<Endpoint[]>(`${root}/endpoints`), root);
  const [created, setCreated] = useState<Endpoint>();
  const rows = endpoints.data ?? [];
  return (
    <>
      <h1>Endpoints</h1>
      <p class="hint">The addresses we send your webhooks to, and the event types each one receives.</p>
      <ErrorText error={endpoints.error} />
      <Table label="Endpoints" head={['URL', 'Description', 'Event types', 'State']} empty={endpoints.data !== undefined && rows.length === 0}>
        {rows.map((e) => (
          <tr key={e.id} data-endpoint={e.id}>
            <td class="wrap">
              <a href={href(['endpoints', e.id])}>{e.url}</a>
            </td>
            <td class="wrap">{e.description ?? ''}</td>
            <td class="wrap">{e.eventTypes?.length ? e.eventTypes.join(', ') : 'all'}</td>
            <td>
              <Badge value={e.enabled ? 'ENABLED' : 'DISABLED'} />
            </td>
          </tr>
        ))}
      </Table>
      {created?.secret ? (
        <SecretOnce
          label="Signing secret of the new endpoint."
          secret={created.secret}
          onClose={() => {
            const id = created.id;
            setCreated(undefined);
            navigate(href(['endpoints', id]));
          }}
        />
      ) : null}
      <h2>Add an endpoint</h2>
      <EndpointForm
        submitLabel="Add endpoint"
        onSubmit={async (fields) => {
          const endpoint = await api.post<Endpoint>(`${root}/endpoints`, fields);
          endpoints.reload();
          if (endpoint.secret) {
            setCreated(endpoint);
          } else {
            navigate(href(['endpoints', endpoint.id]));
          }
          return 'Added.';
        }}
      />
    </>
  );
}

interface Fields {
  url: string;
  description?: string;
  eventTypes: string[];
}

function EndpointForm(props: { initial?: Endpoint; submitLabel: string; onSubmit: (fields: Fields) => Promise<string> }) {
  const [url, setUrl] = useState(props.initial?.url ?? '');
  const [description, setDescription] = useState(props.initial?.description ?? '');
  const [types, setTypes] = useState((props.initial?.eventTypes ?? []).join(', '));
  const action = useAction();
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        action.run(() => props.onSubmit({ url: url.trim(), description: description.trim() || undefined, eventTypes: eventTypes(types) }));
      }}
    >
      <div class="row">
        <label class="wide">
          URL
          <input name="url" type="url" required placeholder="https://" value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />
        </label>
        <label class="narrow">
          Description
          <input name="description" value={description} maxLength={256} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
        </label>
        <label class="wide">
          Event types (empty: all; payment.* for a family)
          <input name="eventTypes" value={types} onInput={(e) => setTypes((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={action.busy}>
          {props.submitLabel}
        </button>
      </div>
      <ErrorText error={action.error} />
      <Notice text={action.done} />
    </form>
  );
}

export function PortalEndpoint({ context, id }: { context: PortalContext; id: string }) {
  const { api, root } = context;
  const path = `${root}/endpoints/${seg(id)}`;
  const endpoint = useLoad(() => api.get<Endpoint>(path), path);
  const recent = useLoad(() => api.get<Delivery[]>(`${root}/deliveries`, { endpoint: id, limit: 20 }), path, 3000);
  const e = endpoint.data;
  return (
    <>
      <h1>Endpoint</h1>
      <ErrorText error={endpoint.error} />
      {e ? (
        <section>
          <p>
            <Badge value={e.enabled ? 'ENABLED' : 'DISABLED'} /> {e.disabledReason ?? ''}
          </p>
          <EndpointActions api={api} base={`${root}/endpoints`} endpoint={e} onChanged={() => (endpoint.reload(), recent.reload())} />
          <h2>Edit</h2>
          <EndpointForm
            key={e.id}
            initial={e}
            submitLabel="Save"
            onSubmit={async (fields) => {
              await api.patch(path, fields);
              endpoint.reload();
              return 'Saved.';
            }}
          />
        </section>
      ) : null}
      <h2>Recent deliveries</h2>
      <PortalDeliveryTable context={context} deliveries={recent.data} error={recent.error} onChanged={recent.reload} />
    </>
  );
}
