// What every operator console shares: the operator token kept in the tab, a sign-in that checks it against the API,
// and sign-out (also when the API answers 401, e.g. after the token was changed on the server).
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { Api } from './api';
import { readToken, storeToken } from './session';
import { SignIn } from './ui';

export function OperatorConsole(props: {
  title: string;
  /** Where the tab keeps the token. */
  tokenKey: string;
  /** Which setting holds the token, for the sign-in page. */
  tokenSetting: string;
  /** A call the token must be good for. */
  checkPath: string;
  children: (api: Api, signOut: () => void) => ComponentChildren;
}) {
  const [token, setToken] = useState(() => readToken(props.tokenKey));
  const signOut = () => {
    storeToken(props.tokenKey, null);
    setToken(null);
  };
  const api = useMemo(() => (token ? new Api(token, signOut) : null), [token]);
  if (!api) {
    return (
      <SignIn
        title={props.title}
        hint={`The service's ${props.tokenSetting}. It is kept in this tab only, until you sign out or close it.`}
        check={(candidate) => new Api(candidate, () => {}).get(props.checkPath, {})}
        onSignedIn={(value) => {
          storeToken(props.tokenKey, value);
          setToken(value);
        }}
      />
    );
  }
  return <>{props.children(api, signOut)}</>;
}
