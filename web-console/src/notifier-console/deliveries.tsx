import { useState } from 'preact/hooks';
import { type Api, seg } from '../shared/api';
import { DeliveryTable, StatusSelect } from '../shared/deliveries';
import { instant, localInput } from '../shared/format';
import { href, navigate } from '../shared/route';
import type { Delivery } from '../shared/types';
import { LiveToggle, useLoad } from '../shared/ui';


const FIELDS = ['application', 'endpoint', 'status', 'eventType', 'from', 'to'] as const;
type Filters = Record<(typeof FIELDS)[number], string>;

/** Deliveries searched by application, endpoint, status, event type and acceptance time; the filters are the URL. */
export function Deliveries({ api, params }: { api: Api; params: URLSearchParams }) {
  const filters = Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Filters;
  const before = params.get('before') ?? '';
  const [live, setLive] = useState(false);
  const key = params.toString();
  const result = useLoad(
    () => {
      const query = {
        endpoint: filters.endpoint,
        status: filters.status,
        eventType: filters.eventType,
        from: instant(filters.from),
        to: instant(filters.to),
        before,
        limit: 50,
      };
      return filters.application
        ? api.get<Delivery[]>(`/api/applications/${seg(filters.application)}/deliveries`, query)
        : api.get<Delivery[]>('/api/notifications', query);
    },
    key,
    live ? 2000 : 0,
  );
  const [draft, setDraft] = useState<Filters>(filters);
  const field = (name: keyof Filters, label: string, type = 'text') => (
    <label>
      {label}
      <input
        name={name}
        type={type}
        value={draft[name]}
        onInput={(e) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value })}
      />
    </label>
  );
  const rows = result.data ?? [];
  return (
    <>
      <h1>Deliveries</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(href(['deliveries'], draft));
        }}
      >
        {field('application', 'Application')}
        {field('endpoint', 'Endpoint id')}
        <StatusSelect value={draft.status} onChange={(status) => setDraft({ ...draft, status })} />
        {field('eventType', 'Event type')}
        {field('from', 'Accepted from', 'datetime-local')}
        {field('to', 'Accepted before', 'datetime-local')}
        <button type="submit">Search</button>
        <button
          type="button"
          class="link"
          onClick={() => setDraft({ ...draft, from: localInput(new Date(Date.now() - 3600_000)), to: '' })}
        >
          Last hour
        </button>
      </form>
      <div class="actions">
        <LiveToggle live={live} onChange={setLive} />
      </div>
      <DeliveryTable deliveries={result.data} error={result.error} />
      <div class="actions">
        {before ? <a href={href(['deliveries'], filters)}>Newest</a> : null}
        {rows.length === 50 ? (
          <a href={href(['deliveries'], { ...filters, before: rows[rows.length - 1].id })}>Older</a>
        ) : null}
      </div>
    </>
  );
}
