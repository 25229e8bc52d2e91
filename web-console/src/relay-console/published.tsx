import { useState } from 'preact/hooks';
import type { Api } from '../shared/api';
import { time } from '../shared/format';
import { href, navigate } from '../shared/route';
import { ErrorText, Table, useLoad } from '../shared/ui';
import type { Published } from './types';

/** What was published for one aggregate, newest first, while the relay keeps it (courier.relay.outbox.retention). */
export function PublishedPage({ api, params }: { api: Api; params: URLSearchParams }) {
  const aggregateType = params.get('aggregateType') ?? '';
  const aggregateId = params.get('aggregateId') ?? '';
  const [draft, setDraft] = useState({ aggregateType, aggregateId });
  const asked = aggregateType !== '' && aggregateId !== '';
  const result = useLoad(
    () => (asked ? api.get<Published[]>('/admin/published', { aggregateType, aggregateId, limit: 100 }) : Promise.resolve(undefined)),
    params.toString(),
  );
  return (
    <>
      <h1>Published messages of an aggregate</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(href(['published'], draft));
        }}
      >
        <label>
          Aggregate type
          <input name="aggregateType" required value={draft.aggregateType} onInput={(e) => setDraft({ ...draft, aggregateType: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          Aggregate id
          <input name="aggregateId" required value={draft.aggregateId} onInput={(e) => setDraft({ ...draft, aggregateId: (e.target as HTMLInputElement).value })} />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorText error={result.error} />
      {asked ? (
        <Table
          label="Published messages"
          head={['Message', 'Type', 'Partition', 'Created', 'Published', 'Lease epoch']}
          empty={result.data !== undefined && result.data.length === 0}
        >
          {(result.data ?? []).map((m) => (
            <tr key={m.id} data-published={m.id}>
              <td>{m.id}</td>
              <td>{m.type}</td>
              <td>
                {m.partition} #{m.seq}
              </td>
              <td>{time(m.createdAt)}</td>
              <td>{time(m.publishedAt)}</td>
              <td>{m.leaseEpoch}</td>
            </tr>
          ))}
        </Table>
      ) : null}
    </>
  );
}
