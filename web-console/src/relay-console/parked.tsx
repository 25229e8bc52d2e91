import { useState } from 'preact/hooks';
import { type Api, describe, seg } from '../shared/api';
import { time } from '../shared/format';
import { href, navigate } from '../shared/route';
import { Badge, ConfirmButton, ErrorText, LiveToggle, Notice, Table, useAction, useLoad } from '../shared/ui';
import type { Parked } from './types';

const STATUSES = ['PARKED', 'HELD', 'REPLAYED', 'SKIPPED'];

/**
 * Messages Kafka refused too often, with their error, attempts and the start of their payload; replayed (back into
 * the outbox, ahead of the later messages of their key) or skipped (their key flows again), one or many at a time.
 */
export function ParkedPage({ api, params }: { api: Api; params: URLSearchParams }) {
  const status = STATUSES.includes(params.get('status') ?? '') ? params.get('status')! : 'PARKED';
  const [live, setLive] = useState(true);
  const parked = useLoad(() => api.get<Parked[]>('/admin/parked', { status, limit: 200 }), status, live ? 2000 : 0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const action = useAction();
  const rows = parked.data ?? [];
  const releasable = status === 'PARKED';
  const visible = new Set(rows.map((r) => r.id));
  const chosen = [...selected].filter((id) => visible.has(id));

  const release = (ids: string[], what: 'replay' | 'skip') =>
    action.run(async () => {
      const failed: string[] = [];
      for (const id of ids) {
        try {
          await api.post(`/admin/parked/${seg(id)}/${what}`);
        } catch (e) {
          failed.push(`${id}: ${describe(e)}`);
        }
      }
      setSelected(new Set());
      parked.reload();
      const done = ids.length - failed.length;
      if (failed.length) {
        throw new Error(`${done} of ${ids.length} ${what === 'replay' ? 'replayed' : 'skipped'}; ${failed.join('; ')}`);
      }
      return what === 'replay'
        ? `${done} replayed: back in the outbox, ahead of the later messages of their keys.`
        : `${done} skipped: their keys flow again.`;
    });

  return (
    <>
      <h1>Parked messages</h1>
      <div class="actions">
        <label>
          Status
          <select name="status" value={status} onChange={(e) => navigate(href(['parked'], { status: (e.target as HTMLSelectElement).value }))}>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <LiveToggle live={live} onChange={setLive} />
        {releasable ? (
          <>
            <ConfirmButton
              label={`Replay selected (${chosen.length})`}
              question={`Replay ${chosen.length} messages?`}
              disabled={action.busy || chosen.length === 0}
              onConfirm={() => release(chosen, 'replay')}
            />
            <ConfirmButton
              label={`Skip selected (${chosen.length})`}
              question={`Skip ${chosen.length} messages? They will never be published.`}
              disabled={action.busy || chosen.length === 0}
              onConfirm={() => release(chosen, 'skip')}
            />
          </>
        ) : null}
      </div>
      <ErrorText error={parked.error ?? action.error} />
      <Notice text={action.done} />
      <Table
        label="Parked messages"
        head={[releasable ? 'Select' : '', releasable ? 'Release' : '', 'Message', 'Aggregate', 'Type', 'Partition', 'Attempts', 'Error', 'Parked', 'Status', 'Payload']}
        empty={parked.data !== undefined && rows.length === 0}
      >
        {rows.map((m) => (
          <tr key={m.id} data-parked={m.id}>
            <td>
              {releasable ? (
                <input
                  type="checkbox"
                  aria-label={`Select ${m.id}`}
                  checked={selected.has(m.id)}
                  onChange={(e) => {
                    const next = new Set(selected);
                    if ((e.target as HTMLInputElement).checked) next.add(m.id);
                    else next.delete(m.id);
                    setSelected(next);
                  }}
                />
              ) : null}
            </td>
            <td>
              {releasable ? (
                <span class="actions">
                  <button type="button" disabled={action.busy} aria-label={`Replay ${m.id}`} onClick={() => release([m.id], 'replay')}>
                    Replay
                  </button>
                  <ConfirmButton
                    label="Skip"
                    question="Never publish it?"
                    disabled={action.busy}
                    onConfirm={() => release([m.id], 'skip')}
                  />
                </span>
              ) : null}
            </td>
            <td title={m.id}>{m.id.slice(0, 8)}…</td>
            <td class="wrap">
              {m.aggregateType} {m.aggregateId}
            </td>
            <td>{m.type}</td>
            <td>
              {m.partition} #{m.seq}
            </td>
            <td>{m.attempts}</td>
            <td class="wrap">{m.error ?? ''}</td>
            <td>{time(m.parkedAt)}</td>
            <td>
              <Badge value={m.status} />
              {m.releaseRequest ? ` ${m.releaseRequest} requested` : ''}
            </td>
            <td class="payload">
              <details>
                <summary>{m.payloadBytes} bytes</summary>
                <pre>{m.payloadPreview ?? ''}</pre>
              </details>
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}
