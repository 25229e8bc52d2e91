import { useState } from 'preact/hooks';
import type { Api } from '../shared/api';
import { ago, percent } from '../shared/format';
import { href } from '../shared/route';
import type { Application, Endpoint, EndpointHealth } from '../shared/types';
import { Badge, ErrorText, LiveToggle, Table, useLoad } from '../shared/ui';

interface Row {
  endpoint: Endpoint;
  health?: EndpointHealth;
}

/** Every endpoint with its health (circuit, failure rate, in flight, pending), and the applications. */
export function Overview({ api }: { api: Api }) {
  const [live, setLive] = useState(true);
  const endpoints = useLoad<Row[]>(
    async () => {
      const [list, health] = await Promise.all([
        api.get<Endpoint[]>('/api/endpoints', { limit: 500 }),
        api.get<EndpointHealth[]>('/api/endpoints/health', { limit: 500 }),
      ]);
      const byId = new Map(health.map((h) => [h.endpointId, h]));
      return list.map((endpoint) => ({ endpoint, health: byId.get(endpoint.id) }));
    },
    'endpoints',
    live ? 2000 : 0,
  );
  const applications = useLoad(() => api.get<Application[]>('/api/applications', { limit: 500 }), 'applications');
  const rows = endpoints.data ?? [];
  const pending = rows.reduce((sum, r) => sum + (r.health?.pending ?? 0), 0);
  const open = rows.filter((r) => r.health && r.health.isolation.circuitState !== 'CLOSED').length;
  const disabled = rows.filter((r) => !r.endpoint.enabled).length;
  const failing = rows.filter((r) => r.health?.failingSince).length;
  return (
    <>
      <h1>Endpoints</h1>
      <div class="actions">
        <LiveToggle live={live} onChange={setLive} />
        <button type="button" onClick={endpoints.reload}>
          Refresh
        </button>
      </div>
      <div class="totals" aria-label="Totals">
        <div>
          <strong data-total="pending">{pending}</strong> pending
        </div>
        <div>
          <strong>{failing}</strong> failing
        </div>
        <div>
          <strong>{open}</strong> circuits not closed
        </div>
        <div>
          <strong>{disabled}</strong> disabled
        </div>
      </div>
      <ErrorText error={endpoints.error} />
      <Table
        label="Endpoints"
        head={['Endpoint', 'Application', 'URL', 'State', 'Circuit', 'Failure rate', 'In flight', 'Pending', 'Failing since']}
        empty={endpoints.data !== undefined && rows.length === 0}
      >
        {rows.map(({ endpoint, health }) => (
          <tr key={endpoint.id} data-endpoint={endpoint.id}>
            <td>
              <a href={href(['endpoints', endpoint.id])}>{endpoint.description || endpoint.id.slice(0, 8)}</a>
            </td>
            <td>{endpoint.applicationId ?? ''}</td>
            <td class="wrap">{endpoint.url}</td>
            <td>
              <Badge value={endpoint.enabled ? 'ENABLED' : 'DISABLED'} />
            </td>
            <td>{health ? <Badge value={health.isolation.circuitState} /> : ''}</td>
            <td>{health ? percent(health.isolation.failureRate) : ''}</td>
            <td>{health?.isolation.inFlight ?? ''}</td>
            <td data-pending>{health?.pending ?? ''}</td>
            <td>{health?.failingSince ? `${ago(health.failingSince)} ago` : ''}</td>
          </tr>
        ))}
      </Table>
      <h2>Applications</h2>
      <ErrorText error={applications.error} />
      <Table
        label="Applications"
        head={['Application', 'Name', 'Rate / s', 'Concurrency', '']}
        empty={applications.data !== undefined && applications.data.length === 0}
      >
        {(applications.data ?? []).map((a) => (
          <tr key={a.id}>
            <td>{a.id}</td>
            <td class="wrap">{a.name ?? ''}</td>
            <td>{a.ratePerSecond}</td>
            <td>{a.maxConcurrency}</td>
            <td>
              <a href={href(['deliveries'], { application: a.id })} aria-label={`Deliveries of ${a.id}`}>
                Deliveries
              </a>
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}
