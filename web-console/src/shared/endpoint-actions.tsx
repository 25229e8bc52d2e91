// What the console and the portal both do to one endpoint: enable or disable it, rotate its secret (shown once), send
// it a test event. `base` is the endpoint collection the caller's token reaches (/api/endpoints for the operator,
// /api/applications/{id}/endpoints for a tenant).
import { useState } from 'preact/hooks';
import { type Api, seg } from './api';
import type { Delivery, Endpoint } from './types';
import { ConfirmButton, ErrorText, Notice, SecretOnce, useAction } from './ui';

interface Rotation {
  secret?: string;
  publicKey?: string;
  previousSecretsValidForSeconds: number;
}

export function EndpointActions(props: { api: Api; base: string; endpoint: Endpoint; onChanged: () => void }) {
  const { api, base, endpoint } = props;
  const path = `${base}/${seg(endpoint.id)}`;
  const action = useAction();
  const [secret, setSecret] = useState<{ label: string; value: string }>();
  return (
    <>
      <div class="actions">
        {endpoint.enabled ? (
          <ConfirmButton
            label="Disable"
            question="Disable this endpoint? Nothing is sent to it until it is enabled again."
            disabled={action.busy}
            onConfirm={() =>
              action.run(async () => {
                await api.patch(path, { enabled: false });
                props.onChanged();
                return 'Disabled.';
              })
            }
          />
        ) : (
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              action.run(async () => {
                await api.patch(path, { enabled: true });
                props.onChanged();
                return 'Enabled.';
              })
            }
          >
            Enable
          </button>
        )}
        <ConfirmButton
          label="Rotate secret"
          question="Make a new signing secret? The old one keeps signing for 24 hours."
          disabled={action.busy}
          onConfirm={() =>
            action.run(async () => {
              const rotation = await api.post<Rotation>(`${path}/secrets`, {});
              if (rotation.secret) {
                setSecret({ label: 'New signing secret.', value: rotation.secret });
              } else if (rotation.publicKey) {
                setSecret({ label: 'New public key.', value: rotation.publicKey });
              }
              return `Rotated. Deliveries are signed with the new secret within a second, and with the previous one too for ${rotation.previousSecretsValidForSeconds / 3600} more hours.`;
            })
          }
        />
        <button
          type="button"
          disabled={action.busy || !endpoint.enabled}
          onClick={() =>
            action.run(async () => {
              const sent = await api.post<Delivery>(`${path}/test-events`, {});
              props.onChanged();
              return `Test event sent (delivery ${sent.id}).`;
            })
          }
        >
          Send test event
        </button>
      </div>
      {secret ? <SecretOnce label={secret.label} secret={secret.value} onClose={() => setSecret(undefined)} /> : null}
      <ErrorText error={action.error} />
      <Notice text={action.done} />
    </>
  );
}
